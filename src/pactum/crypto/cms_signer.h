#pragma once

#include <span>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/key.h"
#include "pactum/crypto/timestamper.h"

namespace pactum::crypto {

// PadesSignRequest is what a detached CAdES signature over a PDF byte range needs.
struct PadesSignRequest {
  const PrivateKey* key = nullptr;
  const Certificate* certificate = nullptr;
  std::span<const Certificate> chain;  // intermediates (and optionally the root) to embed
  DigestAlgorithm digest = DigestAlgorithm::kSha256;
  ByteView message_digest;  // digest of the signed byte ranges, computed with `digest`
  // timestamper, when set, makes the signature baseline B-T: see build_pades_cms. Not owned.
  const SignatureTimestamper* timestamper = nullptr;
};

// build_pades_cms returns the DER of a CMS SignedData (ContentInfo) for PAdES
// /SubFilter /ETSI.CAdES.detached: detached (no eContent), eContentType id-data, one SignerInfo
// identified by issuer and serial, signed attributes exactly contentType, messageDigest and
// signingCertificateV2 (ESS, with the certificate hash under `digest`), no signingTime, no
// SMIMECapabilities; certificates = the signer certificate and the chain, each once (DER
// encodes this SET OF sorted by encoding, so the order given is not kept on the wire). With a
// timestamper (PAdES B-T) the signed attributes stay the same; the SignerInfo gets exactly one
// unsigned attribute, id-aa-signatureTimeStampToken (1.2.840.113549.1.9.16.2.14), a SET holding
// the token the timestamper returns for the hash, under `digest`, of the signature value (the
// contents of the SignerInfo's signature OCTET STRING, RFC 3161 appendix A). Fails with
// kInvalidArgument if the key does not match the certificate or the digest has the wrong size,
// kMalformed if the timestamper's answer is not a DER ContentInfo of SignedData over a TSTInfo
// with nothing after it, the timestamper's error when it fails, kCrypto if OpenSSL fails.
Result<Bytes> build_pades_cms(const PadesSignRequest& request);

}  // namespace pactum::crypto
