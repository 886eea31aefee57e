#include "pactum/pdf/pades_signer.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/x509.h>
#include <qpdf/QPDF.hh>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/pdf/inspect.h"
#include "pdf_fixtures.h"

namespace pactum::pdf {
namespace {

using fixtures::classic_pdf;

class SignerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // CTest runs each case in its own process, in parallel: each needs its own directory.
    dir_ =
        new std::string(::testing::TempDir() + "pactum-signer-test-" + std::to_string(::getpid()));
    ASSERT_TRUE(crypto::write_dev_ca(*dir_));
    // One fixed time for the suite, inside the fresh certificates' validity.
    signing_time_ = new std::chrono::system_clock::time_point(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete signing_time_;
  }

  static crypto::PrivateKey key(const std::string& name) {
    return *crypto::PrivateKey::from_pem(*read_file(*dir_ + "/" + name + ".key.pem"));
  }
  static crypto::Certificate cert(const std::string& name) {
    return *crypto::Certificate::from_pem(*read_file(*dir_ + "/" + name + ".cert.pem"));
  }

  SignatureRequest request(const std::string& who) {
    keys_.push_back(std::make_unique<crypto::PrivateKey>(key(who)));
    certs_.push_back(std::make_unique<crypto::Certificate>(cert(who)));
    SignatureRequest r;
    r.key = keys_.back().get();
    r.certificate = certs_.back().get();
    r.reason = "同意 agreed";
    r.signing_time = *signing_time_;
    return r;
  }

  static Bytes output(const SignedPdf& s) {
    Bytes out(static_cast<std::size_t>(s.document->source().size()));
    EXPECT_TRUE(s.document->source().read(0, out));
    out.insert(out.end(), s.update.bytes.begin(), s.update.bytes.end());
    return out;
  }

  // verify_cms checks the last signature of pdf with OpenSSL against the dev root: the CMS over
  // the two byte ranges must verify and chain to root.pem.
  static void verify_last_signature(const Bytes& pdf) {
    auto report = inspect_pdf(*view_source(pdf));
    ASSERT_TRUE(report);
    ASSERT_FALSE(report->signatures.empty());
    const SignatureInfo& sig = report->signatures.back();
    ASSERT_EQ(sig.byte_range.size(), 4U);
    EXPECT_TRUE(sig.covers_whole_file);
    EXPECT_EQ(sig.sub_filter, "/ETSI.CAdES.detached");
    const auto r = sig.byte_range;
    Bytes signed_bytes(pdf.begin(), pdf.begin() + r[1]);
    signed_bytes.insert(signed_bytes.end(), pdf.begin() + r[2], pdf.begin() + r[2] + r[3]);
    const std::string hex(pdf.begin() + r[1] + 1, pdf.begin() + r[2] - 1);
    Bytes der;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
      der.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    const unsigned char* p = der.data();
    CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(cms, nullptr);
    X509_STORE* store = X509_STORE_new();
    X509_STORE_load_file(store, (*dir_ + "/root.pem").c_str());
    BIO* content = BIO_new_mem_buf(signed_bytes.data(), static_cast<int>(signed_bytes.size()));
    EXPECT_EQ(CMS_verify(cms, nullptr, store, content, nullptr, CMS_BINARY), 1);
    BIO_free(content);
    X509_STORE_free(store);
    CMS_ContentInfo_free(cms);
  }

