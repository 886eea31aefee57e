#include "pactum/crypto/master_key_sealer.h"

#include <fmt/format.h>

namespace pactum::crypto {
namespace {

constexpr std::string_view kMagic = "PSK1";

std::string sealer_context(std::string_view label) {
  return fmt::format("key-sealer:{}", label);
}

}  // namespace

Result<Bytes> MasterKeySealer::seal(ByteView key_pem, std::string_view label) const {
  auto wrapped = keyring_.wrap(key_pem, sealer_context(label));
  if (!wrapped) {
    return std::unexpected(wrapped.error());
  }
  Bytes out;
  append_text(out, kMagic);
  out.push_back(static_cast<std::uint8_t>(wrapped->key_id.size()));
  append_text(out, wrapped->key_id);
  out.insert(out.end(), wrapped->sealed.begin(), wrapped->sealed.end());
  return out;
}

Result<std::string_view> MasterKeySealer::key_id_of(ByteView sealed) {
  if (sealed.size() < kMagic.size() + 1 || as_chars(sealed.first(kMagic.size())) != kMagic) {
    return fail(ErrorCode::kMalformed, "not a key sealed under a master key");
  }
  const std::size_t id_size = sealed[kMagic.size()];
  if (sealed.size() < kMagic.size() + 1 + id_size) {
    return fail(ErrorCode::kMalformed, "sealed key truncated");
  }
  return as_chars(sealed.subspan(kMagic.size() + 1, id_size));
}

Result<Bytes> MasterKeySealer::open(ByteView sealed, std::string_view label) const {
  auto key_id = key_id_of(sealed);
  if (!key_id) {
    return std::unexpected(key_id.error());
  }
  const std::size_t body = kMagic.size() + 1 + key_id->size();
  WrappedKey wrapped{std::string(*key_id),
                     Bytes(sealed.begin() + static_cast<std::ptrdiff_t>(body), sealed.end())};
  return keyring_.unwrap(wrapped, sealer_context(label));
}

}  // namespace pactum::crypto
