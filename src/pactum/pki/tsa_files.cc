#include "pactum/pki/tsa_files.h"

#include "pactum/crypto/pem_files.h"

#include <fmt/format.h>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"
#include "pactum/pki/tsa_serial.h"

namespace pactum::pki {
namespace {

Result<std::shared_ptr<SerialSource>> open_serials(const std::optional<std::string>& dir) {
  if (!dir) {
    return std::make_shared<RandomSerialSource>();
  }
  auto counter = FileSerialCounter::open(*dir);
  if (!counter) {
    return std::unexpected(counter.error());
  }
  return std::shared_ptr<SerialSource>(std::move(*counter));
}

}  // namespace

Result<std::shared_ptr<const TimeStampAuthority>> open_tsa_from_files(const TsaFiles& files,
                                                                      Clock clock) {
  auto key = crypto::read_pem_file<crypto::PrivateKey>(files.key_path, "TSA private key",
                                                       &crypto::PrivateKey::from_pem);
  if (!key) {
    return std::unexpected(key.error());
  }
  auto cert = crypto::read_pem_file<crypto::Certificate>(files.certificate_path, "TSA certificate",
                                                         &crypto::Certificate::from_pem);
  if (!cert) {
    return std::unexpected(cert.error());
  }
  std::vector<crypto::Certificate> chain;
  for (const std::string& path : files.chain_paths) {
    auto certs = crypto::read_pem_file<std::vector<crypto::Certificate>>(
        path, "TSA certificate chain", &crypto::Certificate::all_from_pem);
    if (!certs) {
      return std::unexpected(certs.error());
    }
    chain.insert(chain.end(), certs->begin(), certs->end());
  }
  auto serials = open_serials(files.serial_dir);
  if (!serials) {
    return std::unexpected(serials.error());
  }
  auto tsa = TimeStampAuthority::create(TsaConfig{.key = std::move(*key),
                                                  .certificate = std::move(*cert),
                                                  .chain = std::move(chain),
                                                  .policy_oid = files.policy_oid,
                                                  .accuracy = {},
                                                  .clock = std::move(clock),
                                                  .serials = std::move(*serials)});
  if (!tsa) {
    return std::unexpected(tsa.error());
  }
  return std::make_shared<const TimeStampAuthority>(std::move(*tsa));
}

}  // namespace pactum::pki
