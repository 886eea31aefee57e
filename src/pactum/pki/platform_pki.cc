#include "pactum/pki/platform_pki.h"

#include <openssl/ocsp.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/pem_files.h"
#include "pactum/pki/ocsp_responder.h"
#include "pactum/pki/tsa_serial.h"

namespace pactum::pki {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr std::string_view kFormat = "pactum-pki 1";
constexpr const char* kCaDir = "ca";
constexpr const char* kTsaDir = "tsa";
constexpr const char* kTsaCertFile = "tsa.cert.pem";
constexpr std::string_view kTsaKeyLabel = "pki/tsa";
constexpr std::size_t kMaxSettingsBytes = 64 * 1024;

std::string path_in(const std::string& dir, std::string_view name) {
  return (std::filesystem::path(dir) / name).string();
}

std::string tsa_key_path(const std::string& dir, const crypto::KeySealer& sealer) {
  return path_in(path_in(dir, kTsaDir), "tsa.key." + std::string(sealer.file_extension()));
}

std::string settings_json(const PlatformPkiSettings& settings, const crypto::KeySealer& sealer) {
  const nlohmann::ordered_json json = {
      {"format", kFormat},
      {"base_url", settings.base_url},
      {"key_sealing", sealer.kind()},
      {"tsa",
       {{"policy", settings.tsa_policy_oid},
        {"accuracy",
         {{"seconds", settings.tsa_accuracy.seconds},
          {"millis", settings.tsa_accuracy.millis},
          {"micros", settings.tsa_accuracy.micros}}}}},
      {"crl_lifetime_seconds", settings.crl_lifetime.count()},
      {"ocsp_validity_seconds", settings.ocsp_validity.count()},
  };
  return json.dump(2) + "\n";
}

// parse_settings reads what settings_json wrote; CA and TSA names live in their certificates.
Result<PlatformPkiSettings> parse_settings(const std::string& path,
                                           const crypto::KeySealer& sealer) {
  auto bytes = read_file(path);
  if (!bytes) {
    return std::unexpected(bytes.error());
  }
  if (bytes->size() > kMaxSettingsBytes) {
    return fail(ErrorCode::kMalformed, fmt::format("{} is too large", path));
  }
  const auto json = nlohmann::json::parse(as_chars(*bytes), nullptr, false);
  const auto malformed = [&](std::string_view why) {
    return fail(ErrorCode::kMalformed, fmt::format("{}: {}", path, why));
  };
  if (!json.is_object() || json.value("format", "") != kFormat) {
    return malformed(fmt::format("not a \"{}\" settings file", kFormat));
  }
  try {
    PlatformPkiSettings settings;
    settings.base_url = json.at("base_url").get<std::string>();
    const auto sealing = json.at("key_sealing").get<std::string>();
    if (sealing != sealer.kind()) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: the keys are sealed as \"{}\" but were opened with the \"{}\" "
                              "key sealer",
                              path, sealing, std::string(sealer.kind())));
    }
    const auto& tsa = json.at("tsa");
    settings.tsa_policy_oid = tsa.at("policy").get<std::string>();
    const auto& accuracy = tsa.at("accuracy");
    settings.tsa_accuracy = TsaAccuracy{accuracy.at("seconds").get<std::uint32_t>(),
                                        accuracy.at("millis").get<std::uint32_t>(),
                                        accuracy.at("micros").get<std::uint32_t>()};
    settings.crl_lifetime =
        std::chrono::seconds(json.at("crl_lifetime_seconds").get<std::int64_t>());
    settings.ocsp_validity =
        std::chrono::seconds(json.at("ocsp_validity_seconds").get<std::int64_t>());
    if (settings.crl_lifetime.count() <= 0 || settings.ocsp_validity.count() <= 0) {
      return malformed("lifetimes must be positive");
    }
    return settings;
  } catch (const nlohmann::json::exception& e) {
    return malformed(e.what());
  }
}

Status check_settings(const PlatformPkiSettings& settings) {
  if (settings.crl_lifetime.count() <= 0 || settings.ocsp_validity.count() <= 0 ||
      settings.tsa_validity.count() <= 0) {
    return fail(ErrorCode::kInvalidArgument,
                "CRL lifetime, OCSP validity and TSA validity must be positive");
  }
  if (settings.tsa_validity > settings.ca.issuing_validity) {
    return fail(ErrorCode::kInvalidArgument,
                "the TSA certificate cannot outlive the issuing CA certificate");
  }
  return check_ca_settings(settings.ca);
}

