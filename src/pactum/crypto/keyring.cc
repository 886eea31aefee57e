#include "pactum/crypto/keyring.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/aead.h"
#include "pactum/crypto/random.h"

namespace pactum::crypto {
namespace {

constexpr std::string_view kHeader = "pactum-keyring v1";
constexpr unsigned kKeyFileMode = 0600;

bool valid_id(std::string_view id) {
  return id.size() == 19 && id.starts_with("mk-") &&
         std::all_of(id.begin() + 3, id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool parse_key_hex(std::string_view hex, std::array<std::uint8_t, kMasterKeySize>& out) {
  if (hex.size() != 2 * kMasterKeySize) {
    return false;
  }
  for (std::size_t i = 0; i < kMasterKeySize; ++i) {
    const int high = hex_digit_value(hex[2 * i]);
    const int low = hex_digit_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return false;
    }
    out.at(i) = static_cast<std::uint8_t>(high * 16 + low);
  }
  return true;
}

// wrap_context binds a wrapped value to the key it is wrapped under and to its purpose.
std::string wrap_context(std::string_view key_id, std::string_view context) {
  return fmt::format("pactum-wrap-v1\n{}\n{}", key_id, context);
}

}  // namespace

MasterKey::~MasterKey() { cleanse(bytes); }

Result<MasterKey> Keyring::fresh_key() {
  MasterKey key;
  auto id = random_bytes(8);
  if (!id) {
    return std::unexpected(id.error());
  }
  key.id = "mk-" + to_hex(*id);
  if (Status filled = fill_random(key.bytes); !filled) {
    return std::unexpected(filled.error());
  }
  return key;
}

Result<Keyring> Keyring::create(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    return fail(ErrorCode::kConflict, fmt::format("{} already exists", path));
  }
  Keyring ring;
  ring.path_ = path;
  auto key = fresh_key();
  if (!key) {
    return std::unexpected(key.error());
  }
  ring.current_ = key->id;
  ring.keys_.push_back(std::move(*key));
  if (Status saved = ring.save(); !saved) {
    return std::unexpected(saved.error());
  }
  return ring;
}

Result<Keyring> Keyring::load(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return fail(ErrorCode::kNotFound, fmt::format("no master key file at {}", path));
  }
  if ((info.st_mode & 077U) != 0) {
    return fail(ErrorCode::kRefused,
                fmt::format("{} is readable by group or others: chmod 600 it", path));
  }
  auto content = read_file(path);
  if (!content) {
    return std::unexpected(content.error());
  }
  std::string text(as_chars(*content));
  cleanse(*content);
  Keyring ring;
  ring.path_ = path;
  std::istringstream lines(text);
  std::string line;
  std::size_t number = 0;
  auto malformed = [&](std::string_view why) {
    return fail(ErrorCode::kMalformed, fmt::format("{} line {}: {}", path, number, why));
  };
  while (std::getline(lines, line)) {
    ++number;
    if (number == 1) {
      if (line != kHeader) {
        return malformed("not a pactum keyring");
      }
      continue;
    }
    if (line.empty()) {
      continue;
    }
    std::istringstream words(line);
    std::string word;
    std::string id;
    std::string hex;
    std::string extra;
    words >> word >> id >> hex >> extra;
    if (word == "key" && valid_id(id) && !hex.empty() && extra.empty()) {
      MasterKey key;
      key.id = id;
      const bool parsed = parse_key_hex(hex, key.bytes);
      cleanse(std::span(reinterpret_cast<std::uint8_t*>(hex.data()), hex.size()));  // NOLINT
      if (!parsed) {
        return malformed("key is not 64 hexadecimal digits");
      }
      if (ring.key(id)) {
        return malformed("duplicate key id");
      }
      ring.keys_.push_back(std::move(key));
    } else if (word == "current" && valid_id(id) && hex.empty()) {
      ring.current_ = id;
    } else {
      return malformed("expected `key ID HEX` or `current ID`");
    }
  }
  cleanse(std::span(reinterpret_cast<std::uint8_t*>(text.data()), text.size()));  // NOLINT
  if (ring.current_.empty() || !ring.key(ring.current_)) {
    return fail(ErrorCode::kMalformed, fmt::format("{}: no current key", path));
  }
  return ring;
}

Result<Keyring> Keyring::load_or_create(const std::string& path) {
  auto loaded = load(path);
  if (!loaded && loaded.error().code == ErrorCode::kNotFound) {
    return create(path);
  }
  return loaded;
}

std::vector<std::string> Keyring::ids() const {
  std::vector<std::string> out;
  for (const MasterKey& key : keys_) {
    out.push_back(key.id);
  }
  return out;
}

Result<const MasterKey*> Keyring::key(std::string_view key_id) const {
  for (const MasterKey& key : keys_) {
    if (key.id == key_id) {
      return &key;
    }
  }
  return fail(ErrorCode::kNotFound, fmt::format("master key {} is not in the keyring", key_id));
}

const MasterKey& Keyring::current() const { return **key(current_); }

Result<WrappedKey> Keyring::wrap(ByteView secret, std::string_view context) const {
  const MasterKey& master = current();
  auto sealed = aead_seal(master.bytes, secret, as_bytes(wrap_context(master.id, context)));
  if (!sealed) {
    return std::unexpected(sealed.error());
  }
  return WrappedKey{master.id, std::move(*sealed)};
}

Result<Bytes> Keyring::unwrap(const WrappedKey& wrapped, std::string_view context) const {
  auto master = key(wrapped.key_id);
  if (!master) {
    return std::unexpected(master.error());
  }
  return aead_open((*master)->bytes, wrapped.sealed,
                   as_bytes(wrap_context(wrapped.key_id, context)));
}

Result<std::string> Keyring::rotate() {
  auto key = fresh_key();
  if (!key) {
    return std::unexpected(key.error());
  }
  const std::string previous = current_;
  std::string id = key->id;
  keys_.push_back(std::move(*key));
  current_ = id;
  if (Status saved = save(); !saved) {
    keys_.pop_back();
    current_ = previous;
    return std::unexpected(saved.error());
  }
  return id;
}

Status Keyring::retire(std::string_view key_id) {
  if (key_id == current_) {
    return fail(ErrorCode::kInvalidArgument, "the current master key cannot be retired");
  }
  auto found = std::find_if(keys_.begin(), keys_.end(),
                            [&](const MasterKey& key) { return key.id == key_id; });
  if (found == keys_.end()) {
    return fail(ErrorCode::kNotFound, fmt::format("master key {} is not in the keyring", key_id));
  }
  MasterKey removed = std::move(*found);
  keys_.erase(found);
  if (Status saved = save(); !saved) {
    keys_.push_back(std::move(removed));
    return saved;
  }
  return {};
}

Status Keyring::save() const {
  std::string text(kHeader);
  text += '\n';
  for (const MasterKey& key : keys_) {
    text += fmt::format("key {} ", key.id);
    const std::size_t at = text.size();
    text.resize(at + 2 * key.bytes.size());
    write_hex(key.bytes,
              std::span(reinterpret_cast<std::uint8_t*>(text.data()) + at,  // NOLINT
                        2 * key.bytes.size()));
    text += '\n';
  }
  text += fmt::format("current {}\n", current_);
  Status written = write_file_atomically(path_, as_bytes(text), kKeyFileMode);
  cleanse(std::span(reinterpret_cast<std::uint8_t*>(text.data()), text.size()));  // NOLINT
  return written;
}

}  // namespace pactum::crypto
