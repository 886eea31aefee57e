// The validator's trust decisions against files we build here with the platform CA, its OCSP
// responder and CRLs, and an in-process TSA: signature time-stamps (B-T), revocation data in a
// /DSS (B-LT), document time-stamps (B-LTA), and validation at a later time (--at).

#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <qpdf/QPDF.hh>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/crypto/digest.h"
#include "pactum/crypto/openssl_error.h"
#include "pactum/crypto/timestamper.h"
#include "pactum/pdf/pades_signer.h"
#include "pactum/pdf/validator.h"
#include "pactum/pki/ca.h"
#include "pactum/pki/crl.h"
#include "pactum/pki/dev_tsa.h"
#include "pactum/pki/in_process_timestamper.h"
#include "pactum/pki/ocsp_responder.h"
#include "pactum/pki/tsa.h"
#include "pactum/pki/tsa_files.h"
#include "pactum/pki/tsa_serial.h"
#include "pdf_fixtures.h"
#include "validator_test_support.h"

namespace pactum::pdf {
namespace {

using std::chrono::system_clock;
using namespace std::chrono_literals;
using TimePoint = system_clock::time_point;
constexpr auto kYear = std::chrono::hours(24 * 365);

// WrongImprintTimestamper time-stamps something else than it is asked to.
class WrongImprintTimestamper final : public crypto::SignatureTimestamper {
 public:
  explicit WrongImprintTimestamper(const crypto::SignatureTimestamper& inner) : inner_(inner) {}
  [[nodiscard]] Result<Bytes> timestamp(crypto::DigestAlgorithm algorithm,
                                        ByteView digest) const override {
    Bytes other(digest.begin(), digest.end());
    other.front() ^= 0x01U;
    return inner_.timestamp(algorithm, other);
  }
  [[nodiscard]] std::size_t max_token_size() const override { return inner_.max_token_size(); }

