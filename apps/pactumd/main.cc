// pactumd serves the Pactum HTTP API. This file only parses options, wires the library together
// and runs the server; behaviour lives in src/pactum/http.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <system_error>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "pactum/api/api_routes.h"
#include "pactum/api/data_dir.h"
#include "pactum/api/pki_routes.h"
#include "pactum/http/access_log.h"
#include "pactum/base/metrics.h"
#include "pactum/http/health.h"
#include "pactum/http/http_metrics.h"
#include "pactum/http/listen_address.h"
#include "pactum/http/router.h"
#include "pactum/http/server.h"

namespace {

namespace http = pactum::http;

// log_event writes one JSON line to stderr for a server event other than a request.
void log_event(std::string_view event,
               const nlohmann::ordered_json& fields = nlohmann::ordered_json::object()) {
  nlohmann::ordered_json line = {{"time", http::format_utc_time(std::chrono::system_clock::now())},
                                 {"event", event}};
  line.update(fields);
  fmt::print(stderr, "{}\n",
             line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

// run is main without the last-resort catch.
int run(int argc, char** argv) {
  CLI::App app{"pactumd: the Pactum e-contract signing server"};
  std::string listen = "127.0.0.1:8080";
  std::string data_dir;
  unsigned threads = 0;
  app.add_option("--listen", listen, "HOST:PORT to listen on; port 0 picks a free port")
      ->capture_default_str();
  app.add_option("--data", data_dir, "directory for the server's data; created if missing");
  app.add_option("--threads", threads, "worker threads; 0 means one per hardware thread")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const auto address = http::parse_listen_address(listen);
  if (!address) {
    fmt::print(stderr, "pactumd: --listen wants HOST:PORT (or [IPv6]:PORT), got \"{}\"\n", listen);
    return 2;
  }

  try {
    if (!data_dir.empty()) {
      std::filesystem::create_directories(data_dir);
    }

    pactum::metrics::Registry registry;
    http::Router router;
    http::add_health_routes(router);
    // A data directory made by `pactum init` brings the REST API (accounts, tenants, apps,
    // audit); a plain directory serves only health and metrics.
    std::unique_ptr<pactum::api::DataDir> data;
    if (!data_dir.empty() &&
        std::filesystem::exists(std::filesystem::path(data_dir) / pactum::api::kDataConfigFile)) {
      auto opened = pactum::api::DataDir::open(data_dir);
      if (!opened) {
        log_event("fatal", {{"message", opened.error().describe()}});
        return 1;
      }
      data = std::move(*opened);
      pactum::api::add_api_routes(router, data->services());
    }
    // The platform PKI (/pki/*, /tsa): the data directory's, keys sealed under its master key,
    // or a bare DATA_DIR/pki made by `pactum ca init` (plaintext keys).
    std::shared_ptr<pactum::pki::PlatformPki> pki;
    if (data) {
      pki = std::shared_ptr<pactum::pki::PlatformPki>(std::shared_ptr<void>(), &data->pki());
      pactum::api::add_pki_routes(router, pki);
    } else if (!data_dir.empty()) {
      auto mounted = pactum::api::mount_data_dir_pki(router, data_dir, [] {
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      });
      if (!mounted) {
        log_event("fatal", {{"message", mounted.error().describe()}});
        return 1;
      }
      pki = std::move(*mounted);
    }
    http::add_metrics_route(router, registry);
    http::HttpMetrics metrics(registry, router);

    http::ServerOptions options;
    options.listen = *address;
    options.threads = threads;
    options.stop_signals = {SIGINT, SIGTERM};

    http::ServerLog log;
    log.access = [](const http::AccessRecord& record) {
      fmt::print(stderr, "{}\n",
                 http::format_access_log_line(record, std::chrono::system_clock::now()));
    };
    log.error = [](std::string_view message) {
      log_event("error", {{"message", std::string(message)}});
    };
    log.metrics = &metrics;
    router.set_error_log([&metrics](std::string_view message) {
      metrics.server_error("handler");
      log_event("error", {{"message", std::string(message)}});
    });

    http::Server server(options, router, log);
    const std::string url = http::format_http_url(server.host(), server.port());
    fmt::print("pactumd listening on {}\n", url);
    std::fflush(stdout);
    log_event("start", {{"url", url},
                        {"data", data_dir.empty() ? "(none)" : data_dir},
                        {"pki", pki ? pki->urls().base_url : "(none)"}});

    server.run();
    log_event("stop");
    return 0;
  } catch (const std::exception& e) {
    log_event("fatal", {{"message", e.what()}});
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
