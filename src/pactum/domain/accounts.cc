#include "pactum/domain/accounts.h"

#include <fmt/format.h>

#include "pactum/base/bytes.h"
#include "pactum/crypto/hmac.h"
#include "pactum/domain/audit_log.h"
#include "pactum/domain/pii_fields.h"
#include "pactum/domain/secret_token.h"
#include "pactum/domain/throttle_store.h"
#include "pactum/domain/transaction.h"
#include "pactum/domain/utf8.h"

namespace pactum::domain {
namespace {

constexpr std::string_view kLoginField = kUserLoginField;
constexpr std::string_view kNameField = kUserNameField;
constexpr std::string_view kIdNumberField = kUserIdNumberField;
constexpr std::size_t kMaxIdNumberLength = 64;

std::string_view kind_name(LoginKind kind) { return kind == LoginKind::kPhone ? "phone" : "email"; }

std::unexpected<DomainError> wrong_credentials() {
  return refuse(DomainErrorCode::kUnauthenticated, "wrong log-in name or password");
}

// A fixed hash verified when the login is unknown, so an unknown login costs the same time as a
// wrong password. Made once per hasher parameters; its password is never used anywhere.
const std::string& decoy_hash(const PasswordHasher& hasher) {
  static const std::string hash = hasher.hash("decoy password never issued").value_or("");
  return hash;
}

DomainStatus validate_new_user(const NewUser& user) {
  if (auto status = check_name(user.name, "name"); !status) {
    return status;
  }
  if (auto status = check_password_policy(user.password); !status) {
    return status;
  }
  if (user.id_number &&
      (user.id_number->empty() || user.id_number->size() > kMaxIdNumberLength ||
       !is_printable_utf8(*user.id_number))) {
    return refuse(DomainErrorCode::kInvalidInput, "id_number is not a valid identity number");
  }
  return {};
}

}  // namespace

DomainStatus check_name(std::string_view name, std::string_view what) {
  if (name.empty() || name.size() > kMaxNameLength || !is_printable_utf8(name)) {
    return refuse(DomainErrorCode::kInvalidInput,
                  fmt::format("{} must be 1 to {} bytes of printable UTF-8", what,
                              kMaxNameLength));
  }
  return {};
}

DomainResult<std::optional<std::string>> find_user_id(const Services& services,
                                                      store::Executor& executor,
                                                      const LoginIdentifier& login) {
  auto candidates = services.pii.blind_index_candidates(kLoginField, login.value);
  if (!candidates) {
    return internal("indexing a login", candidates.error());
  }
  // One index per master key held: a row is indexed under the key that sealed it, and rows not
  // yet re-indexed after a rotation keep the old key's index.
  for (const std::string& index : *candidates) {
    auto row = executor.query_optional("SELECT id FROM users WHERE login_index = ?", {index});
    if (!row) {
      return internal("finding a user", row.error());
    }
    if (!*row) {
      continue;
    }
    auto id = (*row)->text(0);
    if (!id) {
      return internal("finding a user", id.error());
    }
    return std::optional<std::string>(std::move(*id));
  }
  return std::optional<std::string>();
}

DomainResult<UserView> load_user(const Services& services, store::Executor& executor,
                                 std::string_view user_id) {
  auto row = executor.query_optional(
      "SELECT login_kind, login_sealed, name_sealed FROM users WHERE id = ?", {user_id});
  if (!row) {
    return internal("reading a user", row.error());
  }
  if (!*row) {
    return refuse(DomainErrorCode::kNotFound, "no such user");
  }
  auto kind = (*row)->text(0);
  auto login_sealed = (*row)->blob(1);
  auto name_sealed = (*row)->blob(2);
  if (!kind || !login_sealed || !name_sealed) {
    return refuse(DomainErrorCode::kInternal, "unreadable user row");
  }
  auto login = services.pii.open(kLoginField, *login_sealed);
  auto name = services.pii.open(kNameField, *name_sealed);
  if (!login) {
    return internal("opening a login", login.error());
  }
  if (!name) {
    return internal("opening a name", name.error());
  }
  return UserView{std::string(user_id),
                  *kind == "phone" ? LoginKind::kPhone : LoginKind::kEmail, std::move(*login),
                  std::move(*name)};
}

DomainResult<UserView> create_user(const Services& services, store::Executor& executor,
                                   const NewUser& user) {
  auto login = normalise_login(user.login);
  if (!login) {
    return std::unexpected(login.error());
  }
  if (auto valid = validate_new_user(user); !valid) {
    return std::unexpected(valid.error());
  }
  auto id = new_public_id("usr_");
  auto hash = services.hasher.hash(user.password);
  if (!id) {
    return std::unexpected(id.error());
  }
  if (!hash) {
    return std::unexpected(hash.error());
  }
  // The unique index only sees the current key's index; an account still indexed under an
  // older master key must be found through every candidate.
  auto existing = find_user_id(services, executor, *login);
  if (!existing) {
    return std::unexpected(existing.error());
  }
  if (*existing) {
    return refuse(DomainErrorCode::kConflict, "an account with this login already exists");
  }
  auto index = services.pii.blind_index(kLoginField, login->value);
  auto login_sealed = services.pii.seal(kLoginField, login->value);
  auto name_sealed = services.pii.seal(kNameField, user.name);
  if (!index || !login_sealed || !name_sealed) {
    return refuse(DomainErrorCode::kInternal, "sealing personal data failed");
  }
  std::optional<Bytes> id_number_sealed;
  if (user.id_number) {
    auto sealed = services.pii.seal(kIdNumberField, *user.id_number);
    if (!sealed) {
      return internal("sealing an id number", sealed.error());
    }
    id_number_sealed = std::move(*sealed);
  }
  auto inserted = executor.execute(
      "INSERT INTO users (id, login_kind, login_index, login_sealed, name_sealed, "
      "id_number_sealed, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {*id, kind_name(login->kind), *index, *login_sealed, *name_sealed, id_number_sealed, *hash,
       unix_seconds(services.clock())});
  if (!inserted) {
    if (inserted.error().code == ErrorCode::kConflict) {
      return refuse(DomainErrorCode::kConflict, "an account with this login already exists");
    }
    return internal("creating a user", inserted.error());
  }
  return UserView{*id, login->kind, login->value, user.name};
}