  static std::string* dir_;
  static std::chrono::system_clock::time_point* signing_time_;
  std::vector<std::unique_ptr<crypto::PrivateKey>> keys_;
  std::vector<std::unique_ptr<crypto::Certificate>> certs_;
};

std::string* SignerTest::dir_ = nullptr;
std::chrono::system_clock::time_point* SignerTest::signing_time_ = nullptr;

TEST_F(SignerTest, InvisibleSignatureVerifiesAndKeepsOriginal) {
  const Bytes original = classic_pdf(2);
  for (const char* who : {"rsa", "ec"}) {
    auto signed_pdf = sign_pdf(view_source(original), request(who));
    ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
    const Bytes out = output(*signed_pdf);
    EXPECT_TRUE(std::equal(original.begin(), original.end(), out.begin()));
    verify_last_signature(out);
  }
}

TEST_F(SignerTest, Sha384WithRsa) {
  SignatureRequest r = request("rsa");
  r.digest = crypto::DigestAlgorithm::kSha384;
  auto signed_pdf = sign_pdf(memory_source(classic_pdf(1)), r);
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
  verify_last_signature(output(*signed_pdf));
}

TEST_F(SignerTest, PlaceholderTooSmallIsResizedOnce) {
  SignatureRequest r = request("rsa");
  r.contents_capacity_for_test = 64;  // far smaller than any CMS
  auto signed_pdf = sign_pdf(memory_source(classic_pdf(1)), r);
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
  const Bytes out = output(*signed_pdf);
  verify_last_signature(out);
  auto report = inspect_pdf(*view_source(out));
  ASSERT_TRUE(report);
  // Sized from the real CMS plus a small margin: tighter than the up-front estimate.
  auto estimated = sign_pdf(memory_source(classic_pdf(1)), request("rsa"));
  ASSERT_TRUE(estimated);
  auto estimated_report = inspect_pdf(*view_source(output(*estimated)));
  ASSERT_TRUE(estimated_report);
  EXPECT_LT(report->signatures.at(0).contents_bytes,
            estimated_report->signatures.at(0).contents_bytes);
}

TEST_F(SignerTest, RsaOutputIsReproducible) {
  // PKCS#1 v1.5 is deterministic, so with a fixed time the whole file must be identical.
  const Bytes original = classic_pdf(1);
  auto a = sign_pdf(view_source(original), request("rsa"));
  auto b = sign_pdf(view_source(original), request("rsa"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(output(*a), output(*b));
}

TEST_F(SignerTest, FiveSignersEachCoverTheirRevision) {
  Bytes pdf = classic_pdf(3);
  for (int i = 0; i < 5; ++i) {
    SignatureRequest r = request(i % 2 == 0 ? "rsa" : "ec");
    if (i % 2 == 1) {
      r.field.page = 1 + i % 3;
      r.field.rect = Rect{50.0 + 10 * i, 50, 180, 60};
    }
    auto signed_pdf = sign_pdf(view_source(pdf), r);
    ASSERT_TRUE(signed_pdf) << i << ": " << signed_pdf.error().describe();
    pdf = output(*signed_pdf);
    verify_last_signature(pdf);
  }
  auto report = inspect_pdf(*view_source(pdf));
  ASSERT_TRUE(report);
  ASSERT_EQ(report->signatures.size(), 5U);
  ASSERT_EQ(report->revisions.size(), 6U);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(report->signatures[i].revision, static_cast<int>(i + 2));
    EXPECT_EQ(report->signatures[i].field, fmt::format("Signature{}", i + 1));
  }
  QPDF reread;
  reread.setAttemptRecovery(false);
  reread.processMemoryFile("out", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  reread.getAllObjects();
  EXPECT_FALSE(reread.anyWarnings());
}

TEST_F(SignerTest, VisibleSignatureHasAppearance) {
  SignatureRequest r = request("ec");
  r.field.page = 1;
  r.field.rect = Rect{100, 100, 200, 80};
  auto signed_pdf = sign_pdf(memory_source(classic_pdf(1)), r);
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
  const Bytes out = output(*signed_pdf);
  QPDF reread;
  reread.processMemoryFile("out", reinterpret_cast<const char*>(out.data()), out.size());  // NOLINT
  QPDFObjectHandle widget = reread.getRoot().getKey("/AcroForm").getKey("/Fields").getArrayItem(0);
  QPDFObjectHandle normal = widget.getKey("/AP").getKey("/N");
  ASSERT_TRUE(normal.isStream());
  EXPECT_TRUE(normal.getDict().getKey("/Subtype").isNameAndEquals("/Form"));
  const auto bbox = normal.getDict().getKey("/BBox").getArrayAsRectangle();
  EXPECT_NEAR(bbox.urx - bbox.llx, 200, 0.01);
  EXPECT_NEAR(bbox.ury - bbox.lly, 80, 0.01);
  EXPECT_EQ(reread.getRoot().getKey("/AcroForm").getKey("/SigFlags").getIntValue(), 3);
  verify_last_signature(out);
}

TEST_F(SignerTest, FillsAnExistingEmptyField) {
  const Bytes form =
      fixtures::with_empty_signature_field(classic_pdf(2), "Buyer", 300, 100, 160, 50);
  SignatureRequest r = request("ec");
  r.field.existing_field = "Buyer";
  auto signed_pdf = sign_pdf(view_source(form), r);
  ASSERT_TRUE(signed_pdf) << signed_pdf.error().describe();
  EXPECT_EQ(signed_pdf->field_name, "Buyer");
  const Bytes out = output(*signed_pdf);
  verify_last_signature(out);
  auto report = inspect_pdf(*view_source(out));
  ASSERT_TRUE(report);
  ASSERT_EQ(report->fields.size(), 1U);  // filled in place, not a second field
  EXPECT_TRUE(report->fields[0].has_value);
  EXPECT_EQ(report->fields[0].page, 1);

  auto twice = sign_pdf(view_source(out), r);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kRefused);
  EXPECT_NE(twice.error().message.find("already signed"), std::string::npos);
}

TEST_F(SignerTest, CertificationP1RefusesLaterSignatures) {
  SignatureRequest r = request("rsa");
  r.certify_level = 1;
  auto certified = sign_pdf(memory_source(classic_pdf(1)), r);
  ASSERT_TRUE(certified) << certified.error().describe();
  const Bytes pdf = output(*certified);
  verify_last_signature(pdf);
  auto again = sign_pdf(view_source(pdf), request("ec"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kRefused);
  EXPECT_NE(again.error().message.find("P=1"), std::string::npos);
}

TEST_F(SignerTest, CertificationP2AllowsApprovalsButNotASecondCertification) {
  SignatureRequest r = request("rsa");
  r.certify_level = 2;
  auto certified = sign_pdf(memory_source(classic_pdf(1)), r);
  ASSERT_TRUE(certified);
  const Bytes pdf = output(*certified);
  auto report = inspect_pdf(*view_source(pdf));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->signatures.at(0).docmdp, 2);
  auto approval = sign_pdf(view_source(pdf), request("ec"));
  ASSERT_TRUE(approval) << approval.error().describe();
  verify_last_signature(output(*approval));
  SignatureRequest second = request("ec");
  second.certify_level = 2;
  auto recertify = sign_pdf(view_source(pdf), second);
  ASSERT_FALSE(recertify);
  EXPECT_EQ(recertify.error().code, ErrorCode::kRefused);
}

TEST_F(SignerTest, BadRequestsFailClearly) {
  const Bytes pdf = classic_pdf(2);
  SignatureRequest mismatched = request("rsa");
  mismatched.certificate = request("ec").certificate;
  auto a = sign_pdf(view_source(pdf), mismatched);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(a.error().message.find("does not belong"), std::string::npos);

  SignatureRequest out_of_range = request("ec");
  out_of_range.field.page = 3;
  out_of_range.field.rect = Rect{0, 0, 10, 10};
  auto b = sign_pdf(view_source(pdf), out_of_range);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(b.error().message.find("out of range"), std::string::npos);

  SignatureRequest missing_field = request("ec");
  missing_field.field.existing_field = "NoSuchField";
  auto c = sign_pdf(view_source(pdf), missing_field);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::kNotFound);

  SignatureRequest outside = request("ec");
  outside.field.page = 1;
  outside.field.rect = Rect{5000, 5000, 10, 10};
  auto d = sign_pdf(view_source(pdf), outside);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SignerTest, RefusesACertificateOutsideItsValidity) {
  SignatureRequest r = request("ec");
  r.signing_time = r.certificate->not_after() + std::chrono::hours(24);
  auto expired = sign_pdf(memory_source(classic_pdf(1)), r);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(expired.error().message.find("not valid at the signing time"), std::string::npos);
}

TEST_F(SignerTest, ImageWithoutVisibleSignatureIsRefused) {
  SignatureRequest r = request("ec");
  r.image_png = {0x89, 'P', 'N', 'G'};
  auto refused = sign_pdf(memory_source(classic_pdf(1)), r);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SignerTest, FailedSignatureLeavesNoOutputFile) {
  const std::string in = *dir_ + "/in.pdf";
  const std::string out = *dir_ + "/out.pdf";
  ASSERT_TRUE(write_file_atomically(in, classic_pdf(1)));
  SignatureRequest r = request("ec");
  r.field.existing_field = "Nope";
  auto signed_pdf = sign_pdf(*open_file_source(in), r);
  ASSERT_FALSE(signed_pdf);
  EXPECT_FALSE(std::filesystem::exists(out));
  auto ok = sign_pdf(*open_file_source(in), request("ec"));
  ASSERT_TRUE(ok);
  ASSERT_TRUE(write_signed_pdf(*ok, out));
  verify_last_signature(*read_file(out));
  for (const auto& entry : std::filesystem::directory_iterator(*dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace pactum::pdf
