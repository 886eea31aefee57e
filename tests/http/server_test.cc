#include "pactum/http/server.h"

#include <array>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include "pactum/http/health.h"
#include "pactum/http/http_metrics.h"

namespace pactum::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using boost::asio::ip::tcp;
using namespace std::chrono_literals;

// kGenerous bounds waits that succeed at once when the server is right; it only matters when
// the server is wrong, so that the test fails instead of hanging.
constexpr auto kGenerous = 10s;

class ServerTest : public ::testing::Test {
 public:
  ServerTest(const ServerTest&) = delete;
  ServerTest& operator=(const ServerTest&) = delete;
  ServerTest(ServerTest&&) = delete;
  ServerTest& operator=(ServerTest&&) = delete;

 protected:
  ServerTest() { add_health_routes(router_); }

  ~ServerTest() override {
    if (server_) {
      server_->stop();
      finished_.wait();
    }
  }

  void start(ServerOptions options = {}, HttpMetrics* metrics = nullptr) {
    options.listen = {"127.0.0.1", 0};
    options.threads = 2;
    ServerLog log;
    log.metrics = metrics;
    log.access = [this](const AccessRecord& record) {
      const std::lock_guard lock(mutex_);
      records_.push_back(record);
    };
    server_ = std::make_unique<Server>(std::move(options), router_, std::move(log));
    finished_ = std::async(std::launch::async, [this] { server_->run(); });
  }

  // stop_and_wait asks for a shutdown and returns whether run() returned in time.
  bool stop_and_wait() {
    server_->stop();
    return finished_.wait_for(kGenerous) == std::future_status::ready;
  }

  tcp::socket connect() {
    tcp::socket socket(client_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    return socket;
  }

  static void send(tcp::socket& socket, std::string_view bytes) {
    asio::write(socket, asio::buffer(bytes));
  }

  // receive reads one response, or returns the error that prevented it.
  static beast::error_code receive(tcp::socket& socket, beast::flat_buffer& buffer,
                                   Response& response) {
    beast::error_code error;
    beast_http::read(socket, buffer, response, error);
    return error;
  }

  // closed_by_server returns true if the next read sees the connection end.
  static bool closed_by_server(tcp::socket& socket) {
    std::array<char, 1> byte{};
    beast::error_code error;
    socket.read_some(asio::buffer(byte), error);
    return error == asio::error::eof || error == asio::error::connection_reset;
  }

  std::vector<AccessRecord> records() {
    const std::lock_guard lock(mutex_);
    return records_;
  }

  Router router_;
  asio::io_context client_;
  std::unique_ptr<Server> server_;
  std::future<void> finished_;
  std::mutex mutex_;
  std::vector<AccessRecord> records_;
};

constexpr std::string_view kHealthz = "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n";

TEST_F(ServerTest, ReportsTheBoundPort) {
  start();
  EXPECT_NE(server_->port(), 0);
  EXPECT_EQ(server_->host(), "127.0.0.1");
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  start();
  tcp::socket socket = connect();
  beast::flat_buffer buffer;
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    send(socket, kHealthz);
    Response response;
    ASSERT_FALSE(receive(socket, buffer, response));
    EXPECT_EQ(response.result(), Status::ok);
    EXPECT_EQ(response.body(), R"({"status":"ok"})");
    EXPECT_TRUE(response.keep_alive());
    ids.emplace_back(response[kRequestIdHeader]);
  }
  EXPECT_NE(ids.at(0), ids.at(1));

  ASSERT_TRUE(stop_and_wait());
  const std::vector<AccessRecord> logged = records();
  ASSERT_EQ(logged.size(), 2U);
  EXPECT_EQ(logged.at(0).request_id, ids.at(0));
  EXPECT_EQ(logged.at(0).method, "GET");
  EXPECT_EQ(logged.at(0).target, "/healthz");
  EXPECT_EQ(logged.at(0).status, 200U);
}

TEST_F(ServerTest, HeaderOverTheLimitIs431OrClosed) {
  start();
  tcp::socket socket = connect();
  const std::string request =
      "GET /healthz HTTP/1.1\r\nHost: test\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n";
  beast::error_code write_error;
  asio::write(socket, asio::buffer(request), write_error);  // may fail once the server gives up

  beast::flat_buffer buffer;
  Response response;
  if (!receive(socket, buffer, response)) {
    EXPECT_EQ(response.result(), Status::request_header_fields_too_large);
    EXPECT_FALSE(response.keep_alive());
    EXPECT_EQ(nlohmann::json::parse(response.body())["error"]["code"], "header_too_large");
  }
  EXPECT_TRUE(closed_by_server(socket));
}

