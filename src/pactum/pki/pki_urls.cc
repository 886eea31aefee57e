#include "pactum/pki/pki_urls.h"

#include <fmt/format.h>

#include <algorithm>

namespace pactum::pki {
namespace {

constexpr std::size_t kMaxBaseUrlLength = 1024;

bool is_allowed_url_character(char c) {
  return c > ' ' && c < 0x7F && c != ',' && c != ';' && c != '@' && c != '"' && c != '\\';
}

}  // namespace

Result<PkiUrls> PkiUrls::from_base_url(std::string_view base_url) {
  while (base_url.ends_with('/')) {
    base_url.remove_suffix(1);
  }
  const bool http = base_url.starts_with("http://") || base_url.starts_with("https://");
  const std::size_t host_start = base_url.find("://") + 3;
  if (!http || base_url.size() <= host_start || base_url.size() > kMaxBaseUrlLength ||
      !std::all_of(base_url.begin(), base_url.end(), is_allowed_url_character)) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("\"{}\" is not a usable base URL (http or https, no spaces, commas, "
                            "semicolons or '@')",
                            std::string(base_url)));
  }
  const std::string base(base_url);
  return PkiUrls{base,
                 base + "/pki/crl",
                 base + "/pki/ocsp",
                 base + "/pki/issuing-ca.cer",
                 base + "/pki/root-crl",
                 base + "/pki/root-ca.cer"};
}

}  // namespace pactum::pki
