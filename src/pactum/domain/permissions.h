#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pactum::domain {

// Role is a member's role inside one enterprise. The order is not a hierarchy: what each role
// may do is the table in permissions.cc, nothing else.
enum class Role : std::uint8_t {
  kOwner,    // everything, including granting owner and admin
  kAdmin,    // runs the enterprise: members, departments, apps, subsidiaries, audit
  kMember,   // does the work: contracts and templates, sees members
  kAuditor,  // reads everything, including the audit log, changes nothing
};

// Permission is one thing a use case may need; every use case checks exactly the ones it needs.
enum class Permission : std::uint8_t {
  kViewEnterprise,
  kManageEnterprise,    // rename, create subsidiaries
  kViewMembers,
  kManageMembers,       // add, remove, change department
  kGrantPrivileged,     // give or take the owner and admin roles
  kManageDepartments,
  kManageApps,          // API apps: create, rotate, revoke
  kViewAudit,
  kManageSeals,
  kManageTemplates,
  kSendContracts,
  kViewContracts,
};

// role_allows returns true if role grants permission (the one permission table).
bool role_allows(Role role, Permission permission);

// role_name returns "owner", "admin", "member" or "auditor".
std::string_view role_name(Role role);

// parse_role is the inverse of role_name; nullopt for anything else.
std::optional<Role> parse_role(std::string_view name);

// ApiScope is what an API app may do; an app acts with the scopes it was created with, inside
// the enterprise that owns it (and that enterprise's subsidiaries).
enum class ApiScope : std::uint8_t {
  kEnterpriseRead,  // "enterprise:read": enterprises, members, departments
  kMembersWrite,    // "members:write"
  kAuditRead,       // "audit:read"
  kContractsRead,   // "contracts:read"
  kContractsWrite,  // "contracts:write"
};

// scope_name and parse_scope convert scopes to and from their wire names.
std::string_view scope_name(ApiScope scope);
std::optional<ApiScope> parse_scope(std::string_view name);

// scope_allows returns true if a permission is covered by the scope (the app equivalent of
// role_allows). Permissions that change roles, apps or the enterprise are never given to apps.
bool scope_allows(ApiScope scope, Permission permission);

// may_reach is the group rule: an actor of enterprise `actor_enterprise` may act on an object of
// the enterprise whose lineage is `target_lineage` (the target itself first, then its parent,
// grandparent, ... up to the root) if and only if the actor's enterprise is in that lineage.
// So a parent reaches its subsidiaries at any depth; a subsidiary never reaches its parent, and
// siblings never reach each other (neither is in the other's lineage).
bool may_reach(std::string_view actor_enterprise, std::span<const std::string> target_lineage);

}  // namespace pactum::domain
