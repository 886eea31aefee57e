#include "pactum/http/url.h"

#include <gtest/gtest.h>

namespace pactum::http {
namespace {

TEST(UrlTest, PathAndQuery) {
  EXPECT_EQ(path_of("/a/b?x=1"), "/a/b");
  EXPECT_EQ(path_of("/a"), "/a");
  EXPECT_EQ(query_of("/a?x=1&y"), "x=1&y");
  EXPECT_EQ(query_of("/a"), "");
}

TEST(UrlTest, QueryParameter) {
  EXPECT_EQ(query_parameter("/a?x=1&y=two+words&z", "y"), "two words");
  EXPECT_EQ(query_parameter("/a?x=1&y=2", "x"), "1");
  EXPECT_EQ(query_parameter("/a?x=1&x=2", "x"), "1");
  EXPECT_EQ(query_parameter("/a?x=1&z", "z"), "");
  EXPECT_EQ(query_parameter("/a?x=1", "q"), std::nullopt);
  EXPECT_EQ(query_parameter("/a", "x"), std::nullopt);
  EXPECT_EQ(query_parameter("/a?a%62c=%41", "abc"), "A");
  EXPECT_EQ(query_parameter("/a?x=%G1", "x"), std::nullopt);
}

}  // namespace
}  // namespace pactum::http
