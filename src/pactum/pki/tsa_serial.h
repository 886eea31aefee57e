#pragma once

// Where the serialNumber of every time-stamp token comes from. RFC 3161 (section 2.4.2) requires
// a serial to be unique among all tokens one TSA ever issues, across restarts too.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::pki {

// SerialSource hands out time-stamp token serial numbers. Implementations are safe to call from
// several threads at once.
class SerialSource {
 public:
  virtual ~SerialSource() = default;

  // next returns a serial never returned before by this source or by any earlier source over
  // the same storage, as big-endian unsigned bytes (1 to 20 of them, not all zero). Fails with
  // kIo or kCrypto when no serial can be guaranteed unique; nothing is handed out then.
  virtual Result<Bytes> next() = 0;
};

// FileSerialCounter counts serials 1, 2, 3, ... and remembers in a directory how far it got.
//
// Why a counter and not random serials: uniqueness is then certain rather than probable, serials
// stay short (8 bytes at most) and their order shows the order of issue, which an auditor can
// check. To avoid a synchronous disk write per token the counter reserves blocks: before handing
// out serials n .. n+block-1 it durably records n+block (write to a temporary file, fsync,
// rename) in `dir`/tsa-serial. A restart continues after the last reserved block, so a crash or
// restart can skip serials but never repeat one. The record is updated under an exclusive
// flock(2) on `dir`/tsa-serial.lock, so several processes on one host may share the directory.
// Nodes on different hosts that share one TSA identity must share the directory on a file system
// with working flock, or use RandomSerialSource instead.
class FileSerialCounter final : public SerialSource {
 public:
  // kDefaultBlock is how many serials one durable write reserves.
  static constexpr std::uint64_t kDefaultBlock = 1024;

  // open creates dir if missing and reserves a first block, so an unwritable directory or a
  // damaged record is found at start-up. Fails with kIo when the directory or files cannot be
  // created, read or written, kMalformed when the record is not a plain decimal number (it is
  // never guessed at, since a guess could repeat serials), kInvalidArgument for block 0.
  static Result<std::unique_ptr<FileSerialCounter>> open(const std::string& dir,
                                                         std::uint64_t block = kDefaultBlock);

  // next returns the next serial of the current block, reserving a new block when it is used up;
  // fails (and hands out nothing) when the reservation cannot be written.
  Result<Bytes> next() override;

 private:
  FileSerialCounter(std::string dir, std::uint64_t block) : dir_(std::move(dir)), block_(block) {}

  // reserve_block durably moves the record forward by block_ and makes [next_, end_) ours.
  Status reserve_block();

  std::string dir_;
  std::uint64_t block_;
  std::mutex mutex_;
  std::uint64_t next_ = 0;  // next serial to hand out
  std::uint64_t end_ = 0;   // first serial not reserved by this instance
};

// RandomSerialSource returns 16-byte serials from OpenSSL's CSPRNG (126 random bits). It needs no
// storage, so any number of nodes may share one TSA identity; a repeat would take about 2^63
// tokens. Fails with kCrypto if the generator fails.
class RandomSerialSource final : public SerialSource {
 public:
  // next returns a fresh random serial.
  Result<Bytes> next() override;
};

}  // namespace pactum::pki
