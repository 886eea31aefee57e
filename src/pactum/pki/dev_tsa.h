#pragma once

// A throwaway time-stamping authority beside the dev CA of crypto/dev_ca.h, for trying PAdES B-T
// signatures without any outside service.

#include <chrono>
#include <string>

#include "pactum/base/error.h"

namespace pactum::pki {

// write_dev_tsa adds a TSA identity to a dev CA directory written by crypto::write_dev_ca: it
// reads dir/root.pem and dir/root.key.pem, makes an ECDSA P-256 key and a TSA certificate for it
// issued by that root (profile of tsa_certificate_extensions(): critical EKU timeStamping;
// subject "Pactum Dev Time-Stamping Authority", valid from an hour before now for 3 years), and
// writes dir/tsa.key.pem (mode 0600) and dir/tsa.cert.pem (0644), each atomically. Fails with
// kIo or kNotFound when the root's files cannot be read or the new ones written, kMalformed when
// they do not parse, kCrypto if OpenSSL fails.
Status write_dev_tsa(const std::string& dir, std::chrono::system_clock::time_point now);

}  // namespace pactum::pki
