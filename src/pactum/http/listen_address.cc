#include "pactum/http/listen_address.h"

#include <fmt/format.h>

namespace pactum::http {

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);

  if (host.starts_with('[')) {
    if (!host.ends_with(']') || host.size() < 3) {
      return std::nullopt;
    }
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 literal must be bracketed so the port is unambiguous
  }
  if (host.empty() || port_text.empty()) {
    return std::nullopt;
  }

  unsigned port = 0;
  for (const char digit : port_text) {
    if (digit < '0' || digit > '9') {
      return std::nullopt;
    }
    port = port * 10 + static_cast<unsigned>(digit - '0');
    if (port > 65535) {
      return std::nullopt;
    }
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

std::string format_http_url(std::string_view host, std::uint16_t port, bool secure) {
  const std::string_view scheme = secure ? "https" : "http";
  if (host.find(':') != std::string_view::npos) {
    return fmt::format("{}://[{}]:{}", scheme, host, port);
  }
  return fmt::format("{}://{}:{}", scheme, host, port);
}

}  // namespace pactum::http
