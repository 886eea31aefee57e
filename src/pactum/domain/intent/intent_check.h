#pragma once

// The use cases the contract flow calls to confirm a signer's intent: start a code challenge
// (send the SMS or e-mail code), then verify everything the party's settings require for one
// binding, which yields the IntentProof a hosted key signs with. Every start and every check is
// audited (never with a code, password or recipient in the entry).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/intent/code_sender.h"
#include "pactum/domain/intent/intent_audit.h"
#include "pactum/domain/intent/intent_binding.h"
#include "pactum/domain/intent/intent_method.h"
#include "pactum/domain/intent/intent_proof.h"
#include "pactum/domain/intent/signing_password.h"
#include "pactum/domain/messaging/templates.h"
#include "pactum/domain/services.h"

namespace pactum::domain::intent {

// CodeRequest is one "send me the code": for binding, by method (kSmsCode or kEmailCode) to the
// party's mobile or e-mail address as the contract records it, in language, naming the
// contract's title and carrying the signing link.
struct CodeRequest {
  IntentBinding binding;
  IntentMethod method = IntentMethod::kSmsCode;
  std::string to;
  messaging::Language language = messaging::Language::kZh;
  std::string contract_title;
  std::string link;
};

// start_intent_challenge sends a fresh code for the request's binding and method (an earlier
// live code of the same binding and method stops working). Refusals: kInvalidInput for a method
// that sends no code or a `to` that is not a phone number (sms_code) or e-mail address
// (email_code), naming "mobile"/"email"; kRateLimited (60 s between codes of one binding and
// method, 10 an hour to one recipient); kUnavailable when no provider takes the message;
// kInternal. Audited as "intent.code.start" (detail: method, contract, party, signing).
DomainResult<CodeSent> start_intent_challenge(const Services& services, const CodeRequest& request,
                                              const IntentAudit& audit);

// IntentRequirement is what one signing must confirm: every method in methods, for binding;
// password_holder is the signer's phone number or e-mail address (whose signing password
// counts) when methods include kPassword.
struct IntentRequirement {
  IntentBinding binding;
  std::vector<IntentMethod> methods;
  std::string password_holder;
};

// IntentSubmission is what the signer sent: {"sms_code","email_code","password","face"}.
struct IntentSubmission {
  std::optional<std::string> sms_code;
  std::optional<std::string> email_code;
  std::optional<std::string> password;
  std::optional<std::string> face;
};

// IntentVerifier is the one maker of IntentProof.
class IntentVerifier {
 public:
  // verify checks every required method and, only when all pass, uses up the codes and returns
  // the proof (binding, the methods, the time). Each refusal's message starts with the method
  // it concerns ("sms_code: ..."), the first in the requirement's order:
  //   kInvalidInput   no method required, or a required value missing ("<method>: required")
  //   kUnauthenticated  a wrong code or password (counted: 5 wrong codes lock that challenge, 5
  //                   wrong passwords lock the password for 15 minutes)
  //   kLocked         the challenge or the password is locked
  //   kExpired        the code expired, was used, or none was sent for this binding
  //   kConflict       password required but the holder has set none
  //   kUnavailable    face required: this node has no face provider (yet)
  //   kInternal
  // Wrong tries are committed even though the call refuses. Audited as "intent.verify" with
  // the outcome and, on refusal, the method.
  static DomainResult<IntentProof> verify(const Services& services,
                                          const IntentRequirement& requirement,
                                          const IntentSubmission& submission,
                                          const IntentAudit& audit);
};

// verify_intent is IntentVerifier::verify.
inline DomainResult<IntentProof> verify_intent(const Services& services,
                                               const IntentRequirement& requirement,
                                               const IntentSubmission& submission,
                                               const IntentAudit& audit) {
  return IntentVerifier::verify(services, requirement, submission, audit);
}

}  // namespace pactum::domain::intent
