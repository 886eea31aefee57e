// The validator against our own signed files, valid and tampered with: every attack class must
// come out not valid, naming what is wrong.

#include "pactum/pdf/validator.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include "pactum/base/atomic_file.h"
#include "pactum/crypto/cms_signer.h"
#include "pactum/crypto/dev_ca.h"
#include "pactum/pdf/pades_signer.h"
#include "pdf_fixtures.h"
#include "validator_test_support.h"

namespace pactum::pdf {
namespace {

using fixtures::classic_pdf;

class ValidatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "pactum-validator-test-" +
                           std::to_string(::getpid()));
    ASSERT_TRUE(crypto::write_dev_ca(*dir_));
    ASSERT_TRUE(crypto::write_dev_ca(*dir_ + "/other"));  // a root nobody signed with
    signing_time_ = new std::chrono::system_clock::time_point(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete signing_time_;
  }

  static crypto::Certificate root(const std::string& sub = "") {
    return *crypto::Certificate::from_pem(*read_file(*dir_ + sub + "/root.pem"));
  }

  // sign signs pdf with the dev CA's "rsa" or "ec" signer, optionally as a certification.
  static Bytes sign(const Bytes& pdf, const std::string& who, std::optional<int> certify = {},
                    std::optional<std::string> field = {}) {
    const auto key = *crypto::PrivateKey::from_pem(*read_file(*dir_ + "/" + who + ".key.pem"));
    const auto cert = *crypto::Certificate::from_pem(*read_file(*dir_ + "/" + who + ".cert.pem"));
    SignatureRequest request;
    request.key = &key;
    request.certificate = &cert;
    request.reason = "Approved AAAA";
    request.signing_time = *signing_time_;
    request.certify_level = certify;
    request.field.existing_field = std::move(field);
    auto signed_pdf = sign_pdf(view_source(pdf), request);
    EXPECT_TRUE(signed_pdf) << signed_pdf.error().describe();
    Bytes out(pdf);
    out.insert(out.end(), signed_pdf->update.bytes.begin(), signed_pdf->update.bytes.end());
    return out;
  }

  static ValidationReport validate(const Bytes& pdf, std::vector<crypto::Certificate> anchors) {
    ValidationOptions options;
    options.trust_anchors = std::move(anchors);
    options.now = *signing_time_;
    auto report = validate_pdf(*view_source(pdf), options);
    EXPECT_TRUE(report) << report.error().describe();
    return report ? *report : ValidationReport{};
  }

  static ValidationReport validate(const Bytes& pdf) { return validate(pdf, {root()}); }

  static inline std::string* dir_ = nullptr;
  static inline std::chrono::system_clock::time_point* signing_time_ = nullptr;
};

using testing::dump;
using testing::has_code;

std::size_t find(const Bytes& pdf, std::string_view needle, std::size_t from = 0) {
  const std::string_view text = as_chars(pdf);
  const std::size_t at = text.find(needle, from);
  EXPECT_NE(at, std::string_view::npos) << needle;
  return at;
}

