#include "pactum/domain/permissions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pactum::domain {
namespace {

TEST(Permissions, RoleTable) {
  EXPECT_TRUE(role_allows(Role::kOwner, Permission::kGrantPrivileged));
  EXPECT_FALSE(role_allows(Role::kAdmin, Permission::kGrantPrivileged));
  EXPECT_TRUE(role_allows(Role::kAdmin, Permission::kManageMembers));
  EXPECT_FALSE(role_allows(Role::kMember, Permission::kManageMembers));
  EXPECT_TRUE(role_allows(Role::kMember, Permission::kViewMembers));
  EXPECT_FALSE(role_allows(Role::kMember, Permission::kViewAudit));
  EXPECT_TRUE(role_allows(Role::kAuditor, Permission::kViewAudit));
  EXPECT_FALSE(role_allows(Role::kAuditor, Permission::kSendContracts));
  EXPECT_FALSE(role_allows(Role::kAuditor, Permission::kManageApps));
}

TEST(Permissions, RoleNamesRoundTrip) {
  for (Role role : {Role::kOwner, Role::kAdmin, Role::kMember, Role::kAuditor}) {
    EXPECT_EQ(parse_role(role_name(role)), role);
  }
  EXPECT_FALSE(parse_role("root"));
  EXPECT_FALSE(parse_role("Owner"));
}

TEST(Permissions, ScopesNeverGrantAdministration) {
  for (ApiScope scope : {ApiScope::kEnterpriseRead, ApiScope::kMembersWrite, ApiScope::kAuditRead,
                         ApiScope::kContractsRead, ApiScope::kContractsWrite}) {
    EXPECT_EQ(parse_scope(scope_name(scope)), scope);
    EXPECT_FALSE(scope_allows(scope, Permission::kGrantPrivileged));
    EXPECT_FALSE(scope_allows(scope, Permission::kManageApps));
    EXPECT_FALSE(scope_allows(scope, Permission::kManageEnterprise));
  }
  EXPECT_TRUE(scope_allows(ApiScope::kAuditRead, Permission::kViewAudit));
  EXPECT_FALSE(scope_allows(ApiScope::kEnterpriseRead, Permission::kViewAudit));
  EXPECT_FALSE(parse_scope("admin"));
}

// Group: root R has subsidiaries A and B; A has subsidiary A1.
TEST(GroupRule, ParentReachesDescendantsOnly) {
  const std::vector<std::string> root = {"R"};
  const std::vector<std::string> a = {"A", "R"};
  const std::vector<std::string> b = {"B", "R"};
  const std::vector<std::string> a1 = {"A1", "A", "R"};
  EXPECT_TRUE(may_reach("R", root));
  EXPECT_TRUE(may_reach("R", a));
  EXPECT_TRUE(may_reach("R", a1));
  EXPECT_TRUE(may_reach("A", a1));
  EXPECT_TRUE(may_reach("A", a));
  EXPECT_FALSE(may_reach("A", root)) << "a subsidiary never reaches its parent";
  EXPECT_FALSE(may_reach("A1", a)) << "nor its grandparent's other branches";
  EXPECT_FALSE(may_reach("A", b)) << "siblings never reach each other";
  EXPECT_FALSE(may_reach("B", a1));
  EXPECT_FALSE(may_reach("", root));
  EXPECT_FALSE(may_reach("X", {}));
}

}  // namespace
}  // namespace pactum::domain
