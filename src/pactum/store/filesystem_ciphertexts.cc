#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pactum/base/atomic_file.h"
#include "pactum/store/blob_store.h"

namespace pactum::store {
namespace {

constexpr unsigned kBlobFileMode = 0600;
constexpr mode_t kBlobDirMode = 0700;

Status make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), kBlobDirMode) != 0 && errno != EEXIST) {
    return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}", path, std::strerror(errno)));
  }
  return {};
}

class FileWriter final : public CiphertextWriter {
 public:
  explicit FileWriter(AtomicFile file) : file_(std::move(file)) {}
  Status append(ByteView sealed_chunk) override { return file_.write(sealed_chunk); }
  Status commit() override { return file_.commit(); }

 private:
  AtomicFile file_;
};

class FilesystemCiphertexts final : public CiphertextStore {
 public:
  explicit FilesystemCiphertexts(std::string dir) : dir_(std::move(dir)) {}

  Result<std::unique_ptr<CiphertextWriter>> create(std::string_view id) override {
    auto path = path_of(id);
    if (!path) {
      return std::unexpected(path.error());
    }
    if (Status made = make_dir(dir_); !made) {
      return std::unexpected(made.error());
    }
    if (Status made = make_dir(dir_ + "/" + std::string(id.substr(0, 2))); !made) {
      return std::unexpected(made.error());
    }
    if (::access(path->c_str(), F_OK) == 0) {
      return fail(ErrorCode::kConflict, fmt::format("blob {} exists", id));
    }
    auto file = AtomicFile::create(*path, kBlobFileMode);
    if (!file) {
      return std::unexpected(file.error());
    }
    return std::unique_ptr<CiphertextWriter>(std::make_unique<FileWriter>(std::move(*file)));
  }

  Status read(std::string_view id, std::uint64_t chunk_count, std::size_t sealed_chunk_size,
              const ChunkSink& sink) const override {
    auto path = path_of(id);
    if (!path) {
      return std::unexpected(path.error());
    }
    auto source = open_file_source(*path);
    if (!source) {
      return std::unexpected(source.error());
    }
    const std::uint64_t size = (*source)->size();
    if (chunk_count == 0 || size <= (chunk_count - 1) * sealed_chunk_size ||
        size > chunk_count * sealed_chunk_size) {
      return fail(ErrorCode::kMalformed, fmt::format("blob {} has the wrong length", id));
    }
    Bytes buffer(sealed_chunk_size);
    for (std::uint64_t index = 0; index < chunk_count; ++index) {
      const std::uint64_t offset = index * sealed_chunk_size;
      const auto length =
          static_cast<std::size_t>(std::min<std::uint64_t>(sealed_chunk_size, size - offset));
      std::span<std::uint8_t> chunk(buffer.data(), length);
      if (Status ok = (*source)->read(offset, chunk); !ok) {
        return ok;
      }
      if (Status ok = sink(index, chunk); !ok) {
        return ok;
      }
    }
    return {};
  }

  Status remove(std::string_view id) override {
    auto path = path_of(id);
    if (!path) {
      return std::unexpected(path.error());
    }
    if (::unlink(path->c_str()) != 0) {
      if (errno == ENOENT) {
        return fail(ErrorCode::kNotFound, fmt::format("no ciphertext for blob {}", id));
      }
      return fail(ErrorCode::kIo, fmt::format("cannot delete {}: {}", *path, std::strerror(errno)));
    }
    return {};
  }

 private:
  // path_of is the only place a blob id becomes a path; it checks the id first.
  [[nodiscard]] Result<std::string> path_of(std::string_view id) const {
    if (!is_valid_blob_id(id)) {
      return fail(ErrorCode::kInvalidArgument, "invalid blob id");
    }
    return fmt::format("{}/{}/{}", dir_, id.substr(0, 2), id);
  }

  std::string dir_;
};

}  // namespace

std::unique_ptr<CiphertextStore> filesystem_ciphertexts(std::string dir) {
  return std::make_unique<FilesystemCiphertexts>(std::move(dir));
}

}  // namespace pactum::store
