#pragma once

#include <cstddef>
#include <span>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::crypto {

// random_bytes returns n bytes from OpenSSL's CSPRNG (keys, nonces, ids); kCrypto if the
// generator fails (not seeded), which callers must treat as fatal for the operation.
Result<Bytes> random_bytes(std::size_t n);

// fill_random fills out from OpenSSL's CSPRNG; kCrypto on failure.
Status fill_random(std::span<std::uint8_t> out);

// cleanse overwrites secret bytes so they do not linger in freed memory (the compiler may not
// remove it as a dead store).
void cleanse(std::span<std::uint8_t> secret);

}  // namespace pactum::crypto