std::size_t rfind(const Bytes& pdf, std::string_view needle) {
  const std::size_t at = as_chars(pdf).rfind(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  return at;
}

// overwrite replaces bytes at offset with text, padded with spaces to `width` bytes.
void overwrite(Bytes& pdf, std::size_t offset, std::string text, std::size_t width) {
  ASSERT_LE(text.size(), width);
  text.resize(width, ' ');
  std::copy(text.begin(), text.end(), pdf.begin() + static_cast<std::ptrdiff_t>(offset));
}

// byte_range returns the four numbers of the last signature's /ByteRange.
std::array<std::size_t, 4> byte_range(const Bytes& pdf) {
  const std::size_t at = rfind(pdf, "/ByteRange [") + 12;
  std::array<std::size_t, 4> out{};
  std::size_t i = at;
  for (auto& n : out) {
    n = 0;
    while (pdf.at(i) == ' ') {
      ++i;
    }
    while (pdf.at(i) >= '0' && pdf.at(i) <= '9') {
      n = n * 10 + (pdf.at(i++) - '0');
    }
  }
  return out;
}

// append_update appends an incremental update with objects (number -> body) and a classic
// cross-reference section chained to the file's last startxref.
Bytes append_update(Bytes pdf, const std::vector<std::pair<int, std::string>>& objects) {
  QPDF qpdf;
  qpdf.processMemoryFile("in", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  const std::string root = qpdf.getTrailer().getKey("/Root").unparse();
  int size = qpdf.getTrailer().getKey("/Size").getIntValueAsInt();
  for (const auto& [number, body] : objects) {
    size = std::max(size, number + 1);
  }
  const std::size_t startxref_at = rfind(pdf, "startxref") + 10;
  const std::string prev(
      as_chars(pdf).substr(startxref_at, as_chars(pdf).find('\n', startxref_at) - startxref_at));
  std::string update = "\n";
  std::string xref = "xref\n";
  for (const auto& [number, body] : objects) {
    const std::size_t offset = pdf.size() + update.size();
    update += fmt::format("{} 0 obj\n{}\nendobj\n", number, body);
    xref += fmt::format("{} 1\n{:010} 00000 n\r\n", number, offset);
  }
  const std::size_t xref_at = pdf.size() + update.size();
  update += xref + fmt::format("trailer\n<< /Size {} /Root {} /Prev {} >>\nstartxref\n{}\n%%EOF\n",
                               size, root, prev, xref_at);
  pdf.insert(pdf.end(), update.begin(), update.end());
  return pdf;
}

TEST_F(ValidatorTest, OurSignatureIsValidWithTheRootAndIndeterminateWithoutOrWithAnother) {
  const Bytes pdf = sign(classic_pdf(2), "rsa");
  const ValidationReport report = validate(pdf);
  ASSERT_EQ(report.signatures.size(), 1U);
  EXPECT_EQ(report.verdict, Verdict::kValid) << dump(report);
  EXPECT_TRUE(report.signatures[0].covers_whole_file);
  EXPECT_TRUE(has_code(report, "digest.match"));
  EXPECT_TRUE(has_code(report, "cms.signature_valid"));
  EXPECT_NE(report.signatures[0].signer_subject.find("Pactum Dev Signer"), std::string::npos);

  const ValidationReport unknown = validate(pdf, {});
  EXPECT_EQ(unknown.verdict, Verdict::kIndeterminate) << dump(unknown);
  EXPECT_TRUE(has_code(unknown, "chain.no_anchors"));

  // A chain to a root that is not a trust anchor says nothing about the signer: unknown, not
  // forged (the signature itself verified).
  const ValidationReport wrong = validate(pdf, {root("/other")});
  EXPECT_EQ(wrong.verdict, Verdict::kIndeterminate) << dump(wrong);
  EXPECT_TRUE(has_code(wrong, "chain.not_trusted"));
}

TEST_F(ValidatorTest, FiveSignersAfterACertificationAreAllValid) {
  Bytes pdf = sign(classic_pdf(3), "rsa", 2);
  for (int i = 0; i < 4; ++i) {
    pdf = sign(pdf, i % 2 == 0 ? "ec" : "rsa");
  }
  const ValidationReport report = validate(pdf);
  ASSERT_EQ(report.signatures.size(), 5U);
  EXPECT_EQ(report.verdict, Verdict::kValid) << dump(report);
  EXPECT_EQ(report.signatures[0].docmdp, 2);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(report.signatures[i].signed_revision, static_cast<int>(i + 2));
  }
}

TEST_F(ValidatorTest, AFileWithoutSignaturesIsNotValid) {
  const ValidationReport report = validate(classic_pdf(1));
  EXPECT_EQ(report.verdict, Verdict::kInvalid);
  EXPECT_TRUE(has_code(report, "document.unsigned"));
}

// Universal signature forgery: /ByteRange or /Contents missing, null, of the wrong type, empty or
// pointing outside the file, each made in place (lengths kept) on a signed file.
TEST_F(ValidatorTest, UniversalSignatureForgeryVariantsAreInvalid) {
  const Bytes signed_pdf = sign(classic_pdf(1), "rsa");
  const std::size_t range_at = rfind(signed_pdf, "/ByteRange [");
  const std::size_t range_width = find(signed_pdf, "]", range_at) + 1 - range_at;
  const auto [a, b, c, d] = byte_range(signed_pdf);
  const std::size_t contents_at = b - std::string_view("/Contents ").size();
  ASSERT_EQ(as_chars(signed_pdf).substr(contents_at, 10), "/Contents ");
  const std::size_t contents_width = c - contents_at;

  struct Case {
    std::string name;
    bool range;  // edit /ByteRange (else /Contents)
    std::string text;
    std::string code;
  };
  const std::size_t size = signed_pdf.size();
  (void)a;
  (void)d;
  const std::vector<Case> cases = {
      {"ByteRange removed", true, "/ByteRangX [0 1 2 3]", "byte_range.missing"},
      {"ByteRange null", true, "/ByteRange null", "byte_range.missing"},
      {"ByteRange wrong type", true, "/ByteRange (0 1 2 3)", "byte_range.missing"},
      {"ByteRange empty", true, "/ByteRange []", "byte_range.shape"},
      {"ByteRange outside", true, fmt::format("/ByteRange [0 1 2 {}]", size * 10),
       "byte_range.outside_file"},
      {"ByteRange negative", true, "/ByteRange [0 1 2 -3]", "byte_range.negative"},
      {"Contents removed", false, "/Contentz <00>", "contents.missing"},
      {"Contents null", false, "/Contents null", "contents.missing"},
      {"Contents wrong type", false, "/Contents 12345", "contents.missing"},
      {"Contents empty", false, "/Contents <>", "contents.empty"},
  };
  for (const Case& test : cases) {
    Bytes pdf = signed_pdf;
    if (test.range) {
      overwrite(pdf, range_at, test.text, range_width);
    } else {
      overwrite(pdf, contents_at, test.text, contents_width);
    }
    const ValidationReport report = validate(pdf);
    EXPECT_NE(report.verdict, Verdict::kValid) << test.name << "\n" << dump(report);
    EXPECT_TRUE(has_code(report, test.code)) << test.name << "\n" << dump(report);
  }
}

TEST_F(ValidatorTest, AByteChangedInsideTheSignedRangeIsInvalid) {
  Bytes pdf = sign(classic_pdf(1), "rsa");
  pdf.at(find(pdf, "(Page 1)") + 1) = 'X';
  const ValidationReport report = validate(pdf);
  EXPECT_EQ(report.verdict, Verdict::kInvalid) << dump(report);
  EXPECT_TRUE(has_code(report, "digest.mismatch"));
}

TEST_F(ValidatorTest, APageContentChangedInALaterUpdateIsDisallowed) {
  const Bytes signed_pdf = sign(classic_pdf(1), "rsa");
  const std::string content = "BT /F1 24 Tf 72 720 Td (Forged) Tj ET";
  const Bytes pdf = append_update(
      signed_pdf,
      {{5, fmt::format("<< /Length {} >>\nstream\n{}\nendstream", content.size(), content)}});
  const ValidationReport report = validate(pdf);
  ASSERT_EQ(report.signatures.size(), 1U);
  EXPECT_EQ(report.verdict, Verdict::kInvalid) << dump(report);
  EXPECT_TRUE(has_code(report, "digest.match")) << "the signed bytes themselves are intact";
  EXPECT_TRUE(has_code(report, "change.object_changed")) << dump(report);
  EXPECT_FALSE(report.signatures[0].covers_whole_file);
}

TEST_F(ValidatorTest, ObjectsAppendedWithoutACrossReferenceSectionAreDisallowed) {
  Bytes pdf = sign(classic_pdf(1), "rsa");
  const std::string tail =
      "5 0 obj\n<< /Length 37 >>\nstream\nBT /F1 24 Tf 72 720 Td (Forged) Tj ET\nendstream\n"
      "endobj\n";
  pdf.insert(pdf.end(), tail.begin(), tail.end());
  const ValidationReport report = validate(pdf);
  EXPECT_EQ(report.verdict, Verdict::kInvalid) << dump(report);
  EXPECT_TRUE(has_code(report, "document.unaccounted_data")) << dump(report);
}

TEST_F(ValidatorTest, AByteRangeMovedToCoverOtherBytesIsInvalid) {
  // Signature wrapping: the signed second range is copied to the end of the file and the byte
  // range points there, so the digest still matches while the original place is free to edit.
  Bytes pdf = sign(classic_pdf(1), "rsa");
  const std::size_t range_at = rfind(pdf, "/ByteRange [");
  const std::size_t range_width = find(pdf, "]", range_at) + 1 - range_at;
  const auto [a, b, c, d] = byte_range(pdf);
  const Bytes second(pdf.begin() + static_cast<std::ptrdiff_t>(c),
                     pdf.begin() + static_cast<std::ptrdiff_t>(c + d));
  const std::size_t moved = pdf.size();
  pdf.insert(pdf.end(), second.begin(), second.end());
  overwrite(pdf, range_at, fmt::format("/ByteRange [{} {} {} {}]", a, b, moved, d), range_width);
  const ValidationReport report = validate(pdf);
  EXPECT_EQ(report.verdict, Verdict::kInvalid) << dump(report);
  EXPECT_TRUE(has_code(report, "byte_range.gap_not_hex_string")) << dump(report);
}

TEST_F(ValidatorTest, ASignatureRemovedFromTheFormIsStillReportedAndFlagged) {
  const Bytes signed_pdf = sign(classic_pdf(1), "rsa");
  QPDF qpdf;
  qpdf.processMemoryFile("in", reinterpret_cast<const char*>(signed_pdf.data()),  // NOLINT
                         signed_pdf.size());
  QPDFObjectHandle form = qpdf.getRoot().getKey("/AcroForm");
  ASSERT_TRUE(form.isIndirect());
  QPDFObjectHandle copy = form.shallowCopy();
  copy.replaceKey("/Fields", QPDFObjectHandle::newArray());
  const Bytes pdf = append_update(signed_pdf, {{form.getObjectID(), copy.unparse()}});
  const ValidationReport report = validate(pdf);
  ASSERT_EQ(report.signatures.size(), 1U) << dump(report);
  EXPECT_FALSE(report.signatures[0].in_final_form);
  EXPECT_EQ(report.verdict, Verdict::kInvalid) << dump(report);
  EXPECT_TRUE(has_code(report, "change.signature_removed")) << dump(report);
  EXPECT_TRUE(has_code(report, "change.field_removed")) << dump(report);
}

TEST_F(ValidatorTest, AMessageDigestThatDoesNotMatchIsInvalid) {
  // A well-formed CMS, really signed by the signer, over the wrong digest.
  Bytes pdf = sign(classic_pdf(1), "rsa");
  const auto [a, b, c, d] = byte_range(pdf);
  const auto key = *crypto::PrivateKey::from_pem(*read_file(*dir_ + "/rsa.key.pem"));
  const auto cert = *crypto::Certificate::from_pem(*read_file(*dir_ + "/rsa.cert.pem"));
  const Bytes wrong(32, 0x42);
  crypto::PadesSignRequest request;
  request.key = &key;
  request.certificate = &cert;
  request.message_digest = wrong;
  auto cms = crypto::build_pades_cms(request);
  ASSERT_TRUE(cms);
  const std::string hex = to_hex(*cms);
  ASSERT_LE(hex.size(), c - b - 2);
  std::fill(pdf.begin() + static_cast<std::ptrdiff_t>(b + 1),
            pdf.begin() + static_cast<std::ptrdiff_t>(c - 1), '0');
  std::copy(hex.begin(), hex.end(), pdf.begin() + static_cast<std::ptrdiff_t>(b + 1));
  const ValidationReport report = validate(pdf);
  EXPECT_EQ(report.verdict, Verdict::kInvalid) << dump(report);
  EXPECT_TRUE(has_code(report, "digest.mismatch")) << dump(report);
  EXPECT_TRUE(has_code(report, "cms.signature_valid")) << dump(report);
}

TEST_F(ValidatorTest, ValidationTimeComesFromAtWhenGiven) {
  const Bytes pdf = sign(classic_pdf(1), "ec");
  ValidationOptions options;
  options.trust_anchors = {root()};
  options.now = *signing_time_;
  options.at = *signing_time_ + std::chrono::hours(24 * 365 * 40);
  auto report = validate_pdf(*view_source(pdf), options);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->verdict, Verdict::kIndeterminate) << dump(*report);
  EXPECT_TRUE(has_code(*report, "chain.out_of_period"));
}

