#include "pactum/domain/request_signature.h"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "pactum/base/bytes.h"
#include "pactum/base/clock.h"
#include "pactum/base/percent_encoding.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/hmac.h"

namespace pactum::domain {
namespace {

constexpr std::size_t kMinNonce = 16;
constexpr std::size_t kMaxNonce = 64;

// query_decode decodes one form-encoded name or value of the query ('+' is a space).
DomainResult<std::string> query_decode(std::string_view text) {
  auto decoded = percent_decode(text, /*plus_is_space=*/true);
  if (!decoded) {
    return refuse(DomainErrorCode::kInvalidInput, "malformed %-escape in the query");
  }
  return std::move(*decoded);
}

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (is_unreserved(c)) {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

bool is_nonce_char(char c) { return is_unreserved(c) && c != '.' && c != '~'; }

// hex_to_lower returns text lower-cased if it is all hex digits, else an empty string.
std::string lower_hex(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (hex_digit_value(c) < 0) {
      return {};
    }
    out.push_back((c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

}  // namespace

DomainResult<std::string> canonical_query(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!raw_query.empty()) {
    const auto amp = raw_query.find('&');
    const std::string_view piece = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (piece.empty()) {
      continue;
    }
    const auto eq = piece.find('=');
    auto name = query_decode(piece.substr(0, eq));
    auto value = query_decode(eq == std::string_view::npos ? "" : piece.substr(eq + 1));
    if (!name) {
      return std::unexpected(name.error());
    }
    if (!value) {
      return std::unexpected(value.error());
    }
    pairs.emplace_back(std::move(*name), std::move(*value));
  }
  std::ranges::sort(pairs);
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out += percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

DomainResult<std::string> string_to_sign(const SignedRequestParts& parts) {
  auto query = canonical_query(parts.raw_query);
  if (!query) {
    return std::unexpected(query.error());
  }
  const std::string body_hash =
      to_hex(crypto::digest_of(crypto::DigestAlgorithm::kSha256, as_bytes(parts.body)));
  return fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}", kSignatureAlgorithm, parts.method, parts.path,
                     *query, parts.timestamp, parts.nonce, body_hash);
}

DomainResult<std::string> sign_request(std::string_view secret, const SignedRequestParts& parts) {
  auto text = string_to_sign(parts);
  if (!text) {
    return std::unexpected(text.error());
  }
  return to_hex(crypto::hmac_sha256(as_bytes(secret), as_bytes(*text)));
}

DomainResult<std::int64_t> check_signature_freshness(const SignedRequestParts& parts,
                                                     std::chrono::system_clock::time_point now) {
  if (parts.nonce.size() < kMinNonce || parts.nonce.size() > kMaxNonce ||
      !std::ranges::all_of(parts.nonce, is_nonce_char)) {
    return refuse(
        DomainErrorCode::kInvalidInput,
        fmt::format("{} must be {} to {} of [A-Za-z0-9_-]", kNonceHeader, kMinNonce, kMaxNonce));
  }
  std::int64_t timestamp = 0;
  const char* end = parts.timestamp.data() + parts.timestamp.size();
  const auto [next, error] = std::from_chars(parts.timestamp.data(), end, timestamp);
  if (parts.timestamp.empty() || error != std::errc() || next != end || timestamp < 0) {
    return refuse(DomainErrorCode::kInvalidInput,
                  fmt::format("{} must be Unix seconds in decimal", kTimestampHeader));
  }
  const std::int64_t skew = unix_seconds(now) - timestamp;
  if (skew > kReplayWindow.count() || skew < -kReplayWindow.count()) {
    return refuse(DomainErrorCode::kExpired,
                  "the request's timestamp is outside the 5-minute window");
  }
  return timestamp;
}

bool signature_matches(std::string_view secret, const SignedRequestParts& parts,
                       std::string_view presented) {
  auto expected = sign_request(secret, parts);
  if (!expected) {
    return false;
  }
  const std::string given = lower_hex(presented);
  return crypto::constant_time_equal(as_bytes(*expected), as_bytes(given));
}

}  // namespace pactum::domain
