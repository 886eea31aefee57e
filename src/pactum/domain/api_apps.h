#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/permissions.h"
#include "pactum/domain/principal.h"
#include "pactum/domain/request_signature.h"
#include "pactum/domain/services.h"

namespace pactum::domain {

// ApiApp is a developer's app as listed (never with its secret).
struct ApiApp {
  std::string id;
  std::string enterprise_id;
  std::string name;
  std::vector<ApiScope> scopes;
  bool revoked = false;
};

// ApiAppCredentials is an app with its secret, returned once on creation and on rotation.
struct ApiAppCredentials {
  ApiApp app;
  std::string secret;
};

// The secret is needed in clear to recompute each request's HMAC, so it cannot be hashed: it is
// sealed with the PiiCipher (authenticated encryption under the master key) instead.

// create_api_app needs kManageApps on enterprise_id and at least one scope. Audited
// "app.create".
DomainResult<ApiAppCredentials> create_api_app(const Services& services, const Actor& actor,
                                               std::string_view enterprise_id,
                                               std::string_view name,
                                               const std::vector<ApiScope>& scopes,
                                               const Origin& origin);

// list_api_apps returns an enterprise's apps, revoked ones included (kManageApps).
DomainResult<std::vector<ApiApp>> list_api_apps(const Services& services, const Actor& actor,
                                                std::string_view enterprise_id);

// rotate_api_app_secret replaces an app's secret; the old one stops working at once. kNotFound
// for an app of another enterprise, kConflict for a revoked one. Audited "app.rotate_secret".
DomainResult<ApiAppCredentials> rotate_api_app_secret(const Services& services,
                                                      const Actor& actor,
                                                      std::string_view enterprise_id,
                                                      std::string_view app_id,
                                                      const Origin& origin);

// revoke_api_app disables an app for good (idempotent). Audited "app.revoke".
DomainStatus revoke_api_app(const Services& services, const Actor& actor,
                            std::string_view enterprise_id, std::string_view app_id,
                            const Origin& origin);

// authenticate_app_request checks a signed request: the timestamp is inside the window
// (kExpired) and well-formed (kInvalidInput), the app exists and is not revoked
// (kUnauthenticated), the signature matches (kUnauthenticated), and the nonce was not used before
// by this app (kReplayed; spent in services.nonces, kept past the window; kRateLimited if the
// nonce store is full). The app's record comes from services.app_cache when fresh there.
// Returns the app as an Actor.
DomainResult<Actor> authenticate_app_request(const Services& services, std::string_view app_id,
                                             const SignedRequestParts& parts,
                                             std::string_view signature);

}  // namespace pactum::domain