 private:
  const crypto::SignatureTimestamper& inner_;
};

std::size_t rfind(const Bytes& pdf, std::string_view needle) {
  const std::size_t at = as_chars(pdf).rfind(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  return at;
}

// Update appends an incremental update: objects written in order, then a classic xref section
// chained to the file's last startxref, with the trailer's /Root (and /Size grown as needed).
class Update {
 public:
  explicit Update(const Bytes& pdf) : pdf_(pdf) {
    qpdf_.processMemoryFile("in", reinterpret_cast<const char*>(pdf_.data()),  // NOLINT
                            pdf_.size());
    size_ = qpdf_.getTrailer().getKey("/Size").getIntValueAsInt();
  }
  QPDF& qpdf() { return qpdf_; }
  int fresh() { return size_++; }
  void put(int number, std::string body) { objects_.emplace_back(number, std::move(body)); }
  [[nodiscard]] Bytes write() const {
    Bytes pdf = pdf_;
    const std::size_t startxref_at = rfind(pdf, "startxref") + 10;
    const std::string prev(
        as_chars(pdf).substr(startxref_at, as_chars(pdf).find('\n', startxref_at) - startxref_at));
    std::string update = "\n";
    std::string xref = "xref\n";
    for (const auto& [number, body] : objects_) {
      const std::size_t offset = pdf.size() + update.size();
      update += fmt::format("{} 0 obj\n{}\nendobj\n", number, body);
      xref += fmt::format("{} 1\n{:010} 00000 n\r\n", number, offset);
    }
    const std::size_t xref_at = pdf.size() + update.size();
    update += xref + fmt::format(
                         "trailer\n<< /Size {} /Root {} /Prev {} >>\nstartxref\n{}\n"
                         "%%EOF\n",
                         size_, const_cast<QPDF&>(qpdf_).getTrailer().getKey("/Root").unparse(),
                         prev, xref_at);
    pdf.insert(pdf.end(), update.begin(), update.end());
    return pdf;
  }

 private:
  Bytes pdf_;
  QPDF qpdf_;
  int size_ = 0;
  std::vector<std::pair<int, std::string>> objects_;
};

std::string stream_object(ByteView data) {
  return fmt::format("<< /Length {} >>\nstream\n{}\nendstream", data.size(), as_chars(data));
}

// add_dss appends a /DSS with the given certificates, OCSP responses and CRLs.
Bytes add_dss(const Bytes& pdf, const std::vector<Bytes>& certs, const std::vector<Bytes>& ocsps,
              const std::vector<Bytes>& crls) {
  Update update(pdf);
  auto refs = [&](const std::vector<Bytes>& items) {
    std::string out = "[";
    for (const Bytes& item : items) {
      const int n = update.fresh();
      update.put(n, stream_object(item));
      out += fmt::format(" {} 0 R", n);
    }
    return out + " ]";
  };
  const std::string dss =
      fmt::format("<< /Certs {} /OCSPs {} /CRLs {} >>", refs(certs), refs(ocsps), refs(crls));
  QPDFObjectHandle root = update.qpdf().getRoot();
  QPDFObjectHandle copy = root.shallowCopy();
  copy.removeKey("/DSS");
  std::string text = copy.unparse();
  update.put(root.getObjectID(), text.substr(0, text.rfind(">>")) + "/DSS " + dss + " >>");
  return update.write();
}

// add_document_timestamp appends an invisible /DocTimeStamp signature field whose token, from
// tsa, covers the whole file but its /Contents (PAdES B-LTA).
Bytes add_document_timestamp(const Bytes& pdf, const crypto::SignatureTimestamper& tsa,
                             const std::string& name) {
  constexpr std::size_t kContentsHex = 16384;
  Update update(pdf);
  QPDFObjectHandle form = update.qpdf().getRoot().getKey("/AcroForm");
  EXPECT_TRUE(form.isIndirect());
  const int sig = update.fresh();
  const int field = update.fresh();
  const std::string placeholder = "[0 0000000000 0000000000 0000000000]";
  update.put(sig,
             "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 "
             "/ByteRange " +
                 placeholder + " /Contents <" + std::string(kContentsHex, '0') + "> >>");
  update.put(field, fmt::format("<< /FT /Sig /T ({}) /V {} 0 R /Type /Annot /Subtype /Widget "
                                "/Rect [0 0 0 0] /F 132 >>",
                                name, sig));
  // The new field's number is not an object of the opened file yet: edit the array as text.
  QPDFObjectHandle fields = form.getKey("/Fields");
  std::string list = fields.unparseResolved();
  list = list.substr(0, list.rfind(']')) + fmt::format(" {} 0 R ]", field);
  if (fields.isIndirect()) {
    update.put(fields.getObjectID(), list);
  } else {
    QPDFObjectHandle copy = form.shallowCopy();
    copy.removeKey("/Fields");
    std::string text = copy.unparse();
    text = text.substr(0, text.rfind(">>")) + "/Fields " + list + " >>";
    update.put(form.getObjectID(), text);
  }
  Bytes out = update.write();
  const std::size_t range_at = rfind(out, "/ByteRange [0 ");
  const std::size_t b = rfind(out, "/Contents <") + 10;
  const std::size_t c = b + kContentsHex + 2;
  const std::string range = fmt::format("[0 {:010} {:010} {:010}]", b, c, out.size() - c);
  std::copy(range.begin(), range.end(), out.begin() + static_cast<std::ptrdiff_t>(range_at + 11));
  crypto::Digest digest(crypto::DigestAlgorithm::kSha256);
  digest.update(ByteView(out).subspan(0, b));
  digest.update(ByteView(out).subspan(c));
  auto token = tsa.timestamp(crypto::DigestAlgorithm::kSha256, digest.finish());
  EXPECT_TRUE(token) << token.error().describe();
  const std::string hex = to_hex(token.value_or(Bytes{}));
  EXPECT_LE(hex.size(), kContentsHex);
  std::copy(hex.begin(), hex.end(), out.begin() + static_cast<std::ptrdiff_t>(b + 1));
  return out;
}

// ocsp_request returns a DER OCSP request about cert, issued by issuer.
Bytes ocsp_request(const crypto::Certificate& cert, const crypto::Certificate& issuer) {
  crypto::UniquePtr<OCSP_REQUEST> request(OCSP_REQUEST_new());
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), cert.native(), issuer.native());
  EXPECT_NE(OCSP_request_add0_id(request.get(), id), nullptr);
  return crypto::der_encode([&](unsigned char** p) { return i2d_OCSP_REQUEST(request.get(), p); },
                            "an OCSP request")
      .value();
}

// FixedClockTsa is an in-process TSA whose clock the test sets.
struct FixedClockTsa {
  std::shared_ptr<TimePoint> now = std::make_shared<TimePoint>();
  std::unique_ptr<pki::InProcessTimestamper> stamper;
};

class ValidatorTrustTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "pactum-validator-trust-" +
                           std::to_string(::getpid()));
    std::filesystem::remove_all(*dir_);
    now_ = std::chrono::floor<std::chrono::seconds>(system_clock::now()) - 1h;
    auto ca = pki::CertificateAuthority::create(
        *dir_ + "/ca", pki::CaSettings{}, pki::PkiUrls::from_base_url("http://pki.test").value(),
        now_ - 24h);
    ASSERT_TRUE(ca) << ca.error().describe();
    ca_ = new pki::CertificateAuthority(std::move(*ca));
    root_key_ = new crypto::PrivateKey(ca_->load_root_key(crypto::plaintext_pem_sealer()).value());
    key_ = new crypto::PrivateKey(crypto::PrivateKey::generate(crypto::KeyType::kEcP256).value());
    const auto spki = pki::subject_public_key_info(*key_).value();
    auto issue = [&](const std::string& cn) {
      return ca_
          ->issue(pki::IssueRequest{spki, pki::SubjectName{cn, "", "110101199003071234"}, now_ - 1h,
                                    now_ + kYear},
                  now_)
          .value();
    };
    good_ = new crypto::Certificate(issue("Good Signer"));
    revoked_ = new crypto::Certificate(issue("Revoked Signer"));
    ASSERT_TRUE(crypto::write_dev_ca(*dir_ + "/dev"));
    ASSERT_TRUE(pki::write_dev_tsa(*dir_ + "/dev", now_));
    tsa_ = new FixedClockTsa();
    *tsa_->now = now_;
    auto clock = tsa_->now;
    auto tsa = pki::open_tsa_from_files(
        pki::TsaFiles{*dir_ + "/dev/tsa.key.pem", *dir_ + "/dev/tsa.cert.pem", {}, {}},
        [clock] { return *clock; });
    ASSERT_TRUE(tsa) << tsa.error().describe();
    tsa_->stamper = std::make_unique<pki::InProcessTimestamper>(*tsa);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete ca_;
    delete root_key_;
    delete key_;
    delete good_;
    delete revoked_;
    delete tsa_;
  }

  static std::vector<crypto::Certificate> anchors() {
    return {ca_->root_certificate(),
            crypto::Certificate::from_pem(*read_file(*dir_ + "/dev/root.pem")).value()};
  }

  // sign signs a small PDF with cert at `at`, time-stamped by the TSA unless `timestamper` is
  // given as null explicitly (B-B).
  static Bytes sign(const crypto::Certificate& cert, TimePoint at,
                    const crypto::SignatureTimestamper* timestamper) {
    const Bytes pdf = fixtures::classic_pdf(1);
    SignatureRequest request;
    request.key = key_;
    request.certificate = &cert;
    request.chain = {ca_->issuing_certificate()};
    request.signing_time = at;
    request.timestamper = timestamper;
    *tsa_->now = at + 1s;
    auto signed_pdf = sign_pdf(view_source(pdf), request);
    EXPECT_TRUE(signed_pdf) << signed_pdf.error().describe();
    Bytes out(pdf);
    out.insert(out.end(), signed_pdf->update.bytes.begin(), signed_pdf->update.bytes.end());
    return out;
  }

  static Bytes ocsp_about(const crypto::Certificate& cert, TimePoint at) {
    return pki::respond_ocsp(ocsp_request(cert, ca_->issuing_certificate()), *ca_, at, 24h).value();
  }

  // root_key is the root's key, loaded as an operator would (no CertificateAuthority holds it).
  static const crypto::PrivateKey& root_key() { return *root_key_; }

  // root_crl is the root's CRL about the issuing CA, which names it as its revocation source.
  static Bytes root_crl(TimePoint at = now_ + 1min) {
    return pki::generate_root_crl(*ca_, root_key(), at, 24h).value().der;
  }

  static ValidationReport validate(const Bytes& pdf, std::optional<TimePoint> at = {}) {
    ValidationOptions options;
    options.trust_anchors = anchors();
    options.now = now_ + 3h;
    options.at = at;
    auto report = validate_pdf(*view_source(pdf), options);
    EXPECT_TRUE(report) << report.error().describe();
    return report ? *report : ValidationReport{};
  }

  static inline std::string* dir_ = nullptr;
  static inline TimePoint now_;
  static inline pki::CertificateAuthority* ca_ = nullptr;
  static inline crypto::PrivateKey* root_key_ = nullptr;
  static inline crypto::PrivateKey* key_ = nullptr;
  static inline crypto::Certificate* good_ = nullptr;
  static inline crypto::Certificate* revoked_ = nullptr;
  static inline FixedClockTsa* tsa_ = nullptr;
};

