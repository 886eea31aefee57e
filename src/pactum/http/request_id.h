#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace pactum::http {

// kMaxRequestIdLength bounds an incoming X-Request-Id we are willing to echo.
inline constexpr std::size_t kMaxRequestIdLength = 64;

// RequestIdSource returns a fresh request id each call. The server calls it from several threads
// at once, so an implementation must be thread-safe. Tests inject a deterministic one.
using RequestIdSource = std::function<std::string()>;

// is_valid_request_id returns true if `id` is 1 to kMaxRequestIdLength characters, each an ASCII
// letter, digit or '-'. Only such ids are echoed; anything else is replaced, so a client cannot
// inject text into our headers or logs through it.
bool is_valid_request_id(std::string_view id);

// random_request_ids returns a source of ids made of 16 lower-case hex digits (64 random bits)
// from a per-thread generator seeded by std::random_device. The ids correlate logs; they are not
// secrets and must not be used as such.
RequestIdSource random_request_ids();

}  // namespace pactum::http
