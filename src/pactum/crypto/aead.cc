#include "pactum/crypto/aead.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <limits>

#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/random.h"

namespace pactum::crypto {
namespace {

using Nonce = std::array<std::uint8_t, kAeadNonceSize>;

Status check_key(ByteView key) {
  if (key.size() != kAeadKeySize) {
    return fail(ErrorCode::kInvalidArgument, "AES-256-GCM key must be 32 bytes");
  }
  return {};
}

Status check_length(std::size_t n) {
  if (n > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return fail(ErrorCode::kInvalidArgument, "AES-GCM input over 2 GiB");
  }
  return {};
}

// gcm runs one AES-256-GCM encryption or decryption. On encryption, text is the plaintext and
// the output is ciphertext | tag; on decryption, text is the ciphertext and tag is checked.
Result<Bytes> gcm(bool encrypt, ByteView key, const Nonce& nonce, ByteView aad_head,
                  ByteView aad_tail, ByteView text, ByteView tag) {
  if (Status ok = check_key(key); !ok) {
    return std::unexpected(ok.error());
  }
  if (Status ok = check_length(text.size()); !ok) {
    return std::unexpected(ok.error());
  }
  if (Status ok = check_length(aad_head.size()); !ok) {
    return std::unexpected(ok.error());
  }
  UniquePtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data(),
                        encrypt ? 1 : 0) != 1) {
    return openssl_fail("AES-GCM init");
  }
  int n = 0;
  for (ByteView aad : {aad_head, aad_tail}) {
    if (!aad.empty() &&
        EVP_CipherUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) != 1) {
      return openssl_fail("AES-GCM associated data");
    }
  }
  Bytes out(text.size() + (encrypt ? kAeadTagSize : 0));
  int written = 0;
  if (!text.empty() && EVP_CipherUpdate(ctx.get(), out.data(), &written, text.data(),
                                        static_cast<int>(text.size())) != 1) {
    return openssl_fail("AES-GCM update");
  }
  if (!encrypt) {
    std::array<std::uint8_t, kAeadTagSize> expected{};
    std::copy(tag.begin(), tag.end(), expected.begin());
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAeadTagSize),
                            expected.data()) != 1) {
      return openssl_fail("AES-GCM set tag");
    }
  }
  int final_written = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + written, &final_written) != 1) {
    if (!encrypt) {
      clear_openssl_errors();
      cleanse(out);
      return fail(ErrorCode::kCrypto, "authentication failed (wrong key or altered data)");
    }
    return openssl_fail("AES-GCM final");
  }
  if (encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG,
                                     static_cast<int>(kAeadTagSize),
                                     out.data() + text.size()) != 1) {
    return openssl_fail("AES-GCM get tag");
  }
  return out;
}

Nonce counter_nonce(std::uint64_t index) {
  Nonce nonce{};
  for (std::size_t i = 0; i < 8; ++i) {
    nonce.at(4 + i) = static_cast<std::uint8_t>(index >> (56U - 8U * i));
  }
  return nonce;
}

std::array<std::uint8_t, 9> chunk_aad_tail(std::uint64_t index, bool last) {
  std::array<std::uint8_t, 9> tail{};
  for (std::size_t i = 0; i < 8; ++i) {
    tail.at(i) = static_cast<std::uint8_t>(index >> (56U - 8U * i));
  }
  tail[8] = last ? 1 : 0;
  return tail;
}

}  // namespace

Result<Bytes> aead_seal(ByteView key, ByteView plaintext, ByteView associated_data) {
  Nonce nonce{};
  if (Status filled = fill_random(nonce); !filled) {
    return std::unexpected(filled.error());
  }
  auto body = gcm(true, key, nonce, associated_data, {}, plaintext, {});
  if (!body) {
    return std::unexpected(body.error());
  }
  Bytes sealed;
  sealed.reserve(1 + nonce.size() + body->size());
  sealed.push_back(kAeadFormatV1);
  sealed.insert(sealed.end(), nonce.begin(), nonce.end());
  sealed.insert(sealed.end(), body->begin(), body->end());
  return sealed;
}

Result<Bytes> aead_open(ByteView key, ByteView sealed, ByteView associated_data) {
  if (sealed.size() < kAeadSealedOverhead) {
    return fail(ErrorCode::kMalformed, "sealed value too short");
  }
  if (sealed[0] != kAeadFormatV1) {
    return fail(ErrorCode::kMalformed, "unknown sealed value format", 0);
  }
  Nonce nonce{};
  std::copy_n(sealed.begin() + 1, kAeadNonceSize, nonce.begin());
  const ByteView body = sealed.subspan(1 + kAeadNonceSize);
  return gcm(false, key, nonce, associated_data, {}, body.first(body.size() - kAeadTagSize),
             body.last(kAeadTagSize));
}

Result<Bytes> seal_chunk(ByteView one_time_key, ByteView associated_data, std::uint64_t index,
                         bool last, ByteView plaintext) {
  const auto tail = chunk_aad_tail(index, last);
  return gcm(true, one_time_key, counter_nonce(index), associated_data, tail, plaintext, {});
}

Result<Bytes> open_chunk(ByteView one_time_key, ByteView associated_data, std::uint64_t index,
                         bool last, ByteView sealed) {
  if (sealed.size() < kAeadTagSize) {
    return fail(ErrorCode::kMalformed, "sealed chunk shorter than its tag");
  }
  const auto tail = chunk_aad_tail(index, last);
  return gcm(false, one_time_key, counter_nonce(index), associated_data, tail,
             sealed.first(sealed.size() - kAeadTagSize), sealed.last(kAeadTagSize));
}

}  // namespace pactum::crypto
