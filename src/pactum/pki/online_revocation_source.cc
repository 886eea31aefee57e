#include "pactum/pki/online_revocation_source.h"

#include <fmt/format.h>

#include "pactum/crypto/certificate_urls.h"
#include "pactum/crypto/revocation_check.h"
#include "pactum/pki/ocsp_request.h"

namespace pactum::pki {
namespace {

// usable checks that evidence is current at now and not "unknown".
Status usable(const crypto::RevocationEvidence& evidence, std::chrono::system_clock::time_point now,
              const OnlineRevocationOptions& options) {
  if (evidence.state == crypto::RevocationState::kUnknown) {
    return fail(ErrorCode::kRefused, "the responder does not know the certificate");
  }
  if (evidence.this_update > now + options.clock_skew) {
    return fail(ErrorCode::kRefused, "the answer's thisUpdate is in the future");
  }
  if (evidence.next_update ? *evidence.next_update < now
                           : evidence.this_update + options.max_age < now) {
    return fail(ErrorCode::kRefused, "the answer is out of date");
  }
  return {};
}

void record(crypto::RevocationData& data, const crypto::RevocationEvidence& evidence) {
  if (evidence.state == crypto::RevocationState::kRevoked) {
    data.revoked_at = evidence.revocation_time.value_or(evidence.this_update);
  }
}

}  // namespace

Result<crypto::RevocationData> OnlineRevocationSource::revocation_data(
    const crypto::Certificate& certificate, const crypto::Certificate& issuer) const {
  const std::vector<std::string> ocsp_urls = crypto::ocsp_responder_urls(certificate);
  const std::vector<std::string> crl_urls = crypto::crl_distribution_urls(certificate);
  if (ocsp_urls.empty() && crl_urls.empty()) {
    return fail(ErrorCode::kNotFound,
                "it names no OCSP responder and no CRL distribution point");
  }
  std::vector<std::string> failures;
  ErrorCode last = ErrorCode::kIo;
  const auto failed = [&](const std::string& url, const Error& error) {
    failures.push_back(fmt::format("{}: {}", url, error.message));
    last = error.code;
  };
  if (!ocsp_urls.empty()) {
    auto request = make_ocsp_request(certificate, issuer);
    if (!request) {
      return std::unexpected(request.error());
    }
    for (const std::string& url : ocsp_urls) {
      auto body = http_fetch({.url = url,
                              .post_body = ByteView(*request),
                              .content_type = "application/ocsp-request",
                              .accept = {"application/ocsp-response"}},
                             options_.ocsp_limits);
      if (!body) {
        failed(url, body.error());
        continue;
      }
      auto evidence = crypto::check_ocsp_response(*body, certificate, issuer, {});
      if (!evidence) {
        failed(url, evidence.error());
        continue;
      }
      if (auto st = usable(*evidence, clock_(), options_); !st) {
        failed(url, st.error());
        continue;
      }
      crypto::RevocationData data;
      data.ocsp_responses.push_back(std::move(*body));
      record(data, *evidence);
      return data;
    }
  }
  for (const std::string& url : crl_urls) {
    auto body = http_fetch({.url = url,
                            .post_body = std::nullopt,
                            .content_type = {},
                            .accept = {"application/pkix-crl", "application/x-pkcs7-crl",
                                       "application/octet-stream"}},
                           options_.crl_limits);
    if (!body) {
      failed(url, body.error());
      continue;
    }
    auto evidence = crypto::check_crl(*body, certificate, issuer);
    if (!evidence) {
      failed(url, evidence.error());
      continue;
    }
    if (auto st = usable(*evidence, clock_(), options_); !st) {
      failed(url, st.error());
      continue;
    }
    crypto::RevocationData data;
    data.crls.push_back(std::move(*body));
    record(data, *evidence);
    return data;
  }
  std::string joined;
  for (const std::string& f : failures) {
    joined += (joined.empty() ? "" : "; ") + f;
  }
  return fail(last, joined);
}

}  // namespace pactum::pki
