#include "pactum/pki/ca.h"

#include "pactum/crypto/pem_files.h"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>
#include <utility>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/x509_builder.h"
#include "pactum/pki/crl.h"

namespace pactum::pki {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr int kMaxSerialAttempts = 8;  // a 126-bit collision never happens; bound anyway

constexpr const char* kRootKeyStem = "root.key.";
constexpr const char* kRootCertFile = "root.cert.pem";
constexpr const char* kIssuingKeyStem = "issuing.key.";
constexpr const char* kIssuingCertFile = "issuing.cert.pem";
constexpr const char* kIndexFile = "index.txt";
constexpr const char* kCrlNumberFile = "crl_number";
constexpr const char* kRootCrlNumberFile = "root_crl_number";
constexpr const char* kCertsDir = "certs";

template <typename T>
std::unexpected<Error> pass(const Result<T>& result) {
  return std::unexpected(result.error());
}

std::string path_in(const std::string& dir, std::string_view name) {
  return (std::filesystem::path(dir) / name).string();
}

Status write_text(const std::string& path, std::string_view text, unsigned mode) {
  return write_file_atomically(path, as_bytes(text), mode);
}

constexpr std::string_view kRootKeyLabel = "pki/root";
constexpr std::string_view kIssuingKeyLabel = "pki/issuing";

std::string key_path(const std::string& dir, const char* stem, const crypto::KeySealer& sealer) {
  return path_in(dir, std::string(stem) + std::string(sealer.file_extension()));
}

Status write_key_and_certificate(const std::string& dir, const char* key_stem,
                                 std::string_view label, const char* cert_file,
                                 const crypto::PrivateKey& key, const crypto::Certificate& cert,
                                 const crypto::KeySealer& sealer) {
  if (auto st = crypto::write_sealed_key(key_path(dir, key_stem, sealer), key, sealer, label);
      !st) {
    return st;
  }
  auto pem = cert.to_pem();
  if (!pem) {
    return std::unexpected(pem.error());
  }
  return write_file_atomically(path_in(dir, cert_file), as_bytes(*pem), 0644);
}

Result<crypto::Certificate> read_certificate(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) {
    return pass(bytes);
  }
  return crypto::Certificate::from_pem(*bytes);
}

Result<std::uint64_t> read_crl_number(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) {
    return pass(bytes);
  }
  std::string_view text = as_chars(*bytes);
  if (text.ends_with('\n')) {
    text.remove_suffix(1);
  }
  std::uint64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return fail(ErrorCode::kMalformed, fmt::format("{} does not hold a number", path));
  }
  return number;
}

}  // namespace

CertificateAuthority::CertificateAuthority(std::string dir, PkiUrls urls,
                                           crypto::Certificate root_certificate,
                                           crypto::Certificate issuing_certificate,
                                           crypto::PrivateKey issuing_key, CaIndex index,
                                           std::uint64_t last_crl_number)
    : dir_(std::move(dir)),
      urls_(std::move(urls)),
      root_certificate_(std::move(root_certificate)),
      issuing_certificate_(std::move(issuing_certificate)),
      issuing_key_(std::move(issuing_key)),
      index_(std::move(index)),
      last_crl_number_(last_crl_number) {}

Result<CertificateAuthority> CertificateAuthority::create(const std::string& dir,
                                                          const CaSettings& settings,
                                                          const PkiUrls& urls, TimePoint now,
                                                          const crypto::KeySealer& sealer) {
  if (auto st = check_ca_settings(settings); !st) {
    return std::unexpected(st.error());
  }
  std::error_code error;
  std::filesystem::create_directories(path_in(dir, kCertsDir), error);
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}", dir, error.message()));
  }
  // index.txt is written last, so only it marks a complete CA; the files of a create that died
  // before writing it were never acknowledged and are simply replaced.
  if (std::filesystem::exists(path_in(dir, kIndexFile), error) || error) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("{} already holds a CA", dir));
  }
  auto root_key = crypto::PrivateKey::generate(settings.key_type);
  if (!root_key) {
    return pass(root_key);
  }
  auto root = make_ca_certificate(*root_key, *root_key, nullptr, settings, CaRole::kRoot, now);
  if (!root) {
    return pass(root);
  }
  auto issuing_key = crypto::PrivateKey::generate(settings.key_type);
  if (!issuing_key) {
    return pass(issuing_key);
  }
  auto issuing =
      make_ca_certificate(*issuing_key, *root_key, &*root, settings, CaRole::kIssuing, now, &urls);
  if (!issuing) {
    return pass(issuing);
  }
  // The index is written last: its presence marks a complete CA.
  for (const auto& st :
       {write_key_and_certificate(dir, kRootKeyStem, kRootKeyLabel, kRootCertFile, *root_key, *root,
                                  sealer),
        write_key_and_certificate(dir, kIssuingKeyStem, kIssuingKeyLabel, kIssuingCertFile,
                                  *issuing_key, *issuing, sealer),
        write_text(path_in(dir, kCrlNumberFile), "0\n", 0644)}) {
    if (!st) {
      return std::unexpected(st.error());
    }
  }
  auto index = CaIndex::create(path_in(dir, kIndexFile));
  if (!index) {
    return pass(index);
  }
  CertificateAuthority ca(dir, urls, std::move(*root), std::move(*issuing), std::move(*issuing_key),
                          std::move(*index), 0);
  ca.index_identity_ = identify_index(path_in(dir, kIndexFile));
  // The first root CRL is signed while the root key is at hand; later ones only by an operator
  // (`pactum ca crl --root`), since no serving process loads the root key.
  if (auto crl = issue_root_crl(ca, *root_key, now, settings.root_crl_lifetime); !crl) {
    return std::unexpected(crl.error());
  }
  return ca;
}

