#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <utility>

namespace pactum {

// ErrorCode names the kind of failure so callers (CLI exit codes, HTTP status tables) can map it
// without parsing messages.
enum class ErrorCode : std::uint8_t {
  kInvalidArgument,  // the caller asked for something impossible (page 0, bad rectangle)
  kNotFound,         // a named thing does not exist (file, field)
  kMalformed,        // untrusted bytes do not parse (not a PDF, truncated, bad DER)
  kUnsupported,      // well-formed but not something we handle (e.g. encrypted PDF)
  kRefused,          // well-formed and supported, but the document forbids it (DocMDP P=1)
  kCrypto,           // a cryptographic operation failed (key/cert mismatch, OpenSSL failure)
  kIo,               // reading or writing a file failed
  kConflict,         // the change collides with existing state (a unique key already taken)
  kRetryable,        // a transient conflict (serialization failure, busy database): retry it whole
  kUnavailable,      // an outside service is unreachable (database connection lost or refused)
  kInternal,         // a bug: an invariant of ours does not hold
};

// Error is the one failure value of the library: a code, a message for people and, for failures
// in untrusted bytes, the byte offset where it went wrong.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::optional<std::uint64_t> offset;

  // describe returns the message with the offset appended when there is one.
  [[nodiscard]] std::string describe() const;
};

// Result is what every fallible operation on untrusted input or the environment returns.
template <typename T>
using Result = std::expected<T, Error>;

// Status is a Result carrying no value.
using Status = std::expected<void, Error>;

// fail builds the unexpected side of a Result in one expression.
inline std::unexpected<Error> fail(ErrorCode code, std::string message,
                                   std::optional<std::uint64_t> offset = std::nullopt) {
  return std::unexpected<Error>(Error{code, std::move(message), offset});
}

// error_code_name returns a stable lower-case identifier for a code ("malformed", ...).
const char* error_code_name(ErrorCode code);

}  // namespace pactum
