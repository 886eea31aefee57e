#include "pactum/domain/api_apps.h"

#include <nlohmann/json.hpp>

#include "pactum/domain/accounts.h"
#include "pactum/domain/audit_log.h"
#include "pactum/domain/authorization.h"
#include "pactum/domain/secret_token.h"
#include "pactum/domain/transaction.h"

namespace pactum::domain {
namespace {

constexpr std::string_view kSecretField = "api_apps.secret";
constexpr std::size_t kMaxAppIdLength = 64;

std::string scopes_text(const std::vector<ApiScope>& scopes) {
  std::string out;
  for (ApiScope scope : scopes) {
    if (!out.empty()) {
      out.push_back(' ');
    }
    out += scope_name(scope);
  }
  return out;
}

std::vector<ApiScope> parse_scopes_text(std::string_view text) {
  std::vector<ApiScope> out;
  while (!text.empty()) {
    const auto space = text.find(' ');
    if (auto scope = parse_scope(text.substr(0, space))) {
      out.push_back(*scope);
    }
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  }
  return out;
}

DomainResult<ApiApp> read_app(const store::Row& row) {
  auto id = row.text(0);
  auto enterprise = row.text(1);
  auto name = row.text(2);
  auto scopes = row.text(3);
  if (!id || !enterprise || !name || !scopes) {
    return refuse(DomainErrorCode::kInternal, "unreadable app row");
  }
  return ApiApp{std::move(*id), std::move(*enterprise), std::move(*name),
                parse_scopes_text(*scopes), !row.is_null(4)};
}

constexpr std::string_view kSelectApp =
    "SELECT id, enterprise_id, name, scopes, revoked_at FROM api_apps";

// load_app finds app_id among enterprise_id's apps (kNotFound otherwise: an app id of another
// tenant reads as absent).
DomainResult<ApiApp> load_app(store::Executor& executor, std::string_view enterprise_id,
                              std::string_view app_id) {
  auto row = executor.query_optional(std::string(kSelectApp) + " WHERE id = ? AND enterprise_id = ?",
                                     {app_id, enterprise_id});
  if (!row) {
    return internal("reading an app", row.error());
  }
  if (!*row) {
    return refuse(DomainErrorCode::kNotFound, "no such app");
  }
  return read_app(**row);
}

DomainResult<std::pair<std::string, Bytes>> fresh_secret(const Services& services) {
  auto secret = new_secret_token();
  if (!secret) {
    return std::unexpected(secret.error());
  }
  auto sealed = services.pii.seal(kSecretField, *secret);
  if (!sealed) {
    return internal("sealing an app secret", sealed.error());
  }
  return std::pair(std::move(*secret), std::move(*sealed));
}

// InvalidateAfter drops an app's cache entry when it goes out of scope, i.e. after the
// transaction that changed the app has committed (or failed), so no reader can re-cache the old
// state (ApiAppCache's generation refuses reads that started before).
class InvalidateAfter {
 public:
  InvalidateAfter(ApiAppCache& cache, std::string_view app_id) : cache_(cache), app_id_(app_id) {}
  InvalidateAfter(const InvalidateAfter&) = delete;
  InvalidateAfter& operator=(const InvalidateAfter&) = delete;
  ~InvalidateAfter() { cache_.invalidate(app_id_); }

 private:
  ApiAppCache& cache_;
  std::string_view app_id_;
};

// cached_app returns app_id's record from the cache, or reads and unseals it and caches it;
// nullptr for an unknown app.
DomainResult<std::shared_ptr<const ApiAppCache::Entry>> cached_app(const Services& services,
                                                                   std::string_view app_id,
                                                                   std::int64_t now) {
  if (auto cached = services.app_cache.find(app_id, now)) {
    return cached;
  }
  const std::uint64_t generation = services.app_cache.generation();
  auto row = with_connection(services.database,
                             [&](store::Connection& connection) -> DomainResult<std::optional<store::Row>> {
    auto found = connection.query_optional(
        "SELECT enterprise_id, scopes, secret_sealed, revoked_at FROM api_apps WHERE id = ?",
        {app_id});
    if (!found) {
      return internal("reading an app", found.error());
    }
    return std::move(*found);
  });
  if (!row) {
    return std::unexpected(row.error());
  }
  if (!*row) {
    return std::shared_ptr<const ApiAppCache::Entry>();
  }
  auto enterprise = (*row)->text(0);
  auto scopes = (*row)->text(1);
  auto sealed = (*row)->blob(2);
  if (!enterprise || !scopes || !sealed) {
    return refuse(DomainErrorCode::kInternal, "unreadable app row");
  }
  auto secret = services.pii.open(kSecretField, *sealed);
  if (!secret) {
    return internal("opening an app secret", secret.error());
  }
  auto entry = std::make_shared<const ApiAppCache::Entry>(
      ApiAppCache::Entry{.enterprise_id = std::move(*enterprise),
                         .scopes = parse_scopes_text(*scopes),
                         .secret = std::move(*secret),
                         .revoked = !(*row)->is_null(3)});
  services.app_cache.put(app_id, entry, generation, now);
  return entry;
}

std::unexpected<DomainError> bad_signature() {
  return refuse(DomainErrorCode::kUnauthenticated, "the request signature does not verify");
}

}  // namespace

DomainResult<ApiAppCredentials> create_api_app(const Services& services, const Actor& actor,
                                               std::string_view enterprise_id,
                                               std::string_view name,
                                               const std::vector<ApiScope>& scopes,
                                               const Origin& origin) {
  if (auto valid = check_name(name, "name"); !valid) {
    return std::unexpected(valid.error());
  }
  if (scopes.empty()) {
    return refuse(DomainErrorCode::kInvalidInput, "an app needs at least one scope");
  }
  return run_in_transaction(services.database,
                        [&](store::Transaction& tx) -> DomainResult<ApiAppCredentials> {
    if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kManageApps); !allowed) {
      return std::unexpected(allowed.error());
    }
    auto id = new_public_id("app_");
    auto secret = fresh_secret(services);
    if (!id) {
      return std::unexpected(id.error());
    }
    if (!secret) {
      return std::unexpected(secret.error());
    }
    auto inserted = tx.execute(
        "INSERT INTO api_apps (id, enterprise_id, name, secret_sealed, scopes, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {*id, enterprise_id, name, secret->second, scopes_text(scopes),
         unix_seconds(services.clock())});
    if (!inserted) {
      return internal("creating an app", inserted.error());
    }
    if (auto audited = audit_change(tx, services, actor, origin, std::string(enterprise_id),
                                    "app.create", "app", *id,
                                    nlohmann::json{{"scopes", scopes_text(scopes)}}.dump());
        !audited) {
      return std::unexpected(audited.error());
    }
    return ApiAppCredentials{
        ApiApp{*id, std::string(enterprise_id), std::string(name), scopes, false},
        std::move(secret->first)};
  });
}