using testing::dump;
using testing::has_code;

std::string iso(TimePoint t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(t));
}

TEST_F(ValidatorTrustTest, ASignatureTimestampIsVerifiedAndItsTimeReported) {
  const Bytes pdf = sign(*good_, now_, tsa_->stamper.get());
  const ValidationReport report = validate(pdf);
  ASSERT_EQ(report.signatures.size(), 1U);
  // The certificates name OCSP and CRL services the file holds nothing from: LTV not reached.
  EXPECT_EQ(report.verdict, Verdict::kIndeterminate) << dump(report);
  EXPECT_TRUE(has_code(report, "timestamp.intact")) << dump(report);
  EXPECT_TRUE(has_code(report, "timestamp.trusted")) << dump(report);
  EXPECT_TRUE(has_code(report, "revocation.missing")) << dump(report);
  EXPECT_EQ(report.signatures[0].timestamp_time, iso(now_ + 1s));
  EXPECT_EQ(report.signatures[0].proven_time, iso(now_ + 1s));
  EXPECT_EQ(report.signatures[0].revocation, "unknown");
  EXPECT_FALSE(report.signatures[0].ltv);
  EXPECT_TRUE(has_code(report, "cms.signing_certificate"));
}

TEST_F(ValidatorTrustTest, ATimestampOfSomethingElseIsInvalid) {
  const WrongImprintTimestamper wrong(*tsa_->stamper);
  const ValidationReport report = validate(sign(*good_, now_, &wrong));
  EXPECT_EQ(report.verdict, Verdict::kInvalid) << dump(report);
  EXPECT_TRUE(has_code(report, "timestamp.imprint_mismatch")) << dump(report);
  EXPECT_TRUE(report.signatures.at(0).timestamp_time.empty());
}

