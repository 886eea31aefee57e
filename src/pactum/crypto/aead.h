#pragma once

// AES-256-GCM, the one authenticated cipher for data at rest (master-key wrapping of data keys
// and key files, and document blobs). Two shapes:
//  - aead_seal/aead_open: a self-contained sealed value with a random 96-bit nonce, in the
//    versioned format  0x01 | nonce (12) | ciphertext | tag (16).  Safe for up to 2^32 seals per
//    key (random nonces).
//  - seal_chunk/open_chunk: one chunk of a stream under a ONE-TIME key (a blob's own data key):
//    chunk i uses the counter nonce 0^4 | BE64(i) and authenticates  aad | BE64(i) | last, so
//    chunks cannot be reordered, dropped, or the stream cut at a chunk boundary unnoticed.
// Keys are 32 bytes; any other length is kInvalidArgument. A wrong key, wrong associated data
// or any changed byte fails with kCrypto "authentication failed", and no plaintext is returned.

#include <cstddef>
#include <cstdint>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::crypto {

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;
inline constexpr std::uint8_t kAeadFormatV1 = 0x01;
// kAeadSealedOverhead is what aead_seal adds to the plaintext's length.
inline constexpr std::size_t kAeadSealedOverhead = 1 + kAeadNonceSize + kAeadTagSize;

// aead_seal encrypts plaintext under key, binding associated_data (not stored; the opener must
// pass the same), with a fresh random nonce. kInvalidArgument for a bad key length, kCrypto if
// OpenSSL or the random generator fails.
Result<Bytes> aead_seal(ByteView key, ByteView plaintext, ByteView associated_data);

// aead_open checks and decrypts a value made by aead_seal. kMalformed if it is too short or of
// an unknown format version, kCrypto if authentication fails.
Result<Bytes> aead_open(ByteView key, ByteView sealed, ByteView associated_data);

// seal_chunk encrypts chunk `index` of a stream (see above) and returns ciphertext | tag.
Result<Bytes> seal_chunk(ByteView one_time_key, ByteView associated_data, std::uint64_t index,
                         bool last, ByteView plaintext);

// open_chunk checks and decrypts what seal_chunk returned for the same index and last flag.
// kMalformed if shorter than a tag, kCrypto if authentication fails.
Result<Bytes> open_chunk(ByteView one_time_key, ByteView associated_data, std::uint64_t index,
                         bool last, ByteView sealed);

}  // namespace pactum::crypto
