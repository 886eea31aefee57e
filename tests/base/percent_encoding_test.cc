#include "pactum/base/percent_encoding.h"

#include <gtest/gtest.h>

namespace pactum {
namespace {

TEST(PercentEncodingTest, Decode) {
  EXPECT_EQ(percent_decode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("%e4%B8%AD"), "\xe4\xb8\xad");
  EXPECT_EQ(percent_decode("%"), std::nullopt);
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("ab%"), std::nullopt);
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
  EXPECT_EQ(percent_decode("%00"), std::nullopt);
}

}  // namespace
}  // namespace pactum
