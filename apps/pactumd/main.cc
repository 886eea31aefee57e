// pactumd serves the Pactum HTTP API. This file only parses options, wires the library together
// and runs the server; behaviour lives in src/pactum/http (and the layers it serves).
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "pactum/api/api_routes.h"
#include "pactum/api/pki_routes.h"
#include "pactum/api/verify_routes.h"
#include "pactum/base/file_lock.h"
#include "pactum/base/metrics.h"
#include "pactum/http/access_log.h"
#include "pactum/http/app_log.h"
#include "pactum/http/health.h"
#include "pactum/http/http_metrics.h"
#include "pactum/http/listen_address.h"
#include "pactum/http/router.h"
#include "pactum/http/server.h"
#include "pactum/node/config.h"
#include "pactum/node/data_dir.h"
#include "pactum/http/static_site.h"
#include "pactum/pki/platform_pki.h"
#include "pactum/store/database.h"

namespace {

namespace http = pactum::http;

namespace node = pactum::node;

// warn_about_root_crl says at start when the root's CRL is missing or has under 30 days left.
// The root key is offline, so only an operator renews that CRL (`pactum ca crl --root`); once it
// lapses, every chain below the root lacks current revocation data.
void warn_about_root_crl(const pactum::pki::PlatformPki& pki, const http::AppLog& log) {
  auto crl = pki.current_root_crl();
  if (!crl) {
    log.warn("root_crl", {{"message", crl.error().describe()}});
    return;
  }
  const auto days_left =
      std::chrono::floor<std::chrono::days>((*crl)->next_update - std::chrono::system_clock::now());
  if (days_left < std::chrono::days(30)) {
    const auto days = days_left.count();
    log.warn("root_crl",
             {{"message",
               fmt::format("the root CRL (number {}) {}; sign the next with `pactum ca crl --root`",
                           (*crl)->number,
                           days < 0 ? fmt::format("expired {} days ago", -days)
                                    : fmt::format("expires in {} days", days))}});
  }
}

// default_web_root is where this build put the web app (web/CMakeLists.txt builds it there).
std::filesystem::path default_web_root() {
#ifdef PACTUM_DEFAULT_WEB_ROOT
  return PACTUM_DEFAULT_WEB_ROOT;
#else
  return "web/dist";
#endif
}

// run is main without the last-resort catch.
int run(int argc, char** argv) {
  CLI::App app{"pactumd: the Pactum e-contract signing server"};
  node::ConfigSources sources;
  sources.env = node::process_env;
  const std::string config_file_name = node::DataDirLayout("DATA_DIR").config_file().string();
  std::string config_file;
  std::string data_dir;
  std::string listen;
  unsigned threads = 0;
  std::string database_url;
  std::string base_url;
  std::string web_root;
  app.add_option("--data", data_dir,
                 "data directory (database, keys, documents); created if missing");
  app.add_option("--listen", listen, "HOST:PORT to listen on; port 0 picks a free port");
  app.add_option("--config", config_file,
                 "JSON configuration file; PACTUM_* variables override it, options override both");
  auto* threads_option =
      app.add_option("--threads", threads, "worker threads; 0 means one per hardware thread");
  app.add_option("--database", database_url,
                 "database URL (sqlite:PATH or postgresql://...); overrides " + config_file_name);
  app.add_option("--base-url", base_url,
                 "public base URL (certificate CDP/AIA, links); overrides " + config_file_name);
  auto* web_root_option = app.add_option(
      "--web-root", web_root,
      "the built web app to serve (index.html, assets/); default: the build's web/dist");
  CLI11_PARSE(app, argc, argv);
  if (!config_file.empty()) {
    sources.file = config_file;
  }
  if (!data_dir.empty()) {
    sources.data_dir = data_dir;
  }
  if (!listen.empty()) {
    sources.listen = listen;
  }
  if (threads_option->count() > 0) {
    sources.threads = threads;
  }
  if (!database_url.empty()) {
    sources.database_url = database_url;
  }
  if (!base_url.empty()) {
    sources.base_url = base_url;
  }

  const pactum::Result<node::Config> loaded = node::load_config(sources);
  if (!loaded) {
    fmt::print(stderr, "pactumd: {}\n", loaded.error().message);
    return 2;
  }
  const node::Config& config = *loaded;
  const http::AppLog log(config.log_level, http::stderr_sink());

  try {
    std::filesystem::create_directories(config.data_dir);
    // One data directory, one pactumd: that is what makes keeping API nonces in this process's
    // memory sound on SQLite (domain/README.md), and it keeps two servers from sharing one
    // SQLite file and one PKI by accident. Nodes of a PostgreSQL cloud each have their own.
    const node::DataDirLayout layout(config.data_dir);
    const std::string lock_path = layout.server_lock().string();
    auto data_dir_lock = pactum::FileLock::try_acquire(lock_path);
    if (!data_dir_lock) {
      if (data_dir_lock.error().code == pactum::ErrorCode::kRefused) {
        fmt::print(stderr,
                   "pactumd: another pactumd already serves {} (it holds {}); one data "
                   "directory is served by one pactumd\n",
                   config.data_dir.string(), lock_path);
        return 3;
      }
      log.error("fatal", {{"message", data_dir_lock.error().describe()}});
      return 1;
    }

    pactum::metrics::Registry registry;
    http::Router router;
    http::add_health_routes(router);
    // A data directory made by `pactum init` brings the REST API (accounts, tenants, apps,
    // audit); a plain directory serves only health and metrics.
    std::unique_ptr<node::DataDir> data;
    if (layout.is_data_dir()) {
      auto opened = node::DataDir::open(config.data_dir, {.database_url = config.database_url,
                                                          .base_url = config.base_url,
                                                          .registry = &registry});
      if (!opened) {
        log.error("fatal", {{"message", opened.error().describe()}});
        return 1;
      }
      data = std::move(*opened);
      pactum::api::add_api_routes(router, data->services());
    } else if (config.database_url || config.base_url) {
      log.error("fatal",
                {{"message", fmt::format("database_url and base_url apply to a data directory made "
                                         "by `pactum init`; {} is not one",
                                         config.data_dir.string())}});
      return 1;
    }
    // The platform PKI (/pki/*, /tsa): the data directory's, keys sealed under its master key,
    // or a bare DATA_DIR/pki made by `pactum ca init` (plaintext keys).
    std::shared_ptr<pactum::pki::PlatformPki> pki;
    if (data) {
      pki = std::shared_ptr<pactum::pki::PlatformPki>(std::shared_ptr<void>(), &data->pki());
      pactum::api::add_pki_routes(router, pki, &registry);
    } else {
      auto bare = node::open_bare_pki(config.data_dir, [] {
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      });
      if (!bare) {
        log.error("fatal", {{"message", bare.error().describe()}});
        return 1;
      }
      pki = std::move(*bare);
      if (pki) {
        pactum::api::add_pki_routes(router, pki, &registry);
      }
    }
    if (pki) {
      warn_about_root_crl(*pki, log);
    }
    // Public verification trusts the node's own platform root, and nothing else.
    pactum::api::VerifyRouteOptions verify_options;
    if (pki) {
      verify_options.trust_anchors.push_back(pki->root_certificate());
    }
    pactum::api::add_verify_route(router, std::move(verify_options));
    // The web app: the console, the signer pages and /verify, for every GET no route takes.
    const bool web_root_given = web_root_option->count() > 0;
    auto site = pactum::http::StaticSite::open(
        {.root = web_root_given ? std::filesystem::path(web_root) : default_web_root()});
    if (site) {
      pactum::http::add_static_site(router, *site);
    } else if (web_root_given) {
      fmt::print(stderr, "pactumd: --web-root: {}\n", site.error().message);
      return 2;
    } else {
      log.warn("web", {{"message", site.error().message}});
    }
    http::add_metrics_route(router, registry, {.token = config.metrics_token});
    http::HttpMetrics metrics(registry, router);
    router.set_error_log([&metrics, &log](std::string_view message) {
      metrics.server_error("handler");
      log.error("request_failed", {{"message", message}});
    });

    http::ServerLog server_log;
    if (config.access_log) {
      server_log.access = [&log](const http::AccessRecord& record) {
        log.write_line(http::format_access_log_line(record, log.now()));
      };
    }
    server_log.error = [&log](std::string_view message) {
      log.error("server_error", {{"message", message}});
    };
    server_log.metrics = &metrics;

    http::ServerOptions options = config.server_options();
    options.stop_signals = {SIGINT, SIGTERM};
    if (options.threads == 0) {
      options.threads = std::max(1U, std::thread::hardware_concurrency());
      if (data != nullptr && data->database().engine() == pactum::store::Engine::kPostgres) {
        // Handlers wait on libpq for the database's answers, so one worker per connection of
        // the pool keeps every connection busy (docs/BENCHMARKS.md: on 2 cores 8 threads read
        // 1.7x faster than 2; 16 wait for connections and are slower again).
        options.threads =
            std::max(options.threads, static_cast<unsigned>(data->database().pool_size()));
      }
    }
    http::Server server(options, router, server_log);
    const std::string url =
        http::format_http_url(server.host(), server.port(), config.tls.has_value());
    fmt::print("pactumd listening on {}\n", url);
    std::fflush(stdout);
    log.info("start", {{"url", url},
                       {"threads", options.threads},
                       {"api", data != nullptr},
                       {"base_url", data != nullptr ? data->base_url() : url},
                       {"database",
                        data != nullptr ? node::mask_url_password(data->database_url()) : "(none)"},
                       {"pki", pki ? pki->urls().base_url : "(none)"},
                       {"web_root", site ? (*site)->root().string() : "(none)"},
                       {"config", node::config_summary(config)}});

    server.run();
    log.info("stop");
    return 0;
  } catch (const std::exception& e) {
    log.error("fatal", {{"message", e.what()}});
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (...) {
    // Even writing the log line failed; say the least that can still be said.
    std::fputs("pactumd: fatal error\n", stderr);
    return 1;
  }
}
