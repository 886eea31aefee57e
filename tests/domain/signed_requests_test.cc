#include "pactum/domain/signed_requests.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "pactum/base/clock.h"
#include "pactum/domain/request_signature.h"
#include "test_files.h"

namespace pactum::testing {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, '\t')) {
    fields.push_back(field);
  }
  return fields;
}

TEST(SignedRequests, EveryLineVerifiesWithItsOwnNonce) {
  const std::string dir = fresh_temp_dir("pactum_signed_requests");
  const auto now = from_unix_seconds(1767225600);
  domain::SignedRequestBatch batch{.app_id = "app_1",
                                   .secret = "s3cret",
                                   .method = "POST",
                                   .path = "/api/v1/enterprises/ent_1/departments?x=1",
                                   .body_template = R"({"name":"bench-{n}"})",
                                   .count = 50,
                                   .now = now};
  ASSERT_TRUE(domain::write_signed_requests(batch, dir + "/reqs.tsv"));
  std::ifstream in(dir + "/reqs.tsv");
  std::string line;
  std::set<std::string> nonces;
  int lines = 0;
  while (std::getline(in, line)) {
    const auto f = split_tabs(line);
    ASSERT_EQ(f.size(), 7U) << line;
    EXPECT_EQ(f[0], "POST");
    EXPECT_EQ(f[2], "app_1");
    EXPECT_EQ(f[6], R"({"name":"bench-)" + std::to_string(lines) + R"("})");
    const domain::SignedRequestParts parts{.method = f[0],
                                           .path = "/api/v1/enterprises/ent_1/departments",
                                           .raw_query = "x=1",
                                           .timestamp = f[3],
                                           .nonce = f[4],
                                           .body = f[6]};
    EXPECT_TRUE(domain::check_signature_freshness(parts, now));
    EXPECT_TRUE(domain::signature_matches("s3cret", parts, f[5]));
    EXPECT_FALSE(domain::signature_matches("other", parts, f[5]));
    nonces.insert(f[4]);
    ++lines;
  }
  EXPECT_EQ(lines, 50);
  EXPECT_EQ(nonces.size(), 50U);
}

TEST(SignedRequests, RefusesTabsAndNewlines) {
  const std::string dir = fresh_temp_dir("pactum_signed_requests");
  domain::SignedRequestBatch batch{.app_id = "a",
                                   .secret = "s",
                                   .method = "POST",
                                   .path = "/p",
                                   .body_template = "{\"a\":\"\t\"}",
                                   .count = 1,
                                   .now = {}};
  EXPECT_FALSE(domain::write_signed_requests(batch, dir + "/x.tsv"));
}

}  // namespace
}  // namespace pactum::testing