DomainResult<UserView> sign_up(const Services& services, const NewUser& user,
                               const Origin& origin) {
  return run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainResult<UserView> {
    auto created = create_user(services, tx, user);
    if (!created) {
      return created;
    }
    const AuditEvent event{.enterprise_id = std::nullopt,
                           .actor = "user:" + created->id,
                           .action = "user.sign_up",
                           .object_type = "user",
                           .object_id = created->id,
                           .client_address = origin.client_address};
    if (auto audited = record_audit(tx, event, services.clock()); !audited) {
      return internal("auditing a sign-up", audited.error());
    }
    return created;
  });
}

namespace {

// log_in_attempt is log_in without the counting.
DomainResult<SessionGrant> log_in_attempt(const Services& services, std::string_view login_text,
                                          std::string_view password, const Origin& origin);

LoginResult result_of(const DomainResult<SessionGrant>& attempt) {
  if (attempt) {
    return LoginResult::kSuccess;
  }
  switch (attempt.error().code) {
    case DomainErrorCode::kUnauthenticated:
      return LoginResult::kWrongPassword;
    case DomainErrorCode::kLocked:
      return LoginResult::kLocked;
    case DomainErrorCode::kRateLimited:
      return LoginResult::kThrottled;
    default:
      return LoginResult::kError;
  }
}

}  // namespace

DomainResult<SessionGrant> log_in(const Services& services, std::string_view login_text,
                                  std::string_view password, const Origin& origin) {
  DomainResult<SessionGrant> attempt = log_in_attempt(services, login_text, password, origin);
  if (services.login_counters != nullptr) {
    services.login_counters->count(result_of(attempt));
  }
  return attempt;
}

