#include "pactum/pki/in_process_timestamper.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace pactum::pki {
namespace {

// Everything in a token besides the certificates and the signature value: the TSTInfo (policy,
// imprint, serial, genTime, accuracy, nonce, the TSA's name), the signed attributes (content
// type, message digest, signingCertificateV2) and the SignerInfo's issuer name and serial.
constexpr std::size_t kTokenOverhead = 1280;

}  // namespace

Result<Bytes> InProcessTimestamper::timestamp(crypto::DigestAlgorithm algorithm,
                                              ByteView digest) const {
  return tsa_->stamp(algorithm, digest);
}

std::size_t InProcessTimestamper::max_token_size() const {
  std::size_t size = kTokenOverhead + tsa_->certificate().der().size();
  for (const crypto::Certificate& cert : tsa_->chain()) {
    size += cert.der().size();
  }
  // EVP_PKEY_get_size is the largest signature the key makes (DER ECDSA or RSA modulus size).
  const int signature_size = EVP_PKEY_get_size(X509_get0_pubkey(tsa_->certificate().native()));
  if (signature_size > 0) {
    size += static_cast<std::size_t>(signature_size);
  }
  return size;
}

}  // namespace pactum::pki
