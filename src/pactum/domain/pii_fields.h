#pragma once

#include <string_view>

namespace pactum::domain {

// The personal-data columns: each name is the PiiCipher's field (the context a value is sealed
// under, and the blind index's kind). Shared by the use cases and the re-seal after a rotation.
inline constexpr std::string_view kUserLoginField = "users.login";
inline constexpr std::string_view kUserNameField = "users.name";
inline constexpr std::string_view kUserIdNumberField = "users.id_number";
inline constexpr std::string_view kAppSecretField = "api_apps.secret";

}  // namespace pactum::domain
