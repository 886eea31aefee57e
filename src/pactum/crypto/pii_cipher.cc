#include "pactum/crypto/pii_cipher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <limits>

#include "pactum/crypto/kdf.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/random.h"

namespace pactum::crypto {
namespace {

constexpr std::size_t kSm4KeySize = 16;
constexpr std::size_t kIvSize = 16;
constexpr std::size_t kMacSize = 32;
constexpr std::size_t kMacKeySize = 32;

// sm4_ctr encrypts or decrypts (the same operation in CTR mode).
Result<Bytes> sm4_ctr(ByteView key, ByteView iv, ByteView input) {
  if (input.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return fail(ErrorCode::kInvalidArgument, "field value too large");
  }
  UniquePtr<EVP_CIPHER_CTX> ctx(EVP_CIPHER_CTX_new());
  UniquePtr<EVP_CIPHER> cipher(EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr));
  if (ctx == nullptr || cipher == nullptr ||
      EVP_EncryptInit_ex2(ctx.get(), cipher.get(), key.data(), iv.data(), nullptr) != 1) {
    return openssl_fail("SM4-CTR init");
  }
  Bytes out(input.size() + kIvSize);
  int written = 0;
  if (!input.empty() && EVP_EncryptUpdate(ctx.get(), out.data(), &written, input.data(),
                                          static_cast<int>(input.size())) != 1) {
    return openssl_fail("SM4-CTR update");
  }
  int final_written = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &final_written) != 1) {
    return openssl_fail("SM4-CTR final");
  }
  out.resize(static_cast<std::size_t>(written + final_written));
  return out;
}

// mac_input_tail is the length-prefixed context, so (value, context) pairs cannot collide.
Bytes context_block(std::string_view context) {
  Bytes block;
  const std::uint64_t n = context.size();
  for (int shift = 56; shift >= 0; shift -= 8) {
    block.push_back(static_cast<std::uint8_t>(n >> static_cast<unsigned>(shift)));
  }
  append_text(block, context);
  return block;
}

}  // namespace

PiiCipher::~PiiCipher() {
  for (FieldKeys& keys : keys_) {
    cleanse(keys.encryption);
    cleanse(keys.mac);
    cleanse(keys.index);
  }
}

Result<PiiCipher> PiiCipher::create(const Keyring& keyring) {
  PiiCipher cipher;
  std::vector<std::string> ids = keyring.ids();
  // Current first, so candidates and encryption pick it without a search.
  std::stable_partition(ids.begin(), ids.end(),
                        [&](const std::string& id) { return id == keyring.current_id(); });
  for (const std::string& id : ids) {
    const MasterKey& master = **keyring.key(id);
    FieldKeys keys;
    keys.id = id;
    auto encryption = hkdf_sm3(master.bytes, "pactum pii sm4-ctr v1", kSm4KeySize);
    auto mac = hkdf_sm3(master.bytes, "pactum pii hmac-sm3 v1", kMacKeySize);
    auto index = hkdf_sm3(master.bytes, "pactum pii blind-index v1", kMacKeySize);
    if (!encryption || !mac || !index) {
      return std::unexpected(!encryption ? encryption.error()
                                         : (!mac ? mac.error() : index.error()));
    }
    keys.encryption = std::move(*encryption);
    keys.mac = std::move(*mac);
    keys.index = std::move(*index);
    cipher.keys_.push_back(std::move(keys));
  }
  return cipher;
}

const PiiCipher::FieldKeys* PiiCipher::find(std::string_view id) const {
  for (const FieldKeys& keys : keys_) {
    if (keys.id == id) {
      return &keys;
    }
  }
  return nullptr;
}

