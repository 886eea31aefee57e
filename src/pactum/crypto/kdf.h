#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::crypto {

// hkdf_sm3 derives length bytes from a master secret with HKDF (RFC 5869) over SM3, the label
// as its info: distinct labels give independent keys. kCrypto if OpenSSL fails.
Result<Bytes> hkdf_sm3(ByteView secret, std::string_view label, std::size_t length);

// hmac_sm3 returns the 32-byte HMAC-SM3 of the concatenated parts under key; kCrypto if OpenSSL
// fails.
Result<Bytes> hmac_sm3(ByteView key, std::initializer_list<ByteView> parts);

}  // namespace pactum::crypto
