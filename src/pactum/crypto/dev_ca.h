#pragma once

#include <chrono>
#include <string>

#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"

namespace pactum::crypto {

// write_dev_ca creates a throwaway PKI for trying Pactum out in directory dir (created if
// missing): root.pem (self-signed root CA, ECDSA P-256), root.key.pem, rsa.key.pem and
// rsa.cert.pem (RSA-2048 signer), ec.key.pem and ec.cert.pem (ECDSA P-256 signer). Signer
// certificates have keyUsage digitalSignature+nonRepudiation and are valid for 3 years from now;
// the root for 10 years. Existing files are overwritten atomically; key files are mode 0600,
// certificates 0644. Fails with kIo or kCrypto.
Status write_dev_ca(const std::string& dir);

// DevAuthority is an issuing key with its CA certificate.
struct DevAuthority {
  PrivateKey key;
  Certificate certificate;
};

// make_dev_root creates a fresh ECDSA P-256 key and a self-signed root CA certificate for it
// ("Pactum Dev Root CA"; basicConstraints CA:TRUE and keyUsage keyCertSign+cRLSign, both
// critical; subject key identifier; random 16-byte serial) valid from an hour before now for 10
// years. Fails with kCrypto.
Result<DevAuthority> make_dev_root(std::chrono::system_clock::time_point now);

// issue_dev_signer issues a document-signing certificate for the public half of key, signed by
// issuer with ECDSA-SHA-256 or RSA-SHA-256: subject CN=common_name, basicConstraints CA:FALSE,
// keyUsage digitalSignature+nonRepudiation (critical), subject and authority key identifiers, no
// extendedKeyUsage, random 16-byte serial, valid from an hour before now for 3 years. Fails with
// kCrypto.
Result<Certificate> issue_dev_signer(const DevAuthority& issuer, const PrivateKey& key,
                                     const std::string& common_name,
                                     std::chrono::system_clock::time_point now);

}  // namespace pactum::crypto
