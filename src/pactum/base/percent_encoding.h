#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pactum {

// percent_decode decodes %XX escapes in `text` (RFC 3986), and '+' as a space when
// `plus_is_space` (form-encoded query strings). Returns nullopt for a '%' not followed by two hex
// digits, or for a decoded NUL byte, which no path segment, query value or base64 may carry.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

}  // namespace pactum
