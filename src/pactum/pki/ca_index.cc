#include "pactum/pki/ca_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <system_error>
#include <utility>

#include "pactum/base/atomic_file.h"
#include "pactum/base/bytes.h"

namespace pactum::pki {
namespace {

constexpr std::string_view kHeader = "pactum-ca-index 1";
constexpr std::int64_t kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z
constexpr std::size_t kMaxSerialHexDigits = 40;         // RFC 5280: at most 20 octets

using TimePoint = std::chrono::system_clock::time_point;

std::int64_t to_unix_seconds(TimePoint time) {
  return std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
}

// whole_seconds drops the fraction of a second, as the file does, so that what is in memory
// equals what a reload reads.
TimePoint whole_seconds(TimePoint time) {
  return TimePoint(std::chrono::seconds(to_unix_seconds(time)));
}

// split_fields splits line at single spaces.
std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t space = line.find(' ', start);
    fields.push_back(line.substr(start, space == std::string_view::npos ? space : space - start));
    if (space == std::string_view::npos) {
      return fields;
    }
    start = space + 1;
  }
}

std::optional<std::int64_t> parse_unsigned(std::string_view text, std::int64_t max) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > max) {
    return std::nullopt;
  }
  return value;
}

std::optional<TimePoint> parse_time(std::string_view text) {
  const auto seconds = parse_unsigned(text, kMaxUnixSeconds);
  if (!seconds) {
    return std::nullopt;
  }
  return TimePoint(std::chrono::seconds(*seconds));
}

Status malformed(std::string_view why, std::size_t offset) {
  return fail(ErrorCode::kMalformed, fmt::format("CA index: {}", why), offset);
}

Status check_times(TimePoint a, TimePoint b) {
  for (const TimePoint time : {a, b}) {
    if (to_unix_seconds(time) < 0 || to_unix_seconds(time) > kMaxUnixSeconds) {
      return fail(ErrorCode::kInvalidArgument, "CA index: time outside 1970..9999");
    }
  }
  return {};
}

}  // namespace

bool is_serial_hex(std::string_view text) {
  return text.size() >= 2 && text.size() <= kMaxSerialHexDigits && text.size() % 2 == 0 &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<CaIndex> CaIndex::create(std::string path) {
  std::error_code error;
  if (std::filesystem::exists(path, error) || error) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("{} already exists", path));
  }
  CaIndex index(std::move(path));
  index.text_ = std::string(kHeader) + "\n";
  if (auto st = write_file_atomically(index.path_, as_bytes(index.text_), 0644); !st) {
    return std::unexpected(st.error());
  }
  return index;
}

Result<CaIndex> CaIndex::load(std::string path) {
  auto bytes = read_file(path);
  if (!bytes) {
    return std::unexpected(bytes.error());
  }
  CaIndex index(std::move(path));
  index.text_ = std::string(as_chars(*bytes));
  const std::string_view text = index.text_;
  if (!text.starts_with(std::string(kHeader) + "\n")) {
    return std::unexpected(malformed("missing the header line", 0).error());
  }
  std::size_t offset = kHeader.size() + 1;
  while (offset < text.size()) {
    const std::size_t newline = text.find('\n', offset);
    if (newline == std::string_view::npos) {
      return std::unexpected(malformed("last line is not terminated", offset).error());
    }
    if (auto st = index.apply_line(text.substr(offset, newline - offset), offset); !st) {
      return std::unexpected(st.error());
    }
    offset = newline + 1;
  }
  return index;
}

Status CaIndex::apply_line(std::string_view line, std::size_t offset) {
  const std::vector<std::string_view> fields = split_fields(line);
  if (fields.size() != 4 || !is_serial_hex(fields.at(1))) {
    return malformed("a line is not \"issued|revoked SERIAL TIME VALUE\"", offset);
  }
  const std::string serial(fields.at(1));
  const auto time = parse_time(fields.at(2));
  if (!time) {
    return malformed("bad time", offset);
  }
  auto record = records_.find(serial);
  if (fields.at(0) == "issued") {
    const auto not_after = parse_time(fields.at(3));
    if (!not_after) {
      return malformed("bad notAfter", offset);
    }
    if (record != records_.end()) {
      return malformed(fmt::format("serial {} issued twice", serial), offset);
    }
    records_.emplace(serial, IssuedCertificate{serial, *time, *not_after, std::nullopt});
    return {};
  }
  if (fields.at(0) == "revoked") {
    const auto code = parse_unsigned(fields.at(3), 255);
    if (!code) {
      return malformed("bad reason code", offset);
    }
    auto reason = revocation_reason_from_code(static_cast<int>(*code));
    if (!reason) {
      return malformed(reason.error().message, offset);
    }
    if (record == records_.end() || record->second.revocation) {
      return malformed(fmt::format("revocation of {} which is unknown or already revoked", serial),
                       offset);
    }
    record->second.revocation = Revocation{*time, *reason};
    return {};
  }
  return malformed("unknown record type", offset);
}

Status CaIndex::append(const std::string& line) {
  std::string updated = text_ + line + "\n";
  if (auto st = write_file_atomically(path_, as_bytes(updated), 0644); !st) {
    return st;
  }
  text_ = std::move(updated);
  return {};
}

const IssuedCertificate* CaIndex::find(std::string_view serial_hex) const {
  const auto record = records_.find(serial_hex);
  return record == records_.end() ? nullptr : &record->second;
}

Status CaIndex::record_issued(std::string_view serial_hex, TimePoint issued_at,
                              TimePoint not_after) {
  if (!is_serial_hex(serial_hex)) {
    return fail(ErrorCode::kInvalidArgument, "CA index: malformed serial");
  }
  if (records_.contains(serial_hex)) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("CA index: serial {} already issued", std::string(serial_hex)));
  }
  if (auto st = check_times(issued_at, not_after); !st) {
    return st;
  }
  const std::string serial(serial_hex);
  if (auto st = append(fmt::format("issued {} {} {}", serial, to_unix_seconds(issued_at),
                                   to_unix_seconds(not_after)));
      !st) {
    return st;
  }
  records_.emplace(serial, IssuedCertificate{serial, whole_seconds(issued_at),
                                             whole_seconds(not_after), std::nullopt});
  return {};
}

Status CaIndex::record_revoked(std::string_view serial_hex, const Revocation& revocation) {
  const auto record = records_.find(serial_hex);
  if (record == records_.end()) {
    return fail(ErrorCode::kNotFound, fmt::format("no certificate with serial {} was issued here",
                                                  std::string(serial_hex)));
  }
  if (record->second.revocation) {
    return fail(ErrorCode::kRefused,
                fmt::format("certificate {} is already revoked", std::string(serial_hex)));
  }
  if (auto st = check_times(revocation.revoked_at, revocation.revoked_at); !st) {
    return st;
  }
  if (auto st = append(fmt::format("revoked {} {} {}", record->first,
                                   to_unix_seconds(revocation.revoked_at),
                                   static_cast<int>(revocation.reason)));
      !st) {
    return st;
  }
  record->second.revocation = Revocation{whole_seconds(revocation.revoked_at), revocation.reason};
  return {};
}

std::vector<IssuedCertificate> CaIndex::revoked() const {
  std::vector<IssuedCertificate> out;
  for (const auto& [serial, record] : records_) {
    if (record.revocation) {
      out.push_back(record);
    }
  }
  return out;
}

}  // namespace pactum::pki