namespace {

DomainResult<SessionGrant> log_in_attempt(const Services& services, std::string_view login_text,
                                          std::string_view password, const Origin& origin) {
  auto login = normalise_login(login_text);
  if (!login) {
    return wrong_credentials();
  }
  const std::int64_t now = unix_seconds(services.clock());
  // The account's failures are counted under its login's index under the current master key;
  // a lock recorded under an older key (before a rotation) still holds, so every key's index is
  // checked.
  auto account_indexes = services.pii.blind_index_candidates(kLoginField, login->value);
  if (!account_indexes || account_indexes->empty()) {
    return refuse(DomainErrorCode::kInternal, "indexing a login failed");
  }
  const std::string account_key = "account:" + account_indexes->front();
  const std::string address_key = "address:" + origin.client_address;

  // Throttling state is committed on its own, so a refused log-in still counts.
  auto blocked = run_in_transaction(services.database,
                                [&](store::Transaction& tx) -> DomainResult<DomainErrorCode> {
    auto address = load_throttle(tx, address_key);
    if (!address) {
      return std::unexpected(address.error());
    }
    if (is_blocked(*address, now)) {
      return DomainErrorCode::kRateLimited;
    }
    for (const std::string& index : *account_indexes) {
      auto account = load_throttle(tx, "account:" + index);
      if (!account) {
        return std::unexpected(account.error());
      }
      if (is_blocked(*account, now)) {
        return DomainErrorCode::kLocked;
      }
    }
    return DomainErrorCode::kInternal;
  });
  if (!blocked) {
    return std::unexpected(blocked.error());
  }
  if (*blocked == DomainErrorCode::kRateLimited) {
    return refuse(DomainErrorCode::kRateLimited,
                  "too many failed log-ins from this address; try again later");
  }
  if (*blocked == DomainErrorCode::kLocked) {
    return refuse(DomainErrorCode::kLocked,
                  "this account is locked after too many failed log-ins; try again later");
  }

  auto found = with_connection(services.database,
                               [&](store::Connection& connection)
                                   -> DomainResult<std::optional<std::pair<std::string, std::string>>> {
    auto id = find_user_id(services, connection, *login);
    if (!id) {
      return std::unexpected(id.error());
    }
    if (!*id) {
      return std::optional<std::pair<std::string, std::string>>();
    }
    auto row = connection.query_one("SELECT password_hash FROM users WHERE id = ?", {**id});
    if (!row) {
      return internal("reading a password hash", row.error());
    }
    auto hash = row->text(0);
    if (!hash) {
      return internal("reading a password hash", hash.error());
    }
    return std::optional<std::pair<std::string, std::string>>(std::pair(**id, std::move(*hash)));
  });
  if (!found) {
    return std::unexpected(found.error());
  }
  bool ok = false;
  if (*found) {
    ok = services.hasher.verify((*found)->second, password);
  } else {
    const bool decoy = services.hasher.verify(decoy_hash(services.hasher), password);
    static_cast<void>(decoy);
  }
  if (!ok) {
    auto counted = run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainStatus {
      if (auto s = count_failure(tx, address_key, now, services.throttle.max_address_failures,
                                 services.throttle);
          !s) {
        return s;
      }
      if (auto s = count_failure(tx, account_key, now, services.throttle.max_account_failures,
                                 services.throttle);
          !s) {
        return s;
      }
      const AuditEvent event{.enterprise_id = std::nullopt,
                             .actor = *found ? "user:" + (*found)->first : "anonymous",
                             .action = "session.login_failed",
                             .object_type = "user",
                             .object_id = *found ? (*found)->first : "",
                             .client_address = origin.client_address};
      if (auto audited = record_audit(tx, event, services.clock()); !audited) {
        return internal("auditing a failed log-in", audited.error());
      }
      return {};
    });
    if (!counted) {
      return std::unexpected(counted.error());
    }
    return wrong_credentials();
  }

  const std::string& user_id = (*found)->first;
  auto token = new_secret_token();
  auto csrf = new_secret_token();
  if (!token) {
    return std::unexpected(token.error());
  }
  if (!csrf) {
    return std::unexpected(csrf.error());
  }
  std::optional<std::string> rehashed;
  if (services.hasher.needs_rehash((*found)->second)) {
    auto fresh = services.hasher.hash(password);
    if (fresh) {
      rehashed = std::move(*fresh);
    }
  }
  const auto expires = services.clock() + services.session_lifetime;
  return run_in_transaction(services.database,
                        [&](store::Transaction& tx) -> DomainResult<SessionGrant> {
    if (auto cleared = clear_throttle(tx, account_key); !cleared) {
      return std::unexpected(cleared.error());
    }
    if (rehashed) {
      auto updated = tx.execute("UPDATE users SET password_hash = ? WHERE id = ?",
                                {*rehashed, user_id});
      if (!updated) {
        return internal("storing a fresh password hash", updated.error());
      }
    }
    auto inserted = tx.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_hash, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {token_digest(*token), user_id, token_digest(*csrf), now, unix_seconds(expires)});
    if (!inserted) {
      return internal("opening a session", inserted.error());
    }
    const AuditEvent event{.enterprise_id = std::nullopt,
                           .actor = "user:" + user_id,
                           .action = "session.login",
                           .object_type = "user",
                           .object_id = user_id,
                           .client_address = origin.client_address};
    if (auto audited = record_audit(tx, event, services.clock()); !audited) {
      return internal("auditing a log-in", audited.error());
    }
    auto user = load_user(services, tx, user_id);
    if (!user) {
      return std::unexpected(user.error());
    }
    return SessionGrant{*token, *csrf, expires, std::move(*user)};
  });
}

}  // namespace