TEST_F(ServerTest, BodyOverTheLimitIs413) {
  start();  // the default limit, 1 MiB
  tcp::socket socket = connect();
  // Only the header is sent: the declared length alone is enough to refuse the request.
  send(socket, "POST /healthz HTTP/1.1\r\nHost: test\r\nContent-Length: 2000000\r\n\r\n");
  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));
  EXPECT_EQ(response.result(), Status::payload_too_large);
  EXPECT_FALSE(response.keep_alive());
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "body_too_large");
  EXPECT_EQ(body["error"]["request_id"], response[kRequestIdHeader]);
  EXPECT_TRUE(closed_by_server(socket));
}

TEST_F(ServerTest, ConfiguredBodyLimitAppliesToChunkedBodies) {
  ServerOptions options;
  options.body_limit = 16;
  start(options);
  tcp::socket socket = connect();
  send(socket,
       "POST /healthz HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
       "20\r\n0123456789abcdef0123456789abcdef\r\n0\r\n\r\n");
  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));
  EXPECT_EQ(response.result(), Status::payload_too_large);
}

TEST_F(ServerTest, GarbageIs400) {
  start();
  tcp::socket socket = connect();
  send(socket, "HELLO\x01 / HTTP/1.1\r\n\r\n");
  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));
  EXPECT_EQ(response.result(), Status::bad_request);
  EXPECT_TRUE(closed_by_server(socket));
}

TEST_F(ServerTest, ShutdownLetsAnInFlightRequestFinish) {
  std::promise<void> entered;
  std::promise<void> release;
  router_.add(
      beast_http::verb::get, "/slow",
      [&entered, released = release.get_future().share()](const Request&, const RequestContext&) {
        entered.set_value();
        released.wait();
        return json_response(Status::ok, R"({"slow":true})");
      });
  ServerOptions options;
  options.shutdown_grace = 60s;  // the request must finish well before this
  start(options);

  tcp::socket socket = connect();
  send(socket, "GET /slow HTTP/1.1\r\nHost: test\r\n\r\n");
  ASSERT_EQ(entered.get_future().wait_for(kGenerous), std::future_status::ready);
  server_->stop();
  release.set_value();

  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response.body(), R"({"slow":true})");
  EXPECT_TRUE(closed_by_server(socket));
  EXPECT_EQ(finished_.wait_for(kGenerous), std::future_status::ready);
}

TEST_F(ServerTest, ShutdownClosesIdleConnectionsWithoutWaitingForTheDeadline) {
  ServerOptions options;
  options.shutdown_grace = 600s;  // longer than the test's patience: waiting it out would fail
  start(options);
  tcp::socket socket = connect();
  send(socket, kHealthz);
  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));

  ASSERT_TRUE(stop_and_wait());
  EXPECT_TRUE(closed_by_server(socket));
}

TEST_F(ServerTest, ShutdownDeadlineClosesStalledRequests) {
  ServerOptions options;
  options.shutdown_grace = 50ms;
  start(options);
  tcp::socket socket = connect();
  send(socket, "GET /healthz HTTP/1.1\r\nHost: te");  // and never the rest

  ASSERT_TRUE(stop_and_wait());
  EXPECT_TRUE(closed_by_server(socket));
}

TEST_F(ServerTest, StalledRequestIs408) {
  ServerOptions options;
  options.read_timeout = 50ms;
  start(options);
  tcp::socket socket = connect();
  send(socket, "GET /healthz HTTP/1.1\r\nHost: te");  // and never the rest
  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));
  EXPECT_EQ(response.result(), Status::request_timeout);
  EXPECT_FALSE(response.keep_alive());
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "request_timeout");
  EXPECT_EQ(body["error"]["request_id"], response[kRequestIdHeader]);
  EXPECT_TRUE(closed_by_server(socket));
}

TEST_F(ServerTest, IdleConnectionTimesOutSilently) {
  ServerOptions options;
  options.read_timeout = 50ms;
  start(options);
  tcp::socket socket = connect();
  EXPECT_TRUE(closed_by_server(socket));  // no bytes sent: nothing to answer, just closed
}

TEST_F(ServerTest, HandlersSeeTheClientAddress) {
  router_.add(beast_http::verb::get, "/peer", [](const Request&, const RequestContext& context) {
    return json_value_response(Status::ok, nlohmann::json{{"address", context.client_address},
                                                    {"port", context.client_port},
                                                    {"secure", context.secure}});
  });
  start();
  tcp::socket socket = connect();
  send(socket, "GET /peer HTTP/1.1\r\nHost: test\r\n\r\n");
  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["address"], "127.0.0.1");
  EXPECT_EQ(body["port"], socket.local_endpoint().port());
  EXPECT_EQ(body["secure"], false);
  ASSERT_TRUE(stop_and_wait());
  ASSERT_EQ(records().size(), 1U);
  EXPECT_EQ(records().at(0).client, "127.0.0.1");
}

