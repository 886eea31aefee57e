#include <gtest/gtest.h>

#include "pactum/store/postgres_database.h"

namespace pactum::store {
namespace {

std::string rewritten(std::string_view sql) {
  auto out = to_postgres_placeholders(sql);
  EXPECT_TRUE(out) << sql;
  return out ? out->text : "";
}

TEST(PostgresPlaceholders, NumbersEachQuestionMarkInOrder) {
  EXPECT_EQ(rewritten("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(to_postgres_placeholders("INSERT INTO t VALUES (?,?)")->placeholders, 2U);
  EXPECT_EQ(rewritten("SELECT 1"), "SELECT 1");
}

TEST(PostgresPlaceholders, SkipsLiteralsIdentifiersAndComments) {
  EXPECT_EQ(rewritten("SELECT '?', 'it''s ?', ? FROM \"odd?name\" WHERE x = ?"),
            "SELECT '?', 'it''s ?', $1 FROM \"odd?name\" WHERE x = $2");
  EXPECT_EQ(rewritten("SELECT ? -- why?\n, ? /* what? */ , ?"),
            "SELECT $1 -- why?\n, $2 /* what? */ , $3");
  EXPECT_EQ(rewritten("SELECT ? -- trailing?"), "SELECT $1 -- trailing?");
}

TEST(PostgresPlaceholders, RefusesWhatItCannotParse) {
  for (std::string_view bad : {"SELECT 'open", "SELECT \"open", "SELECT /* open", "SELECT $1",
                               "SELECT $$?$$"}) {
    auto out = to_postgres_placeholders(bad);
    ASSERT_FALSE(out) << bad;
    EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace pactum::store
