#include "pactum/base/error.h"

#include <fmt/format.h>

namespace pactum {

std::string Error::describe() const {
  if (offset) {
    return fmt::format("{} (at byte {})", message, *offset);
  }
  return message;
}

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMalformed:
      return "malformed";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kRefused:
      return "refused";
    case ErrorCode::kCrypto:
      return "crypto";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kRetryable:
      return "retryable";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace pactum
