#include "pactum/pki/tsa_serial.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <limits>
#include <string_view>
#include <system_error>

#include "pactum/base/atomic_file.h"
#include "pactum/base/file_lock.h"
#include "pactum/crypto/x509_builder.h"

namespace pactum::pki {
namespace {

constexpr const char* kRecordName = "tsa-serial";
constexpr const char* kLockName = "tsa-serial.lock";
constexpr std::uint64_t kFirstSerial = 1;
constexpr std::size_t kMaxRecordBytes = 64;

// parse_record reads "<decimal>\n" (the newline optional) and nothing else.
Result<std::uint64_t> parse_record(std::string_view text, const std::string& path) {
  if (!text.empty() && text.back() == '\n') {
    text.remove_suffix(1);
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      value < kFirstSerial) {
    return fail(ErrorCode::kMalformed,
                fmt::format("{} does not hold a serial counter (a positive decimal number); "
                            "refusing to guess, since a guess could repeat serials",
                            path));
  }
  return value;
}

// read_record returns the first unreserved serial recorded in path, kFirstSerial if none yet.
Result<std::uint64_t> read_record(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (error) {
      return fail(ErrorCode::kIo, fmt::format("cannot inspect {}: {}", path, error.message()));
    }
    return kFirstSerial;
  }
  auto bytes = read_file(path);
  if (!bytes) {
    return std::unexpected(bytes.error());
  }
  if (bytes->size() > kMaxRecordBytes) {
    return fail(ErrorCode::kMalformed, fmt::format("{} is too large for a serial counter", path));
  }
  return parse_record(as_chars(*bytes), path);
}

// big_endian returns value as big-endian bytes without leading zero bytes (at least one byte).
Bytes big_endian(std::uint64_t value) {
  Bytes out;
  do {
    out.insert(out.begin(), static_cast<std::uint8_t>(value & 0xFFU));
    value >>= 8U;
  } while (value != 0);
  return out;
}

}  // namespace

Result<std::unique_ptr<FileSerialCounter>> FileSerialCounter::open(const std::string& dir,
                                                                   std::uint64_t block) {
  if (block == 0) {
    return fail(ErrorCode::kInvalidArgument, "a serial block must hold at least one serial");
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}", dir, error.message()));
  }
  std::unique_ptr<FileSerialCounter> counter(new FileSerialCounter(dir, block));
  const std::lock_guard guard(counter->mutex_);
  if (auto st = counter->reserve_block(); !st) {
    return std::unexpected(st.error());
  }
  return counter;
}

Status FileSerialCounter::reserve_block() {
  auto lock = FileLock::acquire(dir_ + "/" + kLockName);
  if (!lock) {
    return std::unexpected(lock.error());
  }
  const std::string path = dir_ + "/" + kRecordName;
  auto start = read_record(path);
  if (!start) {
    return std::unexpected(start.error());
  }
  if (*start > std::numeric_limits<std::uint64_t>::max() - block_) {
    return fail(ErrorCode::kIo, fmt::format("the serial counter in {} is exhausted", path));
  }
  const std::uint64_t end = *start + block_;
  if (auto st = write_file_atomically(path, as_bytes(fmt::format("{}\n", end)), 0600); !st) {
    return st;
  }
  next_ = *start;
  end_ = end;
  return {};
}

Result<Bytes> FileSerialCounter::next() {
  const std::lock_guard guard(mutex_);
  if (next_ == end_) {
    if (auto st = reserve_block(); !st) {
      return std::unexpected(st.error());
    }
  }
  return big_endian(next_++);
}

Result<Bytes> RandomSerialSource::next() { return crypto::random_serial(); }

}  // namespace pactum::pki
