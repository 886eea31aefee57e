#pragma once

// A helper for the replay tests: run one call from several threads at once and count how the
// results came out.

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "pactum/domain/domain_error.h"

namespace pactum::testing {

// SpendOutcome counts the results of concurrent calls: accepted, refused as replayed, and
// anything else.
struct SpendOutcome {
  int accepted = 0;
  int replayed = 0;
  int other = 0;
};

// spend_concurrently calls call(t) from threads t = 0 .. threads-1 at once and counts the
// results; call returns true for accepted, or the refusal's code.
inline SpendOutcome spend_concurrently(
    int threads, const std::function<domain::DomainStatus(int thread)>& call) {
  std::atomic<int> accepted{0};
  std::atomic<int> replayed{0};
  std::atomic<int> other{0};
  std::vector<std::thread> running;
  running.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&, t] {
      const domain::DomainStatus result = call(t);
      if (result) {
        ++accepted;
      } else if (result.error().code == domain::DomainErrorCode::kReplayed) {
        ++replayed;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& thread : running) {
    thread.join();
  }
  return {accepted.load(), replayed.load(), other.load()};
}

}  // namespace pactum::testing
