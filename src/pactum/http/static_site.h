#pragma once

// The built web app (web/, Vite's output) served by pactumd: files under one root directory,
// with a single-page app's fallback to index.html for client-side routes.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pactum/base/error.h"
#include "pactum/http/router.h"

namespace pactum::http {

// StaticSiteOptions say where the site lies and what it may serve.
struct StaticSiteOptions {
  std::filesystem::path root;  // holds index.html and assets/ (Vite's outDir)
  // max_file_bytes bounds what one response reads into memory; a larger file is not served.
  std::uintmax_t max_file_bytes = 32ULL * 1024 * 1024;
  // reserved_prefixes are paths that belong to the server, never to the site: an unknown path
  // under them stays the API's JSON 404 instead of becoming the app's index.html.
  std::vector<std::string> reserved_prefixes = {"/api/", "/pki/", "/tsa/", "/healthz/",
                                                "/metrics/"};
};

// kImmutableCacheControl is sent with files under assets/, whose names carry a content hash:
// a changed file gets a new name, so browsers may keep these for a year without asking again.
inline constexpr std::string_view kImmutableCacheControl = "public, max-age=31536000, immutable";
// kRevalidateCacheControl is sent with everything else (index.html above all), so a new build is
// picked up on the next load.
inline constexpr std::string_view kRevalidateCacheControl = "no-cache";

// StaticSite answers GET requests from the files under its root:
// - a path naming a regular file inside the root (after resolving symbolic links) gets it, with
//   a Content-Type from its extension, X-Content-Type-Options: nosniff, Referrer-Policy:
//   no-referrer (signing links carry their token in the path) and the cache policy above;
// - a path that names nothing (a client-side route such as /s/{token} or /verify, or a
//   directory) gets index.html with no-cache, except under assets/, where a missing file is a
//   404: a stale hashed name must not load the app's HTML as a script;
// - a path that does not decode, or has a "." or ".." segment, a backslash or a control byte
//   (path traversal, encoded or not) gets 400 bad_request; a path whose resolved file lies
//   outside the root (a symbolic link out) gets 404; nothing outside the root is ever read;
// - a path under a reserved prefix (or equal to one without its '/') gets the JSON 404 (the
//   router does not even hand it over: see takes());
// - a file over max_file_bytes or that cannot be read gets 500 internal.
// Thread-safe: it only reads the file system.
class StaticSite {
 public:
  // open checks that root is a directory holding index.html and remembers its canonical path.
  // kNotFound when it is not.
  static Result<std::shared_ptr<const StaticSite>> open(StaticSiteOptions options);

  // takes returns false for a path under a reserved prefix (or equal to one without its '/'):
  // the router answers those as unmatched, never the site.
  [[nodiscard]] bool takes(std::string_view path) const;

  // serve answers one request as described above.
  [[nodiscard]] Response serve(const Request& request, const RequestContext& context) const;

  // root is the canonical root directory.
  [[nodiscard]] const std::filesystem::path& root() const { return options_.root; }

 private:
  explicit StaticSite(StaticSiteOptions options) : options_(std::move(options)) {}

  [[nodiscard]] Response file_response(const std::filesystem::path& file,
                                       std::string_view cache_control,
                                       const RequestContext& context) const;

  StaticSiteOptions options_;
};

// add_static_site makes site the router's fallback for unmatched GET requests it takes().
void add_static_site(Router& router, std::shared_ptr<const StaticSite> site);

// content_type_for returns the media type pactumd sends for a file name's extension
// ("index.html" -> "text/html; charset=utf-8"); application/octet-stream for unknown ones.
std::string_view content_type_for(std::string_view file_name);

}  // namespace pactum::http
