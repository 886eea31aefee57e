#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/http/access_log.h"
#include "pactum/http/listen_address.h"
#include "pactum/http/router.h"

namespace pactum::http {

class HttpMetrics;

// TlsFiles names the PEM certificate chain (leaf first) and private key the server presents.
struct TlsFiles {
  std::filesystem::path cert;
  std::filesystem::path key;
};

// ServerOptions are the limits and knobs of one Server. The defaults are the production ones.
struct ServerOptions {
  ListenAddress listen{"127.0.0.1", 8080};
  std::size_t header_limit =
      std::size_t{8} * 1024;  // bytes of request line plus headers; over it: 431
  std::uint64_t body_limit = std::uint64_t{1024} * 1024;  // bytes of request body; over it: 413
  std::chrono::milliseconds read_timeout{30'000};         // per request, and per response write
  std::chrono::milliseconds shutdown_grace{5'000};        // how long in-flight requests may finish
  unsigned threads = 0;           // worker threads; 0 means hardware concurrency
  std::vector<int> stop_signals;  // signals that start a graceful shutdown
  // tls, when set, makes the port speak HTTPS only (TLS 1.2 and later). A plain HTTP request
  // sent to it is answered 400 in plain HTTP and the connection closed.
  std::optional<TlsFiles> tls;
};

// ServerLog receives what the server has to say. The sinks are optional, are called from
// worker threads concurrently, and must not throw.
struct ServerLog {
  std::function<void(const AccessRecord&)> access;      // one call per answered request
  std::function<void(std::string_view message)> error;  // unexpected failures, one line each
  HttpMetrics* metrics = nullptr;  // optional; counts requests and failures; must outlive Server
};

// Server is the HTTP/1.1 server: it accepts connections on one address, reads requests with a
// fresh size-limited parser per message and a read timeout, hands each to a Router, and writes
// the answer, keeping connections alive as HTTP/1.1 allows. Each connection is served by one
// coroutine on its own strand, so a connection's state is never touched by two threads.
//
// Shutdown (stop(), or one of the stop signals) stops accepting at once, closes idle
// connections, lets requests already being received or answered finish with "Connection:
// close", and after shutdown_grace closes whatever is left. run() then returns.
class Server {
 public:
  // Server loads the TLS files, if any, and binds and listens on options.listen. These are
  // start-up steps: an unusable certificate or key throws std::runtime_error, a bad address or
  // a port in use std::system_error (std::invalid_argument for an empty host), which is meant
  // to end the process. `router` must outlive the Server.
  Server(ServerOptions options, const Router& router, ServerLog log = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  Server(Server&&) = delete;
  Server& operator=(Server&&) = delete;

  // port returns the port actually bound, which is the chosen one when options asked for 0.
  [[nodiscard]] std::uint16_t port() const;

  // host returns the address actually bound, as text ("127.0.0.1", "::1").
  [[nodiscard]] std::string host() const;

  // run serves on the configured number of threads (the calling thread is one of them) and
  // returns once a shutdown has completed. Call it once.
  void run();

  // stop starts a graceful shutdown. Safe from any thread, before or during run(), and more than
  // once; it does not wait.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pactum::http
