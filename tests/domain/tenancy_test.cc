#include "pactum/domain/tenancy.h"

#include <gtest/gtest.h>

#include "domain_fixture.h"

namespace pactum::testing {
namespace {

using domain::DomainErrorCode;
using domain::Role;

// A group: root R with subsidiaries A and B, and A1 under A; an unrelated tenant X.
class TenancyTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    owner_r_ = user("owner.r@example.com");
    owner_a_ = user("owner.a@example.com");
    owner_b_ = user("owner.b@example.com");
    member_a_ = user("member.a@example.com");
    auditor_r_ = user("auditor.r@example.com");
    owner_x_ = user("owner.x@example.com");
    r_ = enterprise(owner_r_, "Root Group");
    a_ = subsidiary(owner_r_, r_, "Subsidiary A");
    b_ = subsidiary(owner_r_, r_, "Subsidiary B");
    a1_ = subsidiary(owner_r_, a_, "Sub-subsidiary A1");
    x_ = enterprise(owner_x_, "Unrelated X");
    join(owner_r_, a_, "owner.a@example.com", Role::kOwner);
    join(owner_r_, b_, "owner.b@example.com", Role::kOwner);
    join(owner_a_, a_, "member.a@example.com", Role::kMember);
    join(owner_r_, r_, "auditor.r@example.com", Role::kAuditor);
  }

  domain::Actor owner_r_, owner_a_, owner_b_, member_a_, auditor_r_, owner_x_;
  std::string r_, a_, b_, a1_, x_;
};

TEST_P(TenancyTest, ParentManagesDescendants) {
  EXPECT_TRUE(domain::list_members(services(), owner_r_, a1_));
  EXPECT_TRUE(domain::create_department(services(), owner_r_, a1_, "Legal", origin_));
  EXPECT_TRUE(domain::list_members(services(), owner_a_, a1_));
  auto subs = domain::list_subsidiaries(services(), owner_r_, r_);
  ASSERT_TRUE(subs);
  EXPECT_EQ(subs->size(), 2U);
}

TEST_P(TenancyTest, SubsidiaryNeverReachesItsParentAndSiblingsNeverEachOther) {
  const auto before = count("audit_log");
  expect_refused(domain::get_enterprise(services(), owner_a_, r_), DomainErrorCode::kNotFound,
                 "child reads parent");
  expect_refused(domain::list_members(services(), owner_a_, r_), DomainErrorCode::kNotFound,
                 "child lists parent's members");
  expect_refused(domain::create_department(services(), owner_a_, r_, "Sneaky", origin_),
                 DomainErrorCode::kNotFound, "child writes parent");
  expect_refused(domain::list_members(services(), owner_a_, b_), DomainErrorCode::kNotFound,
                 "sibling");
  expect_refused(domain::list_members(services(), owner_b_, a1_), DomainErrorCode::kNotFound,
                 "sibling's child");
  expect_refused(domain::list_members(services(), owner_x_, a_), DomainErrorCode::kNotFound,
                 "other tenant");
  expect_refused(domain::create_subsidiary(services(), owner_a_, r_, "Sneaky", origin_),
                 DomainErrorCode::kNotFound, "child creates sibling");
  EXPECT_EQ(count("audit_log"), before) << "refusals change nothing";
  EXPECT_EQ(count("departments"), 0);
}

TEST_P(TenancyTest, WarmLineageCacheKeepsTheGroupRuleAndRemovalsTakeEffect) {
  // Warm the cache with every lineage, read by actors who may see them.
  for (const std::string& id : {r_, a_, b_, a1_}) {
    ASSERT_TRUE(domain::get_enterprise(services(), owner_r_, id));
  }
  ASSERT_TRUE(domain::get_enterprise(services(), owner_x_, x_));
  expect_refused(domain::get_enterprise(services(), owner_a_, r_), DomainErrorCode::kNotFound,
                 "child reads parent");
  expect_refused(domain::list_members(services(), owner_b_, a1_), DomainErrorCode::kNotFound,
                 "sibling's child");
  expect_refused(domain::list_members(services(), owner_x_, a_), DomainErrorCode::kNotFound,
                 "other tenant");
  EXPECT_TRUE(domain::get_enterprise(services(), owner_a_, a1_)) << "parent reads child";
  // Memberships are never cached: a removed member loses access on the next call.
  ASSERT_TRUE(domain::list_members(services(), member_a_, a_));
  ASSERT_TRUE(domain::remove_member(services(), owner_a_, a_, member_a_.id, origin_));
  expect_refused(domain::list_members(services(), member_a_, a_), DomainErrorCode::kNotFound,
                 "removed member");
  {
    // Lineages come from the cache once read: re-parenting A1 behind the API's back (no use case
    // can) does not change what authorize sees. This is why nothing may ever move an enterprise
    // without invalidating the cache.
    auto lease = database().acquire();
    ASSERT_TRUE(lease);
    ASSERT_TRUE(
        (*lease)->execute("UPDATE enterprises SET parent_id = ? WHERE id = ?", {x_, a1_}));
  }
  EXPECT_TRUE(domain::get_enterprise(services(), owner_r_, a1_)) << "served from the cache";
}

