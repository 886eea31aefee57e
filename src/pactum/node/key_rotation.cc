#include "pactum/node/key_rotation.h"

#include <filesystem>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/base/file_lock.h"
#include "pactum/crypto/keyring.h"
#include "pactum/crypto/master_key_sealer.h"
#include "pactum/crypto/pii_cipher.h"
#include "pactum/crypto/random.h"
#include "pactum/node/data_dir.h"
#include "pactum/store/blob_store.h"

namespace pactum::node {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSealedKeySuffix = ".key.sealed";

// SealedKeyFile is a CA or TSA key file under DIR/pki and the label it is sealed under: pki
// writes `NAME.key.sealed` under the label "pki/NAME" (root, issuing, tsa).
struct SealedKeyFile {
  std::string path;
  std::string label;
};

Result<std::vector<SealedKeyFile>> sealed_key_files(const std::string& dir) {
  std::vector<SealedKeyFile> files;
  const fs::path pki = DataDirLayout(dir).pki_dir();
  std::error_code ec;
  if (!fs::exists(pki, ec)) {
    return files;
  }
  for (fs::recursive_directory_iterator it(pki, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file(ec) && name.ends_with(kSealedKeySuffix)) {
      files.push_back(
          {it->path().string(), "pki/" + name.substr(0, name.size() - kSealedKeySuffix.size())});
    }
  }
  if (ec) {
    return fail(ErrorCode::kIo, fmt::format("cannot list {}: {}", pki.string(), ec.message()));
  }
  return files;
}

// lock_keys takes DIR/keys.lock for one rotation step, so two `pactum keys` commands never
// interleave: two rotations would each rewrite master.key from what they read (one new key
// lost, with everything sealed under it), and a retire could count before another process's
// re-seal wrote rows under the key it retires. Each step reads the keyring after locking.
// A directory that is not a `pactum init` data directory is refused first, so no lock file is
// left in it.
Result<FileLock> lock_keys(const std::string& dir) {
  if (auto opened = DataDir::open(dir, {.database = false, .pki = false, .services = false});
      !opened) {
    return std::unexpected(opened.error());
  }
  auto lock = FileLock::try_acquire(DataDirLayout(dir).keys_lock().string());
  if (!lock && lock.error().code == ErrorCode::kRefused) {
    return fail(ErrorCode::kRefused,
                fmt::format("another `pactum keys` command is working on {}; try again when it "
                            "has finished",
                            dir));
  }
  return lock;
}

// open_keys_and_database opens what the rotation steps work on: the keyring and the database
// of DIR (read after the lock is taken).
Result<std::unique_ptr<DataDir>> open_keys_and_database(const std::string& dir) {
  return DataDir::open(dir, {.database = true, .pki = false, .services = false});
}

// blob_store is the data directory's document store; the rotation touches only its key table.
store::BlobStore blob_store(const DataDir& data) {
  return {data.database(), data.keyring(),
          store::filesystem_ciphertexts(data.layout().blobs_dir().string())};
}

Result<std::size_t> pki_keys_under(const std::vector<SealedKeyFile>& files,
                                   std::string_view key_id) {
  std::size_t count = 0;
  for (const SealedKeyFile& file : files) {
    auto bytes = read_file(file.path);
    if (!bytes) {
      return std::unexpected(bytes.error());
    }
    auto id = crypto::MasterKeySealer::key_id_of(*bytes);
    if (!id) {
      return fail(id.error().code, fmt::format("{}: {}", file.path, id.error().message));
    }
    if (*id == key_id) {
      ++count;
    }
  }
  return count;
}

}  // namespace

Result<std::vector<KeyUsage>> master_key_usage(const std::string& dir) {
  auto parts = open_keys_and_database(dir);
  if (!parts) {
    return std::unexpected(parts.error());
  }
  auto files = sealed_key_files(dir);
  if (!files) {
    return std::unexpected(files.error());
  }
  const store::BlobStore blobs = blob_store(**parts);
  std::vector<KeyUsage> usage;
  for (const std::string& id : (*parts)->keyring().ids()) {
    KeyUsage key{.key_id = id, .current = id == (*parts)->keyring().current_id()};
    auto personal = domain::count_personal_data_under((*parts)->database(), id);
    if (!personal) {
      return std::unexpected(personal.error());
    }
    auto wrapped = blobs.count_keys_under(id);
    if (!wrapped) {
      return std::unexpected(wrapped.error());
    }
    auto pki = pki_keys_under(*files, id);
    if (!pki) {
      return std::unexpected(pki.error());
    }
    key.personal_rows = *personal;
    key.blob_keys = *wrapped;
    key.pki_keys = *pki;
    usage.push_back(std::move(key));
  }
  return usage;
}

