#pragma once

// Where a certificate says its revocation status can be found: the OCSP responders of its
// authority information access extension and the URIs of its CRL distribution points; and where
// its issuer's certificate can be fetched (the CA issuers access descriptions).

#include <string>
#include <vector>

#include "pactum/crypto/certificate.h"

namespace pactum::crypto {

// ocsp_responder_urls returns the URIs of the id-ad-ocsp access descriptions, in order; empty
// when the certificate has none.
std::vector<std::string> ocsp_responder_urls(const Certificate& certificate);

// ca_issuers_urls returns the URIs of the id-ad-caIssuers access descriptions, in order; empty
// when the certificate has none.
std::vector<std::string> ca_issuers_urls(const Certificate& certificate);

// crl_distribution_urls returns the URIs (full names) of the CRL distribution points, in order;
// empty when the certificate has none.
std::vector<std::string> crl_distribution_urls(const Certificate& certificate);

}  // namespace pactum::crypto
