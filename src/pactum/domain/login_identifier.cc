#include "pactum/domain/login_identifier.h"

#include <algorithm>

namespace pactum::domain {
namespace {

constexpr std::size_t kMaxEmailLength = 254;

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

bool is_email_char(char c) {
  return (c >= 'a' && c <= 'z') || is_ascii_digit(c) || c == '.' || c == '-' || c == '_' ||
         c == '+' || c == '@' || c == '\'';
}

DomainResult<LoginIdentifier> normalise_email(std::string_view text) {
  std::string value(text);
  std::ranges::transform(value, value.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const auto at = value.find('@');
  const bool one_at = at != std::string::npos && value.find('@', at + 1) == std::string::npos;
  const std::string_view domain = one_at ? std::string_view(value).substr(at + 1) : "";
  const auto dot = domain.find('.');
  if (value.size() > kMaxEmailLength || !one_at || at == 0 || dot == std::string_view::npos ||
      dot == 0 || domain.ends_with('.') || !std::ranges::all_of(value, is_email_char)) {
    return refuse(DomainErrorCode::kInvalidInput, "not a valid e-mail address");
  }
  return LoginIdentifier{LoginKind::kEmail, std::move(value)};
}

DomainResult<LoginIdentifier> normalise_phone(std::string_view text) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && i == 0) {
      plus = true;
    } else if (is_ascii_digit(c)) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return refuse(DomainErrorCode::kInvalidInput, "not a valid phone number");
    }
  }
  if (!plus && digits.size() == 11 && digits[0] == '1') {
    digits.insert(0, "86");
  } else if (!plus) {
    return refuse(DomainErrorCode::kInvalidInput,
                  "a phone number needs its country code (+CC...), or 11 digits for China");
  }
  if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') {
    return refuse(DomainErrorCode::kInvalidInput, "not a valid phone number");
  }
  return LoginIdentifier{LoginKind::kPhone, "+" + digits};
}

}  // namespace

DomainResult<LoginIdentifier> normalise_login(std::string_view text) {
  const std::string_view trimmed = trim(text);
  if (trimmed.empty()) {
    return refuse(DomainErrorCode::kInvalidInput, "an e-mail address or phone number is required");
  }
  if (trimmed.find('@') != std::string_view::npos) {
    return normalise_email(trimmed);
  }
  return normalise_phone(trimmed);
}

}  // namespace pactum::domain