// LazySerialCounter opens the FileSerialCounter of dir at the first serial asked for, so that
// opening the PKI for a CA command (issue, revoke, crl) does not reserve a block of serials that
// would then be skipped.
class LazySerialCounter final : public SerialSource {
 public:
  explicit LazySerialCounter(std::string dir) : dir_(std::move(dir)) {}

  Result<Bytes> next() override {
    {
      const std::lock_guard lock(mutex_);
      if (!counter_) {
        auto counter = FileSerialCounter::open(dir_);
        if (!counter) {
          return std::unexpected(counter.error());
        }
        counter_ = std::move(*counter);
      }
    }
    return counter_->next();  // thread-safe itself; counter_ never changes once set
  }

 private:
  std::string dir_;
  std::mutex mutex_;
  std::unique_ptr<FileSerialCounter> counter_;
};

// make_tsa builds the TSA from its key, certificate and serial directory.
Result<std::shared_ptr<const TimeStampAuthority>> make_tsa(
    const std::string& dir, const PlatformPkiSettings& settings, crypto::PrivateKey key,
    crypto::Certificate certificate, const crypto::Certificate& issuing, Clock clock) {
  auto tsa = TimeStampAuthority::create(
      TsaConfig{.key = std::move(key),
                .certificate = std::move(certificate),
                .chain = {issuing},
                .policy_oid = settings.tsa_policy_oid,
                .accuracy = settings.tsa_accuracy,
                .clock = std::move(clock),
                .serials = std::make_shared<LazySerialCounter>(path_in(dir, kTsaDir))});
  if (!tsa) {
    return std::unexpected(tsa.error());
  }
  return std::make_shared<const TimeStampAuthority>(std::move(*tsa));
}

// remove_leftovers deletes what a create that died before writing pki.json left behind; none of
// it was ever acknowledged.
Status remove_leftovers(const std::string& dir) {
  std::error_code error;
  for (const char* sub : {kCaDir, kTsaDir}) {
    std::filesystem::remove_all(path_in(dir, sub), error);
    if (error) {
      return fail(ErrorCode::kIo, fmt::format("cannot remove the unfinished {}: {}",
                                              path_in(dir, sub), error.message()));
    }
  }
  return {};
}

}  // namespace

PlatformPki::PlatformPki(std::string dir, PlatformPkiSettings settings, Clock clock,
                         CertificateAuthority ca, std::shared_ptr<const TimeStampAuthority> tsa)
    : dir_(std::move(dir)),
      settings_(std::move(settings)),
      clock_(std::move(clock)),
      urls_(ca.urls()),
      root_(ca.root_certificate()),
      issuing_(ca.issuing_certificate()),
      tsa_(std::move(tsa)),
      ca_(std::move(ca)) {}

PlatformPki::~PlatformPki() = default;

Result<FileLock> lock_pki_directory(const std::string& dir, bool wait) {
  const std::string path = path_in(dir, PlatformPki::kLockFile);
  return wait ? FileLock::acquire(path) : FileLock::try_acquire(path);
}

Result<std::unique_ptr<PlatformPki>> create_platform_pki(const std::string& dir,
                                                         const PlatformPkiSettings& settings,
                                                         Clock clock,
                                                         const crypto::KeySealer& sealer) {
  if (!clock) {
    return fail(ErrorCode::kInvalidArgument, "a platform PKI needs a clock");
  }
  auto urls = PkiUrls::from_base_url(settings.base_url);
  if (!urls) {
    return std::unexpected(urls.error());
  }
  if (auto st = check_settings(settings); !st) {
    return std::unexpected(st.error());
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return fail(ErrorCode::kIo, fmt::format("cannot create {}: {}", dir, error.message()));
  }
  auto lock = lock_pki_directory(dir, true);
  if (!lock) {
    return std::unexpected(lock.error());
  }
  const std::string settings_path = path_in(dir, PlatformPki::kSettingsFile);
  if (std::filesystem::exists(settings_path, error) || error) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("{} already holds a platform PKI", dir));
  }
  if (auto st = remove_leftovers(dir); !st) {
    return std::unexpected(st.error());
  }
  PlatformPkiSettings stored = settings;
  stored.base_url = urls->base_url;
  const TimePoint now = clock();
  auto ca = CertificateAuthority::create(path_in(dir, kCaDir), settings.ca, *urls, now, sealer);
  if (!ca) {
    return std::unexpected(ca.error());
  }
  auto tsa_key = crypto::PrivateKey::generate(settings.ca.key_type);
  if (!tsa_key) {
    return std::unexpected(tsa_key.error());
  }
  const TsaCertificateSpec spec{settings.tsa_common_name, settings.ca.organization, now,
                                now + settings.tsa_validity};
  auto tsa_cert = ca->issue_tsa_certificate(*tsa_key, spec, now);
  if (!tsa_cert) {
    return std::unexpected(tsa_cert.error());
  }
  std::filesystem::create_directories(path_in(dir, kTsaDir), error);
  if (error) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot create {}: {}", path_in(dir, kTsaDir), error.message()));
  }
  auto cert_pem = tsa_cert->to_pem();
  if (!cert_pem) {
    return std::unexpected(cert_pem.error());
  }
  for (const auto& st :
       {crypto::write_sealed_key(tsa_key_path(dir, sealer), *tsa_key, sealer, kTsaKeyLabel),
        write_file_atomically(path_in(path_in(dir, kTsaDir), kTsaCertFile), as_bytes(*cert_pem),
                              0644)}) {
    if (!st) {
      return std::unexpected(st.error());
    }
  }
  auto tsa = make_tsa(dir, stored, std::move(*tsa_key), std::move(*tsa_cert),
                      ca->issuing_certificate(), clock);
  if (!tsa) {
    return std::unexpected(tsa.error());
  }
  if (auto st = write_file_atomically(settings_path, as_bytes(settings_json(stored, sealer)), 0644);
      !st) {
    return std::unexpected(st.error());
  }
  return std::unique_ptr<PlatformPki>(
      new PlatformPki(dir, std::move(stored), std::move(clock), std::move(*ca), std::move(*tsa)));
}

