#pragma once

// A tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for testing HTTP clients without the
// network: it serves one connection per expected request, in a thread, with plain POSIX sockets.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace pactum::testing {

// LoopbackHttpServer answers `connections` requests, one per connection, with whatever `handler`
// returns for the request body (the handler writes the whole HTTP response, status line
// included). An empty answer means "never answer": the server waits until the client gives up
// and closes. Every socket read times out after a few seconds, so a broken test cannot hang.
class LoopbackHttpServer {
 public:
  using Handler = std::function<std::string(const std::string& body)>;

  LoopbackHttpServer(Handler handler, int connections = 1) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    auto* generic = reinterpret_cast<sockaddr*>(&address);  // NOLINT: the sockets API
    if (listen_fd_ < 0 || ::bind(listen_fd_, generic, sizeof(address)) != 0 ||
        ::listen(listen_fd_, 4) != 0 || ::getsockname(listen_fd_, generic, &length) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, connections] {
      for (int i = 0; i < connections; ++i) {
        serve_one();
      }
    });
  }
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;
  ~LoopbackHttpServer() {
    if (thread_.joinable()) {
      thread_.join();
    }
    if (listen_fd_ >= 0) {
      ::close(listen_fd_);
    }
  }

  // url returns http://127.0.0.1:<port><path>; port 0 means the server could not start.
  [[nodiscard]] std::string url(const std::string& path = "/tsa") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  // last_request returns the head of the last request (request line and headers).
  [[nodiscard]] std::string last_request_head() {
    if (thread_.joinable()) {
      thread_.join();
    }
    return head_;
  }

  // http_response builds a complete response with a body.
  static std::string http_response(int status, const std::string& content_type,
                                   const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           body;
  }

 private:
  void serve_one() {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      return;
    }
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    std::string request;
    std::size_t head_end = std::string::npos;
    std::array<char, 4096> buffer{};
    while (head_end == std::string::npos || request.size() < head_end + 4 + content_length()) {
      const ssize_t got = ::recv(fd, buffer.data(), buffer.size(), 0);
      if (got <= 0) {
        break;
      }
      request.append(buffer.data(), static_cast<std::size_t>(got));
      if (head_end == std::string::npos) {
        head_end = request.find("\r\n\r\n");
        if (head_end != std::string::npos) {
          head_ = request.substr(0, head_end);
        }
      }
    }
    const std::string body = head_end == std::string::npos ? "" : request.substr(head_end + 4);
    const std::string answer = handler_(body);
    if (answer.empty()) {
      while (::recv(fd, buffer.data(), buffer.size(), 0) > 0) {
      }
    } else {
      std::size_t sent = 0;
      while (sent < answer.size()) {
        const ssize_t n = ::send(fd, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
          break;
        }
        sent += static_cast<std::size_t>(n);
      }
    }
    ::close(fd);
  }

  // content_length reads Content-Length from the request head seen so far (0 if absent).
  [[nodiscard]] std::size_t content_length() const {
    std::string lower = head_;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::size_t at = lower.find("content-length:");
    return at == std::string::npos ? 0 : std::stoul(lower.substr(at + 15));
  }

  Handler handler_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::string head_;
};

}  // namespace pactum::testing
