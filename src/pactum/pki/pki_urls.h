#pragma once

#include <string>
#include <string_view>

#include "pactum/base/error.h"

namespace pactum::pki {

// PkiUrls are the addresses written into every end-entity certificate, all below one base URL
// that pactumd serves:
//   <base>/pki/crl             the issuing CA's current CRL (DER, application/pkix-crl)
//   <base>/pki/ocsp            the OCSP responder (RFC 6960, POST and GET)
//   <base>/pki/issuing-ca.cer  the issuing CA certificate (DER, application/pkix-cert)
// and into the issuing CA certificate, so that its own revocation can be checked too:
//   <base>/pki/root-crl        the root's CRL about the CA certificates it signed (DER)
//   <base>/pki/root-ca.cer     the root certificate (DER), its CA issuers address
struct PkiUrls {
  std::string base_url;
  std::string crl_url;
  std::string ocsp_url;
  std::string ca_issuers_url;
  std::string root_crl_url;
  std::string root_ca_issuers_url;

  // from_base_url derives the URLs from base_url ("https://pactum.example.com", a trailing slash
  // is dropped). kInvalidArgument unless it is an http or https URL made only of printable ASCII
  // without spaces, commas, semicolons or '@' (which OpenSSL's extension syntax would take as
  // separators or references).
  static Result<PkiUrls> from_base_url(std::string_view base_url);
};

}  // namespace pactum::pki
