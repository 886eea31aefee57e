#include "pactum/domain/intent/intent_check.h"

#include <nlohmann/json.hpp>

#include "pactum/domain/intent/code_challenge.h"
#include "pactum/domain/intent/intent_templates.h"
#include "pactum/domain/transaction.h"

namespace pactum::domain::intent {
namespace {

nlohmann::json binding_detail(const IntentBinding& binding) {
  return {{"contract", binding.contract_id},
          {"party", binding.party_key},
          {"signing", binding.signing_id}};
}

messaging::Channel channel_of(IntentMethod method) {
  return method == IntentMethod::kSmsCode ? messaging::Channel::kSms : messaging::Channel::kEmail;
}

const std::optional<std::string>& submitted(const IntentSubmission& submission,
                                            IntentMethod method) {
  switch (method) {
    case IntentMethod::kSmsCode:
      return submission.sms_code;
    case IntentMethod::kEmailCode:
      return submission.email_code;
    case IntentMethod::kPassword:
      return submission.password;
    case IntentMethod::kFace:
      return submission.face;
  }
  return submission.face;
}

// Verdict is what the checking transaction decided: nothing (all passed) or the refusal.
using Verdict = std::optional<DomainError>;

}  // namespace

DomainResult<CodeSent> start_intent_challenge(const Services& services, const CodeRequest& request,
                                              const IntentAudit& audit) {
  if (request.method != IntentMethod::kSmsCode && request.method != IntentMethod::kEmailCode) {
    return refuse(DomainErrorCode::kInvalidInput,
                  std::string(intent_method_name(request.method)) + ": sends no code");
  }
  const messaging::Channel channel = channel_of(request.method);
  auto to = normalise_recipient(channel, request.to);
  if (!to) {
    return std::unexpected(to.error());
  }
  nlohmann::json detail = binding_detail(request.binding);
  detail["method"] = intent_method_name(request.method);
  const CodeMessage message{&kIntentCodeTemplate,
                            request.language,
                            {{"title", request.contract_title}, {"link", request.link}}};
  auto sent =
      send_code(services, CodePolicy{}, {CodePurpose::kIntent, request.binding.value(), channel},
                *to, message, audit, "intent.code.start", detail.dump());
  if (!sent) {
    DomainError error = sent.error();
    error.message = std::string(intent_method_name(request.method)) + ": " + error.message;
    return std::unexpected(std::move(error));
  }
  return sent;
}

DomainResult<IntentProof> IntentVerifier::verify(const Services& services,
                                                 const IntentRequirement& requirement,
                                                 const IntentSubmission& submission,
                                                 const IntentAudit& audit) {
  if (requirement.methods.empty()) {
    return refuse(DomainErrorCode::kInvalidInput, "intent: no method is required");
  }
  for (const IntentMethod method : requirement.methods) {
    const auto& value = submitted(submission, method);
    if (!value || value->empty()) {
      return refuse(DomainErrorCode::kInvalidInput,
                    std::string(intent_method_name(method)) + ": required");
    }
    if (method == IntentMethod::kFace) {
      return refuse(DomainErrorCode::kUnavailable,
                    "face: this node has no face provider configured");
    }
  }
  // The password's Argon2id verification is slow: done before the write transaction.
  std::optional<PreparedPasswordCheck> password;
  for (const IntentMethod method : requirement.methods) {
    if (method == IntentMethod::kPassword) {
      auto prepared =
          prepare_password_check(services, requirement.password_holder, *submission.password);
      if (!prepared) {
        return std::unexpected(prepared.error());
      }
      password = std::move(*prepared);
    }
  }

  const auto now = services.clock();
  auto verdict = run_in_transaction(
      services.database, [&](store::Transaction& transaction) -> DomainResult<Verdict> {
        Verdict refusal;
        std::optional<IntentMethod> failed;
        std::vector<std::string> accepted_challenges;
        for (const IntentMethod method : requirement.methods) {
          Verdict this_one;
          if (method == IntentMethod::kPassword) {
            auto check = apply_password_check(transaction, SigningPasswordPolicy{}, *password, now);
            if (!check) {
              return std::unexpected(check.error());
            }
            if (check->outcome != PasswordOutcome::kAccepted) {
              this_one = password_refusal(*check);
            }
          } else {
            const std::string name(intent_method_name(method));
            auto check =
                check_code(transaction, services.pii, CodePolicy{},
                           {CodePurpose::kIntent, requirement.binding.value(), channel_of(method)},
                           *submitted(submission, method), now);
            if (!check) {
              return std::unexpected(check.error());
            }
            if (check->outcome == CodeOutcome::kAccepted) {
              accepted_challenges.push_back(check->challenge_id);
            } else {
              this_one = code_refusal(name, *check);
            }
          }
          if (this_one && !refusal) {
            refusal = std::move(this_one);
            failed = method;
          }
        }
        if (!refusal) {
          for (const std::string& challenge : accepted_challenges) {
            if (auto used = consume_code(transaction, challenge, now); !used) {
              return std::unexpected(used.error());
            }
          }
        }
        nlohmann::json detail = binding_detail(requirement.binding);
        nlohmann::json methods = nlohmann::json::array();
        for (const IntentMethod method : requirement.methods) {
          methods.push_back(intent_method_name(method));
        }
        detail["methods"] = methods;
        detail["result"] = refusal ? "refused" : "confirmed";
        if (failed) {
          detail["failed"] = intent_method_name(*failed);
          detail["reason"] = domain_error_code_name(refusal->code);
        }
        if (auto audited = audit_intent(transaction, audit, "intent.verify", "signing",
                                        requirement.binding.signing_id, detail.dump(), now);
            !audited) {
          return std::unexpected(audited.error());
        }
        return refusal;
      });
  if (!verdict) {
    return std::unexpected(verdict.error());
  }
  if (*verdict) {
    return std::unexpected(std::move(**verdict));
  }
  return IntentProof(requirement.binding, requirement.methods, now);
}

}  // namespace pactum::domain::intent
