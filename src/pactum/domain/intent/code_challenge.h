#pragma once

// One-time codes sent by SMS or e-mail (signing intent, sign-up, changing a signing password):
// 6 digits from the CSPRNG, valid 5 minutes, single use, bound to a purpose and a binding string;
// 5 wrong tries lock the challenge; a new code for the same binding and channel at most every
// 60 s and at most 10 codes an hour to one recipient. The code is stored only as a keyed digest
// (the PiiCipher's blind index of challenge id and code, under a key derived from the master
// key), so a copy of the database alone cannot test the million candidates; it is never logged
// and never in an audit entry. These functions run inside the caller's transaction.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/messaging/senders.h"
#include "pactum/domain/pii_cipher.h"
#include "pactum/store/database.h"

namespace pactum::domain::intent {

// CodePolicy is the rules above; the defaults are the product's.
struct CodePolicy {
  std::chrono::seconds lifetime{5 * 60};
  std::uint32_t max_failures = 5;
  std::chrono::seconds resend_interval{60};
  std::uint32_t max_per_recipient_per_hour = 10;
};

// kCodeDigits is the length of every code.
inline constexpr std::size_t kCodeDigits = 6;

// CodePurpose says what a code is for; a code of one purpose never passes for another.
enum class CodePurpose : std::uint8_t { kIntent, kSignUp, kPasswordChange };

// code_purpose_name returns "intent", "sign_up" or "password_change".
std::string_view code_purpose_name(CodePurpose purpose);

// ChallengeKey names the one live challenge a code can answer: purpose, binding (an
// IntentBinding's value, a sign-up's login index, ...) and channel.
struct ChallengeKey {
  CodePurpose purpose = CodePurpose::kIntent;
  std::string binding;
  messaging::Channel channel = messaging::Channel::kSms;
};

// IssuedCode is a fresh challenge. code exists only in memory, to be sent.
struct IssuedCode {
  std::string challenge_id;
  std::string code;
  std::chrono::system_clock::time_point expires_at;
  std::chrono::system_clock::time_point resend_after;
};

// generate_code returns kCodeDigits decimal digits, uniformly distributed, from
// crypto::fill_random; kInternal if the generator fails.
DomainResult<std::string> generate_code();

// issue_code starts a challenge for key, to be sent to recipient (normalised phone number or
// e-mail address), at now: kRateLimited when the last code for key is younger than the resend
// interval, or the recipient had max_per_recipient_per_hour codes in the last hour (the
// message says when to retry); kInternal for storage or RNG failures. A live earlier challenge
// of key is superseded (its code stops working).
DomainResult<IssuedCode> issue_code(store::Executor& executor, const PiiCipher& pii,
                                    const CodePolicy& policy, const ChallengeKey& key,
                                    std::string_view recipient,
                                    std::chrono::system_clock::time_point now);

// mark_undelivered ends a challenge whose message no provider took (it can never be answered).
DomainStatus mark_undelivered(store::Executor& executor, std::string_view challenge_id);

// CodeOutcome is what checking a submitted code found.
enum class CodeOutcome : std::uint8_t {
  kAccepted,  // the live code of key
  kWrong,     // another code (counted; the challenge locks at max_failures)
  kLocked,    // too many wrong codes: a new code is needed
  kNoCode,    // no code was sent for key, or it was superseded or undeliverable
  kUsed,      // the code was already used
  kExpired,   // the code's 5 minutes are over
};

// CodeCheck is a check's outcome, the challenge it concerned (empty for kNoCode) and, for
// kWrong, how many tries remain before the lock.
struct CodeCheck {
  CodeOutcome outcome = CodeOutcome::kNoCode;
  std::string challenge_id;
  std::uint32_t tries_left = 0;
};

// check_code compares submitted with the newest challenge of key at now, in constant time. A
// wrong code (anything but the code, malformed input included) counts a failure and, at
// max_failures, locks the challenge; the count is written through executor, so the caller must
// commit even when it refuses. Nothing is consumed: call consume_code once everything the
// caller needs has passed. kInternal for storage failures only.
DomainResult<CodeCheck> check_code(store::Executor& executor, const PiiCipher& pii,
                                   const CodePolicy& policy, const ChallengeKey& key,
                                   std::string_view submitted,
                                   std::chrono::system_clock::time_point now);

// consume_code marks an accepted challenge used, so its code never passes again.
DomainStatus consume_code(store::Executor& executor, std::string_view challenge_id,
                          std::chrono::system_clock::time_point now);

// code_refusal turns a check that did not pass into the domain error the caller returns, its
// message starting with `what` (the method or field: "sms_code", "code"): kUnauthenticated for
// a wrong code (with the tries left), kLocked for a locked challenge, kExpired for an expired or
// used code and also when no code was sent (so a code of another binding reads like an expired
// one and tells nothing about other signings).
DomainError code_refusal(std::string_view what, const CodeCheck& check);

}  // namespace pactum::domain::intent
