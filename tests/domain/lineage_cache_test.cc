#include "pactum/domain/lineage_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace pactum::domain {
namespace {

TEST(LineageCacheTest, FindsWhatWasPutAndStopsGrowingAtCapacity) {
  LineageCache cache;
  EXPECT_EQ(cache.find("ent_a"), nullptr);
  cache.put(std::make_shared<const Lineage>(Lineage{"ent_a", "ent_root"}));
  auto found = cache.find("ent_a");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, (Lineage{"ent_a", "ent_root"}));
  EXPECT_EQ(cache.find("ent_root"), nullptr) << "only the enterprise the lineage was read for";
  cache.put(std::make_shared<const Lineage>(Lineage{}));
  cache.put(nullptr);
  for (std::size_t i = 1; i < LineageCache::kCapacity; ++i) {
    cache.put(std::make_shared<const Lineage>(Lineage{"ent_" + std::to_string(i)}));
  }
  EXPECT_NE(cache.find("ent_" + std::to_string(LineageCache::kCapacity - 1)), nullptr);
  cache.put(std::make_shared<const Lineage>(Lineage{"ent_over"}));
  EXPECT_EQ(cache.find("ent_over"), nullptr) << "full: not cached, still looked up each time";
}

}  // namespace
}  // namespace pactum::domain
