#include "pactum/http/server.h"

#include "pactum/http/http_metrics.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace pactum::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using boost::asio::ip::tcp;

namespace {

using Parser = beast_http::request_parser<beast_http::string_body>;
using Strand = asio::strand<asio::io_context::executor_type>;

// kTlsCloseTimeout bounds the wait for the client's close_notify when a TLS connection ends;
// clients often just close, and nothing is lost by giving up.
constexpr std::chrono::seconds kTlsCloseTimeout{1};

// Connection is the state of one client connection. Only the connection's strand touches it:
// its coroutine, and the shutdown steps that Server dispatches onto that strand.
struct Connection {
  Connection(tcp::socket socket, asio::ssl::context* tls) : timer(socket.get_executor()) {
    beast::error_code error;
    const tcp::endpoint peer = socket.remote_endpoint(error);
    if (!error) {
      client_address = peer.address().to_string();
      client_port = peer.port();
    }
    if (tls != nullptr) {
      secure.emplace(std::move(socket), *tls);
    } else {
      plain.emplace(std::move(socket));
    }
  }

  // transport returns the TCP layer, under TLS when there is TLS: timeouts, cancel and close act here.
  beast::tcp_stream& transport() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  // idle returns true while the connection waits for a request of which no byte has arrived;
  // closing it then loses nothing.
  [[nodiscard]] bool idle() const {
    return !answering && buffer.size() == 0 && (parser == nullptr || !parser->got_some());
  }

  // timer bounds each read. It cancels the read instead of closing the socket (as tcp_stream's
  // own expiry would), so that a client that stalled mid-request can still be told 408.
  asio::steady_timer timer;
  std::optional<beast::tcp_stream> plain;                        // exactly one of these two
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  std::uint64_t reads = 0;         // counts reads, so a stale timer wakeup cancels nothing
  bool timed_out = false;          // the current read was cancelled by the timer
  const Parser* parser = nullptr;  // the message being read, while a read is pending
  bool answering = false;          // a request was read and its response is not yet written
  std::string client_address;
  std::uint16_t client_port = 0;
};

// load_tls returns a TLS 1.2+ server context presenting `files`; throws std::runtime_error
// naming the file when one cannot be used (a start-up failure).
asio::ssl::context load_tls(const TlsFiles& files) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  beast::error_code error;
  context.use_certificate_chain_file(files.cert.string(), error);
  if (error) {
    throw std::runtime_error(
        fmt::format("server: TLS certificate {}: {}", files.cert.string(), error.message()));
  }
  context.use_private_key_file(files.key.string(), asio::ssl::context::pem, error);
  if (error) {
    throw std::runtime_error(fmt::format("server: TLS key {}: {} (or it does not match the "
                                         "certificate)",
                                         files.key.string(), error.message()));
  }
  return context;
}

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// carries_body says whether requests of this method are expected to have a body, so one without
// a declared length (Content-Length or chunked) is refused with 411 rather than read as empty.
bool carries_body(beast_http::verb method) {
  return method == beast_http::verb::post || method == beast_http::verb::put ||
         method == beast_http::verb::patch;
}

// expects_continue says whether the client waits for "100 Continue" before sending the body.
bool expects_continue(const Request& header) {
  return header.version() >= 11 &&
         beast::iequals(header[beast_http::field::expect], "100-continue");
}

// Rejection is how we answer a request that failed before it could be routed.
struct Rejection {
  ErrorKind kind;
  std::string_view message;
};

// rejection_for returns the answer to a read that failed with `error`, or nullopt when there is
// no one to answer: the peer left, or the read was cancelled by shutdown.
std::optional<Rejection> rejection_for(const beast::error_code& error) {
  if (error == beast_http::error::header_limit) {
    return Rejection{ErrorKind::kHeaderTooLarge,
                     "the request line and headers are larger than the server accepts"};
  }
  if (error == beast_http::error::body_limit) {
    return Rejection{ErrorKind::kBodyTooLarge,
                     "the request body is larger than the server accepts"};
  }
  const bool is_http_error =
      error.category() == beast_http::make_error_code(beast_http::error::bad_method).category();
  if (is_http_error && error != beast_http::error::end_of_stream &&
      error != beast_http::error::partial_message) {
    return Rejection{ErrorKind::kBadRequest, "the request is not valid HTTP/1.1"};
  }
  return std::nullopt;
}

