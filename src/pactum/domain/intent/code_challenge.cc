#include "pactum/domain/intent/code_challenge.h"

#include <array>

#include <fmt/format.h>

#include "pactum/base/bytes.h"
#include "pactum/crypto/hmac.h"
#include "pactum/crypto/random.h"
#include "pactum/domain/clock.h"
#include "pactum/domain/secret_token.h"

namespace pactum::domain::intent {
namespace {

constexpr std::string_view kCodeField = "intent.code";
constexpr std::string_view kRecipientField = "intent.recipient";

// The largest multiple of 10^6 that fits in 32 bits: values at or above it are drawn again, so
// every code is equally likely.
constexpr std::uint32_t kUniformBound = 4'294'000'000U;
constexpr std::uint32_t kCodeSpace = 1'000'000U;

// code_digest is the stored form of a code: keyed, and bound to its challenge, so equal codes of
// two challenges differ and no table of a million digests serves for all.
Result<std::string> code_digest(const PiiCipher& pii, std::string_view challenge_id,
                                std::string_view code) {
  return pii.blind_index(kCodeField, std::string(challenge_id) + ":" + std::string(code));
}

bool is_code_shaped(std::string_view text) {
  if (text.size() != kCodeDigits) {
    return false;
  }
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

std::string binding_hash(const ChallengeKey& key) { return token_digest(key.binding); }

}  // namespace

std::string_view code_purpose_name(CodePurpose purpose) {
  switch (purpose) {
    case CodePurpose::kIntent:
      return "intent";
    case CodePurpose::kSignUp:
      return "sign_up";
    case CodePurpose::kPasswordChange:
      return "password_change";
  }
  return "intent";
}

DomainResult<std::string> generate_code() {
  for (;;) {
    std::array<std::uint8_t, 4> bytes{};
    if (auto filled = crypto::fill_random(bytes); !filled) {
      return internal("drawing a code", filled.error());
    }
    const std::uint32_t value = (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
                                (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
    if (value < kUniformBound) {
      return fmt::format("{:06}", value % kCodeSpace);
    }
  }
}

DomainResult<IssuedCode> issue_code(store::Executor& executor, const PiiCipher& pii,
                                    const CodePolicy& policy, const ChallengeKey& key,
                                    std::string_view recipient,
                                    std::chrono::system_clock::time_point now) {
  const std::int64_t at = unix_seconds(now);
  const std::string bound = binding_hash(key);
  const std::string_view purpose = code_purpose_name(key.purpose);
  const std::string_view channel = messaging::channel_name(key.channel);

  auto last = executor.query_optional(
      "SELECT MAX(created_at) FROM intent_challenges WHERE purpose = ? AND binding_hash = ? AND "
      "channel = ?",
      {purpose, bound, channel});
  if (!last) {
    return internal("reading the last code", last.error());
  }
  if (*last && !(*last)->is_null(0)) {
    const std::int64_t next = (*last)->int64(0).value_or(0) + policy.resend_interval.count();
    if (at < next) {
      return refuse(DomainErrorCode::kRateLimited,
                    fmt::format("a code was sent less than {} s ago; ask again in {} s",
                                policy.resend_interval.count(), next - at));
    }
  }

  auto indexes = pii.blind_index_candidates(kRecipientField, recipient);
  if (!indexes || indexes->empty()) {
    return refuse(DomainErrorCode::kInternal, "indexing a code's recipient");
  }
  std::int64_t sent_last_hour = 0;
  for (const std::string& index : *indexes) {
    auto counted = executor.query_one(
        "SELECT COUNT(*) FROM intent_challenges WHERE recipient_index = ? AND created_at > ?",
        {index, at - 3600});
    if (!counted) {
      return internal("counting codes sent", counted.error());
    }
    sent_last_hour += counted->int64(0).value_or(0);
  }
  if (sent_last_hour >= policy.max_per_recipient_per_hour) {
    return refuse(DomainErrorCode::kRateLimited,
                  fmt::format("{} codes were sent to this recipient in the last hour; try later",
                              policy.max_per_recipient_per_hour));
  }

  auto id = new_public_id("chl_");
  if (!id) {
    return std::unexpected(id.error());
  }
  auto code = generate_code();
  if (!code) {
    return std::unexpected(code.error());
  }
  auto digest = code_digest(pii, *id, *code);
  if (!digest) {
    return internal("digesting a code", digest.error());
  }
  if (auto superseded = executor.execute(
          "UPDATE intent_challenges SET state = 'superseded' WHERE purpose = ? AND "
          "binding_hash = ? AND channel = ? AND state = 'live'",
          {purpose, bound, channel});
      !superseded) {
    return internal("superseding the last code", superseded.error());
  }
  const std::int64_t expires = at + policy.lifetime.count();
  if (auto inserted = executor.execute(
          "INSERT INTO intent_challenges (id, purpose, binding_hash, channel, recipient_index, "
          "code_hash, created_at, expires_at, failures, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, "
          "'live')",
          {*id, purpose, bound, channel, indexes->front(), *digest, at, expires});
      !inserted) {
    return internal("storing a code", inserted.error());
  }
  return IssuedCode{std::move(*id), std::move(*code), from_unix_seconds(expires),
                    from_unix_seconds(at + policy.resend_interval.count())};
}

DomainStatus mark_undelivered(store::Executor& executor, std::string_view challenge_id) {
  if (auto updated = executor.execute(
          "UPDATE intent_challenges SET state = 'undelivered' WHERE id = ? AND state = 'live'",
          {challenge_id});
      !updated) {
    return internal("ending an undelivered code", updated.error());
  }
  return {};
}

DomainResult<CodeCheck> check_code(store::Executor& executor, const PiiCipher& pii,
                                   const CodePolicy& policy, const ChallengeKey& key,
                                   std::string_view submitted,
                                   std::chrono::system_clock::time_point now) {
  auto found = executor.query_optional(
      "SELECT id, state, expires_at, failures FROM intent_challenges WHERE purpose = ? AND "
      "binding_hash = ? AND channel = ? ORDER BY created_at DESC, "
      "CASE state WHEN 'superseded' THEN 1 ELSE 0 END LIMIT 1",
      {code_purpose_name(key.purpose), binding_hash(key), messaging::channel_name(key.channel)});
  if (!found) {
    return internal("reading a code", found.error());
  }
  if (!*found) {
    return CodeCheck{CodeOutcome::kNoCode, "", 0};
  }
  const store::Row& row = **found;
  auto id = row.text(0);
  auto state = row.text(1);
  auto expires_at = row.int64(2);
  auto failures = row.int64(3);
  if (!id || !state || !expires_at || !failures) {
    return refuse(DomainErrorCode::kInternal, "code challenge row of an unexpected shape");
  }
  CodeCheck check{CodeOutcome::kNoCode, *id, 0};
  if (*state == "used") {
    check.outcome = CodeOutcome::kUsed;
    return check;
  }
  if (*state == "locked") {
    check.outcome = CodeOutcome::kLocked;
    return check;
  }
  if (*state != "live") {
    return check;
  }
  if (unix_seconds(now) >= *expires_at) {
    check.outcome = CodeOutcome::kExpired;
    return check;
  }
  bool matches = false;
  if (is_code_shaped(submitted)) {
    auto stored = executor.query_one("SELECT code_hash FROM intent_challenges WHERE id = ?", {*id});
    if (!stored) {
      return internal("reading a code", stored.error());
    }
    const std::string stored_digest = stored->text(0).value_or("");
    auto candidates =
        pii.blind_index_candidates(kCodeField, std::string(*id) + ":" + std::string(submitted));
    if (!candidates) {
      return internal("digesting a code", candidates.error());
    }
    for (const std::string& candidate : *candidates) {
      matches =
          crypto::constant_time_equal(as_bytes(candidate), as_bytes(stored_digest)) || matches;
    }
  }
  if (matches) {
    check.outcome = CodeOutcome::kAccepted;
    return check;
  }
  const std::int64_t counted = *failures + 1;
  const bool lock = counted >= policy.max_failures;
  if (auto updated =
          executor.execute("UPDATE intent_challenges SET failures = ?, state = ? WHERE id = ?",
                           {counted, lock ? "locked" : "live", *id});
      !updated) {
    return internal("counting a wrong code", updated.error());
  }
  check.outcome = lock ? CodeOutcome::kLocked : CodeOutcome::kWrong;
  check.tries_left = lock ? 0 : static_cast<std::uint32_t>(policy.max_failures - counted);
  return check;
}

DomainStatus consume_code(store::Executor& executor, std::string_view challenge_id,
                          std::chrono::system_clock::time_point now) {
  auto updated = executor.execute(
      "UPDATE intent_challenges SET state = 'used', used_at = ? WHERE id = ? AND state = 'live'",
      {unix_seconds(now), challenge_id});
  if (!updated) {
    return internal("using a code", updated.error());
  }
  if (*updated != 1) {
    return refuse(DomainErrorCode::kConflict, "the code was used meanwhile");
  }
  return {};
}

DomainError code_refusal(std::string_view what, const CodeCheck& check) {
  const std::string name(what);
  switch (check.outcome) {
    case CodeOutcome::kWrong:
      return {DomainErrorCode::kUnauthenticated,
              fmt::format("{}: the code is wrong ({} {} left)", name, check.tries_left,
                          check.tries_left == 1 ? "try" : "tries")};
    case CodeOutcome::kLocked:
      return {DomainErrorCode::kLocked, name + ": too many wrong codes; ask for a new code"};
    case CodeOutcome::kUsed:
      return {DomainErrorCode::kExpired, name + ": the code was already used; ask for a new code"};
    case CodeOutcome::kExpired:
      return {DomainErrorCode::kExpired, name + ": the code has expired; ask for a new code"};
    case CodeOutcome::kNoCode:
    case CodeOutcome::kAccepted:
      break;
  }
  return {DomainErrorCode::kExpired, name + ": no live code; ask for a new code"};
}

}  // namespace pactum::domain::intent
