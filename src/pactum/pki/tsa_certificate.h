#pragma once

// The certificate profile of a time-stamping authority (RFC 3161 section 2.3) and a function that
// issues such a certificate, for the platform CA and for tests.

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"
#include "pactum/pki/pki_urls.h"

namespace pactum::pki {

// ExtensionSpec is one X.509 extension in OpenSSL's configuration syntax: nid is the OpenSSL
// NID of the extension, value its text (for crypto::add_extension or X509V3_EXT_conf_nid).
struct ExtensionSpec {
  int nid;
  std::string_view value;
};

// tsa_certificate_extensions returns the extensions every TSA certificate carries: basicConstraints
// CA:FALSE (critical), keyUsage digitalSignature+nonRepudiation (critical), extendedKeyUsage
// id-kp-timeStamping only and CRITICAL (RFC 3161 requires both; OpenSSL refuses to sign or accept
// tokens otherwise), subject key identifier, authority key identifier. A CA that builds the
// certificate itself adds these after its own (CRL distribution point, AIA, policies).
std::span<const ExtensionSpec> tsa_certificate_extensions();

// TsaCertificateSpec says whom a TSA certificate names and for how long it is valid.
struct TsaCertificateSpec {
  std::string common_name;   // CN of the subject, e.g. "Pactum Time-Stamping Authority"
  std::string organization;  // O of the subject; left out when empty
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

// issue_tsa_certificate issues a certificate for the public half of tsa_key, signed by
// issuer_key under issuer (whose subject becomes the issuer name), with a fresh random 16-byte
// serial and exactly the extensions of tsa_certificate_extensions(). Fails with kInvalidArgument
// if issuer_key does not match issuer, the common name is empty or the validity is empty, and
// kCrypto if OpenSSL fails.
Result<crypto::Certificate> issue_tsa_certificate(const crypto::PrivateKey& issuer_key,
                                                  const crypto::Certificate& issuer,
                                                  const crypto::PrivateKey& tsa_key,
                                                  const TsaCertificateSpec& spec);

// make_tsa_certificate builds the TSA certificate for tsa_key with the given serial (big-endian
// unsigned, as CertificateAuthority picks it), signed by issuer_key under issuer, with the
// extensions of tsa_certificate_extensions() and, when urls is given, the CRL distribution point
// and authority information access (OCSP, CA issuers) of an end-entity certificate, so that a
// validator can find revocation data for the TSA too (PAdES B-LT/B-LTA). Fails like
// issue_tsa_certificate.
Result<crypto::Certificate> make_tsa_certificate(const crypto::PrivateKey& issuer_key,
                                                 const crypto::Certificate& issuer,
                                                 const crypto::PrivateKey& tsa_key,
                                                 const TsaCertificateSpec& spec, ByteView serial,
                                                 const PkiUrls* urls);

}  // namespace pactum::pki
