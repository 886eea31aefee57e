#pragma once

#include <string>

#include "pactum/base/error.h"

namespace pactum::crypto {

// write_dev_ca creates a throwaway PKI for trying Pactum out in directory dir (created if
// missing): root.pem (self-signed root CA, EC P-256... see below), root.key.pem, rsa.key.pem and
// rsa.cert.pem (RSA-2048 signer), ec.key.pem and ec.cert.pem (ECDSA P-256 signer). Signer
// certificates have keyUsage digitalSignature+nonRepudiation and are valid for 3 years from now;
// the root for 10 years. Existing files are overwritten atomically. Fails with kIo or kCrypto.
Status write_dev_ca(const std::string& dir);

}  // namespace pactum::crypto
