// make_test_pki DIR [--serve]: a platform PKI (pki/platform_pki.h) in DIR/pki and one signer
// certificate from it, for the PAdES B-LT/B-LTA interop tests. Writes DIR/root.pem,
// DIR/issuing.pem, DIR/signer.key.pem, DIR/signer.cert.pem; the TSA is DIR/pki/tsa/tsa.key.pem
// and DIR/pki/tsa/tsa.cert.pem.
//
// The certificates name http://127.0.0.1:PORT/pki/ocsp, /pki/crl, /pki/issuing-ca.cer (and the
// issuing CA's /pki/root-crl and /pki/root-ca.cer), PORT being a port bound (port 0: the kernel
// picks a free one) before the PKI is made. With --serve the tool then answers OCSP (POST), CRL
// and certificate (GET) requests there until SIGTERM, so that `pactum sign` online
// and poppler's pdfsig (which asks the OCSP responder a certificate names) find a responder;
// DIR/ready appears once it listens; while a file DIR/ocsp-down exists, OCSP requests get HTTP
// 503 (to make clients fall back to the CRL). Without --serve nothing answers.
#include <atomic>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <tuple>

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/key.h"
#include "pactum/http/router.h"
#include "pactum/http/server.h"
#include "pactum/pki/platform_pki.h"

namespace {

namespace beast_http = boost::beast::http;

int die(const std::string& what, const pactum::Error& error) {
  fmt::print(stderr, "make_test_pki: {}: {}\n", what, error.describe());
  return 1;
}

pactum::http::Response der_response(std::string_view type, const pactum::Bytes& der) {
  pactum::http::Response response(pactum::http::Status::ok, 11);
  response.set(beast_http::field::content_type, type);
  response.body() = std::string(pactum::as_chars(der));
  return response;
}

// write_files issues the signer and writes the PEM files.
int write_files(const std::string& dir, pactum::pki::PlatformPki& pki,
                std::chrono::system_clock::time_point start) {
  auto key = pactum::crypto::PrivateKey::generate(pactum::crypto::KeyType::kEcP256);
  if (!key) {
    return die("signer key", key.error());
  }
  auto spki = pactum::pki::subject_public_key_info(*key);
  if (!spki) {
    return die("signer key", spki.error());
  }
  auto signer = pki.issue({*spki,
                           {"Interop LTV Signer", "Pactum interop", "91110000MA0000000X", "CN"},
                           start,
                           start + std::chrono::days(365)});
  if (!signer) {
    return die("issue", signer.error());
  }
  const auto key_pem = key->to_pem();
  const auto signer_pem = signer->to_pem();
  const auto root_pem = pki.root_certificate().to_pem();
  const auto issuing_pem = pki.issuing_certificate().to_pem();
  if (!key_pem || !signer_pem || !root_pem || !issuing_pem) {
    fmt::print(stderr, "make_test_pki: cannot encode PEM\n");
    return 1;
  }
  for (const auto& [name, text, mode] : {std::tuple{"signer.key.pem", *key_pem, 0600U},
                                         std::tuple{"signer.cert.pem", *signer_pem, 0644U},
                                         std::tuple{"root.pem", *root_pem, 0644U},
                                         std::tuple{"issuing.pem", *issuing_pem, 0644U}}) {
    if (auto st = pactum::write_file_atomically(dir + "/" + name, pactum::as_bytes(text), mode);
        !st) {
      return die(name, st.error());
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bool serve = argc == 3 && std::string(argv[2]) == "--serve";
  if (argc != 2 && !serve) {
    fmt::print(stderr, "usage: make_test_pki DIR [--serve]\n");
    return 2;
  }
  const std::string dir = argv[1];
  // Everything starts an hour ago, so the certificates are valid whatever time a test signs at.
  const auto start = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) -
                     std::chrono::hours(1);

  std::unique_ptr<pactum::pki::PlatformPki> pki;
  pactum::http::Router router;
  const std::string ocsp_down = dir + "/ocsp-down";
  router.add(beast_http::verb::post, "/pki/ocsp",
             [&pki, ocsp_down](const pactum::http::Request& request,
                               const pactum::http::RequestContext&) {
               std::error_code ignored;
               if (std::filesystem::exists(ocsp_down, ignored)) {
                 pactum::http::Response down(pactum::http::Status::service_unavailable, 11);
                 down.body() = "down";
                 return down;
               }
               auto answer = pki->respond_ocsp(pactum::as_bytes(request.body()));
               return der_response("application/ocsp-response", answer.value_or(pactum::Bytes{}));
             });
  router.add(beast_http::verb::get, "/pki/crl",
             [&pki](const pactum::http::Request&, const pactum::http::RequestContext&) {
               auto crl = pki->current_crl();
               return der_response("application/pkix-crl", crl ? (*crl)->der : pactum::Bytes{});
             });
  router.add(beast_http::verb::get, "/pki/root-crl",
             [&pki](const pactum::http::Request&, const pactum::http::RequestContext&) {
               auto crl = pki->current_root_crl();
               return der_response("application/pkix-crl", crl ? (*crl)->der : pactum::Bytes{});
             });
  router.add(beast_http::verb::get, "/pki/issuing-ca.cer",
             [&pki](const pactum::http::Request&, const pactum::http::RequestContext&) {
               return der_response("application/pkix-cert", pki->issuing_certificate().der());
             });
  router.add(beast_http::verb::get, "/pki/root-ca.cer",
             [&pki](const pactum::http::Request&, const pactum::http::RequestContext&) {
               return der_response("application/pkix-cert", pki->root_certificate().der());
             });
  pactum::http::ServerOptions options;
  options.listen = {"127.0.0.1", 0};
  options.threads = 1;
  options.stop_signals = {SIGTERM, SIGINT};
  pactum::http::Server server(options, router);

  pactum::pki::PlatformPkiSettings settings;
  settings.base_url = fmt::format("http://127.0.0.1:{}", server.port());
  // The PKI is made and the signer issued at `start`; afterwards the clock is the real one, so
  // OCSP answers and CRLs are produced when they are asked for.
  std::atomic<bool> made{false};
  auto created = pactum::pki::create_platform_pki(dir + "/pki", settings, [&made, start] {
    return made ? std::chrono::system_clock::now() : start;
  });
  if (!created) {
    return die("create_platform_pki", created.error());
  }
  pki = std::move(*created);
  if (int rc = write_files(dir, *pki, start); rc != 0) {
    return rc;
  }
  made = true;
  if (!serve) {
    return 0;
  }
  if (auto st = pactum::write_file_atomically(dir + "/ready", pactum::as_bytes(settings.base_url));
      !st) {
    return die("ready", st.error());
  }
  server.run();
  return 0;
}
