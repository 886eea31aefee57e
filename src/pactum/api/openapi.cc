#include "pactum/api/openapi.h"

#include <string_view>
#include <vector>

namespace pactum::api {
namespace {

using nlohmann::json;

// Operation is one documented path + method.
struct Operation {
  std::string_view method;   // lower case, as OpenAPI spells it
  std::string_view path;     // OpenAPI template, e.g. "/api/v1/enterprises/{id}"
  std::string_view summary;
  std::string_view auth;     // "none", "session", "any"
  std::string_view request;  // schema name of the JSON body, or ""
  std::string_view response; // schema name of the success body
  int status = 200;
};

constexpr std::string_view kEnt = "/api/v1/enterprises/{id}";

const std::vector<Operation>& operations() {
  static const std::vector<Operation> ops = {
      {"post", "/api/v1/auth/sign-up", "Create an account", "none", "SignUp", "User", 201},
      {"post", "/api/v1/auth/login", "Log in; sets the session and CSRF cookies", "none", "LogIn",
       "Session", 200},
      {"post", "/api/v1/auth/logout", "Log out (revokes the session)", "session", "", "Done", 200},
      {"get", "/api/v1/me", "The logged-in user and their memberships", "session", "", "Me", 200},
      {"get", "/api/v1/roles", "Roles and the permissions each grants", "any", "", "RoleList", 200},
      {"get", "/api/v1/enterprises", "Enterprises the caller belongs to", "any", "",
       "EnterpriseList", 200},
      {"post", "/api/v1/enterprises", "Create an enterprise; the caller becomes its owner",
       "session", "Named", "Enterprise", 201},
      {"get", "/api/v1/enterprises/{id}", "One enterprise", "any", "", "Enterprise", 200},
      {"get", "/api/v1/enterprises/{id}/subsidiaries", "Direct subsidiaries", "any", "",
       "EnterpriseList", 200},
      {"post", "/api/v1/enterprises/{id}/subsidiaries", "Create a subsidiary", "any", "Named",
       "Enterprise", 201},
      {"get", "/api/v1/enterprises/{id}/members", "Members", "any", "", "MemberList", 200},
      {"post", "/api/v1/enterprises/{id}/members",
       "Add a member (creates the account if the login is new)", "any", "NewMember", "Member", 201},
      {"patch", "/api/v1/enterprises/{id}/members/{user_id}", "Change role or department", "any",
       "MemberChange", "Member", 200},
      {"delete", "/api/v1/enterprises/{id}/members/{user_id}", "Remove a member", "any", "", "Done",
       200},
      {"get", "/api/v1/enterprises/{id}/departments", "Departments", "any", "", "DepartmentList",
       200},
      {"post", "/api/v1/enterprises/{id}/departments", "Create a department", "any", "Named",
       "Department", 201},
      {"get", "/api/v1/enterprises/{id}/apps", "API apps (never their secrets)", "any", "",
       "AppList", 200},
      {"post", "/api/v1/enterprises/{id}/apps", "Create an API app; the secret is shown once",
       "any", "NewApp", "AppCredentials", 201},
      {"post", "/api/v1/enterprises/{id}/apps/{app_id}/rotate-secret",
       "Replace an app's secret; the old one stops working", "any", "", "AppCredentials", 200},
      {"delete", "/api/v1/enterprises/{id}/apps/{app_id}", "Revoke an API app", "any", "", "Done",
       200},
      {"get", "/api/v1/enterprises/{id}/audit",
       "Audit log of the enterprise (query: from_us, to_us, actor, action, object_id, "
       "after_seq, limit)",
       "any", "", "AuditList", 200},
      {"post", "/api/v1/verify",
       "Verify every signature of a PDF (no log-in; the body is the PDF, application/pdf; "
       "nothing is stored; rate-limited per client address)",
       "none", "Pdf", "VerificationReport", 200},
      {"get", "/api/v1/sandbox/outbox",
       "Sandbox configurations only (not routed otherwise): the SMS and e-mails sent to ?to= "
       "(a mobile number or e-mail address), newest first",
       "none", "", "OutboxList", 200},
      {"get", "/api/v1/openapi.json", "This document", "none", "", "", 200},
  };
  return ops;
}

json ref(std::string_view schema) {
  return {{"$ref", "#/components/schemas/" + std::string(schema)}};
}

json string_schema() { return {{"type", "string"}}; }

json object_schema(std::initializer_list<std::pair<const char*, json>> properties,
                   std::initializer_list<const char*> required = {}) {
  json props = json::object();
  for (const auto& [name, schema] : properties) {
    props[name] = schema;
  }
  json out = {{"type", "object"}, {"properties", props}};
  if (required.size() > 0) {
    out["required"] = json(std::vector<std::string>(required.begin(), required.end()));
  }
  return out;
}

json list_of(std::string_view schema) {
  return object_schema({{"items", {{"type", "array"}, {"items", ref(schema)}}}}, {"items"});
}

json schemas() {
  const json nullable_string = {{"type", "string"}, {"nullable", true}};
  const json role = {{"type", "string"}, {"enum", {"owner", "admin", "member", "auditor"}}};
  const json verdict = {{"type", "string"}, {"enum", {"valid", "invalid", "indeterminate"}}};
  return {
      {"Error", object_schema({{"error", object_schema({{"code", string_schema()},
                                                        {"message", string_schema()},
                                                        {"request_id", string_schema()}},
                                                       {"code", "message", "request_id"})}},
                              {"error"})},
      {"SignUp", object_schema({{"login", string_schema()},
                                {"name", string_schema()},
                                {"password", string_schema()},
                                {"id_number", string_schema()}},
                               {"login", "name", "password"})},
      {"LogIn", object_schema({{"login", string_schema()}, {"password", string_schema()}},
                              {"login", "password"})},
      {"User", object_schema({{"id", string_schema()},
                              {"login_kind", {{"type", "string"}, {"enum", {"email", "phone"}}}},
                              {"login", string_schema()},
                              {"name", string_schema()}})},
      {"Session", object_schema({{"user", ref("User")},
                                 {"csrf_token", string_schema()},
                                 {"expires_at", {{"type", "integer"}}}})},
      {"Membership", object_schema({{"enterprise_id", string_schema()},
                                    {"enterprise_name", string_schema()},
                                    {"role", role}})},
      {"Me", object_schema({{"user", ref("User")},
                            {"memberships", {{"type", "array"}, {"items", ref("Membership")}}}})},
      {"Done", {{"type", "object"}}},
      {"Named", object_schema({{"name", string_schema()}}, {"name"})},
      {"Role", object_schema({{"role", role},
                              {"permissions", {{"type", "array"}, {"items", string_schema()}}}})},
      {"RoleList", list_of("Role")},
      {"Enterprise",
       object_schema(
           {{"id", string_schema()}, {"parent_id", nullable_string}, {"name", string_schema()}})},
      {"EnterpriseList", list_of("Enterprise")},
      {"NewMember", object_schema({{"login", string_schema()},
                                   {"name", string_schema()},
                                   {"password", string_schema()},
                                   {"id_number", string_schema()},
                                   {"role", role},
                                   {"department_id", string_schema()}},
                                  {"login"})},
      {"MemberChange", object_schema({{"role", role}, {"department_id", string_schema()}})},
      {"Member", object_schema({{"enterprise_id", string_schema()},
                                {"user", ref("User")},
                                {"role", role},
                                {"department_id", nullable_string}})},
      {"MemberList", list_of("Member")},
      {"Department", object_schema({{"id", string_schema()},
                                    {"enterprise_id", string_schema()},
                                    {"name", string_schema()}})},
      {"DepartmentList", list_of("Department")},
      {"NewApp", object_schema({{"name", string_schema()},
                                {"scopes",
                                 {{"type", "array"},
                                  {"items",
                                   {{"type", "string"},
                                    {"enum",
                                     {"enterprise:read", "members:write", "audit:read",
                                      "contracts:read", "contracts:write"}}}}}}},
                               {"name", "scopes"})},
      {"App", object_schema({{"id", string_schema()},
                             {"enterprise_id", string_schema()},
                             {"name", string_schema()},
                             {"scopes", {{"type", "array"}, {"items", string_schema()}}},
                             {"revoked", {{"type", "boolean"}}}})},
      {"AppList", list_of("App")},
      {"AppCredentials", object_schema({{"app", ref("App")}, {"secret", string_schema()}})},
      {"AuditEntry", object_schema({{"seq", {{"type", "integer"}}},
                                    {"at_us", {{"type", "integer"}}},
                                    {"enterprise_id", nullable_string},
                                    {"actor", string_schema()},
                                    {"action", string_schema()},
                                    {"object_type", string_schema()},
                                    {"object_id", string_schema()},
                                    {"client_address", string_schema()},
                                    {"detail", {{"type", "object"}}}})},
      {"AuditList", list_of("AuditEntry")},
      {"Finding", object_schema({{"severity",
                                  {{"type", "string"},
                                   {"enum", {"info", "warning", "indeterminate", "error"}}}},
                                 {"code", string_schema()},
                                 {"message", string_schema()}})},
      {"SignatureVerdict",
       object_schema(
           {{"kind", {{"type", "string"}, {"enum", {"signature", "document_timestamp"}}}},
            {"verdict", verdict},
            {"field", string_schema()},
            {"revision", {{"type", "integer"}}},
            {"signed_revision", {{"type", "integer"}}},
            {"covers_whole_file", {{"type", "boolean"}}},
            {"in_final_form", {{"type", "boolean"}}},
            {"sub_filter", string_schema()},
            {"claimed_time", string_schema()},
            {"timestamp_time", string_schema()},
            {"timestamp_authority", string_schema()},
            {"proven_time", string_schema()},
            {"name", string_schema()},
            {"reason", string_schema()},
            {"location", string_schema()},
            {"digest_algorithm", string_schema()},
            {"signer", string_schema()},
            {"issuer", string_schema()},
            {"chain", {{"type", "array"}, {"items", string_schema()}}},
            {"docmdp", {{"type", "integer"}}},
            {"integrity", {{"type", "string"}, {"enum", {"intact", "altered", "unknown"}}}},
            {"changes_summary", {{"type", "string"}, {"enum", {"none", "allowed", "disallowed"}}}},
            {"revocation", string_schema()},
            {"revocation_fetched_online", {{"type", "boolean"}}},
            {"ltv", {{"type", "boolean"}}},
            {"findings", {{"type", "array"}, {"items", ref("Finding")}}},
            {"changes", {{"type", "array"}, {"items", ref("Finding")}}}})},
      {"VerificationReport",
       object_schema({{"verdict", verdict},
                      {"size", {{"type", "integer"}}},
                      {"revisions", {{"type", "integer"}}},
                      {"document", {{"type", "array"}, {"items", ref("Finding")}}},
                      {"signatures", {{"type", "array"}, {"items", ref("SignatureVerdict")}}}},
                     {"verdict", "signatures"})},
      {"OutboxMessage",
       object_schema({{"channel", {{"type", "string"}, {"enum", {"sms", "email"}}}},
                      {"to", string_schema()},
                      {"subject", string_schema()},
                      {"text", string_schema()},
                      {"link", nullable_string},
                      {"code", nullable_string},
                      {"sent_at", string_schema()}})},
      {"OutboxList", {{"type", "array"}, {"items", ref("OutboxMessage")}}},
  };
}

json security_for(std::string_view auth) {
  if (auth == "none") {
    return json::array();
  }
  json session = {{"session", json::array()}, {"csrf", json::array()}};
  if (auth == "session") {
    return json::array({session});
  }
  return json::array({session, {{"appSignature", json::array()},
                                {"appTimestamp", json::array()},
                                {"appNonce", json::array()},
                                {"appId", json::array()}}});
}

json build() {
  json paths = json::object();
  for (const Operation& op : operations()) {
    json operation = {{"summary", op.summary}, {"security", security_for(op.auth)}};
    json parameters = json::array();
    for (std::string_view name : {"id", "user_id", "app_id"}) {
      if (op.path.find("{" + std::string(name) + "}") != std::string_view::npos) {
        parameters.push_back(
            {{"name", name}, {"in", "path"}, {"required", true}, {"schema", string_schema()}});
      }
    }
    if (!parameters.empty()) {
      operation["parameters"] = parameters;
    }
    if (op.request == "Pdf") {
      operation["requestBody"] = {
          {"required", true},
          {"content",
           {{"application/pdf", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
    } else if (!op.request.empty()) {
      operation["requestBody"] = {
          {"required", true},
          {"content", {{"application/json", {{"schema", ref(op.request)}}}}}};
    }
    json success = {{"description", "success"}};
    if (!op.response.empty()) {
      success["content"] = {{"application/json", {{"schema", ref(op.response)}}}};
    }
    const json error = {{"description", "error"},
                        {"content", {{"application/json", {{"schema", ref("Error")}}}}}};
    operation["responses"] = {{std::to_string(op.status), success}, {"default", error}};
    paths[std::string(op.path)][std::string(op.method)] = operation;
  }
  const auto header_key = [](const char* name) {
    return json{{"type", "apiKey"}, {"in", "header"}, {"name", name}};
  };
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "Pactum API"},
        {"version", "1"},
        {"description",
         "Accounts, enterprises (tenants) with subsidiaries, members, departments, roles, API "
         "apps and the audit log. People authenticate with the session cookie from "
         "/api/v1/auth/login and send X-CSRF-Token on every state-changing request; API apps "
         "sign every request with HMAC-SHA256 (see api/README.md for the string to sign)."}}},
      {"paths", paths},
      {"components",
       {{"schemas", schemas()},
        {"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "pactum_session"}}},
          {"csrf", header_key("X-CSRF-Token")},
          {"appId", header_key("X-Pactum-App-Id")},
          {"appTimestamp", header_key("X-Pactum-Timestamp")},
          {"appNonce", header_key("X-Pactum-Nonce")},
          {"appSignature", header_key("X-Pactum-Signature")}}}}},
  };
}

}  // namespace

const nlohmann::json& openapi_document() {
  static const json document = build();
  return document;
}

void add_openapi_route(http::Router& router) {
  router.add(boost::beast::http::verb::get, "/api/v1/openapi.json",
             [](const http::Request&, const http::RequestContext&) {
               return http::json_value_response(http::Status::ok, openapi_document());
             });
}

}  // namespace pactum::api