Result<std::unique_ptr<PlatformPki>> open_platform_pki(const std::string& dir, Clock clock,
                                                       const crypto::KeySealer& sealer,
                                                       const std::optional<std::string>& base_url) {
  if (!clock) {
    return fail(ErrorCode::kInvalidArgument, "a platform PKI needs a clock");
  }
  const std::string settings_path = path_in(dir, PlatformPki::kSettingsFile);
  std::error_code error;
  if (!std::filesystem::exists(settings_path, error)) {
    return fail(ErrorCode::kNotFound,
                fmt::format("{} holds no platform PKI (no {}; create one with `pactum ca init`)",
                            dir, PlatformPki::kSettingsFile));
  }
  auto settings = parse_settings(settings_path, sealer);
  if (!settings) {
    return std::unexpected(settings.error());
  }
  if (base_url) {
    settings->base_url = *base_url;
  }
  auto urls = PkiUrls::from_base_url(settings->base_url);
  if (!urls) {
    return std::unexpected(urls.error());
  }
  auto ca = CertificateAuthority::open(path_in(dir, kCaDir), *urls, sealer);
  if (!ca) {
    return std::unexpected(ca.error());
  }
  auto tsa_key = crypto::read_sealed_key(tsa_key_path(dir, sealer), sealer, kTsaKeyLabel);
  if (!tsa_key) {
    return std::unexpected(tsa_key.error());
  }
  auto tsa_cert =
      crypto::read_pem_file<crypto::Certificate>(path_in(path_in(dir, kTsaDir), kTsaCertFile),
                                                 "TSA certificate", &crypto::Certificate::from_pem);
  if (!tsa_cert) {
    return std::unexpected(tsa_cert.error());
  }
  auto tsa = make_tsa(dir, *settings, std::move(*tsa_key), std::move(*tsa_cert),
                      ca->issuing_certificate(), clock);
  if (!tsa) {
    return std::unexpected(tsa.error());
  }
  return std::unique_ptr<PlatformPki>(new PlatformPki(dir, std::move(*settings), std::move(clock),
                                                      std::move(*ca), std::move(*tsa)));
}

Status PlatformPki::refresh() {
  {
    const std::shared_lock lock(mutex_);
    if (!ca_.index_changed_on_disk()) {
      return {};
    }
  }
  const std::unique_lock lock(mutex_);
  auto reloaded = ca_.reload_if_changed();
  if (!reloaded) {
    return std::unexpected(reloaded.error());
  }
  if (*reloaded) {
    ++generation_;
  }
  return {};
}

template <typename Change>
auto PlatformPki::locked_change(Change change)
    -> decltype(change(std::declval<CertificateAuthority&>())) {
  const std::unique_lock lock(mutex_);
  auto file_lock = lock_pki_directory(dir_, true);
  if (!file_lock) {
    return std::unexpected(file_lock.error());
  }
  auto reloaded = ca_.reload_if_changed();
  if (!reloaded) {
    return std::unexpected(reloaded.error());
  }
  ++generation_;
  return change(ca_);
}

Result<crypto::Certificate> PlatformPki::issue(const IssueRequest& request) {
  return locked_change([&](CertificateAuthority& ca) { return ca.issue(request, clock_()); });
}

