#include "pactum/domain/api_app_cache.h"

#include <mutex>

namespace pactum::domain {

std::shared_ptr<const ApiAppCache::Entry> ApiAppCache::find(std::string_view app_id,
                                                            std::int64_t now) const {
  const std::shared_lock lock(mutex_);
  const auto found = slots_.find(app_id);
  if (found == slots_.end() || now < found->second.loaded_at ||
      now - found->second.loaded_at >= ttl_) {
    return nullptr;
  }
  return found->second.entry;
}

std::uint64_t ApiAppCache::generation() const {
  const std::shared_lock lock(mutex_);
  return generation_;
}

void ApiAppCache::put(std::string_view app_id, std::shared_ptr<const Entry> entry,
                      std::uint64_t generation, std::int64_t now) {
  const std::unique_lock lock(mutex_);
  if (generation != generation_) {
    return;
  }
  slots_.insert_or_assign(std::string(app_id), Slot{std::move(entry), now});
}

void ApiAppCache::invalidate(std::string_view app_id) {
  const std::unique_lock lock(mutex_);
  ++generation_;
  if (const auto found = slots_.find(app_id); found != slots_.end()) {
    slots_.erase(found);
  }
}

}  // namespace pactum::domain
