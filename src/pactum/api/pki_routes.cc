#include "pactum/api/pki_routes.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>

#include "pactum/base/percent_encoding.h"
#include "pactum/crypto/base64.h"
#include "pactum/http/url.h"
#include "pactum/pki/ocsp_responder.h"
#include "pactum/pki/tsa_client.h"

namespace pactum::api {
namespace {

namespace beast_http = boost::beast::http;
using http::Request;
using http::RequestContext;
using http::Response;
using http::Status;

constexpr std::string_view kPkixCert = "application/pkix-cert";
constexpr std::string_view kPkixCrl = "application/pkix-crl";
constexpr std::string_view kOcspRequest = "application/ocsp-request";
constexpr std::string_view kOcspResponse = "application/ocsp-response";
constexpr std::string_view kTimestampQuery = "application/timestamp-query";
constexpr std::string_view kTimestampReply = "application/timestamp-reply";

Response binary(std::string_view content_type, ByteView body) {
  Response response{Status::ok, 11};
  response.set(beast_http::field::content_type, content_type);
  response.body().assign(as_chars(body));
  return response;
}

Response error(http::ErrorKind kind, std::string_view message, const RequestContext& context) {
  return http::error_response(context, kind, message);
}

// media_type returns the Content-Type without parameters, lower-cased.
std::string media_type(const Request& request) {
  const auto field = request.find(beast_http::field::content_type);
  if (field == request.end()) {
    return {};
  }
  std::string_view value = field->value();
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  std::string lower(value);
  std::ranges::transform(lower, lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return lower;
}

// check_body returns the 415 or 413 answer for a request that is not what the route takes.
std::optional<Response> check_body(const Request& request, std::string_view content_type,
                                   std::size_t limit, const RequestContext& context) {
  if (media_type(request) != content_type) {
    return error(http::ErrorKind::kUnsupportedMediaType,
                 fmt::format("this endpoint takes Content-Type {}", content_type), context);
  }
  if (request.body().size() > limit) {
    return error(http::ErrorKind::kBodyTooLarge,
                 fmt::format("the request body is larger than {} bytes", limit), context);
  }
  if (request.body().empty()) {
    return error(http::ErrorKind::kBadRequest, "the request body is empty", context);
  }
  return std::nullopt;
}

Response internal_error(const Error& failure, const RequestContext& context) {
  (void)failure;  // the message may name files of the server; the status says enough
  return error(http::ErrorKind::kInternal, "the PKI could not answer this request", context);
}

// ocsp_answer turns the responder's DER answer into the HTTP response: a malformedRequest
// answer (bytes that are not an OCSPRequest) is a 400 in the JSON error shape, everything else
// goes back as the responder made it.
// SignatureCounters are the pactum_signatures_total series the routes add to (all null
// without a registry). last_crl is the highest CRL number counted, so a CRL served again from
// the cache is not counted again.
struct SignatureCounters {
  metrics::Counter* timestamp = nullptr;
  metrics::Counter* ocsp = nullptr;
  metrics::Counter* crl = nullptr;
  std::atomic<std::uint64_t> last_crl{0};

  static void add(metrics::Counter* counter) {
    if (counter != nullptr) {
      counter->increment();
    }
  }

  void crl_served(std::uint64_t number) {
    std::uint64_t seen = last_crl.load();
    while (number > seen) {
      if (last_crl.compare_exchange_weak(seen, number)) {
        add(crl);
        return;
      }
    }
  }
};

Response ocsp_answer(pki::PlatformPki& pki, ByteView request_der, const RequestContext& context,
                     SignatureCounters& counters) {
  auto answer = pki.respond_ocsp(request_der);
  if (!answer) {
    return internal_error(answer.error(), context);
  }
  const unsigned char* cursor = answer->data();
  const crypto::UniquePtr<OCSP_RESPONSE> parsed(
      d2i_OCSP_RESPONSE(nullptr, &cursor, static_cast<long>(answer->size())));
  if (parsed && OCSP_response_status(parsed.get()) == OCSP_RESPONSE_STATUS_MALFORMEDREQUEST) {
    return error(http::ErrorKind::kBadRequest, "the request is not one DER OCSPRequest (RFC 6960)",
                 context);
  }
  // Only a successful response is signed; the error statuses are bare.
  if (parsed && OCSP_response_status(parsed.get()) == OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    SignatureCounters::add(counters.ocsp);
  }
  Response response = binary(kOcspResponse, *answer);
  response.set(beast_http::field::cache_control, "no-cache");
  return response;
}

// ocsp_get answers GET /pki/ocsp/{url-encoded base64 of the DER request}. The base64 holds '/'
// (as %2F, or unescaped by some clients), so the route takes the raw rest of the path.
Response ocsp_get(pki::PlatformPki& pki, const RequestContext& context,
                  SignatureCounters& counters) {
  const auto decoded = percent_decode(context.path_param("request").value_or(""));
  const auto der = decoded ? crypto::base64_decode(*decoded, 2 * kMaxOcspBodyBytes) : std::nullopt;
  if (!der) {
    return error(http::ErrorKind::kBadRequest,
                 "the path does not end in the base64 of an OCSP request (RFC 6960 A.1)", context);
  }
  return ocsp_answer(pki, *der, context, counters);
}

}  // namespace

void add_pki_routes(http::Router& router, std::shared_ptr<pki::PlatformPki> pki,
                    metrics::Registry* registry) {
  auto counters = std::make_shared<SignatureCounters>();
  if (registry != nullptr) {
    counters->timestamp = &metrics::signature_counter(*registry, "timestamp");
    counters->ocsp = &metrics::signature_counter(*registry, "ocsp_response");
    counters->crl = &metrics::signature_counter(*registry, "crl");
  }
  const auto certificate_route = [&router](std::string path, Bytes der) {
    router.add(beast_http::verb::get, std::move(path),
               [der = std::move(der)](const Request&, const RequestContext&) {
                 Response response = binary(kPkixCert, der);
                 response.set(beast_http::field::cache_control, "public, max-age=86400");
                 return response;
               });
  };
  certificate_route("/pki/root-ca.cer", pki->root_certificate().der());
  certificate_route("/pki/issuing-ca.cer", pki->issuing_certificate().der());
  certificate_route("/pki/tsa.cer", pki->tsa_certificate().der());

  router.add(beast_http::verb::get, "/pki/crl",
             [pki, counters](const Request&, const RequestContext& context) {
               auto crl = pki->current_crl();
               if (!crl) {
                 return internal_error(crl.error(), context);
               }
               counters->crl_served((*crl)->number);
               Response response = binary(kPkixCrl, (*crl)->der);
               // Revocations must show at once, so clients revalidate; the server caches.
               response.set(beast_http::field::cache_control, "no-cache");
               return response;
             });
  // The root's CRL (the issuing CA's revocation source) is made about once a CRL lifetime and
  // not counted: pactum_signatures_total{kind="crl"} counts the issuing CA's CRLs.
  router.add(beast_http::verb::get, "/pki/root-crl",
             [pki](const Request&, const RequestContext& context) {
               auto crl = pki->current_root_crl();
               if (!crl) {
                 return internal_error(crl.error(), context);
               }
               Response response = binary(kPkixCrl, (*crl)->der);
               response.set(beast_http::field::cache_control, "no-cache");
               return response;
             });

  router.add(beast_http::verb::post, "/pki/ocsp",
             [pki, counters](const Request& request, const RequestContext& context) {
               if (auto refused = check_body(request, kOcspRequest, kMaxOcspBodyBytes, context)) {
                 return std::move(*refused);
               }
               return ocsp_answer(*pki, as_bytes(request.body()), context, *counters);
             });

  router.add(beast_http::verb::get, "/pki/ocsp/{request...}",
             [pki, counters](const Request&, const RequestContext& context) {
               return ocsp_get(*pki, context, *counters);
             });

  router.add(
      beast_http::verb::post, "/tsa",
      [pki, counters](const Request& request, const RequestContext& context) {
        if (auto refused = check_body(request, kTimestampQuery, kMaxTimestampBodyBytes, context)) {
          return std::move(*refused);
        }
        auto reply = pki->respond_timestamp(as_bytes(request.body()));
        if (!reply) {
          return internal_error(reply.error(), context);
        }
        auto status = pki::read_timestamp_status(*reply);
        if (status &&
            std::ranges::find(status->failures, "badDataFormat") != status->failures.end()) {
          return error(http::ErrorKind::kBadRequest,
                       fmt::format("the body is not a usable DER TimeStampReq (RFC "
                                   "3161): {}",
                                   status->describe()),
                       context);
        }
        if (status && status->granted()) {
          SignatureCounters::add(counters->timestamp);
        }
        return binary(kTimestampReply, *reply);
      });
}

Result<std::shared_ptr<pki::PlatformPki>> mount_data_dir_pki(http::Router& router,
                                                             const std::string& data_dir,
                                                             pki::Clock clock,
                                                             const crypto::KeySealer& sealer,
                                                             metrics::Registry* registry) {
  const std::filesystem::path dir = std::filesystem::path(data_dir) / kPkiSubdirectory;
  std::error_code ignored;
  if (!std::filesystem::exists(dir / pki::PlatformPki::kSettingsFile, ignored)) {
    return std::shared_ptr<pki::PlatformPki>();
  }
  auto opened = pki::open_platform_pki(dir.string(), std::move(clock), sealer);
  if (!opened) {
    return std::unexpected(opened.error());
  }
  std::shared_ptr<pki::PlatformPki> shared = std::move(*opened);
  add_pki_routes(router, shared, registry);
  return shared;
}

}  // namespace pactum::api