Status PlatformPki::revoke(std::string_view serial_hex, RevocationReason reason) {
  return locked_change(
      [&](CertificateAuthority& ca) { return ca.revoke(serial_hex, reason, clock_()); });
}

CertificateStatus PlatformPki::status_of(std::string_view serial_hex) {
  // A failed re-read keeps the last good index: the answer is then at worst as old as it.
  (void)refresh();
  const std::shared_lock lock(mutex_);
  return ca_.status_of(serial_hex);
}

Result<crypto::Certificate> PlatformPki::issued_certificate(std::string_view serial_hex) {
  if (auto st = refresh(); !st) {
    return std::unexpected(st.error());
  }
  const std::shared_lock lock(mutex_);
  return ca_.issued_certificate(serial_hex);
}

Result<std::shared_ptr<const Crl>> PlatformPki::current_crl() {
  if (auto st = refresh(); !st) {
    return std::unexpected(st.error());
  }
  const TimePoint now = clock_();
  const auto fresh = [&] {
    return crl_ && crl_generation_ == generation_ && now >= crl_->this_update &&
           now < crl_->this_update + settings_.crl_lifetime / 2;
  };
  {
    const std::shared_lock lock(mutex_);
    if (fresh()) {
      return crl_;
    }
  }
  const std::unique_lock lock(mutex_);
  if (fresh()) {
    return crl_;  // another thread made it while this one waited
  }
  auto file_lock = lock_pki_directory(dir_, true);
  if (!file_lock) {
    return std::unexpected(file_lock.error());
  }
  auto reloaded = ca_.reload_if_changed();
  if (!reloaded) {
    return std::unexpected(reloaded.error());
  }
  if (*reloaded) {
    ++generation_;
  }
  auto crl = generate_crl(ca_, now, settings_.crl_lifetime);
  if (!crl) {
    return std::unexpected(crl.error());
  }
  crl_ = std::make_shared<const Crl>(std::move(*crl));
  crl_generation_ = generation_;
  return crl_;
}

Result<std::shared_ptr<const Crl>> PlatformPki::current_root_crl() const {
  const std::shared_lock lock(mutex_);
  auto crl = read_root_crl(ca_);
  if (!crl) {
    return std::unexpected(crl.error());
  }
  return std::make_shared<const Crl>(std::move(*crl));
}

Result<std::shared_ptr<const Crl>> PlatformPki::issue_root_crl(const crypto::KeySealer& sealer) {
  return locked_change([&](CertificateAuthority& ca) -> Result<std::shared_ptr<const Crl>> {
    auto root_key = ca.load_root_key(sealer);
    if (!root_key) {
      return std::unexpected(root_key.error());
    }
    auto crl = pki::issue_root_crl(ca, *root_key, clock_(), settings_.ca.root_crl_lifetime);
    if (!crl) {
      return std::unexpected(crl.error());
    }
    return std::make_shared<const Crl>(std::move(*crl));
  });
}

Result<Bytes> PlatformPki::respond_ocsp(ByteView request_der) {
  // Unlike the CRL, an unreadable index must not produce a signed answer from stale data.
  if (auto st = refresh(); !st) {
    return ocsp_error_response(OcspResponseStatus::kInternalError);
  }
  Result<Bytes> response = [&] {
    const std::shared_lock lock(mutex_);
    return pki::respond_ocsp(request_der, ca_, clock_(), settings_.ocsp_validity);
  }();
  if (!response) {
    return ocsp_error_response(OcspResponseStatus::kInternalError);
  }
  return response;
}

Result<Bytes> PlatformPki::ocsp_response_for(const crypto::Certificate& certificate) {
  if (X509_check_issued(issuing_.native(), certificate.native()) != X509_V_OK) {
    return fail(ErrorCode::kInvalidArgument,
                "the certificate was not issued by this platform's issuing CA");
  }
  const crypto::UniquePtr<OCSP_REQUEST> request(OCSP_REQUEST_new());
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), certificate.native(), issuing_.native());
  if (!request || id == nullptr || OCSP_request_add0_id(request.get(), id) == nullptr) {
    OCSP_CERTID_free(id);
    return crypto::openssl_fail("building an OCSP request");
  }
  auto der =
      crypto::der_encode([&](unsigned char** out) { return i2d_OCSP_REQUEST(request.get(), out); },
                         "encoding an OCSP request");
  if (!der) {
    return der;
  }
  return respond_ocsp(*der);
}

Result<Bytes> PlatformPki::respond_timestamp(ByteView query_der) const {
  return tsa_->respond(query_der);
}

}  // namespace pactum::pki
