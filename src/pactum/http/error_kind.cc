#include "pactum/http/error_kind.h"

#include <algorithm>

namespace pactum::http {

namespace {

using boost::beast::http::status;

struct Row {
  ErrorKind kind;
  ErrorInfo info;
};

// kTable is the one mapping from error kinds to statuses and codes.
constexpr std::array<Row, kErrorKindCount> kTable{{
    {ErrorKind::kBadRequest, {status::bad_request, "bad_request"}},
    {ErrorKind::kMalformedJson, {status::bad_request, "malformed_json"}},
    {ErrorKind::kInvalidArgument, {status::bad_request, "invalid_argument"}},
    {ErrorKind::kUnauthorized, {status::unauthorized, "unauthorized"}},
    {ErrorKind::kForbidden, {status::forbidden, "forbidden"}},
    {ErrorKind::kNotFound, {status::not_found, "not_found"}},
    {ErrorKind::kMethodNotAllowed, {status::method_not_allowed, "method_not_allowed"}},
    {ErrorKind::kRequestTimeout, {status::request_timeout, "request_timeout"}},
    {ErrorKind::kConflict, {status::conflict, "conflict"}},
    {ErrorKind::kLengthRequired, {status::length_required, "length_required"}},
    {ErrorKind::kBodyTooLarge, {status::payload_too_large, "body_too_large"}},
    {ErrorKind::kUnsupportedMediaType, {status::unsupported_media_type, "unsupported_media_type"}},
    {ErrorKind::kRateLimited, {status::too_many_requests, "rate_limited"}},
    {ErrorKind::kHeaderTooLarge,
     {status::request_header_fields_too_large, "header_too_large"}},
    {ErrorKind::kInternal, {status::internal_server_error, "internal"}},
    {ErrorKind::kUnavailable, {status::service_unavailable, "unavailable"}},
}};

constexpr std::array<ErrorKind, kErrorKindCount> kinds_of_table() {
  std::array<ErrorKind, kErrorKindCount> kinds{};
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    kinds.at(i) = kTable.at(i).kind;
  }
  return kinds;
}

// The table is indexed by the enum's value, so its rows must stay in declaration order.
constexpr bool table_is_in_enum_order() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<std::size_t>(kTable.at(i).kind) != i) {
      return false;
    }
  }
  return true;
}
static_assert(table_is_in_enum_order());

constexpr std::array<ErrorKind, kErrorKindCount> kAllKinds = kinds_of_table();

}  // namespace

ErrorInfo error_info(ErrorKind kind) {
  const auto index = static_cast<std::size_t>(kind);
  if (index >= kTable.size()) {
    return kTable.at(static_cast<std::size_t>(ErrorKind::kInternal)).info;
  }
  return kTable.at(index).info;
}

const std::array<ErrorKind, kErrorKindCount>& all_error_kinds() { return kAllKinds; }

std::optional<ErrorKind> error_kind_from_code(std::string_view code) {
  const auto row =
      std::ranges::find_if(kTable, [code](const Row& candidate) { return candidate.info.code == code; });
  if (row == kTable.end()) {
    return std::nullopt;
  }
  return row->kind;
}

}  // namespace pactum::http
