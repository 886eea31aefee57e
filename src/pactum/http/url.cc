#include "pactum/http/url.h"

#include "pactum/base/percent_encoding.h"

namespace pactum::http {

std::string_view path_of(std::string_view target) {
  const std::size_t query = target.find('?');
  return query == std::string_view::npos ? target : target.substr(0, query);
}

std::string_view query_of(std::string_view target) {
  const std::size_t query = target.find('?');
  return query == std::string_view::npos ? std::string_view{} : target.substr(query + 1);
}

std::optional<std::string> query_parameter(std::string_view target, std::string_view name) {
  std::string_view query = query_of(target);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const std::size_t equals = pair.find('=');
    const auto key = percent_decode(pair.substr(0, equals), true);
    if (!key || *key != name) {
      continue;
    }
    if (equals == std::string_view::npos) {
      return std::string{};
    }
    return percent_decode(pair.substr(equals + 1), true);
  }
  return std::nullopt;
}

}  // namespace pactum::http
