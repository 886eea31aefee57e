#pragma once

#include <cstdint>
#include <string_view>

#include "pactum/base/error.h"

namespace pactum::pki {

// RevocationReason is the RFC 5280 CRLReason (section 5.3.1), with the codes it uses in CRLs
// and OCSP responses. Two codes are deliberately absent: certificateHold (6), because revocation
// here is permanent (a held certificate would have to be released, which we do not offer), and
// removeFromCRL (8), which only appears in delta CRLs; code 7 is unassigned.
enum class RevocationReason : std::uint8_t {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kCaCompromise = 2,
  kAffiliationChanged = 3,
  kSuperseded = 4,
  kCessationOfOperation = 5,
  kPrivilegeWithdrawn = 9,
  kAaCompromise = 10,
};

// revocation_reason_from_code returns the reason with the given CRLReason code; kInvalidArgument
// for 6, 7, 8 and anything outside 0..10.
Result<RevocationReason> revocation_reason_from_code(int code);

// revocation_reason_name returns the RFC 5280 identifier ("keyCompromise", ...), which is also
// what `openssl ocsp` prints.
std::string_view revocation_reason_name(RevocationReason reason);

// parse_revocation_reason accepts the RFC 5280 identifier of a reason (as revocation_reason_name
// spells it); kInvalidArgument for any other text.
Result<RevocationReason> parse_revocation_reason(std::string_view name);

}  // namespace pactum::pki
