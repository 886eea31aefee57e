#pragma once

// The certificate of a missing issuer, fetched from the CA issuers address (authority
// information access, id-ad-caIssuers) that a certificate names: what `pactum verify --online`
// does for a file that lacks an intermediate CA certificate. One bounded GET through
// http_fetch per address; what was fetched is only a candidate (the chain is still verified up
// to a trust anchor).

#include <chrono>
#include <cstddef>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/pki/http_fetch.h"

namespace pactum::pki {

// IssuerFetchOptions bounds one fetch: time and size of each answer, how many certificates one
// answer may hold, and how many addresses of one certificate are tried.
struct IssuerFetchOptions {
  HttpLimits limits{std::chrono::seconds(10), std::size_t{64} * 1024};
  std::size_t max_certificates = 8;
  std::size_t max_urls = 2;
};

// parse_ca_issuers_answer reads what a CA issuers address serves (RFC 5280 4.2.2.1): one DER
// certificate, or a DER PKCS#7 SignedData "certs-only" bundle. Fails with kMalformed for
// anything else (PEM included), trailing bytes, an empty bundle or one with more than
// max_certificates certificates.
Result<std::vector<crypto::Certificate>> parse_ca_issuers_answer(ByteView der,
                                                                 std::size_t max_certificates);

// fetch_issuer_certificates fetches the CA issuers addresses of certificate in order (at most
// options.max_urls of them) and returns the certificates of the first answer holding one that
// issued it (crypto::issued_by). Fails with kNotFound when certificate names no CA issuers
// address or no answer holds its issuer, kIo for transport (naming every address tried),
// kMalformed for an answer that does not parse.
Result<std::vector<crypto::Certificate>> fetch_issuer_certificates(
    const crypto::Certificate& certificate, const IssuerFetchOptions& options = {});

}  // namespace pactum::pki
