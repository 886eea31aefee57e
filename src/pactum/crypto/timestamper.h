#pragma once

// The seam between a CAdES signature and whoever time-stamps it. crypto and pdf only know this
// interface; pki implements it (an in-process TSA, or an RFC 3161 server over HTTP), so the PDF
// layer never depends on the trust services.

#include <cstddef>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/digest.h"

namespace pactum::crypto {

// SignatureTimestamper obtains the signature time-stamp of a CAdES signature (PAdES baseline B-T,
// ETSI EN 319 122-1 signature-time-stamp = RFC 3161 id-aa-signatureTimeStampToken). Implementations
// are used through a const pointer and must be safe to call from several threads at once.
class SignatureTimestamper {
 public:
  virtual ~SignatureTimestamper() = default;

  // timestamp returns a DER TimeStampToken (a CMS ContentInfo holding SignedData over a TSTInfo)
  // whose message imprint is digest, computed with algorithm over the value of the SignerInfo's
  // signature field. The token must already be checked by the implementation as far as it needs
  // (an outside TSA's answer against trust anchors); the caller embeds it as it is. Fails with
  // the implementation's error (kIo for transport, kCrypto or kRefused for the TSA's answer,
  // kInvalidArgument for a digest of the wrong size).
  [[nodiscard]] virtual Result<Bytes> timestamp(DigestAlgorithm algorithm,
                                                ByteView digest) const = 0;

  // max_token_size returns how many bytes a token is expected to take at most, for sizing the
  // signature's placeholder before the token exists. An underestimate costs one more signature
  // (and token), never a wrong one.
  [[nodiscard]] virtual std::size_t max_token_size() const = 0;
};

}  // namespace pactum::crypto
