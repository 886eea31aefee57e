#include "pactum/http/static_site.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "pactum/base/percent_encoding.h"
#include "pactum/http/url.h"

namespace pactum::http {
namespace {

namespace fs = std::filesystem;
namespace beast_http = boost::beast::http;

constexpr std::string_view kIndexFile = "index.html";
constexpr std::string_view kAssetsDir = "assets";

// kHtmlSecurityPolicy is the Content-Security-Policy of the app's pages: scripts, styles, fonts
// and workers only from this origin (element-plus sets inline styles; pdf.js decodes some images
// with WebAssembly and renders through blob: URLs), nothing may frame the pages.
constexpr std::string_view kHtmlSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

struct MediaType {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array kMediaTypes{
    MediaType{".html", "text/html; charset=utf-8"},
    MediaType{".js", "text/javascript; charset=utf-8"},
    MediaType{".mjs", "text/javascript; charset=utf-8"},
    MediaType{".css", "text/css; charset=utf-8"},
    MediaType{".json", "application/json"},
    MediaType{".map", "application/json"},
    MediaType{".svg", "image/svg+xml"},
    MediaType{".png", "image/png"},
    MediaType{".ico", "image/x-icon"},
    MediaType{".woff2", "font/woff2"},
    MediaType{".woff", "font/woff"},
    MediaType{".ttf", "font/ttf"},
    MediaType{".wasm", "application/wasm"},
    MediaType{".bcmap", "application/octet-stream"},
    MediaType{".pfb", "application/octet-stream"},
    MediaType{".txt", "text/plain; charset=utf-8"},
};

// relative_path turns the decoded request path into a path below the root, or nullopt when a
// segment could climb out or smuggle a separator: ".", "..", a backslash or a control byte.
// Empty segments ("//") are skipped, so nothing can become an absolute path.
std::optional<fs::path> relative_path(std::string_view decoded) {
  fs::path relative;
  std::size_t start = 0;
  while (start <= decoded.size()) {
    const std::size_t slash = std::min(decoded.find('/', start), decoded.size());
    const std::string_view segment = decoded.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty()) {
      continue;
    }
    if (segment == "." || segment == "..") {
      return std::nullopt;
    }
    const bool bad = std::ranges::any_of(segment, [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return c == '\\' || byte < 0x20 || byte == 0x7f;
    });
    if (bad) {
      return std::nullopt;
    }
    relative /= fs::path(segment);
  }
  return relative;
}

// is_inside returns true if path (canonical) is root (canonical) or lies below it.
bool is_inside(const fs::path& path, const fs::path& root) {
  const auto [root_at, path_at] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_at == root.end();
}

bool reserved(std::string_view path, const std::vector<std::string>& prefixes) {
  return std::ranges::any_of(prefixes, [path](const std::string& prefix) {
    std::string_view bare = prefix;
    if (bare.ends_with('/')) {
      bare.remove_suffix(1);
    }
    return path.starts_with(prefix) || path == bare;
  });
}

}  // namespace

std::string_view content_type_for(std::string_view file_name) {
  for (const MediaType& media : kMediaTypes) {
    if (file_name.ends_with(media.extension)) {
      return media.type;
    }
  }
  return "application/octet-stream";
}

Result<std::shared_ptr<const StaticSite>> StaticSite::open(StaticSiteOptions options) {
  std::error_code error;
  fs::path root = fs::canonical(options.root, error);
  if (error || !fs::is_directory(root, error) || !fs::is_regular_file(root / kIndexFile, error)) {
    return fail(ErrorCode::kNotFound,
                fmt::format("web root {} is not a directory holding {} (build the web app: "
                            "make build)",
                            options.root.string(), kIndexFile));
  }
  options.root = std::move(root);
  return std::shared_ptr<const StaticSite>(new StaticSite(std::move(options)));
}

Response StaticSite::file_response(const fs::path& file, std::string_view cache_control,
                                   const RequestContext& context) const {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(file, error);
  if (error || size > options_.max_file_bytes) {
    return error_response(context, ErrorKind::kInternal, "this file cannot be served");
  }
  std::ifstream in(file, std::ios::binary);
  std::string body(static_cast<std::size_t>(size), '\0');
  if (!in.read(body.data(), static_cast<std::streamsize>(size))) {
    return error_response(context, ErrorKind::kInternal, "this file cannot be served");
  }
  Response response(Status::ok, 11);
  const std::string name = file.filename().string();
  const std::string_view type = content_type_for(name);
  response.set(beast_http::field::content_type, type);
  response.set(beast_http::field::cache_control, cache_control);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  if (type.starts_with("text/html")) {
    response.set("Content-Security-Policy", kHtmlSecurityPolicy);
    response.set("X-Frame-Options", "DENY");
  }
  response.body() = std::move(body);
  return response;
}

bool StaticSite::takes(std::string_view path) const {
  return !reserved(path, options_.reserved_prefixes);
}

Response StaticSite::serve(const Request& request, const RequestContext& context) const {
  const std::string_view path = path_of(request.target());
  if (!takes(path)) {
    return error_response(context, ErrorKind::kNotFound, "no resource at this path");
  }
  const std::optional<std::string> decoded = percent_decode(path);
  const std::optional<fs::path> relative =
      decoded ? relative_path(*decoded) : std::optional<fs::path>();
  if (!relative) {
    return error_response(context, ErrorKind::kBadRequest, "this path is not valid");
  }
  const bool under_assets = !relative->empty() && *relative->begin() == kAssetsDir;
  if (!relative->empty()) {
    std::error_code error;
    const fs::path resolved = fs::canonical(options_.root / *relative, error);
    if (!error) {
      if (!is_inside(resolved, options_.root)) {
        return error_response(context, ErrorKind::kNotFound, "no resource at this path");
      }
      if (fs::is_regular_file(resolved, error)) {
        const bool hashed = under_assets && is_inside(resolved, options_.root / kAssetsDir);
        return file_response(resolved, hashed ? kImmutableCacheControl : kRevalidateCacheControl,
                             context);
      }
    }
  }
  if (under_assets) {
    return error_response(context, ErrorKind::kNotFound, "no such file in the web app");
  }
  // A client-side route (/, /s/{token}, /verify, /contracts/...): the app decides what it shows.
  return file_response(options_.root / kIndexFile, kRevalidateCacheControl, context);
}

void add_static_site(Router& router, std::shared_ptr<const StaticSite> site) {
  router.set_fallback(
      [site](const Request& request, const RequestContext& context) {
        return site->serve(request, context);
      },
      [site](std::string_view path) { return site->takes(path); });
}

}  // namespace pactum::http