TEST_F(ServerTest, CountsRequestsIntoMetrics) {
  metrics::Registry registry;
  HttpMetrics metrics(registry, router_);
  start({}, &metrics);
  tcp::socket socket = connect();
  send(socket, kHealthz);
  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));
  tcp::socket garbage = connect();
  send(garbage, "HELLO\x01 / HTTP/1.1\r\n\r\n");
  beast::flat_buffer garbage_buffer;
  ASSERT_FALSE(receive(garbage, garbage_buffer, response));
  ASSERT_TRUE(stop_and_wait());

  const std::string text = registry.render();
  EXPECT_NE(text.find(R"(pactum_http_requests_total{method="GET",route="/healthz",status="200"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(R"(pactum_http_requests_total{method="other",route="unrouted",status="400"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("pactum_http_requests_in_flight 0\n"), std::string::npos) << text;
}

// add_echo adds POST /echo, answering the size of the body it was given.
void add_echo(Router& router) {
  router.add(beast_http::verb::post, "/echo", [](const Request& request, const RequestContext&) {
    return json_value_response(Status::ok, nlohmann::json{{"bytes", request.body().size()}});
  });
}

TEST_F(ServerTest, BodyMethodWithoutALengthIs411) {
  add_echo(router_);
  start();
  tcp::socket socket = connect();
  send(socket, "POST /echo HTTP/1.1\r\nHost: test\r\n\r\n");
  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));
  EXPECT_EQ(response.result(), Status::length_required);
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "length_required");
  EXPECT_EQ(body["error"]["request_id"], response[kRequestIdHeader]);

  // A declared length, even 0, and a chunked body are both fine.
  tcp::socket again = connect();
  send(again,
       "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n"
       "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
       "3\r\nabc\r\n0\r\n\r\n");
  beast::flat_buffer again_buffer;
  for (const int expected : {0, 3}) {
    Response ok;
    ASSERT_FALSE(receive(again, again_buffer, ok));
    EXPECT_EQ(ok.result(), Status::ok);
    EXPECT_EQ(nlohmann::json::parse(ok.body())["bytes"], expected);
  }
}

TEST_F(ServerTest, ExpectContinueGets100OnlyAfterTheHeaderPasses) {
  add_echo(router_);
  start();
  tcp::socket socket = connect();
  send(socket,
       "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n"
       "Expect: 100-continue\r\n\r\n");
  // Nothing of the body was sent: the server must say 100 Continue before we do.
  std::string interim;
  const std::size_t head = asio::read_until(socket, asio::dynamic_buffer(interim), "\r\n\r\n");
  EXPECT_EQ(interim.substr(0, head), "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_EQ(interim.size(), head) << "nothing after the interim response";
  send(socket, "hello");
  beast::flat_buffer buffer;
  Response response;
  ASSERT_FALSE(receive(socket, buffer, response));
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(nlohmann::json::parse(response.body())["bytes"], 5);
  EXPECT_TRUE(response.keep_alive());
}

TEST_F(ServerTest, ExpectContinueRefusedFromTheHeaderWithout100) {
  add_echo(router_);
  start();
  struct Case {
    std::string request;
    Status status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n"
       "Expect: 100-continue\r\n\r\n",
       Status::payload_too_large, "body_too_large"},
      {"POST /nowhere HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
       "Expect: 100-continue\r\n\r\n",
       Status::not_found, "not_found"},
      {"PUT /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
       Status::method_not_allowed, "method_not_allowed"},
  };
  for (const Case& c : cases) {
    tcp::socket socket = connect();
    send(socket, c.request);
    beast::flat_buffer buffer;
    Response response;
    // An interim 100 would be read here as the response and fail the status check.
    ASSERT_FALSE(receive(socket, buffer, response)) << c.request;
    EXPECT_EQ(response.result(), c.status) << c.request;
    EXPECT_EQ(nlohmann::json::parse(response.body())["error"]["code"], c.code);
    EXPECT_FALSE(response.keep_alive()) << "the unread body ends the connection";
    EXPECT_TRUE(closed_by_server(socket));
  }
  ASSERT_TRUE(stop_and_wait());
  for (const AccessRecord& record : records()) {
    EXPECT_NE(record.status, 100U);
  }
}

TEST_F(ServerTest, StopsAcceptingOnShutdown) {
  start();
  ASSERT_TRUE(stop_and_wait());
  tcp::socket socket(client_);
  beast::error_code error;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()), error);
  EXPECT_TRUE(error);
}

}  // namespace
}  // namespace pactum::http
