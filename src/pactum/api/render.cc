#include "pactum/api/render.h"

namespace pactum::api {

nlohmann::json to_json(const domain::UserView& user) {
  return {{"id", user.id},
          {"login_kind", user.login_kind == domain::LoginKind::kPhone ? "phone" : "email"},
          {"login", user.login},
          {"name", user.name}};
}

nlohmann::json to_json(const domain::Membership& membership) {
  return {{"enterprise_id", membership.enterprise_id},
          {"enterprise_name", membership.enterprise_name},
          {"role", domain::role_name(membership.role)}};
}

nlohmann::json to_json(const domain::Enterprise& enterprise) {
  return {{"id", enterprise.id},
          {"parent_id", enterprise.parent_id ? nlohmann::json(*enterprise.parent_id) : nullptr},
          {"name", enterprise.name}};
}

nlohmann::json to_json(const domain::Department& department) {
  return {{"id", department.id},
          {"enterprise_id", department.enterprise_id},
          {"name", department.name}};
}

nlohmann::json to_json(const domain::Member& member) {
  return {{"enterprise_id", member.enterprise_id},
          {"user", to_json(member.user)},
          {"role", domain::role_name(member.role)},
          {"department_id",
           member.department_id ? nlohmann::json(*member.department_id) : nullptr}};
}

nlohmann::json to_json(const domain::ApiApp& app) {
  nlohmann::json scopes = nlohmann::json::array();
  for (domain::ApiScope scope : app.scopes) {
    scopes.push_back(domain::scope_name(scope));
  }
  return {{"id", app.id},
          {"enterprise_id", app.enterprise_id},
          {"name", app.name},
          {"scopes", scopes},
          {"revoked", app.revoked}};
}

nlohmann::json to_json(const domain::AuditEntry& entry) {
  const auto& e = entry.event;
  return {{"seq", entry.seq},
          {"at_us", entry.at_us},
          {"enterprise_id", e.enterprise_id ? nlohmann::json(*e.enterprise_id) : nullptr},
          {"actor", e.actor},
          {"action", e.action},
          {"object_type", e.object_type},
          {"object_id", e.object_id},
          {"client_address", e.client_address},
          {"detail", nlohmann::json::parse(e.detail, nullptr, false)}};
}

}  // namespace pactum::api