TEST_F(ValidatorTrustTest, AGoodOcspResponseInTheDssMakesTheSignatureLtv) {
  const Bytes signed_pdf = sign(*good_, now_, tsa_->stamper.get());
  const Bytes pdf = add_dss(signed_pdf, {ca_->issuing_certificate().der()},
                            {ocsp_about(*good_, now_ + 1min)}, {root_crl()});
  const ValidationReport report = validate(pdf);
  EXPECT_EQ(report.verdict, Verdict::kValid) << dump(report);
  EXPECT_EQ(report.signatures.at(0).revocation, "good") << dump(report);
  EXPECT_TRUE(report.signatures.at(0).ltv) << dump(report);
  EXPECT_FALSE(report.signatures.at(0).revocation_fetched);
  EXPECT_TRUE(has_code(report, "change.dss")) << dump(report);
}

TEST_F(ValidatorTrustTest, AnIssuingCaThatNamesTheRootCrlNeedsItForLtv) {
  const Bytes signed_pdf = sign(*good_, now_, tsa_->stamper.get());
  const Bytes pdf = add_dss(signed_pdf, {ca_->issuing_certificate().der()},
                            {ocsp_about(*good_, now_ + 1min)}, {});
  const ValidationReport report = validate(pdf);
  EXPECT_EQ(report.verdict, Verdict::kIndeterminate) << dump(report);
  EXPECT_EQ(report.signatures.at(0).revocation, "unknown") << dump(report);
  EXPECT_FALSE(report.signatures.at(0).ltv) << dump(report);
  EXPECT_TRUE(has_code(report, "revocation.missing")) << dump(report);
  EXPECT_TRUE(has_code(report, "revocation.good")) << "the signer's own data was read";
}

