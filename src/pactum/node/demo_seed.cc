#include "pactum/node/demo_seed.h"

#include "pactum/domain/accounts.h"
#include "pactum/domain/api_apps.h"
#include "pactum/domain/tenancy.h"

namespace pactum::node {
namespace {

const domain::Origin kInitOrigin{"pactum-init"};

}  // namespace

domain::DomainResult<DemoData> seed_demo(const domain::Services& services) {
  DemoData demo;
  auto owner = domain::sign_up(
      services, {"demo.owner@pactum.test", "Demo Owner 张伟", "demo-owner-pass", std::nullopt},
      kInitOrigin);
  if (!owner) {
    return std::unexpected(owner.error());
  }
  domain::Actor owner_actor;
  owner_actor.id = owner->id;
  demo.logins.push_back({"demo.owner@pactum.test", "demo-owner-pass", "owner of Demo Group"});

  auto group = domain::create_enterprise(services, owner_actor, "Demo Group", kInitOrigin);
  if (!group) {
    return std::unexpected(group.error());
  }
  demo.group_id = group->id;
  auto legal = domain::create_department(services, owner_actor, group->id, "Legal", kInitOrigin);
  if (!legal) {
    return std::unexpected(legal.error());
  }
  auto subsidiary =
      domain::create_subsidiary(services, owner_actor, group->id, "Demo Subsidiary", kInitOrigin);
  if (!subsidiary) {
    return std::unexpected(subsidiary.error());
  }
  demo.subsidiary_id = subsidiary->id;

  struct Seat {
    std::string enterprise;
    std::string login;
    std::string name;
    std::string password;
    domain::Role role;
    std::optional<std::string> id_number;
    std::optional<std::string> department;
    std::string label;
  };
  const std::vector<Seat> seats = {
      {group->id, std::string(kDemoPhone), "Demo Admin 李娜", "demo-admin-pass",
       domain::Role::kAdmin, std::string(kDemoIdNumber), legal->id, "admin of Demo Group"},
      {group->id, "demo.member@pactum.test", "Demo Member 王芳", "demo-member-pass",
       domain::Role::kMember, std::nullopt, legal->id, "member of Demo Group"},
      {group->id, "demo.auditor@pactum.test", "Demo Auditor 刘洋", "demo-auditor-pass",
       domain::Role::kAuditor, std::nullopt, std::nullopt, "auditor of Demo Group"},
      {subsidiary->id, "demo.sub@pactum.test", "Demo Subsidiary Owner 陈静", "demo-sub-pass",
       domain::Role::kOwner, std::nullopt, std::nullopt, "owner of Demo Subsidiary"},
  };
  for (const Seat& seat : seats) {
    domain::NewMember member;
    member.login = seat.login;
    member.name = seat.name;
    member.password = seat.password;
    member.id_number = seat.id_number;
    member.role = seat.role;
    member.department_id = seat.department;
    auto added = domain::add_member(services, owner_actor, seat.enterprise, member, kInitOrigin);
    if (!added) {
      return std::unexpected(added.error());
    }
    demo.logins.push_back({seat.login, seat.password, seat.label});
  }

  auto app = domain::create_api_app(services, owner_actor, group->id, "Demo integration",
                                    {domain::ApiScope::kEnterpriseRead,
                                     domain::ApiScope::kMembersWrite, domain::ApiScope::kAuditRead},
                                    kInitOrigin);
  if (!app) {
    return std::unexpected(app.error());
  }
  demo.app_id = app->app.id;
  demo.app_secret = app->secret;
  return demo;
}

}  // namespace pactum::node