Result<Bytes> PiiCipher::encrypt(std::string_view value, std::string_view context) const {
  const FieldKeys& keys = keys_.front();
  std::array<std::uint8_t, kIvSize> iv{};
  if (Status filled = fill_random(iv); !filled) {
    return std::unexpected(filled.error());
  }
  auto ciphertext = sm4_ctr(keys.encryption, iv, as_bytes(value));
  if (!ciphertext) {
    return std::unexpected(ciphertext.error());
  }
  Bytes sealed;
  sealed.reserve(2 + keys.id.size() + iv.size() + ciphertext->size() + kMacSize);
  sealed.push_back(kPiiFormatV1);
  sealed.push_back(static_cast<std::uint8_t>(keys.id.size()));
  append_text(sealed, keys.id);
  sealed.insert(sealed.end(), iv.begin(), iv.end());
  sealed.insert(sealed.end(), ciphertext->begin(), ciphertext->end());
  auto mac = hmac_sm3(keys.mac, {sealed, context_block(context)});
  if (!mac) {
    return std::unexpected(mac.error());
  }
  sealed.insert(sealed.end(), mac->begin(), mac->end());
  return sealed;
}

Result<std::string_view> PiiCipher::key_id_of(ByteView sealed) {
  if (sealed.size() < 2 || sealed[0] != kPiiFormatV1) {
    return fail(ErrorCode::kMalformed, "not a sealed personal-data value (format v1)");
  }
  const std::size_t id_size = sealed[1];
  if (sealed.size() < 2 + id_size + kIvSize + kMacSize) {
    return fail(ErrorCode::kMalformed, "sealed personal-data value too short");
  }
  return as_chars(sealed.subspan(2, id_size));
}

Result<std::string> PiiCipher::decrypt(ByteView sealed, std::string_view context) const {
  auto key_id = key_id_of(sealed);
  if (!key_id) {
    return std::unexpected(key_id.error());
  }
  const std::string_view id = *key_id;
  const std::size_t id_size = id.size();
  const FieldKeys* keys = find(id);
  if (keys == nullptr) {
    return fail(ErrorCode::kNotFound, "the master key of this value is not in the keyring");
  }
  const ByteView body = sealed.first(sealed.size() - kMacSize);
  auto mac = hmac_sm3(keys->mac, {body, context_block(context)});
  if (!mac) {
    return std::unexpected(mac.error());
  }
  if (CRYPTO_memcmp(mac->data(), sealed.last(kMacSize).data(), kMacSize) != 0) {
    return fail(ErrorCode::kCrypto, "authentication failed (altered value or wrong context)");
  }
  const ByteView iv = body.subspan(2 + id_size, kIvSize);
  auto plaintext = sm4_ctr(keys->encryption, iv, body.subspan(2 + id_size + kIvSize));
  if (!plaintext) {
    return std::unexpected(plaintext.error());
  }
  std::string value(as_chars(*plaintext));
  cleanse(*plaintext);
  return value;
}

Result<Bytes> PiiCipher::reencrypt(ByteView sealed, std::string_view context) const {
  auto value = decrypt(sealed, context);
  if (!value) {
    return std::unexpected(value.error());
  }
  auto again = encrypt(*value, context);
  cleanse(std::span(reinterpret_cast<std::uint8_t*>(value->data()), value->size()));  // NOLINT
  return again;
}

std::string PiiCipher::normalize_for_index(std::string_view value) {
  const std::size_t first = value.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return "";
  }
  value = value.substr(first, value.find_last_not_of(" \t\r\n") - first + 1);
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == ' ' || c == '-') {
      continue;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

Result<std::string> PiiCipher::index_under(const FieldKeys& keys, std::string_view kind,
                                           std::string_view value) {
  const std::string normalized = normalize_for_index(value);
  auto mac = hmac_sm3(keys.index, {context_block(kind), as_bytes(normalized)});
  if (!mac) {
    return std::unexpected(mac.error());
  }
  return to_hex(*mac);
}

Result<std::string> PiiCipher::blind_index(std::string_view kind, std::string_view value) const {
  return index_under(keys_.front(), kind, value);
}

Result<std::vector<std::string>> PiiCipher::blind_index_candidates(std::string_view kind,
                                                                   std::string_view value) const {
  std::vector<std::string> out;
  for (const FieldKeys& keys : keys_) {
    auto index = index_under(keys, kind, value);
    if (!index) {
      return std::unexpected(index.error());
    }
    out.push_back(std::move(*index));
  }
  return out;
}

}  // namespace pactum::crypto
