#include "pactum/base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>

#include <fmt/format.h>

namespace pactum {
namespace {

Status io_error(const std::string& what, const std::string& path) {
  return fail(ErrorCode::kIo, fmt::format("cannot {} {}: {}", what, path, std::strerror(errno)));
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

AtomicFile::AtomicFile(std::string path, std::string temp_path, int fd)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(other.fd_),
      mode_(other.mode_) {
  other.fd_ = -1;
  other.temp_path_.clear();
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
  }
}

Result<AtomicFile> AtomicFile::create(const std::string& path, std::optional<unsigned> mode) {
  std::random_device random;
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string temp_path = fmt::format("{}.tmp-{:08x}", path, random());
    const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                          static_cast<mode_t>(mode.value_or(0666)));
    if (fd >= 0) {
      AtomicFile file(path, std::move(temp_path), fd);
      file.mode_ = mode;
      return file;
    }
    if (errno != EEXIST) {
      break;
    }
  }
  return std::unexpected(io_error("create a temporary file for", path).error());
}

Status AtomicFile::write(ByteView bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.subspan(done).data(), bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return io_error("write", temp_path_);
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Status AtomicFile::copy_from(const ByteSource& source) {
  Status status;
  auto st = for_each_chunk(source, 0, source.size(), [&](ByteView chunk) {
    if (status) {
      status = write(chunk);
    }
  });
  if (!st) {
    return st;
  }
  return status;
}

Status AtomicFile::commit() {
  // The mode given, not the mode less the umask: keys must be 0600 and certificates 0644.
  if (mode_ && ::fchmod(fd_, static_cast<mode_t>(*mode_)) != 0) {
    return io_error("set the mode of", temp_path_);
  }
  if (::fsync(fd_) != 0) {
    return io_error("flush", temp_path_);
  }
  if (::close(fd_) != 0) {
    fd_ = -1;
    return io_error("close", temp_path_);
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return io_error("rename into", path_);
  }
  temp_path_.clear();
  // Make the rename itself durable.
  const int dir = ::open(directory_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

Status write_file_atomically(const std::string& path, ByteView bytes,
                             std::optional<unsigned> mode) {
  auto file = AtomicFile::create(path, mode);
  if (!file) {
    return std::unexpected(file.error());
  }
  if (auto st = file->write(bytes); !st) {
    return st;
  }
  return file->commit();
}

Result<Bytes> read_file(const std::string& path) {
  auto source = open_file_source(path);
  if (!source) {
    return std::unexpected(source.error());
  }
  Bytes out(static_cast<std::size_t>((*source)->size()));
  if (auto st = (*source)->read(0, out); !st) {
    return std::unexpected(st.error());
  }
  return out;
}

}  // namespace pactum
