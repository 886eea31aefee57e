#pragma once

// What the platform CA writes into certificates: the inputs (CA settings, subject names, issue
// requests), their validation, and the root, issuing-CA and end-entity certificate profiles.
// CertificateAuthority (ca.h) decides when to issue and keeps the records.

#include <chrono>
#include <string>
#include <string_view>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/pki/pki_urls.h"

namespace pactum::pki {

// kPactumTestCertificatePolicy is the certificatePolicies OID of end-entity certificates.
// PLACEHOLDER: 1.3.6.1.4.1.55555 is not a Private Enterprise Number assigned to Pactum; replace
// the arc with a registered one (and publish a CP/CPS under it) before certificates leave tests.
inline constexpr std::string_view kPactumTestCertificatePolicy = "1.3.6.1.4.1.55555.1.1";

// CaSettings describe the two CA certificates made by CertificateAuthority::create.
struct CaSettings {
  std::string organization = "Pactum";
  std::string country = "CN";
  std::string root_common_name = "Pactum Root CA";
  std::string issuing_common_name = "Pactum Issuing CA";
  crypto::KeyType key_type = crypto::KeyType::kEcP256;  // kEcP256 or kEcP384
  std::chrono::days root_validity{20 * 365};
  std::chrono::days issuing_validity{10 * 365};
  // nextUpdate - thisUpdate of the root's CRLs: long, because only an operator with the root key
  // renews them (`pactum ca crl --root`), as for any offline root.
  std::chrono::days root_crl_lifetime{365};
};

// SubjectName is the distinguished name of an end-entity certificate. A person has
// common_name = their name and serial_number = their identity number; an enterprise has
// common_name and organization = its registered name and serial_number = its unified social
// credit code. The subject is written as C, O (when not empty), CN, serialNumber.
struct SubjectName {
  std::string common_name;     // 1 to 64 characters
  std::string organization;    // empty, or up to 64 characters
  std::string serial_number;   // 1 to 64 PrintableString characters (X.520 serialNumber)
  std::string country = "CN";  // two upper-case letters
};

// person_subject names a person: CN = their name, serialNumber = their identity number.
SubjectName person_subject(std::string name, std::string id_number, std::string country = "CN");

// enterprise_subject names an enterprise: CN and O = its registered name, serialNumber = its
// unified social credit code.
SubjectName enterprise_subject(std::string name, std::string credit_code,
                               std::string country = "CN");

// IssueRequest is what a caller asks the CA to certify.
struct IssueRequest {
  Bytes subject_public_key_info;  // DER SubjectPublicKeyInfo: EC P-256/P-384 or RSA 2048-4096
  SubjectName subject;
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

// CaRole says which of the two CA certificates make_ca_certificate builds.
enum class CaRole : std::uint8_t { kRoot, kIssuing };

// check_ca_settings returns kInvalidArgument unless the key type is P-256 or P-384, both
// validities are positive with the issuing CA's no longer than the root's, the names are 1 to 64
// characters without control characters, and the country is two upper-case letters.
Status check_ca_settings(const CaSettings& settings);

// check_subject returns kInvalidArgument naming the first part of subject that breaks the rules
// written beside SubjectName's members (or contains control characters).
Status check_subject(const SubjectName& subject);

// parse_subject_public_key reads exactly one DER SubjectPublicKeyInfo. kMalformed if it does not
// parse, is empty, over 4 KiB or followed by trailing bytes; kUnsupported unless it is RSA of 2048
// to 4096 bits or EC on P-256 or P-384.
Result<crypto::UniquePtr<EVP_PKEY>> parse_subject_public_key(ByteView der);

// make_ca_certificate builds and signs (with signing_key) a CA certificate for subject_key valid
// from now for the role's validity in settings, subject C, O, CN from settings, random serial.
// kRoot: self-signed (issuer must be null); basicConstraints critical CA:TRUE, keyUsage critical
// keyCertSign+cRLSign, subjectKeyIdentifier. kIssuing: signed under issuer, the same with
// pathLenConstraint 0, plus authorityKeyIdentifier and, when urls is given, the root's CRL as
// cRLDistributionPoints (urls->root_crl_url) and authorityInfoAccess caIssuers
// (urls->root_ca_issuers_url), so that relying parties can check the issuing CA's revocation
// and fetch its issuer. Fails with kCrypto.
Result<crypto::Certificate> make_ca_certificate(const crypto::PrivateKey& subject_key,
                                                const crypto::PrivateKey& signing_key,
                                                const crypto::Certificate* issuer,
                                                const CaSettings& settings, CaRole role,
                                                std::chrono::system_clock::time_point now,
                                                const PkiUrls* urls = nullptr);

// make_end_entity_certificate builds and signs, with issuer_key under issuer, the end-entity
// certificate for public_key with the given serial and request's subject and validity:
// basicConstraints critical CA:FALSE; keyUsage critical digitalSignature+nonRepudiation; subject
// and authority key identifiers; cRLDistributionPoints urls.crl_url; authorityInfoAccess OCSP
// urls.ocsp_url and caIssuers urls.ca_issuers_url; certificatePolicies
// kPactumTestCertificatePolicy; no extendedKeyUsage. The request must have passed check_subject.
// Fails with kInvalidArgument for an empty validity, kCrypto if OpenSSL fails.
Result<crypto::Certificate> make_end_entity_certificate(const IssueRequest& request,
                                                        EVP_PKEY* public_key, ByteView serial,
                                                        const crypto::Certificate& issuer,
                                                        const crypto::PrivateKey& issuer_key,
                                                        const PkiUrls& urls);

// subject_public_key_info returns the DER SubjectPublicKeyInfo of key's public half, the form
// IssueRequest takes; kCrypto on failure.
Result<Bytes> subject_public_key_info(const crypto::PrivateKey& key);

}  // namespace pactum::pki
