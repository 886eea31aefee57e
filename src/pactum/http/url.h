#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pactum::http {

// path_of returns the request target without its query string ("/a/b?x=1" -> "/a/b").
std::string_view path_of(std::string_view target);

// query_of returns the query string of a request target without the '?' ("" when there is none).
std::string_view query_of(std::string_view target);

// query_parameter returns the decoded value of the first `name`=value pair of the target's query
// string ("" for a bare `name`), or nullopt when the name is absent or its value does not decode.
std::optional<std::string> query_parameter(std::string_view target, std::string_view name);

}  // namespace pactum::http