Result<std::string> rotate_master_key(const std::string& dir) {
  auto lock = lock_keys(dir);
  if (!lock) {
    return std::unexpected(lock.error());
  }
  auto opened = DataDir::open(dir, {.database = false, .pki = false, .services = false});
  if (!opened) {
    return std::unexpected(opened.error());
  }
  return (*opened)->keyring().rotate();
}

Result<ResealReport> reseal_data_dir(const std::string& dir, std::size_t batch_size,
                                     const domain::AfterBatch& after_batch) {
  auto lock = lock_keys(dir);
  if (!lock) {
    return std::unexpected(lock.error());
  }
  auto parts = open_keys_and_database(dir);
  if (!parts) {
    return std::unexpected(parts.error());
  }
  auto cipher = crypto::PiiCipher::create((*parts)->keyring());
  if (!cipher) {
    return std::unexpected(cipher.error());
  }
  ResealReport report;
  auto personal =
      domain::reseal_personal_data((*parts)->database(), *cipher, batch_size, after_batch);
  if (!personal) {
    return std::unexpected(personal.error());
  }
  report.personal = *personal;
  store::BlobStore blobs = blob_store(**parts);
  auto rewrapped = blobs.rewrap_keys(batch_size);
  if (!rewrapped) {
    return std::unexpected(rewrapped.error());
  }
  report.blob_keys = *rewrapped;

  auto files = sealed_key_files(dir);
  if (!files) {
    return std::unexpected(files.error());
  }
  const crypto::KeySealer& sealer = (*parts)->key_sealer();
  for (const SealedKeyFile& file : *files) {
    auto bytes = read_file(file.path);
    if (!bytes) {
      return std::unexpected(bytes.error());
    }
    auto id = crypto::MasterKeySealer::key_id_of(*bytes);
    if (!id) {
      return fail(id.error().code, fmt::format("{}: {}", file.path, id.error().message));
    }
    if (*id == (*parts)->keyring().current_id()) {
      continue;
    }
    auto opened = sealer.open(*bytes, file.label);
    if (!opened) {
      return fail(opened.error().code, fmt::format("{}: {}", file.path, opened.error().message));
    }
    auto sealed = sealer.seal(*opened, file.label);
    crypto::cleanse(*opened);
    if (!sealed) {
      return std::unexpected(sealed.error());
    }
    // Atomic: the file holds either the old sealing or the new one, both openable until the
    // old key is retired.
    if (auto written = write_file_atomically(file.path, *sealed, 0600); !written) {
      return std::unexpected(written.error());
    }
    ++report.pki_keys;
  }
  return report;
}

Result<std::vector<std::string>> retire_master_keys(const std::string& dir) {
  auto lock = lock_keys(dir);
  if (!lock) {
    return std::unexpected(lock.error());
  }
  auto usage = master_key_usage(dir);
  if (!usage) {
    return std::unexpected(usage.error());
  }
  std::vector<std::string> retiring;
  std::string remaining;
  for (const KeyUsage& key : *usage) {
    if (key.current) {
      continue;
    }
    if (key.total() != 0) {
      remaining += fmt::format("{}{}: {} personal-data rows, {} document keys, {} CA/TSA keys",
                               remaining.empty() ? "" : "; ", key.key_id, key.personal_rows,
                               key.blob_keys, key.pki_keys);
    }
    retiring.push_back(key.key_id);
  }
  if (!remaining.empty()) {
    return fail(ErrorCode::kConflict,
                fmt::format("not retiring: still sealed under an older master key ({}); run "
                            "`pactum keys reseal {}` first",
                            remaining, dir));
  }
  auto opened = DataDir::open(dir, {.database = false, .pki = false, .services = false});
  if (!opened) {
    return std::unexpected(opened.error());
  }
  for (const std::string& id : retiring) {
    if (auto retired = (*opened)->keyring().retire(id); !retired) {
      return std::unexpected(retired.error());
    }
  }
  return retiring;
}

}  // namespace pactum::node
