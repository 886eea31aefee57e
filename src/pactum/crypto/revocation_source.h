#pragma once

// The seam between PAdES B-LT (which embeds revocation data in the document security store) and
// whoever supplies that data. pdf only knows this interface; pki implements it (our own CA in
// process, or the OCSP responders and CRL distribution points a certificate names, over HTTP),
// so the PDF layer never depends on the trust services.

#include <chrono>
#include <optional>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"

namespace pactum::crypto {

// RevocationData is what a source found about one certificate: DER OCSPResponses (whole
// responses, as a DSS /OCSPs entry holds them) and DER CRLs, at least one of the two.
struct RevocationData {
  std::vector<Bytes> ocsp_responses;
  std::vector<Bytes> crls;
  // revoked_at is set when the data says the certificate is revoked: the caller decides what
  // that means (a new signature is refused; archived data is kept, since a revocation after the
  // time-stamped signing time does not void the signature).
  std::optional<std::chrono::system_clock::time_point> revoked_at;
};

// RevocationSource supplies revocation data for certificates. Implementations are used through a
// const reference and must be safe to call from several threads at once.
class RevocationSource {
 public:
  virtual ~RevocationSource() = default;

  // revocation_data returns OCSP responses and/or CRLs about certificate, which issuer issued,
  // already checked by the implementation (signed by the issuer or its delegated responder,
  // about this certificate, current). Fails with kNotFound when this source has nothing to say
  // about the certificate (it names no OCSP responder or CRL distribution point, or another CA
  // issued it), kIo for transport, kMalformed or kCrypto for an answer that does not check.
  [[nodiscard]] virtual Result<RevocationData> revocation_data(const Certificate& certificate,
                                                               const Certificate& issuer) const = 0;
};

}  // namespace pactum::crypto
