#pragma once

// The platform's trust services in one object: the CA (root + issuing), its CRLs and OCSP
// responder, and the RFC 3161 time-stamping authority, all living in one directory. What
// `pactum ca ...` and `pactum tsa stamp --dir` open, and what pactumd serves under /pki and /tsa.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/base/file_lock.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key_sealer.h"
#include "pactum/pki/ca.h"
#include "pactum/pki/crl.h"
#include "pactum/pki/tsa.h"
#include "pactum/pki/tsa_files.h"

namespace pactum::pki {

// PlatformPkiSettings is what create_platform_pki needs; it is stored in DIR/pki.json, so
// open_platform_pki needs none of it again.
struct PlatformPkiSettings {
  std::string base_url;  // where pactumd serves /pki (see pki_urls.h), e.g. https://pactum.example
  CaSettings ca;
  std::string tsa_common_name = "Pactum Time-Stamping Authority";
  std::string tsa_policy_oid = std::string(kPactumTestTsaPolicy);
  TsaAccuracy tsa_accuracy;
  std::chrono::days tsa_validity{5 * 365};        // within the issuing CA's validity
  std::chrono::seconds crl_lifetime{24 * 3600};   // nextUpdate - thisUpdate of each CRL
  std::chrono::seconds ocsp_validity{24 * 3600};  // nextUpdate - thisUpdate of OCSP answers
};

// PlatformPki is the CA, TSA, CRL and OCSP responder of one directory:
//   DIR/pki.json   the settings (format version, base URL, key sealing kind, TSA policy, ...)
//   DIR/lock       flock(2)ed while anything changes (issue, revoke, CRL numbers)
//   DIR/ca/        the CertificateAuthority (ca.h)
//   DIR/tsa/       tsa.key.EXT (sealed), tsa.cert.pem, the FileSerialCounter's tsa-serial
// The TSA certificate is issued by the issuing CA (critical EKU timeStamping, CRL and OCSP
// addresses) and sent with the issuing CA certificate in tokens; anchors are the root.
//
// All member functions are safe to call from many threads at once. Changes are serialised by a
// mutex and, across processes (a `pactum ca revoke` while pactumd runs), by the directory flock;
// before answering, every reader checks (one stat) whether another process changed the CA index
// and re-reads it, so a revocation is visible to the next OCSP request and CRL.
class PlatformPki {
 public:
  // kSettingsFile and kLockFile are the names of the settings and lock files inside DIR.
  static constexpr std::string_view kSettingsFile = "pki.json";
  static constexpr std::string_view kLockFile = "lock";

  PlatformPki(const PlatformPki&) = delete;
  PlatformPki& operator=(const PlatformPki&) = delete;
  ~PlatformPki();

  // issue issues an end-entity certificate (CertificateAuthority::issue) at clock time. Fails
  // like it, or with kIo if the directory cannot be locked.
  Result<crypto::Certificate> issue(const IssueRequest& request);

  // revoke revokes serial_hex for reason at clock time (CertificateAuthority::revoke): kNotFound
  // for a serial never issued here, kRefused if already revoked, kIo.
  Status revoke(std::string_view serial_hex, RevocationReason reason);

  // status_of returns the current status of serial_hex (after picking up other processes'
  // changes).
  [[nodiscard]] CertificateStatus status_of(std::string_view serial_hex);

  // issued_certificate reads back a certificate issued here (CertificateAuthority's).
  [[nodiscard]] Result<crypto::Certificate> issued_certificate(std::string_view serial_hex);

  // current_crl returns a CRL that lists every revocation known now. It is made once and served
  // again until the CA changes (a revocation here or in another process) or half its lifetime
  // has passed; each new one gets a fresh CRL number. Fails like generate_crl.
  Result<std::shared_ptr<const Crl>> current_crl();

  // current_root_crl returns the root's stored CRL (read_root_crl), the revocation source the
  // issuing CA certificate names. The root key never enters a serving process: the first root
  // CRL is signed when the CA is made, later ones by issue_root_crl. Fails like read_root_crl.
  [[nodiscard]] Result<std::shared_ptr<const Crl>> current_root_crl() const;

  // issue_root_crl loads the root key with sealer (the one this PKI was opened with), signs the
  // root's next CRL, valid for settings.ca.root_crl_lifetime, and stores it for
  // current_root_crl, here and in other processes. For operators (`pactum ca crl --root`), not
  // for servers. Fails like CertificateAuthority::load_root_key and pki::issue_root_crl.
  Result<std::shared_ptr<const Crl>> issue_root_crl(const crypto::KeySealer& sealer);

  // respond_ocsp answers a DER OCSPRequest (ocsp_responder.h) at clock time. It always returns a
  // DER OCSPResponse for a well- or ill-formed request (malformedRequest, unauthorized,
  // internalError); it fails (kCrypto) only if not even an error response can be encoded.
  Result<Bytes> respond_ocsp(ByteView request_der);

