#include "pactum/domain/request_signature.h"

#include <gtest/gtest.h>

#include "pactum/base/clock.h"

namespace pactum::domain {
namespace {

const auto kNow = from_unix_seconds(1767225600);

SignedRequestParts parts(std::string_view body = R"({"name":"x"})") {
  return {.method = "POST",
          .path = "/api/v1/enterprises/ent_1/members",
          .raw_query = "b=2&a=%41+b&a=0",
          .timestamp = "1767225600",
          .nonce = "nonce-0123456789abcdef",
          .body = body};
}

TEST(RequestSignature, CanonicalQuerySortsAndReencodes) {
  EXPECT_EQ(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(canonical_query(""), "");
  EXPECT_EQ(canonical_query("&&x"), "x=");
  EXPECT_EQ(canonical_query("q=%e4%b8%ad+x&p=a~b"), "p=a~b&q=%E4%B8%AD%20x");
  EXPECT_FALSE(canonical_query("a=%zz"));
  EXPECT_FALSE(canonical_query("a=%4"));
}

TEST(RequestSignature, StringToSignIsDocumented) {
  auto text = string_to_sign(parts(""));
  ASSERT_TRUE(text);
  EXPECT_EQ(*text,
            "PACTUM-HMAC-SHA256\nPOST\n/api/v1/enterprises/ent_1/members\na=0&a=A%20b&b=2\n"
            "1767225600\nnonce-0123456789abcdef\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RequestSignature, AnyChangeBreaksTheSignature) {
  auto signature = sign_request("secret", parts());
  ASSERT_TRUE(signature);
  EXPECT_EQ(signature->size(), 64U);
  EXPECT_TRUE(signature_matches("secret", parts(), *signature));
  std::string upper = *signature;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(signature_matches("secret", parts(), upper));
  EXPECT_FALSE(signature_matches("secret2", parts(), *signature));
  EXPECT_FALSE(signature_matches("secret", parts(R"({"name":"y"})"), *signature));
  auto other_path = parts();
  other_path.path = "/api/v1/enterprises/ent_2/members";
  EXPECT_FALSE(signature_matches("secret", other_path, *signature));
  auto other_nonce = parts();
  other_nonce.nonce = "nonce-0123456789abcdeX";
  EXPECT_FALSE(signature_matches("secret", other_nonce, *signature));
  auto other_method = parts();
  other_method.method = "PUT";
  EXPECT_FALSE(signature_matches("secret", other_method, *signature));
  EXPECT_FALSE(signature_matches("secret", parts(), ""));
  EXPECT_FALSE(signature_matches("secret", parts(), "zz" + signature->substr(2)));
}

TEST(RequestSignature, FreshnessWindow) {
  EXPECT_EQ(check_signature_freshness(parts(), kNow), 1767225600);
  EXPECT_TRUE(check_signature_freshness(parts(), kNow + kReplayWindow));
  EXPECT_TRUE(check_signature_freshness(parts(), kNow - kReplayWindow));
  auto late = check_signature_freshness(parts(), kNow + kReplayWindow + std::chrono::seconds(1));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, DomainErrorCode::kExpired);
  auto early = check_signature_freshness(parts(), kNow - kReplayWindow - std::chrono::seconds(1));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, DomainErrorCode::kExpired);
  for (const char* stamp : {"", "17672256OO", "-1", "1767225600.5", " 1767225600"}) {
    auto p = parts();
    p.timestamp = stamp;
    auto r = check_signature_freshness(p, kNow);
    ASSERT_FALSE(r) << stamp;
    EXPECT_EQ(r.error().code, DomainErrorCode::kInvalidInput);
  }
  for (const char* nonce :
       {"short", "has space in it..", "nonce/with/slashes", "n'o\"nce;--12345"}) {
    auto p = parts();
    p.nonce = nonce;
    EXPECT_FALSE(check_signature_freshness(p, kNow)) << nonce;
  }
}

}  // namespace
}  // namespace pactum::domain