Result<CertificateAuthority> CertificateAuthority::open(const std::string& dir, const PkiUrls& urls,
                                                        const crypto::KeySealer& sealer) {
  auto root = read_certificate(path_in(dir, kRootCertFile));
  if (!root) {
    return pass(root);
  }
  auto issuing = read_certificate(path_in(dir, kIssuingCertFile));
  if (!issuing) {
    return pass(issuing);
  }
  auto issuing_key =
      crypto::read_sealed_key(key_path(dir, kIssuingKeyStem, sealer), sealer, kIssuingKeyLabel);
  if (!issuing_key) {
    return pass(issuing_key);
  }
  if (!issuing->matches(*issuing_key)) {
    return fail(ErrorCode::kCrypto,
                fmt::format("{}: the issuing CA key does not match its certificate", dir));
  }
  auto crl_number = read_crl_number(path_in(dir, kCrlNumberFile));
  if (!crl_number) {
    return pass(crl_number);
  }
  // The identity is taken before the read: a change in between makes the next
  // reload_if_changed read again rather than miss it.
  const IndexIdentity identity = identify_index(path_in(dir, kIndexFile));
  auto index = CaIndex::load(path_in(dir, kIndexFile));
  if (!index) {
    return pass(index);
  }
  CertificateAuthority ca(dir, urls, std::move(*root), std::move(*issuing), std::move(*issuing_key),
                          std::move(*index), *crl_number);
  ca.index_identity_ = identity;
  return ca;
}

Result<crypto::PrivateKey> CertificateAuthority::load_root_key(
    const crypto::KeySealer& sealer) const {
  auto root_key =
      crypto::read_sealed_key(key_path(dir_, kRootKeyStem, sealer), sealer, kRootKeyLabel);
  if (!root_key) {
    return pass(root_key);
  }
  if (!root_certificate_.matches(*root_key)) {
    return fail(ErrorCode::kCrypto,
                fmt::format("{}: the root CA key does not match its certificate", dir_));
  }
  return root_key;
}

Result<crypto::Certificate> CertificateAuthority::issue(const IssueRequest& request,
                                                        TimePoint now) {
  if (auto st = check_subject(request.subject); !st) {
    return std::unexpected(st.error());
  }
  if (request.not_after <= request.not_before) {
    return fail(ErrorCode::kInvalidArgument, "the validity period ends before it begins");
  }
  if (request.not_before < issuing_certificate_.not_before() ||
      request.not_after > issuing_certificate_.not_after()) {
    return fail(ErrorCode::kInvalidArgument,
                "the validity period lies outside the issuing CA certificate's");
  }
  auto public_key = parse_subject_public_key(request.subject_public_key_info);
  if (!public_key) {
    return pass(public_key);
  }
  return issue_with(
      [&](ByteView serial) {
        return make_end_entity_certificate(request, public_key->get(), serial, issuing_certificate_,
                                           issuing_key_, urls_);
      },
      now);
}

Result<crypto::Certificate> CertificateAuthority::issue_tsa_certificate(
    const crypto::PrivateKey& tsa_key, const TsaCertificateSpec& spec, TimePoint now) {
  if (spec.not_before < issuing_certificate_.not_before() ||
      spec.not_after > issuing_certificate_.not_after()) {
    return fail(ErrorCode::kInvalidArgument,
                "the TSA validity period lies outside the issuing CA certificate's");
  }
  return issue_with(
      [&](ByteView serial) {
        return make_tsa_certificate(issuing_key_, issuing_certificate_, tsa_key, spec, serial,
                                    &urls_);
      },
      now);
}

