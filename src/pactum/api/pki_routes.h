#pragma once

// The platform PKI over HTTP: what the URLs in our certificates (pki/pki_urls.h) point at, and
// the RFC 3161 time-stamping endpoint.
//   GET  /pki/root-ca.cer        root CA certificate, DER, application/pkix-cert
//   GET  /pki/issuing-ca.cer     issuing CA certificate (the caIssuers URL), same
//   GET  /pki/tsa.cer            TSA certificate, same
//   GET  /pki/crl                the current CRL, DER, application/pkix-crl
//   GET  /pki/root-crl           the root's current CRL (about the issuing CA), same
//   POST /pki/ocsp               application/ocsp-request -> application/ocsp-response
//   GET  /pki/ocsp/{base64}      the same request in the URL (RFC 6960 appendix A.1)
//   POST /tsa                    application/timestamp-query -> application/timestamp-reply

#include <memory>
#include <string>

#include "pactum/base/error.h"
#include "pactum/base/metrics.h"
#include "pactum/crypto/key_sealer.h"
#include "pactum/http/router.h"
#include "pactum/pki/platform_pki.h"

namespace pactum::api {

// kMaxOcspBodyBytes and kMaxTimestampBodyBytes bound the request bodies (413 above them); both
// protocols' requests are a few hundred bytes.
inline constexpr std::size_t kMaxOcspBodyBytes = 16 * 1024;
inline constexpr std::size_t kMaxTimestampBodyBytes = 64 * 1024;

// add_pki_routes registers the routes above on router, answered by pki (shared by all worker
// threads). Requests with another Content-Type get 415, larger bodies 413, bytes that are not
// an OCSP request or time-stamp query at all 400 (all in the JSON error shape); a well-formed
// request the responder declines (an issuer we do not serve, an unknown policy or algorithm) is
// answered in the protocol itself (an OCSP "unauthorized", a TSA "rejection") with 200, as RFC
// 6960 and RFC 3161 clients expect. With a registry, the signatures made are counted in
// pactum_signatures_total{kind}: "timestamp" (granted tokens), "ocsp_response" (successful,
// signed answers) and "crl" (each CRL made, not each one served from the cache).
void add_pki_routes(http::Router& router, std::shared_ptr<pki::PlatformPki> pki,
                    metrics::Registry* registry = nullptr);

}  // namespace pactum::api