TEST_P(TenancyTest, RolesAreChecked) {
  expect_refused(domain::create_department(services(), member_a_, a_, "Ops", origin_),
                 DomainErrorCode::kForbidden, "member manages departments");
  EXPECT_TRUE(domain::list_members(services(), member_a_, a_));
  expect_refused(domain::list_members(services(), member_a_, r_), DomainErrorCode::kNotFound);
  EXPECT_TRUE(domain::list_members(services(), auditor_r_, a_));
  expect_refused(domain::create_department(services(), auditor_r_, a_, "Ops", origin_),
                 DomainErrorCode::kForbidden, "auditor writes");
}

TEST_P(TenancyTest, OnlyOwnersGrantPrivilegedRoles) {
  auto admin = user("admin.a@example.com");
  join(owner_a_, a_, "admin.a@example.com", Role::kAdmin);
  user("new.a@example.com");
  domain::NewMember as_owner;
  as_owner.login = "new.a@example.com";
  as_owner.role = Role::kOwner;
  expect_refused(domain::add_member(services(), admin, a_, as_owner, origin_),
                 DomainErrorCode::kForbidden);
  as_owner.role = Role::kMember;
  EXPECT_TRUE(domain::add_member(services(), admin, a_, as_owner, origin_));
  auto members = domain::list_members(services(), admin, a_);
  ASSERT_TRUE(members);
  std::string new_id;
  for (const auto& m : *members) {
    if (m.user.login == "new.a@example.com") {
      new_id = m.user.id;
    }
  }
  expect_refused(domain::update_member(services(), admin, a_, new_id, {Role::kAdmin, {}}, origin_),
                 DomainErrorCode::kForbidden);
  EXPECT_TRUE(domain::update_member(services(), owner_a_, a_, new_id, {Role::kAdmin, {}}, origin_));
}

TEST_P(TenancyTest, LastOwnerStays) {
  expect_refused(domain::update_member(services(), owner_x_, x_, owner_x_.id,
                                       {Role::kMember, {}}, origin_),
                 DomainErrorCode::kConflict);
  expect_refused(domain::remove_member(services(), owner_x_, x_, owner_x_.id, origin_),
                 DomainErrorCode::kConflict);
}

TEST_P(TenancyTest, AddMemberCreatesAccountsAndChecksDepartments) {
  auto legal = domain::create_department(services(), owner_a_, a_, "Legal", origin_);
  auto other = domain::create_department(services(), owner_b_, b_, "Legal", origin_);
  ASSERT_TRUE(legal && other);
  domain::NewMember fresh;
  fresh.login = "13800138000";
  fresh.name = "李雷";
  fresh.password = "initial-pass";
  fresh.department_id = other->id;
  expect_refused(domain::add_member(services(), owner_a_, a_, fresh, origin_),
                 DomainErrorCode::kInvalidInput, "department of a sibling");
  fresh.department_id = legal->id;
  auto added = domain::add_member(services(), owner_a_, a_, fresh, origin_);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->user.login, "+8613800138000");
  EXPECT_EQ(added->department_id, legal->id);
  EXPECT_TRUE(domain::log_in(services(), "+86 138 0013 8000", "initial-pass", origin_));
  expect_refused(domain::add_member(services(), owner_a_, a_, fresh, origin_),
                 DomainErrorCode::kConflict);
  domain::NewMember unknown;
  unknown.login = "nobody@example.com";
  expect_refused(domain::add_member(services(), owner_a_, a_, unknown, origin_),
                 DomainErrorCode::kInvalidInput);
}

TEST_P(TenancyTest, MembershipsListedForMe) {
  auto me = domain::get_me(services(), owner_r_);
  ASSERT_TRUE(me);
  ASSERT_EQ(me->second.size(), 1U);
  EXPECT_EQ(me->second[0].enterprise_id, r_);
  EXPECT_EQ(me->second[0].role, Role::kOwner);
  auto listed = domain::list_enterprises(services(), owner_a_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ((*listed)[0].id, a_);
  EXPECT_EQ((*listed)[0].parent_id, r_);
}

INSTANTIATE_TEST_SUITE_P(Engines, TenancyTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing
