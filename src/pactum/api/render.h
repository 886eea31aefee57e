#pragma once

#include <nlohmann/json.hpp>

#include "pactum/domain/accounts.h"
#include "pactum/domain/api_apps.h"
#include "pactum/domain/audit_log.h"
#include "pactum/domain/tenancy.h"

namespace pactum::api {

// to_json renders domain values as the API's JSON objects (the schemas of openapi.json).
nlohmann::json to_json(const domain::UserView& user);
nlohmann::json to_json(const domain::Membership& membership);
nlohmann::json to_json(const domain::Enterprise& enterprise);
nlohmann::json to_json(const domain::Department& department);
nlohmann::json to_json(const domain::Member& member);
nlohmann::json to_json(const domain::ApiApp& app);
nlohmann::json to_json(const domain::AuditEntry& entry);

// to_json_array renders a list with to_json.
template <typename T>
nlohmann::json to_json_array(const std::vector<T>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const T& item : items) {
    out.push_back(to_json(item));
  }
  return out;
}

}  // namespace pactum::api
