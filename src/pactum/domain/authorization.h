#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/permissions.h"
#include "pactum/domain/principal.h"
#include "pactum/domain/services.h"
#include "pactum/store/database.h"

namespace pactum::domain {

// kMaxGroupDepth bounds how deep subsidiaries nest, so a lineage walk always ends.
inline constexpr std::size_t kMaxGroupDepth = 8;

// load_lineage returns enterprise_id followed by its parent, grandparent, ... up to the root;
// kNotFound if the enterprise does not exist.
DomainResult<std::vector<std::string>> load_lineage(store::Executor& executor,
                                                    std::string_view enterprise_id);

// authorize is the one permission check every use case makes before touching an enterprise's
// objects. A user passes if one of their memberships is in the target's lineage (the group rule,
// may_reach) with a role that allows the permission; an app passes if its enterprise is in the
// lineage and one of its scopes allows the permission. Failures, chosen so that nothing leaks:
// kNotFound if the enterprise does not exist or is outside the actor's reach (another tenant, a
// parent, a sibling), kForbidden if it is within reach but the role or scope is not enough.
// The lineage comes from services.lineages when cached there (lineages never change); one read
// outside a transaction is cached for the next call.
DomainStatus authorize(const Services& services, store::Executor& executor, const Actor& actor,
                       std::string_view enterprise_id, Permission permission);

}  // namespace pactum::domain
