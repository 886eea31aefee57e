#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/login_identifier.h"
#include "pactum/domain/principal.h"
#include "pactum/domain/services.h"

namespace pactum::domain {

// NewUser is what creating an account takes. login is an e-mail address or phone number as
// typed; id_number (a national ID, optional) is personal data and stored sealed like the rest.
struct NewUser {
  std::string login;
  std::string name;
  std::string password;
  std::optional<std::string> id_number;
};

// UserView is a user as shown to themselves and to the admins of their enterprises.
struct UserView {
  std::string id;
  LoginKind login_kind = LoginKind::kEmail;
  std::string login;
  std::string name;
};

// SessionGrant is what a successful log-in returns. token and csrf_token are shown once and
// stored only as digests.
struct SessionGrant {
  std::string token;
  std::string csrf_token;
  std::chrono::system_clock::time_point expires_at;
  UserView user;
};

// AuthenticatedSession is a valid session found by its token.
struct AuthenticatedSession {
  Actor actor;
  std::string csrf_hash;
};

// sign_up creates an account: kInvalidInput for a bad login, name or password, kConflict if the
// login is taken. Audited as "user.sign_up".
DomainResult<UserView> sign_up(const Services& services, const NewUser& user,
                               const Origin& origin);

// log_in checks a password and opens a session. Refusals: kRateLimited when the client address
// is blocked, kLocked when the account is locked, kUnauthenticated for an unknown login or a
// wrong password (the same message for both, and an Argon2 verification either way so timing
// does not tell them apart). Failures count against the account and the address; a success
// clears the account's count and, if the hasher's parameters changed, stores a fresh hash.
DomainResult<SessionGrant> log_in(const Services& services, std::string_view login,
                                  std::string_view password, const Origin& origin);

// authenticate_session finds the live session of token: kUnauthenticated if there is none or it
// was revoked, kExpired once it has expired.
DomainResult<AuthenticatedSession> authenticate_session(const Services& services,
                                                        std::string_view token);

// csrf_matches returns true if presented is the session's CSRF token (compared as digests, in
// constant time).
bool csrf_matches(const AuthenticatedSession& session, std::string_view presented);

// log_out revokes the session of token (idempotent). Audited as "session.revoke".
DomainStatus log_out(const Services& services, std::string_view token, const Origin& origin);

// Membership is one enterprise a user belongs to.
struct Membership {
  std::string enterprise_id;
  std::string enterprise_name;
  Role role = Role::kMember;
};

// get_me returns the user behind actor and their memberships; kNotFound for an app.
DomainResult<std::pair<UserView, std::vector<Membership>>> get_me(const Services& services,
                                                                  const Actor& actor);

// create_user inserts a user through executor (inside the caller's transaction); used by
// sign_up and by adding a new member. Validation and kConflict as for sign_up; not audited
// (the caller audits its own action).
DomainResult<UserView> create_user(const Services& services, store::Executor& executor,
                                   const NewUser& user);

// find_user_id returns the id of the user whose login is `login` (normalised first), or nullopt.
DomainResult<std::optional<std::string>> find_user_id(const Services& services,
                                                      store::Executor& executor,
                                                      const LoginIdentifier& login);

// load_user reads and unseals a user; kNotFound if there is none.
DomainResult<UserView> load_user(const Services& services, store::Executor& executor,
                                 std::string_view user_id);

// kMaxNameLength bounds people's, enterprises' and departments' names (bytes of UTF-8).
inline constexpr std::size_t kMaxNameLength = 200;

// check_name returns kInvalidInput unless name has 1..kMaxNameLength bytes, is valid UTF-8 and
// holds no control characters. `what` names the field in the message.
DomainStatus check_name(std::string_view name, std::string_view what);

}  // namespace pactum::domain
