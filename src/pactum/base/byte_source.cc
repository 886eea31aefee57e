#include "pactum/base/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace pactum {
namespace {

class FileSource final : public ByteSource {
 public:
  FileSource(std::string path, int fd, std::uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  FileSource(FileSource&&) = delete;
  FileSource& operator=(FileSource&&) = delete;

  [[nodiscard]] std::uint64_t size() const override { return size_; }
  [[nodiscard]] const std::string& file_path() const override { return path_; }
  [[nodiscard]] ByteView memory() const override { return {}; }

  [[nodiscard]] Status read(std::uint64_t offset, std::span<std::uint8_t> out) const override {
    if (offset > size_ || out.size() > size_ - offset) {
      return fail(ErrorCode::kIo, fmt::format("read past the end of {}", path_), offset);
    }
    std::size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::pread(fd_, out.subspan(done).data(), out.size() - done,
                                static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return fail(ErrorCode::kIo, fmt::format("cannot read {}: {}", path_,
                                                n == 0 ? "unexpected end" : std::strerror(errno)));
      }
      done += static_cast<std::size_t>(n);
    }
    return {};
  }

 private:
  std::string path_;
  int fd_;
  std::uint64_t size_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(Bytes bytes) : owned_(std::move(bytes)), bytes_(owned_) {}
  explicit MemorySource(ByteView bytes) : bytes_(bytes) {}

  [[nodiscard]] std::uint64_t size() const override { return bytes_.size(); }
  [[nodiscard]] const std::string& file_path() const override { return empty_; }
  [[nodiscard]] ByteView memory() const override { return bytes_; }

  [[nodiscard]] Status read(std::uint64_t offset, std::span<std::uint8_t> out) const override {
    if (offset > bytes_.size() || out.size() > bytes_.size() - offset) {
      return fail(ErrorCode::kIo, "read past the end of the buffer", offset);
    }
    const ByteView range = bytes_.subspan(static_cast<std::size_t>(offset), out.size());
    std::copy(range.begin(), range.end(), out.begin());
    return {};
  }

 private:
  Bytes owned_;
  ByteView bytes_;
  std::string empty_;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> open_file_source(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const ErrorCode code = errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo;
    return fail(code, fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(ErrorCode::kIo, fmt::format("{} is not a regular file", path));
  }
  return std::make_unique<FileSource>(path, fd, static_cast<std::uint64_t>(st.st_size));
}

std::unique_ptr<ByteSource> memory_source(Bytes bytes) {
  return std::make_unique<MemorySource>(std::move(bytes));
}

std::unique_ptr<ByteSource> view_source(ByteView bytes) {
  return std::make_unique<MemorySource>(bytes);
}

Result<Bytes> read_tail(const ByteSource& source, std::uint64_t n) {
  const std::uint64_t take = std::min(n, source.size());
  Bytes out(static_cast<std::size_t>(take));
  if (auto st = source.read(source.size() - take, out); !st) {
    return std::unexpected(st.error());
  }
  return out;
}

Status for_each_chunk(const ByteSource& source, std::uint64_t offset, std::uint64_t length,
                      const std::function<void(ByteView)>& fn, std::size_t chunk_size) {
  const ByteView memory = source.memory();
  if (!memory.empty() || source.size() == 0) {
    if (offset > memory.size() || length > memory.size() - offset) {
      return fail(ErrorCode::kIo, "range outside the buffer", offset);
    }
    fn(memory.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(length)));
    return {};
  }
  Bytes buffer(static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, length)));
  std::uint64_t done = 0;
  while (done < length) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), length - done));
    const std::span<std::uint8_t> chunk(buffer.data(), n);
    if (auto st = source.read(offset + done, chunk); !st) {
      return st;
    }
    fn(chunk);
    done += n;
  }
  return {};
}

}  // namespace pactum