template <typename Build>
Result<crypto::Certificate> CertificateAuthority::issue_with(Build build, TimePoint now) {
  Bytes serial;
  for (int attempt = 0; attempt < kMaxSerialAttempts && serial.empty(); ++attempt) {
    auto candidate = crypto::random_serial();
    if (!candidate) {
      return pass(candidate);
    }
    if (index_.find(to_hex(*candidate)) == nullptr) {
      serial = std::move(*candidate);
    }
  }
  if (serial.empty()) {
    return fail(ErrorCode::kInternal, "no unused serial number after repeated tries");
  }
  Result<crypto::Certificate> cert = build(ByteView(serial));
  if (!cert) {
    return cert;
  }
  auto pem = cert->to_pem();
  if (!pem) {
    return pass(pem);
  }
  const std::string serial_hex = to_hex(serial);
  // The certificate file first: an index record never points at a missing file.
  if (auto st = write_text(path_in(path_in(dir_, kCertsDir), serial_hex + ".pem"), *pem, 0644);
      !st) {
    return std::unexpected(st.error());
  }
  if (auto st = index_.record_issued(serial_hex, now, cert->not_after()); !st) {
    return std::unexpected(st.error());
  }
  index_identity_ = identify_index(path_in(dir_, kIndexFile));
  return cert;
}

CertificateAuthority::IndexIdentity CertificateAuthority::identify_index(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return {};
  }
  return IndexIdentity{static_cast<std::uint64_t>(info.st_ino),
                       static_cast<std::int64_t>(info.st_size),
                       static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 +
                           static_cast<std::int64_t>(info.st_mtim.tv_nsec)};
}

bool CertificateAuthority::index_changed_on_disk() const {
  return identify_index(path_in(dir_, kIndexFile)) != index_identity_;
}

Result<bool> CertificateAuthority::reload_if_changed() {
  const std::string path = path_in(dir_, kIndexFile);
  const IndexIdentity identity = identify_index(path);
  if (identity == index_identity_) {
    return false;
  }
  auto index = CaIndex::load(path);
  if (!index) {
    return pass(index);
  }
  index_ = std::move(*index);
  index_identity_ = identity;
  return true;
}

Status CertificateAuthority::revoke(std::string_view serial_hex, RevocationReason reason,
                                    TimePoint revoked_at) {
  auto st = index_.record_revoked(serial_hex, Revocation{revoked_at, reason});
  if (st) {
    index_identity_ = identify_index(path_in(dir_, kIndexFile));
  }
  return st;
}

CertificateStatus CertificateAuthority::status_of(std::string_view serial_hex) const {
  const IssuedCertificate* record = index_.find(serial_hex);
  if (record == nullptr) {
    return CertificateStatus::kUnknown;
  }
  return record->revocation ? CertificateStatus::kRevoked : CertificateStatus::kGood;
}

Result<crypto::Certificate> CertificateAuthority::issued_certificate(
    std::string_view serial_hex) const {
  if (index_.find(serial_hex) == nullptr) {
    return fail(ErrorCode::kNotFound, fmt::format("no certificate with serial {} was issued here",
                                                  std::string(serial_hex)));
  }
  return read_certificate(path_in(path_in(dir_, kCertsDir), std::string(serial_hex) + ".pem"));
}

namespace {

// reserve_number durably advances the counter in path past both its value on disk (another
// process's numbers count too) and last, which it updates; a missing file counts as 0 when
// may_be_missing.
Result<std::uint64_t> reserve_number(const std::string& path, std::uint64_t& last,
                                     bool may_be_missing) {
  std::error_code error;
  const bool missing = may_be_missing && !std::filesystem::exists(path, error) && !error;
  auto on_disk = missing ? Result<std::uint64_t>(0) : read_crl_number(path);
  if (!on_disk) {
    return on_disk;
  }
  const std::uint64_t next = std::max(last, *on_disk) + 1;
  if (auto st = write_text(path, fmt::format("{}\n", next), 0644); !st) {
    return std::unexpected(st.error());
  }
  last = next;
  return next;
}

}  // namespace

Result<std::uint64_t> CertificateAuthority::reserve_crl_number() {
  return reserve_number(path_in(dir_, kCrlNumberFile), last_crl_number_, false);
}

Result<std::uint64_t> CertificateAuthority::reserve_root_crl_number() {
  return reserve_number(path_in(dir_, kRootCrlNumberFile), last_root_crl_number_, true);
}

}  // namespace pactum::pki
