#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/crypto/certificate.h"
#include "pactum/crypto/key.h"
#include "pactum/crypto/key_sealer.h"
#include "pactum/pki/ca_index.h"
#include "pactum/pki/certificate_profiles.h"
#include "pactum/pki/pki_urls.h"
#include "pactum/pki/revocation.h"
#include "pactum/pki/tsa_certificate.h"

namespace pactum::pki {

// CertificateStatus is what the CA knows about one serial number.
enum class CertificateStatus : std::uint8_t { kGood, kRevoked, kUnknown };

// CertificateAuthority is the platform CA: a self-signed root, an issuing CA below it, and the
// record of every end-entity certificate the issuing CA signed. Its state lives in a directory:
//   root.key.EXT, issuing.key.EXT   private keys sealed by a crypto::KeySealer, mode 0600
//                                   (EXT is the sealer's file_extension(): "pem" for plaintext)
//   root.cert.pem, issuing.cert.pem the CA certificates
//   certs/<serial>.pem              every issued certificate
//   index.txt                       append-only record of issued and revoked serials (CaIndex)
//   crl_number                      the last CRL number handed out
//   root_crl_number                 the last number of the root's CRLs (absent: none yet)
// Every method that changes state returns only after the change is durable on disk, so a killed
// process loses nothing that was acknowledged. Time always comes from the caller. The object is
// not thread-safe, and several processes writing one directory must serialise their changes and
// call reload_if_changed() first (PlatformPki does both, with a mutex and a flock).
class CertificateAuthority {
 public:
  // create generates the root and issuing CA keys (settings.key_type) and certificates valid
  // from `now` and writes a new CA into dir (created if missing). The root has basicConstraints
  // CA:TRUE and keyUsage keyCertSign+cRLSign (both critical) and a subject key identifier; the
  // issuing CA the same with pathLenConstraint 0 and an authority key identifier. Fails with
  // kInvalidArgument if dir already holds a CA (an index.txt; the leftovers of a create that was
  // killed before finishing are replaced) or the settings are unusable, kCrypto or kIo.
  // The keys are written through sealer under the labels "pki/root" and "pki/issuing".
  static Result<CertificateAuthority> create(
      const std::string& dir, const CaSettings& settings, const PkiUrls& urls,
      std::chrono::system_clock::time_point now,
      const crypto::KeySealer& sealer = crypto::plaintext_pem_sealer());

  // open loads the CA in dir, both keys included (the root key signs the root's CRLs). Fails
  // with kNotFound if a file is missing, kIo if one is unreadable, kMalformed if a file does not
  // parse, kCrypto if a key does not match its certificate; like KeySealer::open when a key
  // cannot be unsealed.
  static Result<CertificateAuthority> open(
      const std::string& dir, const PkiUrls& urls,
      const crypto::KeySealer& sealer = crypto::plaintext_pem_sealer());

  // issue signs an end-entity certificate for request with the issuing CA: a fresh random
  // positive serial (126 random bits, never one issued before), keyUsage digitalSignature +
  // nonRepudiation (critical), basicConstraints CA:FALSE, subject and authority key identifiers,
  // the CRL distribution point, authority information access (OCSP and CA issuers) and
  // kPactumTestCertificatePolicy. The certificate and its index record are durable when this
  // returns. Fails with kInvalidArgument for a bad subject or a validity that is empty or
  // outside the issuing CA's, kMalformed for an unparsable public key, kUnsupported for another
  // key type or size, kCrypto or kIo.
  Result<crypto::Certificate> issue(const IssueRequest& request,
                                    std::chrono::system_clock::time_point now);

  // issue_tsa_certificate issues the certificate of the platform's time-stamping authority for
  // tsa_key with the issuing CA: the TSA profile of tsa_certificate.h (critical EKU
  // timeStamping) plus the CRL distribution point and authority information access, a fresh
  // serial recorded in the index like any end-entity certificate, so OCSP and CRLs cover it.
  // Fails with kInvalidArgument for a validity outside the issuing CA's, like
  // make_tsa_certificate, or kIo.
  Result<crypto::Certificate> issue_tsa_certificate(const crypto::PrivateKey& tsa_key,
                                                    const TsaCertificateSpec& spec,
                                                    std::chrono::system_clock::time_point now);

  // reload_if_changed re-reads index.txt when the file on disk is no longer the one last read
  // (another process appended to it; every append replaces the file, so its inode changes) and
  // returns whether it did. Fails with kIo or kMalformed like open; the state in memory is then
  // unchanged.
  Result<bool> reload_if_changed();

