#pragma once

// A TimeStampAuthority made from PEM files and an optional serial directory: how the CLI (and
// anything else configured by paths) runs an in-process TSA.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/error.h"
#include "pactum/pki/tsa.h"

namespace pactum::pki {

// kPactumTestTsaPolicy is the TSA policy OID written into tokens when no other is configured.
// PLACEHOLDER: 1.3.6.1.4.1.55555 is not a Private Enterprise Number assigned to Pactum (see
// kPactumTestCertificatePolicy); replace it before tokens leave tests and trials.
inline constexpr std::string_view kPactumTestTsaPolicy = "1.3.6.1.4.1.55555.2.1";

// TsaFiles names what an in-process TSA is made of.
struct TsaFiles {
  std::string key_path;                  // PEM private key of the TSA
  std::string certificate_path;          // PEM TSA certificate (critical EKU timeStamping)
  std::vector<std::string> chain_paths;  // PEM intermediates sent with it; may be empty
  // serial_dir holds a FileSerialCounter (serials 1, 2, 3, ... that survive restarts); without
  // it serials are random 16-byte numbers (RandomSerialSource), unique without any storage.
  std::optional<std::string> serial_dir;
  std::string policy_oid = std::string(kPactumTestTsaPolicy);
};

// open_tsa_from_files reads the files, opens the serial source and creates the TSA with clock and
// an accuracy of one second. Fails with kNotFound or kIo for a file that cannot be read or a
// serial directory that cannot be used, kMalformed for a file that does not parse, and like
// TimeStampAuthority::create (kInvalidArgument: not a TSA certificate, key does not match).
Result<std::shared_ptr<const TimeStampAuthority>> open_tsa_from_files(const TsaFiles& files,
                                                                      Clock clock);

}  // namespace pactum::pki