DomainResult<std::vector<ApiApp>> list_api_apps(const Services& services, const Actor& actor,
                                                std::string_view enterprise_id) {
  return with_connection(services.database,
                         [&](store::Connection& connection) -> DomainResult<std::vector<ApiApp>> {
    if (auto allowed = authorize(services, connection, actor, enterprise_id, Permission::kManageApps);
        !allowed) {
      return std::unexpected(allowed.error());
    }
    auto rows = connection.query(std::string(kSelectApp) + " WHERE enterprise_id = ? ORDER BY id",
                                 {enterprise_id});
    if (!rows) {
      return internal("listing apps", rows.error());
    }
    std::vector<ApiApp> apps;
    for (const store::Row& row : *rows) {
      auto app = read_app(row);
      if (!app) {
        return std::unexpected(app.error());
      }
      apps.push_back(std::move(*app));
    }
    return apps;
  });
}

DomainResult<ApiAppCredentials> rotate_api_app_secret(const Services& services,
                                                      const Actor& actor,
                                                      std::string_view enterprise_id,
                                                      std::string_view app_id,
                                                      const Origin& origin) {
  // After the transaction, committed or not: this process must stop using the old secret at once.
  const InvalidateAfter invalidate{services.app_cache, app_id};
  return run_in_transaction(services.database,
                        [&](store::Transaction& tx) -> DomainResult<ApiAppCredentials> {
    if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kManageApps); !allowed) {
      return std::unexpected(allowed.error());
    }
    auto app = load_app(tx, enterprise_id, app_id);
    if (!app) {
      return std::unexpected(app.error());
    }
    if (app->revoked) {
      return refuse(DomainErrorCode::kConflict, "the app is revoked");
    }
    auto secret = fresh_secret(services);
    if (!secret) {
      return std::unexpected(secret.error());
    }
    auto updated = tx.execute("UPDATE api_apps SET secret_sealed = ? WHERE id = ?",
                              {secret->second, app_id});
    if (!updated) {
      return internal("rotating an app secret", updated.error());
    }
    if (auto audited = audit_change(tx, services, actor, origin, std::string(enterprise_id),
                                    "app.rotate_secret", "app", std::string(app_id));
        !audited) {
      return std::unexpected(audited.error());
    }
    return ApiAppCredentials{std::move(*app), std::move(secret->first)};
  });
}

DomainStatus revoke_api_app(const Services& services, const Actor& actor,
                            std::string_view enterprise_id, std::string_view app_id,
                            const Origin& origin) {
  const InvalidateAfter invalidate{services.app_cache, app_id};
  return run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainStatus {
    if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kManageApps); !allowed) {
      return allowed;
    }
    auto app = load_app(tx, enterprise_id, app_id);
    if (!app) {
      return std::unexpected(app.error());
    }
    if (app->revoked) {
      return {};
    }
    auto updated = tx.execute("UPDATE api_apps SET revoked_at = ? WHERE id = ?",
                              {unix_seconds(services.clock()), app_id});
    if (!updated) {
      return internal("revoking an app", updated.error());
    }
    return audit_change(tx, services, actor, origin, std::string(enterprise_id), "app.revoke",
                        "app", std::string(app_id));
  });
}

DomainResult<Actor> authenticate_app_request(const Services& services, std::string_view app_id,
                                             const SignedRequestParts& parts,
                                             std::string_view signature) {
  if (app_id.empty() || app_id.size() > kMaxAppIdLength) {
    return bad_signature();
  }
  const auto now = services.clock();
  auto timestamp = check_signature_freshness(parts, now);
  if (!timestamp) {
    return std::unexpected(timestamp.error());
  }
  const std::int64_t now_seconds = unix_seconds(now);
  auto app = cached_app(services, app_id, now_seconds);
  if (!app) {
    return std::unexpected(app.error());
  }
  if (!*app || (*app)->revoked) {
    return bad_signature();
  }
  if (!signature_matches((*app)->secret, parts, signature)) {
    return bad_signature();
  }
  // Only a correctly signed request may spend a nonce, so nobody can exhaust an app's nonces.
  if (auto spent = services.nonces.spend(app_id, parts.nonce, *timestamp, now_seconds); !spent) {
    return std::unexpected(spent.error());
  }
  return Actor{.kind = ActorKind::kApp,
               .id = std::string(app_id),
               .app_enterprise_id = (*app)->enterprise_id,
               .scopes = (*app)->scopes};
}

}  // namespace pactum::domain
