#pragma once

#include <optional>
#include <string>

#include "pactum/domain/principal.h"

namespace pactum::domain::intent {

// IntentAudit is who the audit entries of a start or check name: the tenant the signing belongs
// to (when known), the actor's label ("user:...", or the contract flow's name for a signer such
// as "party:<key>"; "anonymous" for a sign-up) and the request's origin.
struct IntentAudit {
  std::optional<std::string> enterprise_id;
  std::string actor = "anonymous";
  Origin origin;
};

}  // namespace pactum::domain::intent
