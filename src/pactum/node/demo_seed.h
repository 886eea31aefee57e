#pragma once

#include <string>
#include <vector>

#include "pactum/domain/domain_error.h"
#include "pactum/domain/services.h"

namespace pactum::node {

// DemoLogin is one demo account, with its known password.
struct DemoLogin {
  std::string login;
  std::string password;
  std::string role;  // e.g. "owner of Demo Group"
};

// DemoData is what seed_demo made: the logins to print, the enterprises and an API app (its
// secret is shown once, here) for trying the signed API and for the load benchmark.
struct DemoData {
  std::vector<DemoLogin> logins;
  std::string group_id;       // the parent enterprise
  std::string subsidiary_id;  // its subsidiary
  std::string app_id;
  std::string app_secret;
};

// kDemoIdNumber is the (fictitious) national ID number the demo admin is created with, so a test
// can grep the data directory for it and prove it is stored only sealed.
inline constexpr std::string_view kDemoIdNumber = "110101199003074514";
// kDemoPhone is the demo admin's log-in phone number.
inline constexpr std::string_view kDemoPhone = "+8613800138000";

// seed_demo creates, through the ordinary use cases (so everything is audited): the enterprise
// "Demo Group" owned by demo.owner@pactum.test with an admin (phone kDemoPhone, ID number
// kDemoIdNumber), a member and an auditor, a "Legal" department, the subsidiary "Demo
// Subsidiary" with its own owner, and an API app of the group with scopes enterprise:read,
// members:write and audit:read. Demo passwords are fixed and printed: demo data only. Fails
// like the use cases (kConflict when run twice).
domain::DomainResult<DemoData> seed_demo(const domain::Services& services);

}  // namespace pactum::node
