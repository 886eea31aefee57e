#include "pactum/http/request_id.h"

#include <algorithm>
#include <cstdint>
#include <random>

#include <fmt/format.h>

namespace pactum::http {

namespace {

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

bool is_valid_request_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxRequestIdLength && std::ranges::all_of(id, is_id_char);
}

RequestIdSource random_request_ids() {
  return [] {
    thread_local std::mt19937_64 generator{[] {
      std::random_device device;
      std::seed_seq seed{device(), device(), device(), device()};
      return std::mt19937_64{seed};
    }()};
    const std::uint64_t value = generator();
    return fmt::format("{:016x}", value);
  };
}

}  // namespace pactum::http
