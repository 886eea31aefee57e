#include "pactum/domain/permissions.h"

#include <algorithm>
#include <array>
#include <utility>

namespace pactum::domain {
namespace {

using P = Permission;

// kRoleTable lists, per role, every permission it grants.
struct RoleGrants {
  Role role;
  std::span<const Permission> permissions;
};

constexpr std::array kOwnerGrants = {
    P::kViewEnterprise, P::kManageEnterprise, P::kViewMembers,   P::kManageMembers,
    P::kGrantPrivileged, P::kManageDepartments, P::kManageApps,  P::kViewAudit,
    P::kManageSeals,    P::kManageTemplates,  P::kSendContracts, P::kViewContracts};
constexpr std::array kAdminGrants = {
    P::kViewEnterprise, P::kManageEnterprise, P::kViewMembers,  P::kManageMembers,
    P::kManageDepartments, P::kManageApps,    P::kViewAudit,    P::kManageSeals,
    P::kManageTemplates, P::kSendContracts,   P::kViewContracts};
constexpr std::array kMemberGrants = {P::kViewEnterprise, P::kViewMembers, P::kManageTemplates,
                                      P::kSendContracts, P::kViewContracts};
constexpr std::array kAuditorGrants = {P::kViewEnterprise, P::kViewMembers, P::kViewAudit,
                                       P::kViewContracts};

constexpr std::array<RoleGrants, 4> kRoleTable = {{
    {Role::kOwner, kOwnerGrants},
    {Role::kAdmin, kAdminGrants},
    {Role::kMember, kMemberGrants},
    {Role::kAuditor, kAuditorGrants},
}};

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoleNames = {{
    {Role::kOwner, "owner"},
    {Role::kAdmin, "admin"},
    {Role::kMember, "member"},
    {Role::kAuditor, "auditor"},
}};

struct ScopeGrants {
  ApiScope scope;
  std::string_view name;
  std::span<const Permission> permissions;
};

constexpr std::array kEnterpriseReadGrants = {P::kViewEnterprise, P::kViewMembers};
constexpr std::array kMembersWriteGrants = {P::kViewMembers, P::kManageMembers,
                                            P::kManageDepartments};
constexpr std::array kAuditReadGrants = {P::kViewAudit};
constexpr std::array kContractsReadGrants = {P::kViewContracts};
constexpr std::array kContractsWriteGrants = {P::kViewContracts, P::kSendContracts,
                                              P::kManageTemplates};

constexpr std::array<ScopeGrants, 5> kScopeTable = {{
    {ApiScope::kEnterpriseRead, "enterprise:read", kEnterpriseReadGrants},
    {ApiScope::kMembersWrite, "members:write", kMembersWriteGrants},
    {ApiScope::kAuditRead, "audit:read", kAuditReadGrants},
    {ApiScope::kContractsRead, "contracts:read", kContractsReadGrants},
    {ApiScope::kContractsWrite, "contracts:write", kContractsWriteGrants},
}};

}  // namespace

bool role_allows(Role role, Permission permission) {
  const auto* entry = std::ranges::find(kRoleTable, role, &RoleGrants::role);
  return entry != kRoleTable.end() && std::ranges::find(entry->permissions, permission) != entry->permissions.end();
}

std::string_view role_name(Role role) {
  const auto* entry = std::ranges::find(kRoleNames, role, &std::pair<Role, std::string_view>::first);
  return entry == kRoleNames.end() ? "member" : entry->second;
}

std::optional<Role> parse_role(std::string_view name) {
  const auto* entry =
      std::ranges::find(kRoleNames, name, &std::pair<Role, std::string_view>::second);
  if (entry == kRoleNames.end()) {
    return std::nullopt;
  }
  return entry->first;
}

std::string_view scope_name(ApiScope scope) {
  const auto* entry = std::ranges::find(kScopeTable, scope, &ScopeGrants::scope);
  return entry == kScopeTable.end() ? "" : entry->name;
}

std::optional<ApiScope> parse_scope(std::string_view name) {
  const auto* entry = std::ranges::find(kScopeTable, name, &ScopeGrants::name);
  if (entry == kScopeTable.end()) {
    return std::nullopt;
  }
  return entry->scope;
}

bool scope_allows(ApiScope scope, Permission permission) {
  const auto* entry = std::ranges::find(kScopeTable, scope, &ScopeGrants::scope);
  return entry != kScopeTable.end() && std::ranges::find(entry->permissions, permission) != entry->permissions.end();
}

bool may_reach(std::string_view actor_enterprise, std::span<const std::string> target_lineage) {
  return !actor_enterprise.empty() && std::ranges::find(target_lineage, actor_enterprise) != target_lineage.end();
}

}  // namespace pactum::domain
