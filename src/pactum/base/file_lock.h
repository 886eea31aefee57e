#pragma once

#include <string>
#include <utility>

#include "pactum/base/error.h"

namespace pactum {

// FileLock holds an exclusive flock(2) on a lock file until it is destroyed. flock locks belong
// to an open file, so two FileLocks on one path exclude each other even inside one process, and
// a process that dies releases its lock. Advisory: only code that takes the lock is excluded.
class FileLock {
 public:
  // acquire opens (creating if missing, mode 0600) the file at path and waits for the lock.
  // Fails with kIo if the file cannot be opened or locked.
  static Result<FileLock> acquire(const std::string& path);

  // try_acquire is acquire without waiting: kRefused when another holder has the lock.
  static Result<FileLock> try_acquire(const std::string& path);

  FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  static Result<FileLock> lock(const std::string& path, bool wait);

  int fd_;
};

}  // namespace pactum
