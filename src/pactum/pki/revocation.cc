#include "pactum/pki/revocation.h"

#include <fmt/format.h>

#include <array>
#include <string>

namespace pactum::pki {
namespace {

constexpr std::array kAllReasons = {
    RevocationReason::kUnspecified,        RevocationReason::kKeyCompromise,
    RevocationReason::kCaCompromise,       RevocationReason::kAffiliationChanged,
    RevocationReason::kSuperseded,         RevocationReason::kCessationOfOperation,
    RevocationReason::kPrivilegeWithdrawn, RevocationReason::kAaCompromise,
};

}  // namespace

Result<RevocationReason> revocation_reason_from_code(int code) {
  for (const RevocationReason reason : kAllReasons) {
    if (static_cast<int>(reason) == code) {
      return reason;
    }
  }
  return fail(
      ErrorCode::kInvalidArgument,
      fmt::format("{} is not a revocation reason we use (RFC 5280 CRLReason 0-5, 9, 10)", code));
}

std::string_view revocation_reason_name(RevocationReason reason) {
  switch (reason) {
    case RevocationReason::kUnspecified:
      return "unspecified";
    case RevocationReason::kKeyCompromise:
      return "keyCompromise";
    case RevocationReason::kCaCompromise:
      return "cACompromise";
    case RevocationReason::kAffiliationChanged:
      return "affiliationChanged";
    case RevocationReason::kSuperseded:
      return "superseded";
    case RevocationReason::kCessationOfOperation:
      return "cessationOfOperation";
    case RevocationReason::kPrivilegeWithdrawn:
      return "privilegeWithdrawn";
    case RevocationReason::kAaCompromise:
      return "aACompromise";
  }
  return "unspecified";
}

Result<RevocationReason> parse_revocation_reason(std::string_view name) {
  for (const RevocationReason reason : kAllReasons) {
    if (revocation_reason_name(reason) == name) {
      return reason;
    }
  }
  return fail(ErrorCode::kInvalidArgument,
              fmt::format("unknown revocation reason \"{}\"", std::string(name)));
}

}  // namespace pactum::pki