TEST_F(ValidatorTrustTest, AnIssuingCaRevokedBeforeTheSigningTimeIsInvalid) {
  const Bytes signed_pdf = sign(*good_, now_, tsa_->stamper.get());
  const pki::IssuedCertificate issuing{
      ca_->issuing_certificate().serial_hex(), now_ - 24h, ca_->issuing_certificate().not_after(),
      pki::Revocation{now_ - 10min, pki::RevocationReason::kCaCompromise}};
  const Bytes crl =
      pki::generate_root_crl(*ca_, root_key(), now_ + 1min, 24h, {issuing}).value().der;
  const ValidationReport report =
      validate(add_dss(signed_pdf, {}, {ocsp_about(*good_, now_ + 1min)}, {crl}));
  EXPECT_EQ(report.verdict, Verdict::kInvalid) << dump(report);
  EXPECT_EQ(report.signatures.at(0).revocation, "revoked") << dump(report);
  EXPECT_TRUE(has_code(report, "revocation.revoked_before_signing")) << dump(report);

  // Revoked after the time-stamped signing time: the signature stays valid.
  const pki::IssuedCertificate later{
      issuing.serial_hex, issuing.issued_at, issuing.not_after,
      pki::Revocation{now_ + 30min, pki::RevocationReason::kSuperseded}};
  const Bytes after = pki::generate_root_crl(*ca_, root_key(), now_ + 1h, 24h, {later}).value().der;
  const ValidationReport fine =
      validate(add_dss(signed_pdf, {}, {ocsp_about(*good_, now_ + 1min)}, {after}));
  EXPECT_EQ(fine.verdict, Verdict::kValid) << dump(fine);
  EXPECT_TRUE(has_code(fine, "revocation.revoked_after_signing")) << dump(fine);
}

TEST_F(ValidatorTrustTest, AnOldIssuingCaThatNamesNoRevocationSourceIsOnlyAWarning) {
  // The issuing CA certificate as CAs made it before they named the root's CRL: same key and
  // name, no CRL distribution point, no CA issuers address.
  const crypto::Certificate old_issuing =
      pki::make_ca_certificate(ca_->issuing_key(), root_key(), &ca_->root_certificate(),
                               pki::CaSettings{}, pki::CaRole::kIssuing, now_ - 24h)
          .value();
  const Bytes pdf = fixtures::classic_pdf(1);
  SignatureRequest request;
  request.key = key_;
  request.certificate = good_;
  request.chain = {old_issuing};
  request.signing_time = now_;
  request.timestamper = tsa_->stamper.get();
  *tsa_->now = now_ + 1s;
  auto signed_pdf = sign_pdf(view_source(pdf), request);
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
  Bytes out(pdf);
  out.insert(out.end(), signed_pdf->update.bytes.begin(), signed_pdf->update.bytes.end());
  const ValidationReport report = validate(add_dss(out, {}, {ocsp_about(*good_, now_ + 1min)}, {}));
  EXPECT_EQ(report.verdict, Verdict::kValid) << dump(report);
  EXPECT_TRUE(has_code(report, "revocation.no_source")) << dump(report);
  EXPECT_EQ(report.signatures.at(0).revocation, "good") << dump(report);
  EXPECT_TRUE(report.signatures.at(0).ltv) << dump(report);
}

TEST_F(ValidatorTrustTest, RevocationIsFetchedOnlyWhenAskedAndThenIsNotLtv) {
  const Bytes pdf = sign(*good_, now_, tsa_->stamper.get());
  ValidationOptions options;
  options.trust_anchors = anchors();
  options.now = now_ + 3h;
  int asked = 0;
  options.fetch_revocation = [&](const crypto::Certificate& cert, const crypto::Certificate&) {
    ++asked;
    if (cert.der() == ca_->issuing_certificate().der()) {
      return std::vector<Bytes>{root_crl(now_ + 2h)};
    }
    return std::vector<Bytes>{ocsp_about(cert, now_ + 2h)};
  };
  auto report = validate_pdf(*view_source(pdf), options);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->verdict, Verdict::kValid) << dump(*report);
  EXPECT_EQ(report->signatures.at(0).revocation, "good") << dump(*report);
  EXPECT_FALSE(report->signatures.at(0).ltv) << "fetched data is not in the file";
  EXPECT_TRUE(report->signatures.at(0).revocation_fetched);
  EXPECT_NE(render_validation_text(*report).find("fetched online"), std::string::npos);
  EXPECT_NE(render_validation_json(*report).find("\"revocation_fetched_online\": true"),
            std::string::npos);
  EXPECT_GE(asked, 2);
  // Only what the file lacks is fetched: the issuing CA's data.
  asked = 0;
  const Bytes lt = add_dss(pdf, {}, {ocsp_about(*good_, now_ + 1min)}, {});
  report = validate_pdf(*view_source(lt), options);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->signatures.at(0).ltv) << dump(*report);
  EXPECT_EQ(asked, 1) << "only the issuing CA (no data in the file) is asked about";
  // With all of it in the file, nothing is fetched (the dev TSA names no service to ask).
  asked = 0;
  const Bytes full = add_dss(pdf, {}, {ocsp_about(*good_, now_ + 1min)}, {root_crl()});
  report = validate_pdf(*view_source(full), options);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->signatures.at(0).ltv) << dump(*report);
  EXPECT_FALSE(report->signatures.at(0).revocation_fetched);
  EXPECT_EQ(asked, 0);
}

