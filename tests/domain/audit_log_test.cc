#include "pactum/domain/audit_log.h"

#include <gtest/gtest.h>

#include "domain_fixture.h"

namespace pactum::testing {
namespace {

using domain::DomainErrorCode;

class AuditLogTest : public DomainTest {};

domain::AuditQuery for_enterprise(const std::string& id, std::int64_t limit = 100) {
  domain::AuditQuery query;
  query.enterprise_id = id;
  query.limit = limit;
  return query;
}

TEST_P(AuditLogTest, ChangesAreRecordedWithWhoWhereWhen) {
  auto owner = user("owner@example.com");
  const std::string ent = enterprise(owner, "Acme");
  now_ += std::chrono::seconds(10);
  origin_ = {"198.51.100.23"};
  auto dep = domain::create_department(services(), owner, ent, "Legal", origin_);
  ASSERT_TRUE(dep);

  auto entries = domain::query_audit(services(), owner, for_enterprise(ent));
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 2U);
  EXPECT_EQ((*entries)[0].event.action, "enterprise.create");
  const auto& last = (*entries)[1];
  EXPECT_EQ(last.event.action, "department.create");
  EXPECT_EQ(last.event.object_type, "department");
  EXPECT_EQ(last.event.object_id, dep->id);
  EXPECT_EQ(last.event.actor, "user:" + owner.id);
  EXPECT_EQ(last.event.client_address, "198.51.100.23");
  EXPECT_EQ(last.at_us, (unix_seconds(now_)) * 1000000);
  EXPECT_GT(last.seq, (*entries)[0].seq);
}

TEST_P(AuditLogTest, FiltersNarrowTheQuery) {
  auto owner = user("owner@example.com");
  const std::string ent = enterprise(owner, "Acme");
  const auto t1 = now_ += std::chrono::seconds(100);
  ASSERT_TRUE(domain::create_department(services(), owner, ent, "A", origin_));
  now_ += std::chrono::seconds(100);
  ASSERT_TRUE(domain::create_department(services(), owner, ent, "B", origin_));
  const std::int64_t t1_us = unix_seconds(t1) * 1000000;

  domain::AuditQuery q = for_enterprise(ent);
  q.action = "department.create";
  EXPECT_EQ(domain::query_audit(services(), owner, q)->size(), 2U);
  q.to_us = t1_us + 1;
  EXPECT_EQ(domain::query_audit(services(), owner, q)->size(), 1U);
  q.to_us.reset();
  q.from_us = t1_us + 1;
  EXPECT_EQ(domain::query_audit(services(), owner, q)->size(), 1U);
  q = for_enterprise(ent);
  q.actor = "user:nobody";
  EXPECT_EQ(domain::query_audit(services(), owner, q)->size(), 0U);
  q = for_enterprise(ent);
  q.object_id = ent;
  EXPECT_EQ(domain::query_audit(services(), owner, q)->size(), 1U);
  q = for_enterprise(ent, 1);
  auto first = domain::query_audit(services(), owner, q);
  ASSERT_EQ(first->size(), 1U);
  q.after_seq = (*first)[0].seq;
  q.limit = 10;
  EXPECT_EQ(domain::query_audit(services(), owner, q)->size(), 2U);
  q.limit = 0;
  expect_refused(domain::query_audit(services(), owner, q), DomainErrorCode::kInvalidInput);
}

TEST_P(AuditLogTest, TenantScopedAndRoleChecked) {
  auto owner = user("owner@example.com");
  auto member = user("member@example.com");
  auto stranger = user("stranger@example.com");
  const std::string parent = enterprise(owner, "Parent");
  const std::string child = subsidiary(owner, parent, "Child");
  join(owner, child, "member@example.com", domain::Role::kOwner);
  join(owner, parent, "stranger@example.com", domain::Role::kMember);
  EXPECT_TRUE(domain::query_audit(services(), owner, for_enterprise(child)))
      << "a parent reads its subsidiary's log";
  expect_refused(domain::query_audit(services(), member, for_enterprise(parent)),
                 DomainErrorCode::kNotFound, "a subsidiary never reads its parent's log");
  expect_refused(domain::query_audit(services(), stranger, for_enterprise(parent)),
                 DomainErrorCode::kForbidden, "a plain member may not read the log");
}

TEST_P(AuditLogTest, TheDatabaseRefusesUpdateAndDelete) {
  auto owner = user("owner@example.com");
  enterprise(owner, "Acme");
  const auto before = count("audit_log");
  ASSERT_GT(before, 0);
  auto lease = database().acquire();
  ASSERT_TRUE(lease);
  EXPECT_FALSE((*lease)->execute("UPDATE audit_log SET actor = 'someone else'"));
  EXPECT_FALSE((*lease)->execute("DELETE FROM audit_log"));
  EXPECT_EQ(count("audit_log"), before);
  auto row = (*lease)->query_one("SELECT COUNT(*) FROM audit_log WHERE actor = 'someone else'");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->int64(0).value(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditLogTest, kBothEngines, EngineName());

}  // namespace
}  // namespace pactum::testing
