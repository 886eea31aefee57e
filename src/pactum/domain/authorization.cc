#include "pactum/domain/authorization.h"

#include <algorithm>
#include <memory>

namespace pactum::domain {
namespace {

std::unexpected<DomainError> unknown_enterprise() {
  return refuse(DomainErrorCode::kNotFound, "no such enterprise");
}

}  // namespace

DomainResult<std::vector<std::string>> load_lineage(store::Executor& executor,
                                                    std::string_view enterprise_id) {
  std::vector<std::string> lineage;
  std::string current(enterprise_id);
  while (lineage.size() < kMaxGroupDepth) {
    auto row = executor.query_optional("SELECT parent_id FROM enterprises WHERE id = ?",
                                       {current});
    if (!row) {
      return internal("reading an enterprise", row.error());
    }
    if (!*row) {
      return unknown_enterprise();
    }
    lineage.push_back(current);
    auto parent = (*row)->optional_text(0);
    if (!parent) {
      return internal("reading an enterprise", parent.error());
    }
    if (!*parent) {
      return lineage;
    }
    current = **parent;
  }
  return refuse(DomainErrorCode::kInternal, "enterprise nesting deeper than allowed");
}

DomainStatus authorize(const Services& services, store::Executor& executor, const Actor& actor,
                       std::string_view enterprise_id, Permission permission) {
  std::shared_ptr<const Lineage> lineage = services.lineages.find(enterprise_id);
  if (!lineage) {
    auto loaded = load_lineage(executor, enterprise_id);
    if (!loaded) {
      return std::unexpected(loaded.error());
    }
    lineage = std::make_shared<const Lineage>(std::move(*loaded));
    // Inside a transaction the read may include the transaction's own uncommitted rows.
    if (dynamic_cast<store::Transaction*>(&executor) == nullptr) {
      services.lineages.put(lineage);
    }
  }
  if (actor.kind == ActorKind::kApp) {
    if (!may_reach(actor.app_enterprise_id, *lineage)) {
      return unknown_enterprise();
    }
    const bool allowed = std::ranges::any_of(
        actor.scopes, [&](ApiScope scope) { return scope_allows(scope, permission); });
    if (!allowed) {
      return refuse(DomainErrorCode::kForbidden, "the app's scopes do not allow this");
    }
    return {};
  }
  auto rows = executor.query("SELECT enterprise_id, role FROM members WHERE user_id = ?",
                             {actor.id});
  if (!rows) {
    return internal("reading memberships", rows.error());
  }
  bool reachable = false;
  for (const store::Row& row : *rows) {
    auto member_of = row.text(0);
    auto role_text = row.text(1);
    if (!member_of || !role_text) {
      return refuse(DomainErrorCode::kInternal, "unreadable membership row");
    }
    if (!may_reach(*member_of, *lineage)) {
      continue;
    }
    reachable = true;
    const auto role = parse_role(*role_text);
    if (role && role_allows(*role, permission)) {
      return {};
    }
  }
  if (!reachable) {
    return unknown_enterprise();
  }
  return refuse(DomainErrorCode::kForbidden, "your role does not allow this");
}

}  // namespace pactum::domain
