#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include "pactum/http/health.h"
#include "pactum/http/server.h"
#include "test_files.h"

namespace pactum::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using boost::asio::ip::tcp;
using namespace std::chrono_literals;

// make_certificate writes a self-signed P-256 certificate for 127.0.0.1 with the openssl CLI.
void make_certificate(const std::string& dir, const std::string& name) {
  const int status = testing::run_quiet(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "
      "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
      dir + "/" + name + ".key -out " + dir + "/" + name + ".pem");
  ASSERT_EQ(status, 0);
}

class TlsServerTest : public ::testing::Test {
 public:
  TlsServerTest(const TlsServerTest&) = delete;
  TlsServerTest& operator=(const TlsServerTest&) = delete;
  TlsServerTest(TlsServerTest&&) = delete;
  TlsServerTest& operator=(TlsServerTest&&) = delete;

 protected:
  TlsServerTest() : dir_(testing::fresh_temp_dir("pactum_http")) {
    add_health_routes(router_);
    router_.add(beast_http::verb::get, "/secure", [](const Request&, const RequestContext& c) {
      return json_response(Status::ok, c.secure ? "true" : "false");
    });
  }

  ~TlsServerTest() override {
    if (server_) {
      server_->stop();
      finished_.wait();
    }
  }

  void start() {
    make_certificate(dir_, "server");
    ServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.threads = 2;
    options.tls = TlsFiles{dir_ + "/server.pem", dir_ + "/server.key"};
    server_ = std::make_unique<Server>(options, router_);
    finished_ = std::async(std::launch::async, [this] { server_->run(); });
  }

  tcp::endpoint endpoint() const {
    return {asio::ip::make_address("127.0.0.1"), server_->port()};
  }

  std::string dir_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::future<void> finished_;
};

TEST_F(TlsServerTest, ServesHttpsVerifiedAgainstTheCertificate) {
  start();
  asio::io_context client;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.load_verify_file(dir_ + "/server.pem");
  tls.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<tcp::socket> stream(client, tls);
  stream.set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
  stream.next_layer().connect(endpoint());
  stream.handshake(asio::ssl::stream_base::client);

  beast::flat_buffer buffer;
  for (const char* target : {"/healthz", "/secure"}) {  // two requests, one connection
    Request request{beast_http::verb::get, target, 11};
    request.set(beast_http::field::host, "127.0.0.1");
    beast_http::write(stream, request);
    Response response;
    beast_http::read(stream, buffer, response);
    EXPECT_EQ(response.result(), Status::ok) << target;
    EXPECT_EQ(response.body(), std::string(target) == "/healthz" ? R"({"status":"ok"})" : "true");
  }
}

TEST_F(TlsServerTest, PlainHttpOnTheTlsPortIsTold400AndClosed) {
  start();
  asio::io_context client;
  tcp::socket socket(client);
  socket.connect(endpoint());
  asio::write(socket, asio::buffer(std::string_view("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")));
  beast::flat_buffer buffer;
  Response response;
  beast::error_code error;
  beast_http::read(socket, buffer, response, error);
  ASSERT_FALSE(error) << error.message();
  EXPECT_EQ(response.result(), Status::bad_request);
  EXPECT_FALSE(response.keep_alive());
  const auto body = nlohmann::json::parse(response.body());
  EXPECT_EQ(body["error"]["code"], "bad_request");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("HTTPS"), std::string::npos);
  std::array<char, 1> byte{};
  socket.read_some(asio::buffer(byte), error);
  EXPECT_TRUE(error == asio::error::eof || error == asio::error::connection_reset);
}

TEST_F(TlsServerTest, UnusableFilesFailAtStart) {
  make_certificate(dir_, "a");
  make_certificate(dir_, "b");
  ServerOptions options;
  options.listen = {"127.0.0.1", 0};
  options.tls = TlsFiles{dir_ + "/missing.pem", dir_ + "/a.key"};
  EXPECT_THROW(Server(options, router_), std::runtime_error);
  options.tls = TlsFiles{dir_ + "/a.pem", dir_ + "/b.key"};  // key of another certificate
  EXPECT_THROW(Server(options, router_), std::runtime_error);
  options.tls = TlsFiles{dir_ + "/a.pem", dir_ + "/a.key"};
  EXPECT_NO_THROW(Server(options, router_));
}

}  // namespace
}  // namespace pactum::http
