#pragma once

#include <span>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/key.h"

namespace pactum::crypto {

// PadesSignRequest is what a detached CAdES signature over a PDF byte range needs.
struct PadesSignRequest {
  const PrivateKey* key = nullptr;
  const Certificate* certificate = nullptr;
  std::span<const Certificate> chain;  // intermediates (and optionally the root) to embed
  DigestAlgorithm digest = DigestAlgorithm::kSha256;
  ByteView message_digest;  // digest of the signed byte ranges, computed with `digest`
};

// build_pades_cms returns the DER of a CMS SignedData (ContentInfo) for PAdES
// /SubFilter /ETSI.CAdES.detached: detached (no eContent), eContentType id-data, one SignerInfo
// identified by issuer and serial, signed attributes exactly contentType, messageDigest and
// signingCertificateV2 (ESS, with the certificate hash under `digest`), no signingTime, no
// SMIMECapabilities; certificates = the signer certificate and the chain, each once (DER
// encodes this SET OF sorted by encoding, so the order given is not kept on the wire). Fails with
// kInvalidArgument if the key does not match the certificate or the digest has the wrong size,
// kCrypto if OpenSSL fails.
Result<Bytes> build_pades_cms(const PadesSignRequest& request);

}  // namespace pactum::crypto
