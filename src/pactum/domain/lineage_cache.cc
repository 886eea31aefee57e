#include "pactum/domain/lineage_cache.h"

#include <mutex>

namespace pactum::domain {

std::shared_ptr<const Lineage> LineageCache::find(std::string_view enterprise_id) const {
  const std::shared_lock lock(mutex_);
  const auto found = lineages_.find(enterprise_id);
  return found == lineages_.end() ? nullptr : found->second;
}

void LineageCache::put(std::shared_ptr<const Lineage> lineage) {
  if (!lineage || lineage->empty()) {
    return;
  }
  const std::unique_lock lock(mutex_);
  if (lineages_.size() >= kCapacity) {
    return;
  }
  std::string id = lineage->front();
  lineages_.try_emplace(std::move(id), std::move(lineage));
}

}  // namespace pactum::domain