TEST_F(ValidatorTrustTest, TheSignatureTimestampsTsaChainIsCheckedToo) {
  // A TSA whose certificate the platform CA issued (so it names its OCSP responder and CRL).
  const crypto::PrivateKey tsa_key = crypto::PrivateKey::generate(crypto::KeyType::kEcP256).value();
  const crypto::Certificate tsa_cert =
      ca_->issue_tsa_certificate(tsa_key, {"Platform TSA", "Pactum", now_ - 1h, now_ + kYear}, now_)
          .value();
  auto clock = tsa_->now;
  auto authority = pki::TimeStampAuthority::create({tsa_key,
                                                    tsa_cert,
                                                    {ca_->issuing_certificate()},
                                                    std::string(pki::kPactumTestTsaPolicy),
                                                    {},
                                                    [clock] { return *clock; },
                                                    std::make_shared<pki::RandomSerialSource>()});
  ASSERT_TRUE(authority) << authority.error().describe();
  const pki::InProcessTimestamper stamper(
      std::make_shared<const pki::TimeStampAuthority>(std::move(*authority)));
  const Bytes bt = sign(*good_, now_, &stamper);

  // All of the TSA's chain in the file too: LTV.
  const ValidationReport full = validate(add_dss(
      bt, {}, {ocsp_about(*good_, now_ + 1min), ocsp_about(tsa_cert, now_ + 1min)}, {root_crl()}));
  EXPECT_EQ(full.verdict, Verdict::kValid) << dump(full);
  EXPECT_TRUE(full.signatures.at(0).ltv) << dump(full);

  // The TSA's own revocation data missing: still valid (the time-stamp is noted), not LTV.
  const ValidationReport partial =
      validate(add_dss(bt, {}, {ocsp_about(*good_, now_ + 1min)}, {root_crl()}));
  EXPECT_EQ(partial.verdict, Verdict::kValid) << dump(partial);
  EXPECT_FALSE(partial.signatures.at(0).ltv) << dump(partial);

  // The TSA certificate revoked before the time-stamp's time: the proof is void.
  ASSERT_TRUE(
      ca_->revoke(tsa_cert.serial_hex(), pki::RevocationReason::kKeyCompromise, now_ - 10min));
  const ValidationReport revoked = validate(add_dss(
      bt, {}, {ocsp_about(*good_, now_ + 1min), ocsp_about(tsa_cert, now_ + 1min)}, {root_crl()}));
  EXPECT_EQ(revoked.verdict, Verdict::kInvalid) << dump(revoked);
  EXPECT_TRUE(has_code(revoked, "revocation.revoked_before_signing")) << dump(revoked);
}

