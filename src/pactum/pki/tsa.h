#pragma once

// An RFC 3161 time-stamping authority that runs in process: it answers DER time-stamp queries
// (what an HTTP endpoint for application/timestamp-query passes through) and stamps digests for
// our own signatures (the PAdES B-T signature time-stamp).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/clock.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/key.h"
#include "pactum/pki/tsa_serial.h"

namespace pactum::pki {

// TsaAccuracy is the accuracy a TSA claims for genTime (RFC 3161 Accuracy). millis and micros
// range over 0..999; a zero part is left out of the token, and all zero leaves accuracy out.
struct TsaAccuracy {
  std::uint32_t seconds = 1;
  std::uint32_t millis = 0;
  std::uint32_t micros = 0;
};

// TsaConfig is everything a TimeStampAuthority needs.
struct TsaConfig {
  crypto::PrivateKey key;                  // signs the tokens
  crypto::Certificate certificate;         // the TSA certificate (see tsa_certificate.h)
  std::vector<crypto::Certificate> chain;  // intermediates sent with the TSA certificate on certReq
  std::string policy_oid;                  // dotted TSA policy OID, e.g. "1.3.6.1.4.1.99999.2.1"
  TsaAccuracy accuracy;
  Clock clock;  // source of genTime (base/clock.h); called once per token, from any thread
  std::shared_ptr<SerialSource> serials;  // source of unique serial numbers
};

// TimeStampAuthority issues RFC 3161 time-stamp tokens: TSTInfo version 1 with the configured
// policy, the message imprint as requested (SHA-256, SHA-384 or SHA-512), a serial from the
// serial source, genTime from the clock in whole seconds (UTC), the configured accuracy, ordering
// false, the nonce when the query has one, and tsa = the subject of the TSA certificate. The
// token is CMS SignedData signed with the TSA key (SHA-256, or SHA-384 for a P-384 key) with an
// ESS signingCertificateV2 attribute (RFC 5816, SHA-256 certificate hash); it carries the TSA
// certificate and the chain when the query sets certReq. All member functions are const and safe
// to call from several threads at once (each call uses its own OpenSSL context).
class TimeStampAuthority {
 public:
  // kMaxQueryBytes is the largest query respond() reads; a TimeStampReq is a few hundred bytes.
  static constexpr std::size_t kMaxQueryBytes = std::size_t{64} * 1024;

  // create checks the configuration: the key must match the certificate, the certificate must
  // be a TSA certificate (extendedKeyUsage exactly timeStamping and critical, keyUsage if present
  // only digitalSignature and/or nonRepudiation), the policy a dotted OID, accuracy parts in
  // range, clock and serials set. Fails with kInvalidArgument naming the first problem.
  static Result<TimeStampAuthority> create(TsaConfig config);

  // respond answers one DER TimeStampReq with a DER TimeStampResp. A query it cannot honour is
  // answered, not failed: status rejection with a statusString and failInfo badDataFormat (not
  // DER, not a TimeStampReq, trailing bytes, larger than kMaxQueryBytes, an imprint of the wrong
  // length), badRequest (a version other than 1), badAlg (an imprint algorithm other than
  // SHA-256/384/512, or with parameters), unacceptedPolicy (a reqPolicy other than ours),
  // unacceptedExtension (any extension), addInfoNotAvailable (the serial source failed) or
  // timeNotAvailable (the clock is before 1970). Fails only when the answer itself cannot be
  // produced (kCrypto).
  [[nodiscard]] Result<Bytes> respond(ByteView query_der) const;

  // stamp time-stamps digest (computed with algorithm) for our own use and returns the DER
  // TimeStampToken, a CMS ContentInfo ready to become the signature-time-stamp unsigned attribute
  // of a CMS signature (PAdES B-T). The token carries the TSA certificate and chain; nonce, if
  // given, is a big-endian unsigned integer. Fails with kInvalidArgument if digest has the wrong
  // length, kIo or kRefused when the serial source or clock fail, kCrypto if OpenSSL fails.
  [[nodiscard]] Result<Bytes> stamp(crypto::DigestAlgorithm algorithm, ByteView digest,
                                    const std::optional<Bytes>& nonce = std::nullopt) const;

  // certificate returns the TSA certificate.
  [[nodiscard]] const crypto::Certificate& certificate() const { return config_.certificate; }

  // chain returns the certificates sent with the TSA certificate.
  [[nodiscard]] const std::vector<crypto::Certificate>& chain() const { return config_.chain; }

  // policy_oid returns the dotted policy OID put in every token.
  [[nodiscard]] const std::string& policy_oid() const { return config_.policy_oid; }

 private:
  explicit TimeStampAuthority(TsaConfig config) : config_(std::move(config)) {}

  TsaConfig config_;
};

}  // namespace pactum::pki