DomainResult<AuthenticatedSession> authenticate_session(const Services& services,
                                                        std::string_view token) {
  if (token.empty() || token.size() > 2 * kTokenBytes) {
    return refuse(DomainErrorCode::kUnauthenticated, "no valid session");
  }
  return with_connection(services.database,
                         [&](store::Connection& connection) -> DomainResult<AuthenticatedSession> {
    auto row = connection.query_optional(
        "SELECT user_id, csrf_hash, expires_at, revoked_at FROM sessions WHERE token_hash = ?",
        {token_digest(token)});
    if (!row) {
      return internal("reading a session", row.error());
    }
    if (!*row || !(*row)->is_null(3)) {
      return refuse(DomainErrorCode::kUnauthenticated, "no valid session");
    }
    auto user_id = (*row)->text(0);
    auto csrf_hash = (*row)->text(1);
    auto expires_at = (*row)->int64(2);
    if (!user_id || !csrf_hash || !expires_at) {
      return refuse(DomainErrorCode::kInternal, "unreadable session row");
    }
    if (*expires_at <= unix_seconds(services.clock())) {
      return refuse(DomainErrorCode::kExpired, "the session has expired; log in again");
    }
    Actor actor;
    actor.kind = ActorKind::kUser;
    actor.id = std::move(*user_id);
    return AuthenticatedSession{std::move(actor), std::move(*csrf_hash)};
  });
}

bool csrf_matches(const AuthenticatedSession& session, std::string_view presented) {
  if (presented.empty() || presented.size() > 2 * kTokenBytes) {
    return false;
  }
  return crypto::constant_time_equal(as_bytes(token_digest(presented)),
                                     as_bytes(session.csrf_hash));
}

DomainStatus log_out(const Services& services, std::string_view token, const Origin& origin) {
  auto session = authenticate_session(services, token);
  if (!session) {
    return {};
  }
  return run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainStatus {
    auto revoked = tx.execute(
        "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
        {unix_seconds(services.clock()), token_digest(token)});
    if (!revoked) {
      return internal("revoking a session", revoked.error());
    }
    const AuditEvent event{.enterprise_id = std::nullopt,
                           .actor = session->actor.label(),
                           .action = "session.logout",
                           .object_type = "user",
                           .object_id = session->actor.id,
                           .client_address = origin.client_address};
    if (auto audited = record_audit(tx, event, services.clock()); !audited) {
      return internal("auditing a log-out", audited.error());
    }
    return {};
  });
}

DomainResult<std::pair<UserView, std::vector<Membership>>> get_me(const Services& services,
                                                                  const Actor& actor) {
  if (actor.kind != ActorKind::kUser) {
    return refuse(DomainErrorCode::kNotFound, "an API app has no user account");
  }
  return with_connection(
      services.database,
      [&](store::Connection& connection)
          -> DomainResult<std::pair<UserView, std::vector<Membership>>> {
        auto user = load_user(services, connection, actor.id);
        if (!user) {
          return std::unexpected(user.error());
        }
        auto rows = connection.query(
            "SELECT m.enterprise_id, e.name, m.role FROM members m "
            "JOIN enterprises e ON e.id = m.enterprise_id WHERE m.user_id = ? "
            "ORDER BY m.enterprise_id",
            {actor.id});
        if (!rows) {
          return internal("reading memberships", rows.error());
        }
        std::vector<Membership> memberships;
        for (const store::Row& row : *rows) {
          auto id = row.text(0);
          auto name = row.text(1);
          auto role = row.text(2);
          if (!id || !name || !role || !parse_role(*role)) {
            return refuse(DomainErrorCode::kInternal, "unreadable membership row");
          }
          memberships.push_back({std::move(*id), std::move(*name), *parse_role(*role)});
        }
        return std::pair(std::move(*user), std::move(memberships));
      });
}

}  // namespace pactum::domain
