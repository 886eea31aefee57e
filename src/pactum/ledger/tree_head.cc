#include "pactum/ledger/tree_head.h"

#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pactum/crypto/base64.h"

namespace pactum::ledger {
namespace {

constexpr std::string_view kHeadPrefix{"pactum-ledger-tree-head-v1\0", 27};
constexpr std::size_t kMaxBlobText = 16 * 1024 * 4 / 3 + 4;  // 16 KiB of DER as base64
constexpr std::size_t kMaxCertificates = 4;

void append_u64(Bytes& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

// digits reads count decimal digits of text at offset; -1 if any is not a digit.
int digits(std::string_view text, std::size_t offset, std::size_t count) {
  int value = 0;
  for (std::size_t i = offset; i < offset + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return -1;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

Result<Bytes> base64_field(const nlohmann::json& json, const char* name) {
  const auto it = json.find(name);
  if (it == json.end() || !it->is_string()) {
    return fail(ErrorCode::kMalformed, fmt::format("the tree head has no \"{}\" string", name));
  }
  auto bytes = crypto::base64_decode(it->get_ref<const std::string&>(), kMaxBlobText);
  if (!bytes) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the tree head's \"{}\" is not base64 of at most 16 KiB", name));
  }
  return std::move(*bytes);
}

}  // namespace

Bytes tree_head_signed_bytes(const TreeHead& head) {
  Bytes out;
  out.reserve(kHeadPrefix.size() + 16 + kHashSize);
  append_text(out, kHeadPrefix);
  append_u64(out, head.size);
  append_u64(out, static_cast<std::uint64_t>(head.timestamp_ms));
  out.insert(out.end(), head.root_hash.begin(), head.root_hash.end());
  return out;
}

std::string format_timestamp_ms(std::int64_t timestamp_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> time{milliseconds(timestamp_ms)};
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                     clock.subseconds().count());
}

Result<std::int64_t> parse_timestamp_ms(std::string_view text, std::string_view field) {
  using namespace std::chrono;
  const auto malformed = [&] {
    return fail(ErrorCode::kMalformed,
                fmt::format("{} must be an RFC 3339 UTC time with milliseconds, "
                            "YYYY-MM-DDTHH:MM:SS.mmmZ",
                            field));
  };
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[23] != 'Z') {
    return malformed();
  }
  const int y = digits(text, 0, 4);
  const int mo = digits(text, 5, 2);
  const int d = digits(text, 8, 2);
  const int h = digits(text, 11, 2);
  const int mi = digits(text, 14, 2);
  const int s = digits(text, 17, 2);
  const int ms = digits(text, 20, 3);
  if (y < 1970 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 ||
      ms < 0) {
    return malformed();
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) {
    return malformed();
  }
  const auto time = sys_days{date} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
  return time.time_since_epoch().count();
}

std::string signed_tree_head_json(const SignedTreeHead& head) {
  nlohmann::ordered_json certificates = nlohmann::ordered_json::array();
  for (const Bytes& der : head.certificates) {
    certificates.push_back(crypto::base64_encode(der));
  }
  const nlohmann::ordered_json json = {
      {"size", head.head.size},
      {"root_hash", hash_hex(head.head.root_hash)},
      {"timestamp", format_timestamp_ms(head.head.timestamp_ms)},
      {"signature", crypto::base64_encode(head.signature)},
      {"timestamp_token", crypto::base64_encode(head.timestamp_token)},
      {"certificates", certificates},
  };
  return json.dump();
}

Result<SignedTreeHead> parse_signed_tree_head(std::string_view text) {
  if (text.size() > kMaxHeadJsonBytes) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the tree head is over {} bytes", kMaxHeadJsonBytes));
  }
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return fail(ErrorCode::kMalformed, "the tree head is not a JSON object");
  }
  SignedTreeHead out;
  const auto size = json.find("size");
  if (size == json.end() || !size->is_number_unsigned()) {
    return fail(ErrorCode::kMalformed, "the tree head's \"size\" is not a non-negative integer");
  }
  out.head.size = size->get<std::uint64_t>();
  const auto root = json.find("root_hash");
  if (root == json.end() || !root->is_string()) {
    return fail(ErrorCode::kMalformed, "the tree head has no \"root_hash\" string");
  }
  auto root_hash = parse_hash_hex(root->get_ref<const std::string&>(), "the tree head's root_hash");
  if (!root_hash) {
    return std::unexpected(root_hash.error());
  }
  out.head.root_hash = *root_hash;
  const auto time = json.find("timestamp");
  if (time == json.end() || !time->is_string()) {
    return fail(ErrorCode::kMalformed, "the tree head has no \"timestamp\" string");
  }
  auto timestamp =
      parse_timestamp_ms(time->get_ref<const std::string&>(), "the tree head's timestamp");
  if (!timestamp) {
    return std::unexpected(timestamp.error());
  }
  out.head.timestamp_ms = *timestamp;
  auto signature = base64_field(json, "signature");
  if (!signature) {
    return std::unexpected(signature.error());
  }
  out.signature = std::move(*signature);
  auto token = base64_field(json, "timestamp_token");
  if (!token) {
    return std::unexpected(token.error());
  }
  out.timestamp_token = std::move(*token);
  const auto certificates = json.find("certificates");
  if (certificates == json.end() || !certificates->is_array() || certificates->empty() ||
      certificates->size() > kMaxCertificates) {
    return fail(ErrorCode::kMalformed,
                "the tree head's \"certificates\" is not an array of 1 to 4 certificates");
  }
  for (const auto& certificate : *certificates) {
    if (!certificate.is_string()) {
      return fail(ErrorCode::kMalformed, "the tree head's \"certificates\" holds a non-string");
    }
    auto der = crypto::base64_decode(certificate.get_ref<const std::string&>(), kMaxBlobText);
    if (!der) {
      return fail(ErrorCode::kMalformed,
                  "the tree head's \"certificates\" holds something that is not base64");
    }
    out.certificates.push_back(std::move(*der));
  }
  return out;
}

}  // namespace pactum::ledger
