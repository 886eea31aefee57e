#pragma once

#include "pactum/base/bytes.h"

namespace pactum::crypto {

// kHmacSha256Size is the length of an HMAC-SHA256 tag in bytes.
inline constexpr std::size_t kHmacSha256Size = 32;

// hmac_sha256 returns HMAC-SHA256(key, message) (RFC 2104). Any key length is accepted. Throws
// std::runtime_error only if OpenSSL itself fails, which valid input cannot cause.
Bytes hmac_sha256(ByteView key, ByteView message);

// constant_time_equal compares two byte strings in time that depends only on their lengths, so
// comparing a presented secret or tag with the expected one leaks nothing about where they
// differ. Strings of different lengths are unequal.
bool constant_time_equal(ByteView a, ByteView b);

}  // namespace pactum::crypto
