#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pactum/domain/permissions.h"

namespace pactum::domain {

// ActorKind says who is acting: a person with a session, or a developer's API app.
enum class ActorKind : std::uint8_t { kUser, kApp };

// Actor is the authenticated principal of a request. For a user, permissions come from their
// memberships; for an app, from its scopes inside its enterprise (and that one's subsidiaries).
struct Actor {
  ActorKind kind = ActorKind::kUser;
  std::string id;                  // user id or app id
  std::string app_enterprise_id;   // apps only: the enterprise that owns the app
  std::vector<ApiScope> scopes;    // apps only

  // label returns "user:<id>" or "app:<id>", how the audit log and access log name the actor.
  [[nodiscard]] std::string label() const {
    return (kind == ActorKind::kUser ? "user:" : "app:") + id;
  }
};

// Origin is where a request came from, recorded with every audit entry.
struct Origin {
  std::string client_address;
};

}  // namespace pactum::domain