std::string describe(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

unsigned worker_count(unsigned requested) {
  if (requested != 0) {
    return requested;
  }
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware == 0 ? 1 : hardware;
}

int concurrency_hint(unsigned threads) { return threads > 1024 ? 1024 : static_cast<int>(threads); }

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, ServerLog log)
      : options_(std::move(options)),
        threads_(worker_count(options_.threads)),
        router_(router),
        log_(std::move(log)),
        ioc_(concurrency_hint(threads_)),
        accept_strand_(asio::make_strand(ioc_)),
        acceptor_(accept_strand_),
        deadline_(accept_strand_) {
    if (options_.tls) {
      tls_.emplace(load_tls(*options_.tls));
    }
    if (options_.listen.host.empty()) {
      throw std::invalid_argument("server: the listen host is empty");
    }
    tcp::resolver resolver(ioc_);
    const auto results =
        resolver.resolve(options_.listen.host, std::to_string(options_.listen.port),
                         tcp::resolver::passive | tcp::resolver::numeric_service);
    if (results.empty()) {
      throw std::invalid_argument(
          fmt::format("server: {} resolves to no address", options_.listen.host));
    }
    const tcp::endpoint wanted = results.begin()->endpoint();
    acceptor_.open(wanted.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(wanted);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    bound_ = acceptor_.local_endpoint();

    if (!options_.stop_signals.empty()) {
      signals_.emplace(accept_strand_);
      for (const int signal : options_.stop_signals) {
        signals_->add(signal);
      }
    }
  }

  [[nodiscard]] const tcp::endpoint& bound() const { return bound_; }

  void run() {
    asio::co_spawn(accept_strand_, accept_loop(), [this](const std::exception_ptr& failure) {
      if (failure) {
        report(fmt::format("accept loop failed: {}; shutting down", describe(failure)), "accept");
        begin_shutdown();
      }
    });
    if (signals_) {
      signals_->async_wait([this](const beast::error_code& error, int /*signal*/) {
        if (!error) {
          begin_shutdown();
        }
      });
    }
    std::vector<std::jthread> workers;
    workers.reserve(threads_ - 1);
    for (unsigned i = 1; i < threads_; ++i) {
      workers.emplace_back([this] { ioc_.run(); });
    }
    ioc_.run();
  }

  void stop() {
    asio::post(accept_strand_, [this] { begin_shutdown(); });
  }

 private:
  // accept_loop runs on accept_strand_ until the acceptor is closed.
  asio::awaitable<void> accept_loop() {
    asio::steady_timer backoff(accept_strand_);
    for (;;) {
      beast::error_code error;
      tcp::socket socket = co_await acceptor_.async_accept(
          asio::make_strand(ioc_), asio::redirect_error(asio::use_awaitable, error));
      if (stopping_) {
        co_return;  // shutdown ran while we waited; a just-accepted socket closes unanswered
      }
      if (error) {
        // Usually out of file descriptors: say so, and wait a little rather than spin.
        report(fmt::format("accept failed: {}", error.message()), "accept");
        backoff.expires_after(std::chrono::milliseconds(100));
        co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, error));
        continue;
      }
      auto connection =
          std::make_shared<Connection>(std::move(socket), tls_ ? &*tls_ : nullptr);
      {
        const std::lock_guard lock(mutex_);
        connections_.push_back(connection);
      }
      asio::co_spawn(connection->timer.get_executor(), serve(connection),
                     [this, connection](const std::exception_ptr& failure) {
                       if (failure) {
                         report(fmt::format("connection failed: {}", describe(failure)), "connection");
                       }
                       forget(connection);
                     });
    }
  }

  // serve runs one connection on its strand: over TLS (when configured) after a handshake, else
  // plain. Network outcomes (peer gone, timeout, cancellation) end it quietly.
  asio::awaitable<void> serve(std::shared_ptr<Connection> connection) {
    Connection& conn = *connection;
    beast::error_code error;
    if (!conn.secure) {
      co_await serve_requests(connection, *conn.plain, false);
      conn.transport().socket().shutdown(tcp::socket::shutdown_send, error);
      co_return;
    }
    // Plain HTTP sent to the TLS port is told so, in plain HTTP, rather than failing a handshake.
    conn.transport().expires_after(options_.read_timeout);
    const bool is_tls = co_await beast::async_detect_ssl(
        conn.transport(), conn.buffer, asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      co_return;
    }
    if (!is_tls) {
      co_await serve_requests(connection, conn.transport(), true);
      conn.transport().socket().shutdown(tcp::socket::shutdown_send, error);
      co_return;
    }
    conn.transport().expires_after(options_.read_timeout);
    const std::size_t used = co_await conn.secure->async_handshake(
        asio::ssl::stream_base::server, conn.buffer.data(),
        asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      co_return;  // not a client we can talk to (bad TLS version, no common cipher, gone)
    }
    conn.buffer.consume(used);
    co_await serve_requests(connection, *conn.secure, false);
    conn.transport().expires_after(std::min<std::chrono::milliseconds>(options_.read_timeout,
                                                                 kTlsCloseTimeout));
    co_await conn.secure->async_shutdown(asio::redirect_error(asio::use_awaitable, error));
  }

  // check_before_body answers a request from its header alone when it must be refused before
  // its body is read: a body-carrying method without Content-Length or chunked encoding (411),
  // and, when the client waits for 100 Continue, a path or method that has no route (404, 405,
  // 400). The body limit was already applied by the parser to a declared length (413).
  std::optional<Response> check_before_body(const Parser& parser, RequestContext& context) const {
    const Request& header = parser.get();
    if (carries_body(header.method()) && !parser.content_length() && !parser.chunked()) {
      return router_.reject(context, ErrorKind::kLengthRequired,
                            "this method needs a body with Content-Length or chunked "
                            "Transfer-Encoding");
    }
    if (expects_continue(header)) {
      return router_.check_route(header, context);
    }
    return std::nullopt;
  }

  // serve_requests answers requests on `stream` until the connection should close. With
  // `refuse_plain`, it answers each request with 400 (plain HTTP on the TLS port) and stops.
  template <typename Stream>
  asio::awaitable<void> serve_requests(std::shared_ptr<Connection> connection, Stream& stream,
                                       bool refuse_plain) {
    Connection& conn = *connection;
    while (!stopping_) {
      Parser parser;
      parser.header_limit(static_cast<std::uint32_t>(
          std::min<std::size_t>(options_.header_limit, std::numeric_limits<std::uint32_t>::max())));
      parser.body_limit(options_.body_limit);

      beast::error_code error;
      conn.parser = &parser;
      conn.timed_out = false;
      conn.transport().expires_never();
      conn.timer.expires_after(options_.read_timeout);
      conn.timer.async_wait([connection, read = ++conn.reads](const beast::error_code& expired) {
        if (!expired && connection->parser != nullptr && connection->reads == read) {
          connection->timed_out = true;
          beast::error_code ignored;
          connection->transport().socket().cancel(ignored);
        }
      });
      RequestContext context;
      context.client_address = conn.client_address;
      context.client_port = conn.client_port;
      context.secure = conn.secure.has_value() && !refuse_plain;
      // The header first: a request can be refused before its body is read (or, with
      // Expect: 100-continue, before the client sends it).
      co_await beast_http::async_read_header(stream, conn.buffer, parser,
                                             asio::redirect_error(asio::use_awaitable, error));
      std::optional<Response> early;
      if (!error && !refuse_plain) {
        early = check_before_body(parser, context);
        if (!early && expects_continue(parser.get())) {
          co_await asio::async_write(stream, asio::buffer(kContinue),
                                     asio::redirect_error(asio::use_awaitable, error));
        }
      }
      if (!error && !early && !parser.is_done()) {
        co_await beast_http::async_read(stream, conn.buffer, parser,
                                        asio::redirect_error(asio::use_awaitable, error));
      }
      conn.parser = nullptr;
      conn.timer.cancel();
      const auto started = std::chrono::steady_clock::now();
      context.received = started;
      AccessRecord record;
      record.method = "-";
      record.target = "-";
      Response response;
      // The start line may have been read even when the request failed later (a body over the
      // limit is refused from its header); an unread one leaves these empty.
      const Request& partial = parser.get();
      if (!partial.method_string().empty()) {
        record.method = std::string(partial.method_string());
      }
      if (!partial.target().empty()) {
        record.target = std::string(partial.target());
      }
      if (early) {
        started_request();
        response = std::move(*early);
        if (context.route.empty()) {
          context.route = kUnroutedRoute;
        }
      } else if (!error && refuse_plain) {
        started_request();
        response = router_.reject(context, ErrorKind::kBadRequest,
                                  "this port speaks HTTPS only; use https://");
        context.route = kUnroutedRoute;
      } else if (!error) {
        started_request();
        response = router_.handle(parser.get(), context);
      } else if (const auto rejection = rejection_for(error)) {
        started_request();
        response = router_.reject(context, rejection->kind, rejection->message);
        context.route = kUnroutedRoute;
      } else if (conn.timed_out && parser.got_some()) {
        started_request();
        response = router_.reject(context, ErrorKind::kRequestTimeout,
                                  "the request did not arrive in time");
        context.route = kUnroutedRoute;
      } else {
        break;
      }
      if (stopping_) {
        response.keep_alive(false);
      }

      conn.answering = true;
      conn.transport().expires_after(options_.read_timeout);
      co_await beast_http::async_write(stream, response,
                                       asio::redirect_error(asio::use_awaitable, error));
      conn.answering = false;

      record.request_id = context.request_id;
      record.client = context.client_address;
      record.actor = context.actor;
      record.status = response.result_int();
      record.duration = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - started);
      if (log_.metrics != nullptr) {
        log_.metrics->finished(partial.method(), context.route, record.status, record.duration);
        if (const std::optional<ErrorKind> kind = error_kind_of(response)) {
          log_.metrics->error(*kind);
        }
      }
      if (log_.access) {
        log_.access(record);
      }
      if (error || !response.keep_alive()) {
        break;
      }
    }
  }

  // begin_shutdown runs on accept_strand_: stop accepting, close idle connections now and the
  // rest when the grace period ends.
  void begin_shutdown() {
    if (stopping_.exchange(true)) {
      return;
    }
    beast::error_code ignored;
    acceptor_.close(ignored);
    if (signals_) {
      signals_->cancel(ignored);
    }
    const std::vector<std::shared_ptr<Connection>> open = snapshot();
    if (open.empty()) {
      return;
    }
    for (const auto& connection : open) {
      asio::dispatch(connection->timer.get_executor(), [connection] {
        if (connection->idle()) {
          connection->transport().cancel();
        }
      });
    }
    deadline_.expires_after(options_.shutdown_grace);
    deadline_.async_wait([this](const beast::error_code& error) {
      if (error) {
        return;  // every connection finished in time
      }
      for (const auto& connection : snapshot()) {
        asio::dispatch(connection->timer.get_executor(),
                       [connection] { connection->transport().close(); });
      }
    });
  }

  // forget drops a finished connection; the last one to go during shutdown ends the grace timer
  // so run() returns without waiting it out.
  void forget(const std::shared_ptr<Connection>& connection) {
    const std::lock_guard lock(mutex_);
    std::erase(connections_, connection);
    if (stopping_ && connections_.empty()) {
      asio::post(accept_strand_, [this] { deadline_.cancel(); });
    }
  }

  std::vector<std::shared_ptr<Connection>> snapshot() {
    const std::lock_guard lock(mutex_);
    return connections_;
  }

  void report(std::string_view message, std::string_view kind) const {
    if (log_.metrics != nullptr) {
      log_.metrics->server_error(kind);
    }
    if (log_.error) {
      log_.error(message);
    }
  }

  void started_request() const {
    if (log_.metrics != nullptr) {
      log_.metrics->started();
    }
  }

  const ServerOptions options_;
  const unsigned threads_;
  const Router& router_;
  const ServerLog log_;
  // The io_context outlives every I/O object below it, which are destroyed first.
  asio::io_context ioc_;
  Strand accept_strand_;
  tcp::acceptor acceptor_;
  asio::steady_timer deadline_;
  std::optional<asio::signal_set> signals_;
  std::optional<asio::ssl::context> tls_;
  tcp::endpoint bound_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::shared_ptr<Connection>> connections_;  // guarded by mutex_
};

Server::Server(ServerOptions options, const Router& router, ServerLog log)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(log))) {}

Server::~Server() = default;

std::uint16_t Server::port() const { return impl_->bound().port(); }

std::string Server::host() const { return impl_->bound().address().to_string(); }

void Server::run() { impl_->run(); }

void Server::stop() { impl_->stop(); }

}  // namespace pactum::http
