#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pactum::domain::intent {

// IntentMethod is one way a signer confirms intent (意愿确认); a party's settings require a
// combination, every one of which must pass.
enum class IntentMethod : std::uint8_t { kSmsCode, kEmailCode, kPassword, kFace };

// intent_method_name returns the API's name: "sms_code", "email_code", "password" or "face".
constexpr std::string_view intent_method_name(IntentMethod method) {
  switch (method) {
    case IntentMethod::kSmsCode:
      return "sms_code";
    case IntentMethod::kEmailCode:
      return "email_code";
    case IntentMethod::kPassword:
      return "password";
    case IntentMethod::kFace:
      return "face";
  }
  return "sms_code";
}

// parse_intent_method is the inverse of intent_method_name; nullopt for anything else.
constexpr std::optional<IntentMethod> parse_intent_method(std::string_view name) {
  for (const IntentMethod method : {IntentMethod::kSmsCode, IntentMethod::kEmailCode,
                                    IntentMethod::kPassword, IntentMethod::kFace}) {
    if (intent_method_name(method) == name) {
      return method;
    }
  }
  return std::nullopt;
}

}  // namespace pactum::domain::intent
