#pragma once

// Standard base64 (RFC 4648 section 4, with padding), the one encoder and strict decoder for
// DER carried in JSON and URLs.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pactum/base/bytes.h"

namespace pactum::crypto {

// base64_encode returns bytes in standard base64 with padding, no line breaks.
std::string base64_encode(ByteView bytes);

// base64_decode decodes standard base64 with padding and no whitespace; nullopt if text is empty,
// longer than max_text characters, not a multiple of four long, has a character outside the
// alphabet, or '=' anywhere but in the last two places.
std::optional<Bytes> base64_decode(std::string_view text, std::size_t max_text);

}  // namespace pactum::crypto
