#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/error.h"
#include "pactum/pki/revocation.h"

namespace pactum::pki {

// Revocation is when and why a certificate was revoked.
struct Revocation {
  std::chrono::system_clock::time_point revoked_at;
  RevocationReason reason = RevocationReason::kUnspecified;
};

// IssuedCertificate is what the CA remembers about one certificate it issued.
struct IssuedCertificate {
  std::string serial_hex;  // lower-case hex of the serial's big-endian magnitude
  std::chrono::system_clock::time_point issued_at;
  std::chrono::system_clock::time_point not_after;
  std::optional<Revocation> revocation;
};

// CaIndex is the CA's append-only record of issued and revoked serial numbers, kept in one text
// file of lines
//   pactum-ca-index 1
//   issued <serial hex> <issued at, Unix seconds> <not after, Unix seconds>
//   revoked <serial hex> <revoked at, Unix seconds> <CRLReason code>
// Records are only ever appended. Each append rewrites the file through write_file_atomically
// (temporary file, fsync, rename), so after a crash the file holds every record whose append
// returned success and nothing half-written. One process may write a directory at a time: two
// writers would each rewrite the file from their own copy.
class CaIndex {
 public:
  // create writes an index with no records at path, replacing nothing: kInvalidArgument if a
  // file exists there, kIo if it cannot be written.
  static Result<CaIndex> create(std::string path);

  // load reads the index at path. kIo if it cannot be read; kMalformed, with the byte offset of
  // the offending line, if a line does not parse, a serial is issued twice, or a revocation names
  // a serial that was never issued or is already revoked.
  static Result<CaIndex> load(std::string path);

  // find returns the record of serial_hex, or nullptr if the CA never issued it. The pointer is
  // valid until the next append.
  [[nodiscard]] const IssuedCertificate* find(std::string_view serial_hex) const;

  // record_issued appends an issued record and returns once it is durable; kInvalidArgument if
  // the serial is malformed or already present, kIo if the file cannot be written (the index in
  // memory is then unchanged).
  Status record_issued(std::string_view serial_hex, std::chrono::system_clock::time_point issued_at,
                       std::chrono::system_clock::time_point not_after);

  // record_revoked appends a revocation and returns once it is durable; kNotFound if the serial
  // was never issued, kRefused if it is already revoked, kIo if the file cannot be written.
  Status record_revoked(std::string_view serial_hex, const Revocation& revocation);

  // revoked returns every revoked certificate, ordered by serial.
  [[nodiscard]] std::vector<IssuedCertificate> revoked() const;

  // size returns how many certificates were issued.
  [[nodiscard]] std::size_t size() const { return records_.size(); }

 private:
  explicit CaIndex(std::string path) : path_(std::move(path)) {}

  Status apply_line(std::string_view line, std::size_t offset);
  Status append(const std::string& line);

  std::string path_;
  std::string text_;
  std::map<std::string, IssuedCertificate, std::less<>> records_;
};

// is_serial_hex reports whether text is a serial as the index stores it: 2 to 40 lower-case hex
// digits, an even number of them.
bool is_serial_hex(std::string_view text);

}  // namespace pactum::pki
