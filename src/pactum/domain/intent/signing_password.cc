#include "pactum/domain/intent/signing_password.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "pactum/domain/clock.h"
#include "pactum/domain/intent/intent_templates.h"
#include "pactum/domain/login_identifier.h"
#include "pactum/domain/transaction.h"

namespace pactum::domain::intent {
namespace {

constexpr std::string_view kHolderField = "intent.password_holder";

struct Holder {
  LoginIdentifier login;
  std::vector<std::string> indexes;  // current key's first
};

DomainResult<Holder> find_holder(const Services& services, std::string_view holder) {
  auto login = normalise_login(holder);
  if (!login) {
    return refuse(DomainErrorCode::kInvalidInput, "holder: not a phone number or e-mail address");
  }
  auto indexes = services.pii.blind_index_candidates(kHolderField, login->value);
  if (!indexes || indexes->empty()) {
    return refuse(DomainErrorCode::kInternal, "indexing a signing password's holder");
  }
  return Holder{std::move(*login), std::move(*indexes)};
}

struct StoredPassword {
  std::string holder_index;
  std::string hash;
  std::int64_t failures = 0;
  std::int64_t locked_until = 0;
};

DomainResult<std::optional<StoredPassword>> load_password(store::Executor& executor,
                                                          const Holder& holder) {
  for (const std::string& index : holder.indexes) {
    auto row = executor.query_optional(
        "SELECT password_hash, failures, locked_until FROM signing_passwords WHERE "
        "holder_index = ?",
        {index});
    if (!row) {
      return internal("reading a signing password", row.error());
    }
    if (*row) {
      return StoredPassword{index, (*row)->text(0).value_or(""), (*row)->int64(1).value_or(0),
                            (*row)->int64(2).value_or(0)};
    }
  }
  return std::optional<StoredPassword>();
}

DomainStatus check_signing_password_policy(std::string_view password) {
  if (password.size() < kMinSigningPasswordLength || password.size() > kMaxSigningPasswordLength) {
    return refuse(DomainErrorCode::kInvalidInput,
                  fmt::format("password: a signing password has {} to {} characters",
                              kMinSigningPasswordLength, kMaxSigningPasswordLength));
  }
  return {};
}

ChallengeKey change_key(const Holder& holder) {
  return {CodePurpose::kPasswordChange, holder.indexes.front(),
          holder.login.kind == LoginKind::kPhone ? messaging::Channel::kSms
                                                 : messaging::Channel::kEmail};
}

}  // namespace

DomainResult<SigningPasswordState> signing_password_state(const Services& services,
                                                          std::string_view holder) {
  auto found = find_holder(services, holder);
  if (!found) {
    return std::unexpected(found.error());
  }
  return with_connection(
      services.database, [&](store::Connection& connection) -> DomainResult<SigningPasswordState> {
        auto stored = load_password(connection, *found);
        if (!stored) {
          return std::unexpected(stored.error());
        }
        SigningPasswordState state;
        state.set = stored->has_value();
        if (*stored && (*stored)->locked_until > unix_seconds(services.clock())) {
          state.locked_until = from_unix_seconds((*stored)->locked_until);
        }
        return state;
      });
}

DomainStatus set_signing_password(const Services& services, std::string_view holder,
                                  std::string_view password, const IntentAudit& audit) {
  auto found = find_holder(services, holder);
  if (!found) {
    return std::unexpected(found.error());
  }
  if (auto ok = check_signing_password_policy(password); !ok) {
    return ok;
  }
  auto hash = services.hasher.hash(password);
  if (!hash) {
    return std::unexpected(hash.error());
  }
  const auto now = services.clock();
  return run_in_transaction(
      services.database, [&](store::Transaction& transaction) -> DomainStatus {
        auto stored = load_password(transaction, *found);
        if (!stored) {
          return std::unexpected(stored.error());
        }
        if (*stored) {
          return refuse(DomainErrorCode::kConflict,
                        "password: a signing password is already set; change it with a code");
        }
        if (auto inserted = transaction.execute(
                "INSERT INTO signing_passwords (holder_index, password_hash, failures, "
                "locked_until, updated_at) VALUES (?, ?, 0, 0, ?)",
                {found->indexes.front(), *hash, unix_seconds(now)});
            !inserted) {
          if (inserted.error().code == ErrorCode::kConflict) {
            return refuse(DomainErrorCode::kConflict,
                          "password: a signing password is already set; change it with a code");
          }
          return internal("storing a signing password", inserted.error());
        }
        return audit_intent(transaction, audit, "signing_password.set", "signing_password",
                            found->indexes.front().substr(0, 16), "{}", now);
      });
}

DomainResult<CodeSent> start_signing_password_change(const Services& services,
                                                     std::string_view holder,
                                                     messaging::Language language,
                                                     const IntentAudit& audit) {
  auto found = find_holder(services, holder);
  if (!found) {
    return std::unexpected(found.error());
  }
  auto stored = with_connection(services.database, [&](store::Connection& connection) {
    return load_password(connection, *found);
  });
  if (!stored) {
    return std::unexpected(stored.error());
  }
  if (!*stored) {
    return refuse(DomainErrorCode::kNotFound, "password: no signing password is set");
  }
  const CodeMessage message{&kPasswordChangeCodeTemplate, language, {}};
  return send_code(services, CodePolicy{}, change_key(*found), found->login.value, message, audit,
                   "signing_password.change.start");
}

DomainStatus change_signing_password(const Services& services, std::string_view holder,
                                     std::string_view code, std::string_view new_password,
                                     const IntentAudit& audit) {
  auto found = find_holder(services, holder);
  if (!found) {
    return std::unexpected(found.error());
  }
  if (auto ok = check_signing_password_policy(new_password); !ok) {
    return ok;
  }
  auto hash = services.hasher.hash(new_password);
  if (!hash) {
    return std::unexpected(hash.error());
  }
  const auto now = services.clock();
  const ChallengeKey key = change_key(*found);
  // A wrong code is counted and committed; the refusal is returned after the commit.
  auto refusal = run_in_transaction(
      services.database,
      [&](store::Transaction& transaction) -> DomainResult<std::optional<DomainError>> {
        auto stored = load_password(transaction, *found);
        if (!stored) {
          return std::unexpected(stored.error());
        }
        if (!*stored) {
          return refuse(DomainErrorCode::kNotFound, "password: no signing password is set");
        }
        auto check = check_code(transaction, services.pii, CodePolicy{}, key, code, now);
        if (!check) {
          return std::unexpected(check.error());
        }
        const std::string object = (*stored)->holder_index.substr(0, 16);
        if (check->outcome != CodeOutcome::kAccepted) {
          if (auto audited = audit_intent(transaction, audit, "signing_password.change.failed",
                                          "signing_password", object, "{}", now);
              !audited) {
            return std::unexpected(audited.error());
          }
          return std::optional<DomainError>(code_refusal("code", *check));
        }
        if (auto used = consume_code(transaction, check->challenge_id, now); !used) {
          return std::unexpected(used.error());
        }
        if (auto updated = transaction.execute(
                "UPDATE signing_passwords SET password_hash = ?, failures = 0, locked_until = 0, "
                "updated_at = ? WHERE holder_index = ?",
                {*hash, unix_seconds(now), (*stored)->holder_index});
            !updated) {
          return internal("changing a signing password", updated.error());
        }
        if (auto audited = audit_intent(transaction, audit, "signing_password.change",
                                        "signing_password", object, "{}", now);
            !audited) {
          return std::unexpected(audited.error());
        }
        return std::optional<DomainError>();
      });
  if (!refusal) {
    return std::unexpected(refusal.error());
  }
  if (*refusal) {
    return std::unexpected(std::move(**refusal));
  }
  return {};
}

DomainResult<PreparedPasswordCheck> prepare_password_check(const Services& services,
                                                           std::string_view holder,
                                                           std::string_view password) {
  auto found = find_holder(services, holder);
  if (!found) {
    return std::unexpected(found.error());
  }
  auto stored = with_connection(services.database, [&](store::Connection& connection) {
    return load_password(connection, *found);
  });
  if (!stored) {
    return std::unexpected(stored.error());
  }
  if (!*stored) {
    return PreparedPasswordCheck{};
  }
  const bool matches = password.size() <= kMaxSigningPasswordLength &&
                       services.hasher.verify((*stored)->hash, password);
  return PreparedPasswordCheck{(*stored)->holder_index, matches};
}

DomainResult<PasswordCheck> apply_password_check(store::Executor& executor,
                                                 const SigningPasswordPolicy& policy,
                                                 const PreparedPasswordCheck& prepared,
                                                 std::chrono::system_clock::time_point now) {
  if (prepared.holder_index.empty()) {
    return PasswordCheck{PasswordOutcome::kNotSet, 0, {}};
  }
  auto row = executor.query_optional(
      "SELECT failures, locked_until FROM signing_passwords WHERE holder_index = ?",
      {prepared.holder_index});
  if (!row) {
    return internal("reading a signing password", row.error());
  }
  if (!*row) {
    return PasswordCheck{PasswordOutcome::kNotSet, 0, {}};
  }
  const std::int64_t at = unix_seconds(now);
  const std::int64_t failures = (*row)->int64(0).value_or(0);
  const std::int64_t locked_until = (*row)->int64(1).value_or(0);
  if (locked_until > at) {
    return PasswordCheck{PasswordOutcome::kLocked, 0, from_unix_seconds(locked_until)};
  }
  if (prepared.matches) {
    if (failures != 0) {
      if (auto cleared =
              executor.execute("UPDATE signing_passwords SET failures = 0 WHERE holder_index = ?",
                               {prepared.holder_index});
          !cleared) {
        return internal("clearing password failures", cleared.error());
      }
    }
    return PasswordCheck{PasswordOutcome::kAccepted, 0, {}};
  }
  const std::int64_t counted = failures + 1;
  const bool lock = counted >= policy.max_failures;
  const std::int64_t until = lock ? at + policy.lockout.count() : 0;
  if (auto updated = executor.execute(
          "UPDATE signing_passwords SET failures = ?, locked_until = ? WHERE holder_index = ?",
          {lock ? std::int64_t{0} : counted, until, prepared.holder_index});
      !updated) {
    return internal("counting a wrong password", updated.error());
  }
  if (lock) {
    return PasswordCheck{PasswordOutcome::kLocked, 0, from_unix_seconds(until)};
  }
  return PasswordCheck{
      PasswordOutcome::kWrong, static_cast<std::uint32_t>(policy.max_failures - counted), {}};
}

DomainError password_refusal(const PasswordCheck& check) {
  switch (check.outcome) {
    case PasswordOutcome::kWrong:
      return {DomainErrorCode::kUnauthenticated,
              fmt::format("password: the signing password is wrong ({} {} left)", check.tries_left,
                          check.tries_left == 1 ? "try" : "tries")};
    case PasswordOutcome::kLocked:
      return {DomainErrorCode::kLocked,
              fmt::format("password: locked after too many wrong tries until {:%Y-%m-%dT%H:%M:%SZ}",
                          std::chrono::floor<std::chrono::seconds>(check.locked_until))};
    case PasswordOutcome::kNotSet:
    case PasswordOutcome::kAccepted:
      break;
  }
  return {DomainErrorCode::kConflict, "password: no signing password is set yet; set one first"};
}

}  // namespace pactum::domain::intent