// kHidden is content an attacker puts in the signed revision where nothing shows it.
constexpr std::string_view kHidden = "BT /F1 24 Tf 72 600 Td (Pay 1,000,000 to Mallory) Tj ET";

std::string stream(std::string_view data) {
  return fmt::format("<< /Length {} >>\nstream\n{}\nendstream", data.size(), data);
}

// with_unused_objects adds, before signing, objects 6 (a content stream), 7 (a square annotation
// with its own appearance, 8) and 9 (a font) that nothing references: they ride along inside
// the signed revision, invisible.
Bytes with_unused_objects(const Bytes& pdf) {
  return append_update(
      pdf, {{6, stream(kHidden)},
            {7, "<< /Type /Annot /Subtype /Square /Rect [0 0 612 792] /F 4 /AP << /N 8 0 R >> >>"},
            {8, "<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Length 27 >>\nstream\n1 1 "
                "1 rg 0 0 612 792 re f\n\nendstream"},
            {9, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"}});
}

// page_update returns the objects that give page 1 of pdf the extra /Annots item `annot` (a
// reference), or with `contents` / `font` as its /Contents and /F1 font when not empty; every
// other entry of the page is kept as the signer left it.
std::vector<std::pair<int, std::string>> page_update(const Bytes& pdf, const std::string& annot,
                                                     const std::string& contents = "",
                                                     const std::string& font = "") {
  QPDF qpdf;
  qpdf.processMemoryFile("in", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  QPDFObjectHandle page = qpdf.getRoot().getKey("/Pages").getKey("/Kids").getArrayItem(0);
  std::vector<std::pair<int, std::string>> out;
  QPDFObjectHandle copy = page.shallowCopy();
  std::string extra;
  if (!annot.empty()) {
    QPDFObjectHandle annots = page.getKey("/Annots");
    std::string list = annots.isArray() ? annots.unparseResolved() : "[ ]";
    list = list.substr(0, list.rfind(']')) + " " + annot + " ]";
    if (annots.isIndirect()) {
      out.emplace_back(annots.getObjectID(), list);
    } else {
      copy.removeKey("/Annots");
      extra += " /Annots " + list;
    }
  }
  if (!contents.empty()) {
    copy.removeKey("/Contents");
    extra += " /Contents " + contents;
  }
  if (!font.empty()) {
    copy.removeKey("/Resources");
    extra += " /Resources << /Font << /F1 " + font + " >> >>";
  }
  std::string text = copy.unparse();
  out.emplace_back(page.getObjectID(), text.substr(0, text.rfind(">>")) + extra + " >>");
  return out;
}

TEST_F(ValidatorTest, ShadowAttacksRevealingUnusedSignedContentAreDisallowed) {
  const Bytes signed_pdf = sign(with_unused_objects(classic_pdf(1)), "rsa");
  ASSERT_EQ(validate(signed_pdf).verdict, Verdict::kValid) << dump(validate(signed_pdf));
  struct Case {
    std::string name;
    std::vector<std::pair<int, std::string>> update;  // points the page at what was hidden
  };
  const std::vector<Case> cases = {
      // hide: an overlay that was already in the signed revision is put on the page
      {"hide (overlay annotation)", page_update(signed_pdf, "7 0 R")},
      // replace: the page's content is swapped for the hidden content stream
      {"replace (content stream)", page_update(signed_pdf, "", "6 0 R")},
      // replace: the font is swapped for the hidden one (glyphs change, bytes do not)
      {"replace (font)", page_update(signed_pdf, "", "", "9 0 R")},
      // hide-and-replace: both the overlay and the hidden text are revealed
      {"hide-and-replace", page_update(signed_pdf, "7 0 R", "[5 0 R 6 0 R]")},
  };
  for (const Case& test : cases) {
    const Bytes pdf = append_update(signed_pdf, test.update);
    const ValidationReport report = validate(pdf);
    EXPECT_EQ(report.verdict, Verdict::kInvalid) << test.name << "\n" << dump(report);
    EXPECT_TRUE(has_code(report, "change.shadow")) << test.name << "\n" << dump(report);
  }
  // The same overlay as a new object is an ordinary annotation (allowed without certification).
  std::vector<std::pair<int, std::string>> fresh = page_update(signed_pdf, "30 0 R");
  fresh.emplace_back(30, "<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /Contents (ok) >>");
  const ValidationReport ordinary = validate(append_update(signed_pdf, fresh));
  EXPECT_EQ(ordinary.verdict, Verdict::kValid) << dump(ordinary);
  EXPECT_FALSE(has_code(ordinary, "change.shadow")) << dump(ordinary);
}

// with_text_field adds a text field "Amount" with a value and an appearance stream, and an
// empty signature field "Approval" whose /Lock (FieldMDP) names lock_fields, if any.
Bytes with_text_field(const Bytes& pdf, std::optional<std::string> lock_fields = {}) {
  QPDF qpdf;
  qpdf.processMemoryFile("in", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  QPDFObjectHandle page = qpdf.getRoot().getKey("/Pages").getKey("/Kids").getArrayItem(0);
  QPDFObjectHandle ap = qpdf.newStream("BT /F1 12 Tf 2 4 Td (100) Tj ET");
  QPDFObjectHandle look = QPDFObjectHandle::parse(
      "<< /Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << >> >> >>");
  look.getKey("/Resources").getKey("/Font").replaceKey("/F1", qpdf.getObject(3, 0));
  ap.replaceDict(look);
  QPDFObjectHandle text = qpdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Amount) /V (100) /F 4 /Rect [72 600 172 620] "
      ">>"));
  text.replaceKey("/AP", QPDFObjectHandle::newDictionary({{"/N", ap}}));
  text.replaceKey("/P", page);
  QPDFObjectHandle sig = qpdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Approval) /F 4 /Rect [0 0 0 0] >>"));
  sig.replaceKey("/P", page);
  if (lock_fields) {
    sig.replaceKey("/Lock", QPDFObjectHandle::parse(fmt::format(
                                "<< /Type /SigFieldLock /Action /Include /Fields [({})] >>",
                                *lock_fields)));
  }
  page.replaceKey("/Annots", QPDFObjectHandle::newArray({text, sig}));
  qpdf.getRoot().replaceKey("/AcroForm", qpdf.makeIndirectObject(QPDFObjectHandle::parse(
                                             "<< /Fields [] /NeedAppearances false >>")));
  qpdf.getRoot().getKey("/AcroForm").getKey("/Fields").appendItem(text);
  qpdf.getRoot().getKey("/AcroForm").getKey("/Fields").appendItem(sig);
  QPDFWriter writer(qpdf);
  writer.setOutputMemory();
  writer.setStaticID(true);
  writer.write();
  std::unique_ptr<Buffer> buffer(writer.getBuffer());
  return Bytes(buffer->getBuffer(), buffer->getBuffer() + buffer->getSize());
}

// fill sets the "Amount" field of pdf to value with a new appearance stream, in an update.
Bytes fill(const Bytes& pdf, const std::string& value) {
  QPDF qpdf;
  qpdf.processMemoryFile("in", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  QPDFObjectHandle field;
  for (auto& f : qpdf.getRoot().getKey("/AcroForm").getKey("/Fields").aitems()) {
    if (f.getKey("/T").getUTF8Value() == "Amount") {
      field = f;
    }
  }
  EXPECT_TRUE(field.isIndirect());
  const int ap = qpdf.getTrailer().getKey("/Size").getIntValueAsInt();
  QPDFObjectHandle copy = field.shallowCopy();
  copy.replaceKey("/V", QPDFObjectHandle::newString(value));
  copy.removeKey("/AP");
  std::string text = copy.unparse();
  text = text.substr(0, text.rfind(">>")) + fmt::format("/AP << /N {} 0 R >> >>", ap);
  const std::string look = fmt::format("BT /F1 12 Tf 2 4 Td ({}) Tj ET", value);
  return append_update(
      pdf, {{field.getObjectID(), text},
            {ap, fmt::format("<< /Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << "
                             "/Font << /F1 3 0 R >> >> /Length {} >>\nstream\n{}\nendstream",
                             look.size(), look)}});
}

TEST_F(ValidatorTest, FormFillingIsAllowedUnderP2AndForbiddenByAFieldLock) {
  const Bytes certified = sign(with_text_field(classic_pdf(1)), "rsa", 2);
  const ValidationReport filled = validate(fill(certified, "250"));
  EXPECT_EQ(filled.verdict, Verdict::kValid) << dump(filled);
  EXPECT_TRUE(has_code(filled, "change.form_filled")) << dump(filled);

  const Bytes p1 = sign(with_text_field(classic_pdf(1)), "rsa", 1);
  const ValidationReport forbidden = validate(fill(p1, "250"));
  EXPECT_EQ(forbidden.verdict, Verdict::kInvalid) << dump(forbidden);
  EXPECT_TRUE(has_code(forbidden, "change.locked_field")) << dump(forbidden);

  // An approval signature whose field locks "Amount" (FieldMDP /Include).
  const Bytes locked = sign(with_text_field(classic_pdf(1), "Amount"), "rsa", {}, "Approval");
  const ValidationReport after_lock = validate(fill(locked, "999999"));
  EXPECT_EQ(after_lock.verdict, Verdict::kInvalid) << dump(after_lock);
  EXPECT_TRUE(has_code(after_lock, "change.locked_field")) << dump(after_lock);
  const Bytes unlocked = sign(with_text_field(classic_pdf(1), "Other"), "rsa", {}, "Approval");
  EXPECT_EQ(validate(fill(unlocked, "999999")).verdict, Verdict::kValid);
}

TEST_F(ValidatorTest, NewAnnotationsAreAllowedUnderP3AndDisallowedUnderP2) {
  const std::string note = "<< /Type /Annot /Subtype /Text /Rect [10 10 30 30] /Contents (ok) >>";
  auto annotate = [&](const Bytes& pdf) {
    auto objects = page_update(pdf, "30 0 R");
    objects.emplace_back(30, note);
    return append_update(pdf, objects);
  };
  const ValidationReport p3 = validate(annotate(sign(classic_pdf(1), "rsa", 3)));
  EXPECT_EQ(p3.verdict, Verdict::kValid) << dump(p3);
  EXPECT_TRUE(has_code(p3, "change.annotation_added")) << dump(p3);
  const ValidationReport p2 = validate(annotate(sign(classic_pdf(1), "rsa", 2)));
  EXPECT_EQ(p2.verdict, Verdict::kInvalid) << dump(p2);
  EXPECT_TRUE(has_code(p2, "change.annotation_added")) << dump(p2);
}

}  // namespace
}  // namespace pactum::pdf