  // ocsp_response_for returns a signed OCSP response about certificate, which must have been
  // issued by the issuing CA (the in-process revocation source of PAdES B-LT). Fails with
  // kInvalidArgument for another issuer, kCrypto.
  Result<Bytes> ocsp_response_for(const crypto::Certificate& certificate);

  // respond_timestamp answers a DER TimeStampReq (TimeStampAuthority::respond).
  [[nodiscard]] Result<Bytes> respond_timestamp(ByteView query_der) const;

  // tsa returns the time-stamping authority, e.g. for an InProcessTimestamper.
  [[nodiscard]] std::shared_ptr<const TimeStampAuthority> tsa() const { return tsa_; }

  // The certificates: root (the trust anchor), issuing CA, TSA.
  [[nodiscard]] const crypto::Certificate& root_certificate() const { return root_; }
  [[nodiscard]] const crypto::Certificate& issuing_certificate() const { return issuing_; }
  [[nodiscard]] const crypto::Certificate& tsa_certificate() const { return tsa_->certificate(); }

  // urls returns the addresses written into certificates; directory and settings what this
  // object was opened on.
  [[nodiscard]] const PkiUrls& urls() const { return urls_; }
  [[nodiscard]] const std::string& directory() const { return dir_; }
  [[nodiscard]] const PlatformPkiSettings& settings() const { return settings_; }

  // now returns the injected clock's time.
  [[nodiscard]] std::chrono::system_clock::time_point now() const { return clock_(); }

 private:
  friend Result<std::unique_ptr<PlatformPki>> create_platform_pki(const std::string&,
                                                                  const PlatformPkiSettings&, Clock,
                                                                  const crypto::KeySealer&);
  friend Result<std::unique_ptr<PlatformPki>> open_platform_pki(const std::string&, Clock,
                                                                const crypto::KeySealer&,
                                                                const std::optional<std::string>&);

  PlatformPki(std::string dir, PlatformPkiSettings settings, Clock clock, CertificateAuthority ca,
              std::shared_ptr<const TimeStampAuthority> tsa);

  // refresh picks up another process's changes of the CA index (shared lock held by caller
  // released first); kIo/kMalformed if the index cannot be re-read.
  Status refresh();

  // locked_change runs change on the CA under the mutex and the directory flock, after
  // re-reading the index.
  template <typename Change>
  auto locked_change(Change change) -> decltype(change(std::declval<CertificateAuthority&>()));

  std::string dir_;
  PlatformPkiSettings settings_;
  Clock clock_;
  PkiUrls urls_;
  crypto::Certificate root_;
  crypto::Certificate issuing_;
  std::shared_ptr<const TimeStampAuthority> tsa_;

  mutable std::shared_mutex mutex_;  // guards ca_, generation_ and the CRL cache
  CertificateAuthority ca_;
  std::uint64_t generation_ = 0;  // bumped whenever ca_'s records change
  std::shared_ptr<const Crl> crl_;
  std::uint64_t crl_generation_ = 0;
};

// create_platform_pki makes a new platform PKI in dir (created if missing): the CA per
// settings.ca with certificates valid from clock(), a TSA key and a certificate from the issuing
// CA, keys sealed with sealer, and DIR/pki.json written last (its presence marks a complete PKI;
// the leftovers of a create that died before it are replaced). Fails with kInvalidArgument if
// dir already holds a PKI or the settings are unusable (base URL, names, TSA policy or validity),
// kCrypto or kIo.
Result<std::unique_ptr<PlatformPki>> create_platform_pki(
    const std::string& dir, const PlatformPkiSettings& settings, Clock clock,
    const crypto::KeySealer& sealer = crypto::plaintext_pem_sealer());

// open_platform_pki opens the PKI in dir with the settings stored there. Fails with kNotFound if
// dir holds no pki.json, kMalformed if a file does not parse, kInvalidArgument if the keys were
// sealed by another kind of sealer than sealer, and like CertificateAuthority::open and
// TimeStampAuthority::create otherwise. A base_url, if given, replaces the stored one for this
// process (certificates issued from now on name it; pki.json is not changed); an unusable one is
// kInvalidArgument.
Result<std::unique_ptr<PlatformPki>> open_platform_pki(
    const std::string& dir, Clock clock,
    const crypto::KeySealer& sealer = crypto::plaintext_pem_sealer(),
    const std::optional<std::string>& base_url = std::nullopt);

// lock_pki_directory takes the flock that PlatformPki holds while changing dir, without waiting
// when wait is false (then kRefused if it is held). For tools and tests.
Result<FileLock> lock_pki_directory(const std::string& dir, bool wait);

}  // namespace pactum::pki
