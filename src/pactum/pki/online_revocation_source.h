#pragma once

// Revocation data for PAdES B-LT from the services a certificate names: its OCSP responders
// (authority information access) and CRL distribution points, over HTTP.

#include <chrono>

#include "pactum/crypto/revocation_source.h"
#include "pactum/pki/http_fetch.h"
#include "pactum/pki/tsa.h"

namespace pactum::pki {

// OnlineRevocationOptions bounds the fetching and says what counts as current.
struct OnlineRevocationOptions {
  HttpLimits ocsp_limits{std::chrono::seconds(10), std::size_t{64} * 1024};
  HttpLimits crl_limits{std::chrono::seconds(20), std::size_t{16} * 1024 * 1024};
  // max_age is how old thisUpdate may be when the answer has no nextUpdate.
  std::chrono::seconds max_age = std::chrono::days(7);
  // clock_skew is how far in the future thisUpdate may be (the server's clock runs ahead).
  std::chrono::seconds clock_skew = std::chrono::minutes(5);
};

// OnlineRevocationSource is a crypto::RevocationSource that asks each OCSP responder of the
// certificate in turn (POST application/ocsp-request, RFC 6960 appendix A) and then, if none gave
// a usable answer, fetches each CRL distribution point (GET). An answer is used only when it
// checks (crypto/revocation_check.h: about this certificate, signed by the issuer or its
// delegated responder), says good or revoked (not unknown), and is current: thisUpdate no later
// than now plus clock_skew, and nextUpdate not passed (or, without one, thisUpdate within
// max_age). Safe to call from several threads.
class OnlineRevocationSource final : public crypto::RevocationSource {
 public:
  // OnlineRevocationSource takes the clock that says what "now" is and the limits.
  explicit OnlineRevocationSource(Clock clock, OnlineRevocationOptions options = {})
      : clock_(std::move(clock)), options_(options) {}

  // revocation_data returns the first usable OCSP response or CRL. Fails with kNotFound when the
  // certificate names no OCSP responder or CRL distribution point, and otherwise with the error
  // of the last service tried (kIo for transport, kMalformed or kCrypto for an answer that does
  // not check, kRefused for one that is stale or says unknown), naming every service tried.
  [[nodiscard]] Result<crypto::RevocationData> revocation_data(
      const crypto::Certificate& certificate, const crypto::Certificate& issuer) const override;

 private:
  Clock clock_;
  OnlineRevocationOptions options_;
};

}  // namespace pactum::pki
