#pragma once

// The signing password (签署密码, like a payment PIN): a person's own secret, asked at signing
// when the sender requires it. Set by the person on first use, hashed with Argon2id (the
// domain's PasswordHasher), changeable only with a fresh code sent to the person's phone (or
// e-mail address), and locked for 15 minutes after 5 wrong tries. The holder is the person's
// phone number or e-mail address (normalised), stored only as a blind index.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/intent/code_sender.h"
#include "pactum/domain/intent/intent_audit.h"
#include "pactum/domain/messaging/templates.h"
#include "pactum/domain/services.h"

namespace pactum::domain::intent {

// SigningPasswordPolicy: wrong tries before the lock, and how long it lasts.
struct SigningPasswordPolicy {
  std::uint32_t max_failures = 5;
  std::chrono::seconds lockout{15 * 60};
};

// kMinSigningPasswordLength / kMaxSigningPasswordLength bound what a person may choose (bytes):
// at least a 6-digit PIN.
inline constexpr std::size_t kMinSigningPasswordLength = 6;
inline constexpr std::size_t kMaxSigningPasswordLength = 128;

// SigningPasswordState is what the holder's own page shows.
struct SigningPasswordState {
  bool set = false;
  std::chrono::system_clock::time_point locked_until;  // epoch when not locked
};

// signing_password_state reads the holder's state (holder as typed: normalised here);
// kInvalidInput for a holder that is not a phone number or e-mail address.
DomainResult<SigningPasswordState> signing_password_state(const Services& services,
                                                          std::string_view holder);

// set_signing_password sets the holder's first signing password: kConflict if one is set
// (change it instead), kInvalidInput for a password outside the length bounds or a bad holder.
// The caller has authenticated the person (a session, or a code of the same signing). Audited
// as "signing_password.set".
DomainStatus set_signing_password(const Services& services, std::string_view holder,
                                  std::string_view password, const IntentAudit& audit);

// start_signing_password_change sends a code to the holder (SMS for a phone number, e-mail for
// an address) that change_signing_password takes. kNotFound if no password is set; send_code's
// refusals otherwise. Audited as "signing_password.change.start".
DomainResult<CodeSent> start_signing_password_change(const Services& services,
                                                     std::string_view holder,
                                                     messaging::Language language,
                                                     const IntentAudit& audit);

// change_signing_password replaces the password if code is the live code of the holder's last
// start_signing_password_change (the code's refusals: kUnauthenticated wrong, kLocked, kExpired;
// message prefix "code"), kInvalidInput for a bad new password (checked first, nothing
// counted), kNotFound if none is set. It also lifts a lock-out. Audited as
// "signing_password.change" (and a wrong code as "signing_password.change.failed").
DomainStatus change_signing_password(const Services& services, std::string_view holder,
                                     std::string_view code, std::string_view new_password,
                                     const IntentAudit& audit);

// PasswordOutcome is what checking a signing password found.
enum class PasswordOutcome : std::uint8_t { kAccepted, kWrong, kLocked, kNotSet };

// PasswordCheck is a check's outcome; tries_left for kWrong, locked_until for kLocked.
struct PasswordCheck {
  PasswordOutcome outcome = PasswordOutcome::kNotSet;
  std::uint32_t tries_left = 0;
  std::chrono::system_clock::time_point locked_until;
};

// PreparedPasswordCheck is the slow half of a check (the Argon2id verification), done before
// the caller's transaction so the write lock is not held for it.
struct PreparedPasswordCheck {
  std::string holder_index;  // empty when no password is set
  bool matches = false;
};

// prepare_password_check loads the holder's hash and verifies password against it (outside any
// transaction). kInvalidInput for a bad holder; kInternal for storage failures.
DomainResult<PreparedPasswordCheck> prepare_password_check(const Services& services,
                                                           std::string_view holder,
                                                           std::string_view password);

// apply_password_check records the prepared check through executor (the caller's transaction)
// at now: a lock in force wins (kLocked, even for the right password); a wrong password counts
// and locks at max_failures; a right one clears the count. The caller must commit even when it
// refuses.
DomainResult<PasswordCheck> apply_password_check(store::Executor& executor,
                                                 const SigningPasswordPolicy& policy,
                                                 const PreparedPasswordCheck& prepared,
                                                 std::chrono::system_clock::time_point now);

// password_refusal turns a check that did not pass into the error the caller returns, its
// message starting with "password": kUnauthenticated (wrong, tries left), kLocked (until when),
// kConflict (no signing password is set yet: set one first).
DomainError password_refusal(const PasswordCheck& check);

}  // namespace pactum::domain::intent