TEST_F(ValidatorTrustTest, AMissingIntermediateIsFetchedOnlyWhenAskedAndOnlyOnce) {
  // Signed without the issuing CA certificate in the file.
  const Bytes pdf = fixtures::classic_pdf(1);
  SignatureRequest request;
  request.key = key_;
  request.certificate = good_;
  request.signing_time = now_;
  request.timestamper = tsa_->stamper.get();
  *tsa_->now = now_ + 1s;
  auto made = sign_pdf(view_source(pdf), request);
  ASSERT_TRUE(made) << made.error().describe();
  Bytes signed_pdf(pdf);
  signed_pdf.insert(signed_pdf.end(), made->update.bytes.begin(), made->update.bytes.end());
  const Bytes lt = add_dss(signed_pdf, {}, {ocsp_about(*good_, now_ + 1min)}, {root_crl()});

  const ValidationReport offline = validate(lt);
  EXPECT_EQ(offline.verdict, Verdict::kIndeterminate) << dump(offline);
  EXPECT_TRUE(has_code(offline, "chain.not_trusted")) << dump(offline);

  ValidationOptions options;
  options.trust_anchors = anchors();
  options.now = now_ + 3h;
  std::vector<std::string> asked;
  options.fetch_issuer = [&](const crypto::Certificate& cert) {
    asked.push_back(cert.subject());
    return std::vector<crypto::Certificate>{ca_->issuing_certificate()};
  };
  auto report = validate_pdf(*view_source(lt), options);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->verdict, Verdict::kValid) << dump(*report);
  EXPECT_TRUE(has_code(*report, "chain.issuer_fetched")) << dump(*report);
  EXPECT_EQ(asked, std::vector<std::string>{good_->subject()});
  EXPECT_FALSE(report->signatures.at(0).ltv) << "a fetched certificate is not in the file";

  // Answers that never hold the issuer, or lead in a circle, end after one question each.
  asked.clear();
  const crypto::Certificate stranger =
      crypto::Certificate::from_pem(*read_file(*dir_ + "/dev/root.pem")).value();
  options.fetch_issuer = [&](const crypto::Certificate& cert) {
    asked.push_back(cert.subject());
    return std::vector<crypto::Certificate>{stranger, *good_};
  };
  report = validate_pdf(*view_source(lt), options);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->verdict, Verdict::kIndeterminate) << dump(*report);
  EXPECT_EQ(asked.size(), 1U);
}

TEST_F(ValidatorTrustTest, ACrlInTheDssIsUsedToo) {
  const Bytes signed_pdf = sign(*good_, now_, tsa_->stamper.get());
  const pki::Crl crl = pki::generate_crl(*ca_, now_ + 1min, 24h).value();
  const ValidationReport report = validate(add_dss(signed_pdf, {}, {}, {crl.der, root_crl()}));
  EXPECT_EQ(report.verdict, Verdict::kValid) << dump(report);
  EXPECT_EQ(report.signatures.at(0).revocation, "good") << dump(report);
  EXPECT_TRUE(report.signatures.at(0).ltv);
}

TEST_F(ValidatorTrustTest, ACertificateRevokedBeforeTheTimestampIsInvalid) {
  ASSERT_TRUE(
      ca_->revoke(revoked_->serial_hex(), pki::RevocationReason::kKeyCompromise, now_ + 30min));
  const Bytes signed_pdf = sign(*revoked_, now_ + 40min, tsa_->stamper.get());
  const ValidationReport by_ocsp =
      validate(add_dss(signed_pdf, {}, {ocsp_about(*revoked_, now_ + 1h)}, {}));
  EXPECT_EQ(by_ocsp.verdict, Verdict::kInvalid) << dump(by_ocsp);
  EXPECT_TRUE(has_code(by_ocsp, "revocation.revoked_before_signing")) << dump(by_ocsp);
  EXPECT_EQ(by_ocsp.signatures.at(0).revocation, "revoked");

  const pki::Crl crl = pki::generate_crl(*ca_, now_ + 1h, 24h).value();
  const ValidationReport by_crl = validate(add_dss(signed_pdf, {}, {}, {crl.der}));
  EXPECT_EQ(by_crl.verdict, Verdict::kInvalid) << dump(by_crl);
  EXPECT_TRUE(has_code(by_crl, "revocation.revoked_before_signing")) << dump(by_crl);

  // The same certificate, used before it was revoked with a time-stamp proving so, stays valid.
  const Bytes earlier = sign(*revoked_, now_, tsa_->stamper.get());
  const ValidationReport before =
      validate(add_dss(earlier, {}, {ocsp_about(*revoked_, now_ + 1h)}, {root_crl()}));
  EXPECT_EQ(before.verdict, Verdict::kValid) << dump(before);
  EXPECT_TRUE(has_code(before, "revocation.revoked_after_signing")) << dump(before);

  // Without a time-stamp, a revocation after the claimed time proves nothing either way.
  const Bytes untimed = sign(*revoked_, now_, nullptr);
  const ValidationReport unproven =
      validate(add_dss(untimed, {}, {ocsp_about(*revoked_, now_ + 1h)}, {}));
  EXPECT_EQ(unproven.verdict, Verdict::kIndeterminate) << dump(unproven);
  EXPECT_TRUE(has_code(unproven, "revocation.revoked_no_proof")) << dump(unproven);
}

