#include "pactum/base/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace pactum {

Result<FileLock> FileLock::acquire(const std::string& path) { return lock(path, true); }

Result<FileLock> FileLock::try_acquire(const std::string& path) { return lock(path, false); }

Result<FileLock> FileLock::lock(const std::string& path, bool wait) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorCode::kIo, fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  }
  FileLock locked(fd);
  int rc = 0;
  do {
    rc = ::flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    if (errno == EWOULDBLOCK) {
      return fail(ErrorCode::kRefused, fmt::format("{} is locked by another user", path));
    }
    return fail(ErrorCode::kIo, fmt::format("cannot lock {}: {}", path, std::strerror(errno)));
  }
  return locked;
}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    ::close(fd_);  // releases the lock
  }
}

}  // namespace pactum