  // index_changed_on_disk reports whether reload_if_changed would read index.txt again (one
  // stat(2), no read).
  [[nodiscard]] bool index_changed_on_disk() const;

  // revoke records that the certificate with serial_hex (lower-case hex, as
  // Certificate::serial_hex prints it) was revoked at revoked_at for reason; durable on return.
  // Fails with kNotFound if this CA never issued it, kRefused if it is already revoked, kIo.
  Status revoke(std::string_view serial_hex, RevocationReason reason,
                std::chrono::system_clock::time_point revoked_at);

  // status_of returns kGood or kRevoked for a serial this CA issued, kUnknown otherwise
  // (expiry is not considered: an expired certificate keeps its status).
  [[nodiscard]] CertificateStatus status_of(std::string_view serial_hex) const;

  // find returns the record of a serial this CA issued, or nullptr; valid until the next change.
  [[nodiscard]] const IssuedCertificate* find(std::string_view serial_hex) const {
    return index_.find(serial_hex);
  }

  // revoked_certificates returns every revoked certificate ordered by serial (for CRLs).
  [[nodiscard]] std::vector<IssuedCertificate> revoked_certificates() const {
    return index_.revoked();
  }

  // issued_count returns how many end-entity certificates were issued.
  [[nodiscard]] std::size_t issued_count() const { return index_.size(); }

  // issued_certificate reads back the certificate with serial_hex from the directory; kNotFound
  // if this CA never issued it, kIo or kMalformed if its file is missing or damaged.
  [[nodiscard]] Result<crypto::Certificate> issued_certificate(std::string_view serial_hex) const;

  // reserve_crl_number durably advances the CRL number and returns the new one (1 for the first
  // CRL), so no two CRLs ever share a number, even across restarts (the number on disk is read
  // first, so another process's CRLs count too); kIo or kMalformed on failure.
  Result<std::uint64_t> reserve_crl_number();

  // reserve_root_crl_number is reserve_crl_number for the root's CRLs (root_crl_number, which
  // a CA made before root CRLs existed lacks: its first root CRL is then number 1).
  Result<std::uint64_t> reserve_root_crl_number();

  // load_root_key reads the root's private key from the directory, unsealed with sealer. The
  // root signs only CA certificates and the root's CRLs, so it is kept off the serving path: no
  // CertificateAuthority holds it, and only an operator command that signs a root CRL loads it.
  // Fails like open.
  [[nodiscard]] Result<crypto::PrivateKey> load_root_key(const crypto::KeySealer& sealer) const;

  // The CA certificates, the issuing key (which signs certificates, CRLs and OCSP responses),
  // the URLs, and the directory. All stay owned by this object.
  [[nodiscard]] const crypto::Certificate& root_certificate() const { return root_certificate_; }
  [[nodiscard]] const crypto::Certificate& issuing_certificate() const {
    return issuing_certificate_;
  }
  [[nodiscard]] const crypto::PrivateKey& issuing_key() const { return issuing_key_; }
  [[nodiscard]] const PkiUrls& urls() const { return urls_; }
  [[nodiscard]] const std::string& directory() const { return dir_; }

 private:
  // IndexIdentity tells one version of index.txt from another without reading it.
  struct IndexIdentity {
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const IndexIdentity&) const = default;
  };

  CertificateAuthority(std::string dir, PkiUrls urls, crypto::Certificate root_certificate,
                       crypto::Certificate issuing_certificate, crypto::PrivateKey issuing_key,
                       CaIndex index, std::uint64_t last_crl_number);

  // issue_with picks a fresh serial, has build make the certificate with it, and stores and
  // records the result.
  template <typename Build>
  Result<crypto::Certificate> issue_with(Build build, std::chrono::system_clock::time_point now);

  // identify_index returns the identity of the file at path (all zero if it cannot be stat'ed).
  static IndexIdentity identify_index(const std::string& path);

  std::string dir_;
  PkiUrls urls_;
  crypto::Certificate root_certificate_;
  crypto::Certificate issuing_certificate_;
  crypto::PrivateKey issuing_key_;
  CaIndex index_;
  std::uint64_t last_crl_number_ = 0;
  std::uint64_t last_root_crl_number_ = 0;
  IndexIdentity index_identity_;
};

}  // namespace pactum::pki
