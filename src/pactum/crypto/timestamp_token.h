#pragma once

// Verification of RFC 3161 time-stamp tokens as they appear in signed PDFs: the signature
// time-stamp of a CAdES signature (PAdES B-T) and the document time-stamp of PAdES B-LTA. The
// checks that need no trust decision live here (the token's own integrity, the TSA certificate's
// purpose); building the TSA's chain to trust anchors is verify_chain's job (cms_verifier.h).

#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/cms_verifier.h"

namespace pactum::crypto {

// TimestampToken is a parsed TimeStampToken: CMS SignedData whose content is a TSTInfo.
class TimestampToken {
 public:
  // parse reads one DER TimeStampToken (zero padding after it allowed, as in a PDF /Contents).
  // Fails with kMalformed when it is not CMS SignedData, its content type is not id-ct-TSTInfo,
  // or the TSTInfo does not parse.
  static Result<TimestampToken> parse(ByteView der);

  TimestampToken(TimestampToken&&) noexcept;
  TimestampToken& operator=(TimestampToken&&) noexcept;
  ~TimestampToken();
  TimestampToken(const TimestampToken&) = delete;
  TimestampToken& operator=(const TimestampToken&) = delete;

  // gen_time is the TSTInfo genTime (fraction of a second dropped); gen_time_text as encoded.
  [[nodiscard]] std::chrono::system_clock::time_point gen_time() const { return gen_time_; }
  [[nodiscard]] const std::string& gen_time_text() const { return gen_time_text_; }
  // serial_hex is the TSTInfo serial number in lower-case hex; policy_oid is dotted.
  [[nodiscard]] const std::string& serial_hex() const { return serial_hex_; }
  [[nodiscard]] const std::string& policy_oid() const { return policy_oid_; }
  // imprint_algorithm names the message imprint's hash ("SHA256"); imprint is its value.
  [[nodiscard]] const std::string& imprint_algorithm() const { return imprint_algorithm_; }
  [[nodiscard]] const Bytes& imprint() const { return imprint_; }

  // imprint_hasher returns a hasher for the imprint's algorithm; kUnsupported when OpenSSL does
  // not know it, kCrypto when it fails.
  [[nodiscard]] Result<ContentHasher> imprint_hasher() const;

  // imprint_matches hashes each part in turn with the imprint's algorithm and compares the result
  // with the imprint. False also when the algorithm is unknown.
  [[nodiscard]] bool imprint_matches(std::span<const ByteView> parts) const;

  // certificates returns the certificates the token carries.
  [[nodiscard]] std::vector<Certificate> certificates() const { return cms_.certificates(); }

  // verify checks the token's own integrity and returns the TSA certificate that signed it: one
  // signer, found in the token or among extra; the messageDigest equal to the hash of the
  // TSTInfo; the signature over the signed attributes; an ESS signingCertificate(V2) naming the
  // signer. Fails with kCrypto naming the first check that does not hold.
  Result<Certificate> verify(std::span<const Certificate> extra);

 private:
  struct State;
  TimestampToken(CmsSignature cms, std::unique_ptr<State> state);
  CmsSignature cms_;
  std::unique_ptr<State> state_;
  std::chrono::system_clock::time_point gen_time_;
  std::string gen_time_text_, serial_hex_, policy_oid_, imprint_algorithm_;
  Bytes imprint_;
};

// check_tsa_certificate checks what RFC 3161 section 2.3 requires of a TSA certificate: an
// extendedKeyUsage extension, marked critical, with timeStamping as its only purpose (and a
// keyUsage, if any, limited to digitalSignature and nonRepudiation). Fails with kCrypto naming
// the problem.
Status check_tsa_certificate(const Certificate& tsa);

}  // namespace pactum::crypto
