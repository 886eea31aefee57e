#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pactum::http {

// ListenAddress is where the server binds: a host (an IP address or a name to resolve) and a
// port, 0 meaning "any free port".
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

// parse_listen_address parses "HOST:PORT", or "[IPv6]:PORT" for IPv6 literals. Returns nullopt
// if there is no port, the port is not a decimal number in 0..65535, or the host is empty.
std::optional<ListenAddress> parse_listen_address(std::string_view text);

// format_http_url returns "http://HOST:PORT" ("https://" when `secure`), bracketing an IPv6
// host.
std::string format_http_url(std::string_view host, std::uint16_t port, bool secure = false);

}  // namespace pactum::http
