#include <array>

#include "pactum/api/api_context.h"
#include "pactum/api/api_routes.h"
#include "pactum/api/error_status.h"
#include "pactum/api/json_fields.h"
#include "pactum/api/render.h"
#include "pactum/domain/tenancy.h"

namespace pactum::api {
namespace {

using boost::beast::http::verb;

// respond renders a use case's result with status, or its refusal.
template <typename T>
http::Response respond(const http::RequestContext& context, const domain::DomainResult<T>& result,
                       http::Status status = http::Status::ok) {
  if (!result) {
    return domain_error_response(context, result.error());
  }
  return http::json_value_response(status, to_json(*result));
}

template <typename T>
http::Response respond_list(const http::RequestContext& context,
                            const domain::DomainResult<std::vector<T>>& result) {
  if (!result) {
    return domain_error_response(context, result.error());
  }
  return http::json_value_response(http::Status::ok, {{"items", to_json_array(*result)}});
}

Parsed<std::optional<domain::Role>> optional_role(const nlohmann::json& body,
                                                  const http::RequestContext& context) {
  auto text = optional_string(body, "role", context);
  if (!text) {
    return std::unexpected(std::move(text.error()));
  }
  if (!*text) {
    return std::optional<domain::Role>();
  }
  auto role = domain::parse_role(**text);
  if (!role) {
    return std::unexpected(
        invalid_argument(context, "role must be owner, admin, member or auditor"));
  }
  return std::optional<domain::Role>(*role);
}

http::Response create_enterprise(const domain::Services& s, const http::Request& request,
                                 const http::RequestContext& context) {
  auto name = read_required_string(request, context, "name");
  if (!name) {
    return std::move(name.error());
  }
  return respond(context,
                 domain::create_enterprise(s, actor_of(context), *name, origin_of(context)),
                 http::Status::created);
}

http::Response create_subsidiary(const domain::Services& s, const http::Request& request,
                                 const http::RequestContext& context) {
  auto name = read_required_string(request, context, "name");
  if (!name) {
    return std::move(name.error());
  }
  return respond(context,
                 domain::create_subsidiary(s, actor_of(context), param(context, "id"), *name,
                                           origin_of(context)),
                 http::Status::created);
}

http::Response add_member(const domain::Services& s, const http::Request& request,
                          const http::RequestContext& context) {
  auto body = read_object(request, context);
  if (!body) {
    return std::move(body.error());
  }
  auto login = required_string(*body, "login", context);
  if (!login) {
    return std::move(login.error());
  }
  domain::NewMember member;
  member.login = *login;
  for (auto [name, field] : std::array{std::pair{"name", &member.name},
                                       std::pair{"password", &member.password},
                                       std::pair{"id_number", &member.id_number},
                                       std::pair{"department_id", &member.department_id}}) {
    auto value = optional_string(*body, name, context);
    if (!value) {
      return std::move(value.error());
    }
    *field = std::move(*value);
  }
  auto role = optional_role(*body, context);
  if (!role) {
    return std::move(role.error());
  }
  member.role = role->value_or(domain::Role::kMember);
  return respond(context,
                 domain::add_member(s, actor_of(context), param(context, "id"), member,
                                    origin_of(context)),
                 http::Status::created);
}

http::Response update_member(const domain::Services& s, const http::Request& request,
                             const http::RequestContext& context) {
  auto body = read_object(request, context);
  if (!body) {
    return std::move(body.error());
  }
  auto role = optional_role(*body, context);
  if (!role) {
    return std::move(role.error());
  }
  auto department = optional_string(*body, "department_id", context);
  if (!department) {
    return std::move(department.error());
  }
  return respond(context, domain::update_member(s, actor_of(context), param(context, "id"),
                                                param(context, "user_id"),
                                                {*role, *department}, origin_of(context)));
}

http::Response remove_member(const domain::Services& s, const http::RequestContext& context) {
  auto removed = domain::remove_member(s, actor_of(context), param(context, "id"),
                                       param(context, "user_id"), origin_of(context));
  if (!removed) {
    return domain_error_response(context, removed.error());
  }
  return http::json_value_response(http::Status::ok, {{"removed", true}});
}

http::Response create_department(const domain::Services& s, const http::Request& request,
                                 const http::RequestContext& context) {
  auto name = read_required_string(request, context, "name");
  if (!name) {
    return std::move(name.error());
  }
  return respond(context,
                 domain::create_department(s, actor_of(context), param(context, "id"), *name,
                                           origin_of(context)),
                 http::Status::created);
}

http::Response list_roles() {
  using domain::Permission;
  constexpr std::array<std::pair<Permission, std::string_view>, 12> kPermissions = {{
      {Permission::kViewEnterprise, "enterprise.view"},
      {Permission::kManageEnterprise, "enterprise.manage"},
      {Permission::kViewMembers, "members.view"},
      {Permission::kManageMembers, "members.manage"},
      {Permission::kGrantPrivileged, "roles.grant_privileged"},
      {Permission::kManageDepartments, "departments.manage"},
      {Permission::kManageApps, "apps.manage"},
      {Permission::kViewAudit, "audit.view"},
      {Permission::kManageSeals, "seals.manage"},
      {Permission::kManageTemplates, "templates.manage"},
      {Permission::kSendContracts, "contracts.send"},
      {Permission::kViewContracts, "contracts.view"},
  }};
  nlohmann::json roles = nlohmann::json::array();
  for (domain::Role role : {domain::Role::kOwner, domain::Role::kAdmin, domain::Role::kMember,
                            domain::Role::kAuditor}) {
    nlohmann::json granted = nlohmann::json::array();
    for (const auto& [permission, name] : kPermissions) {
      if (domain::role_allows(role, permission)) {
        granted.push_back(name);
      }
    }
    roles.push_back({{"role", domain::role_name(role)}, {"permissions", granted}});
  }
  return http::json_value_response(http::Status::ok, {{"items", roles}});
}

}  // namespace

void add_enterprise_routes(http::Router& router, const domain::Services& services) {
  const auto& s = services;
  const auto any = [&s] { return std::vector{authentication(s, Auth::kSessionOrApp)}; };
  router.add(verb::get, "/api/v1/roles",
             [](const http::Request&, const http::RequestContext&) { return list_roles(); },
             any());
  router.add(verb::get, "/api/v1/enterprises",
             [&s](const http::Request&, const http::RequestContext& c) {
               return respond_list(c, domain::list_enterprises(s, actor_of(c)));
             },
             any());
  router.add(verb::post, "/api/v1/enterprises",
             [&s](const http::Request& r, const http::RequestContext& c) {
               return create_enterprise(s, r, c);
             },
             {authentication(s, Auth::kSession)});
  router.add(verb::get, "/api/v1/enterprises/{id}",
             [&s](const http::Request&, const http::RequestContext& c) {
               return respond(c, domain::get_enterprise(s, actor_of(c), param(c, "id")));
             },
             any());
  router.add(verb::get, "/api/v1/enterprises/{id}/subsidiaries",
             [&s](const http::Request&, const http::RequestContext& c) {
               return respond_list(c, domain::list_subsidiaries(s, actor_of(c), param(c, "id")));
             },
             any());
  router.add(verb::post, "/api/v1/enterprises/{id}/subsidiaries",
             [&s](const http::Request& r, const http::RequestContext& c) {
               return create_subsidiary(s, r, c);
             },
             any());
  router.add(verb::get, "/api/v1/enterprises/{id}/members",
             [&s](const http::Request&, const http::RequestContext& c) {
               return respond_list(c, domain::list_members(s, actor_of(c), param(c, "id")));
             },
             any());
  router.add(verb::post, "/api/v1/enterprises/{id}/members",
             [&s](const http::Request& r, const http::RequestContext& c) {
               return add_member(s, r, c);
             },
             any());
  router.add(verb::patch, "/api/v1/enterprises/{id}/members/{user_id}",
             [&s](const http::Request& r, const http::RequestContext& c) {
               return update_member(s, r, c);
             },
             any());
  router.add(verb::delete_, "/api/v1/enterprises/{id}/members/{user_id}",
             [&s](const http::Request&, const http::RequestContext& c) {
               return remove_member(s, c);
             },
             any());
  router.add(verb::get, "/api/v1/enterprises/{id}/departments",
             [&s](const http::Request&, const http::RequestContext& c) {
               return respond_list(c, domain::list_departments(s, actor_of(c), param(c, "id")));
             },
             any());
  router.add(verb::post, "/api/v1/enterprises/{id}/departments",
             [&s](const http::Request& r, const http::RequestContext& c) {
               return create_department(s, r, c);
             },
             any());
}

}  // namespace pactum::api
