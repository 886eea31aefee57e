#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/domain/accounts.h"
#include "pactum/domain/domain_error.h"
#include "pactum/domain/permissions.h"
#include "pactum/domain/principal.h"
#include "pactum/domain/services.h"

namespace pactum::domain {

// Enterprise is a tenant; parent_id is set for a subsidiary.
struct Enterprise {
  std::string id;
  std::optional<std::string> parent_id;
  std::string name;
};

// Department groups members inside one enterprise.
struct Department {
  std::string id;
  std::string enterprise_id;
  std::string name;
};

// Member is a user's membership of an enterprise, with the user's (unsealed) name and login.
struct Member {
  std::string enterprise_id;
  UserView user;
  Role role = Role::kMember;
  std::optional<std::string> department_id;
};

// create_enterprise creates a top-level enterprise whose owner is the acting user (apps cannot
// create tenants: kForbidden). Audited "enterprise.create".
DomainResult<Enterprise> create_enterprise(const Services& services, const Actor& actor,
                                           std::string_view name, const Origin& origin);

// create_subsidiary creates an enterprise under parent_id; needs kManageEnterprise on the
// parent. The parent's members keep their reach over it through the group rule; it starts
// without members of its own. Audited "enterprise.create_subsidiary" in the parent.
DomainResult<Enterprise> create_subsidiary(const Services& services, const Actor& actor,
                                           std::string_view parent_id, std::string_view name,
                                           const Origin& origin);

// get_enterprise returns one enterprise (kViewEnterprise).
DomainResult<Enterprise> get_enterprise(const Services& services, const Actor& actor,
                                        std::string_view enterprise_id);

// list_enterprises returns the enterprises the actor belongs to directly (a user's memberships,
// an app's own enterprise).
DomainResult<std::vector<Enterprise>> list_enterprises(const Services& services,
                                                       const Actor& actor);

// list_subsidiaries returns the direct subsidiaries of enterprise_id (kViewEnterprise).
DomainResult<std::vector<Enterprise>> list_subsidiaries(const Services& services,
                                                        const Actor& actor,
                                                        std::string_view enterprise_id);

// NewMember adds a person to an enterprise: an existing user found by login, or a new account
// made from login, name and password when none exists yet (then name and password are needed).
struct NewMember {
  std::string login;
  std::optional<std::string> name;
  std::optional<std::string> password;
  std::optional<std::string> id_number;
  Role role = Role::kMember;
  std::optional<std::string> department_id;
};

// add_member needs kManageMembers, and kGrantPrivileged for the owner or admin role. kConflict
// if the user is already a member; kInvalidInput for a department of another enterprise.
// Audited "member.add".
DomainResult<Member> add_member(const Services& services, const Actor& actor,
                                std::string_view enterprise_id, const NewMember& member,
                                const Origin& origin);

// list_members returns an enterprise's members (kViewMembers).
DomainResult<std::vector<Member>> list_members(const Services& services, const Actor& actor,
                                               std::string_view enterprise_id);

// MemberChange changes a member's role and/or department (empty string: no department).
struct MemberChange {
  std::optional<Role> role;
  std::optional<std::string> department_id;
};

// update_member needs kManageMembers, and kGrantPrivileged to give or take owner or admin; the
// last owner cannot be demoted (kConflict). kNotFound if user_id is not a member. Audited
// "member.update".
DomainResult<Member> update_member(const Services& services, const Actor& actor,
                                   std::string_view enterprise_id, std::string_view user_id,
                                   const MemberChange& change, const Origin& origin);

// remove_member needs kManageMembers (kGrantPrivileged to remove an owner or admin); the last
// owner cannot be removed. Audited "member.remove".
DomainStatus remove_member(const Services& services, const Actor& actor,
                           std::string_view enterprise_id, std::string_view user_id,
                           const Origin& origin);

// create_department needs kManageDepartments; kConflict for a duplicate name. Audited
// "department.create".
DomainResult<Department> create_department(const Services& services, const Actor& actor,
                                           std::string_view enterprise_id, std::string_view name,
                                           const Origin& origin);

// list_departments returns an enterprise's departments (kViewMembers).
DomainResult<std::vector<Department>> list_departments(const Services& services,
                                                       const Actor& actor,
                                                       std::string_view enterprise_id);

}  // namespace pactum::domain