TEST_F(ValidatorTrustTest, RevocationDataSignedBySomeoneElseIsIgnoredAndNamed) {
  // An OCSP response from the dev CA's world is about another issuer: not applicable at all;
  // a CRL claiming our issuer's name but signed by another key is rejected.
  const Bytes signed_pdf = sign(*good_, now_, tsa_->stamper.get());
  Bytes crl = pki::generate_crl(*ca_, now_ + 1min, 24h).value().der;
  crl[crl.size() - 5] ^= 0x01U;  // inside the signature value
  const ValidationReport report = validate(add_dss(signed_pdf, {}, {}, {crl}));
  EXPECT_NE(report.verdict, Verdict::kValid) << dump(report);
  EXPECT_TRUE(has_code(report, "revocation.data_invalid")) << dump(report);
}

TEST_F(ValidatorTrustTest, DocumentTimestampsAreVerifiedAndReportedInRevisionOrder) {
  const Bytes signed_pdf = sign(*good_, now_, tsa_->stamper.get());
  const Bytes lt = add_dss(signed_pdf, {ca_->issuing_certificate().der()},
                           {ocsp_about(*good_, now_ + 1min)}, {root_crl()});
  *tsa_->now = now_ + 2min;
  const Bytes lta = add_document_timestamp(lt, *tsa_->stamper, "DocTS1");
  const ValidationReport report = validate(lta);
  ASSERT_EQ(report.signatures.size(), 2U) << dump(report);
  EXPECT_EQ(report.verdict, Verdict::kValid) << dump(report);
  EXPECT_EQ(report.signatures[0].kind, EntryKind::kSignature);
  EXPECT_EQ(report.signatures[1].kind, EntryKind::kDocumentTimestamp);
  EXPECT_EQ(report.signatures[1].timestamp_time, iso(now_ + 2min));
  EXPECT_TRUE(has_code(report, "doc_timestamp.intact")) << dump(report);
  EXPECT_TRUE(has_code(report, "doc_timestamp.trusted")) << dump(report);
  EXPECT_TRUE(report.signatures[0].ltv);

  // Altering a byte the document time-stamp covers (inside the DSS) breaks it.
  Bytes altered = lta;
  const std::size_t at = rfind(altered, "/OCSPs [");
  altered.at(at + 1) = 'X';
  const ValidationReport broken = validate(altered);
  EXPECT_EQ(broken.verdict, Verdict::kInvalid) << dump(broken);
  EXPECT_TRUE(has_code(broken, "doc_timestamp.imprint_mismatch")) << dump(broken);
}

TEST_F(ValidatorTrustTest, TwentyYearsLaterBltaStillValidatesButBbIsIndeterminate) {
  const TimePoint later = now_ + 20 * kYear;
  const Bytes bt = sign(*good_, now_, tsa_->stamper.get());
  const Bytes lt = add_dss(bt, {ca_->issuing_certificate().der()},
                           {ocsp_about(*good_, now_ + 1min)}, {root_crl()});
  *tsa_->now = now_ + 2min;
  const Bytes lta = add_document_timestamp(lt, *tsa_->stamper, "DocTS1");
  const ValidationReport report = validate(lta, later);
  EXPECT_EQ(report.verdict, Verdict::kValid) << dump(report);
  EXPECT_TRUE(has_code(report, "chain.valid_at_proven_time")) << dump(report);
  EXPECT_TRUE(has_code(report, "doc_timestamp.renew")) << dump(report);

  // A renewal: more validation data and a second document time-stamp; the first is covered.
  *tsa_->now = now_ + 3min;
  const Bytes renewed = add_document_timestamp(lta, *tsa_->stamper, "DocTS2");
  const ValidationReport again = validate(renewed, later);
  EXPECT_EQ(again.verdict, Verdict::kValid) << dump(again);
  EXPECT_TRUE(has_code(again, "doc_timestamp.expired_covered")) << dump(again);

  const ValidationReport bb = validate(sign(*good_, now_, nullptr), later);
  EXPECT_EQ(bb.verdict, Verdict::kIndeterminate) << dump(bb);
  EXPECT_TRUE(has_code(bb, "chain.out_of_period")) << dump(bb);

  // B-T without revocation data: the time is proven, but nothing shows the certificate was
  // not revoked.
  const ValidationReport no_data = validate(bt, later);
  EXPECT_EQ(no_data.verdict, Verdict::kIndeterminate) << dump(no_data);
  EXPECT_TRUE(has_code(no_data, "revocation.missing")) << dump(no_data);
}

}  // namespace
}  // namespace pactum::pdf
