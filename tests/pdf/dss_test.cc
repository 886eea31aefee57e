#include "pactum/pdf/dss.h"
#include "pactum/pdf/dss_writer.h"

#include <gtest/gtest.h>
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/QPDFWriter.hh>

#include "pdf_fixtures.h"

namespace pactum::pdf {
namespace {

using fixtures::classic_pdf;

Bytes text_bytes(std::string_view text) { return {text.begin(), text.end()}; }

// with_dss returns a PDF whose catalog carries /DSS built by qpdf from dss_text, in which the
// placeholders S1, S2, S3 stand for stream objects holding "cert-one", "ocsp-one" (Flate
// encoded when written) and "crl-one".
Bytes with_dss(const std::string& dss_text) {
  const Bytes pdf = classic_pdf(1);
  QPDF qpdf;
  qpdf.processMemoryFile("in", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  std::string text = dss_text;
  const char* contents[] = {"cert-one", "ocsp-one", "crl-one"};
  for (int i = 0; i < 3; ++i) {
    QPDFObjectHandle stream = qpdf.newStream(std::string(contents[i]));
    const std::string placeholder = fmt::format("S{}", i + 1);
    for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder)) {
      text.replace(at, placeholder.size(), stream.unparse());
    }
  }
  qpdf.getRoot().replaceKey("/DSS", QPDFObjectHandle::parse(&qpdf, text));
  QPDFWriter writer(qpdf);
  writer.setOutputMemory();
  writer.setStaticID(true);
  writer.setCompressStreams(true);
  writer.write();
  std::unique_ptr<Buffer> buffer(writer.getBuffer());
  return Bytes(buffer->getBuffer(), buffer->getBuffer() + buffer->getSize());
}

Result<std::optional<Dss>> read(const Bytes& pdf) {
  QPDF qpdf;
  qpdf.processMemoryFile("in", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  return read_dss(qpdf);
}

TEST(VriKey, IsUpperCaseHexSha1OfTheBytes) {
  EXPECT_EQ(vri_key(as_bytes("abc")), "A9993E364706816ABA3E25717850C26C9CD0D89D");
}

TEST(ReadDss, NoDssIsNullopt) {
  auto dss = read(classic_pdf(1));
  ASSERT_TRUE(dss.has_value()) << dss.error().describe();
  EXPECT_FALSE(dss->has_value());
}

TEST(ReadDss, ReadsArraysAndVri) {
  auto dss = read(with_dss(
      "<< /Certs [S1] /OCSPs [S2] /CRLs [S3] /VRI << "
      "/a9993e364706816aba3e25717850c26c9cd0d89d << /Cert [S1] /OCSP [S2] /CRL [S3] "
      "/TU (D:20260102030405Z) >> >> >>"));
  ASSERT_TRUE(dss.has_value()) << dss.error().describe();
  ASSERT_TRUE(dss->has_value());
  const Dss& d = **dss;
  EXPECT_TRUE(d.problems.empty());
  ASSERT_EQ(d.certs.size(), 1U);
  EXPECT_EQ(d.certs[0], text_bytes("cert-one"));
  ASSERT_EQ(d.ocsps.size(), 1U);
  EXPECT_EQ(d.ocsps[0], text_bytes("ocsp-one"));  // decoded from FlateDecode
  ASSERT_EQ(d.crls.size(), 1U);
  EXPECT_EQ(d.crls[0], text_bytes("crl-one"));
  ASSERT_EQ(d.vri.size(), 1U);
  const auto it = d.vri.find("A9993E364706816ABA3E25717850C26C9CD0D89D");  // key upper-cased
  ASSERT_NE(it, d.vri.end());
  EXPECT_EQ(it->second.certs, d.certs);
  EXPECT_EQ(it->second.ocsps, d.ocsps);
  EXPECT_EQ(it->second.crls, d.crls);
  EXPECT_EQ(it->second.tu, "D:20260102030405Z");
}

TEST(ReadDss, SkipsAndNamesWhatItCannotRead) {
  auto dss = read(with_dss(
      "<< /Certs [S1 (not a stream) 42] /OCSPs 7 /VRI << /NOTHEX << /Cert [S1] >> "
      "/0123456789ABCDEF0123456789ABCDEF01234567 [S2] >> >>"));
  ASSERT_TRUE(dss.has_value()) << dss.error().describe();
  ASSERT_TRUE(dss->has_value());
  const Dss& d = **dss;
  EXPECT_EQ(d.certs.size(), 1U);
  EXPECT_TRUE(d.ocsps.empty());
  EXPECT_TRUE(d.vri.empty());
  ASSERT_EQ(d.problems.size(), 5U);
  EXPECT_EQ(d.problems[0], "/DSS/Certs[1] is not a stream");
  EXPECT_EQ(d.problems[1], "/DSS/Certs[2] is not a stream");
  EXPECT_EQ(d.problems[2], "/DSS/OCSPs is not an array");
}

TEST(ReadDss, DssThatIsNoDictionaryIsMalformed) {
  auto dss = read(with_dss("[S1]"));
  ASSERT_FALSE(dss.has_value());
  EXPECT_EQ(dss.error().code, ErrorCode::kMalformed);
}

// append_dss adds addition to pdf by one incremental update and returns the whole new file.
Bytes append_dss(const Bytes& pdf, const DssAddition& addition, DssCounts* counts = nullptr) {
  auto doc = PdfDocument::open(memory_source(pdf), OpenOptions{.allow_normalise = false});
  EXPECT_TRUE(doc.has_value()) << doc.error().describe();
  IncrementalWriter writer(**doc);
  auto added = add_dss(**doc, writer, addition,
                       std::chrono::system_clock::from_time_t(1767323045));  // 2026-01-02
  EXPECT_TRUE(added.has_value()) << added.error().describe();
  if (counts != nullptr && added) {
    *counts = *added;
  }
  auto update = writer.build();
  EXPECT_TRUE(update.has_value()) << update.error().describe();
  Bytes out = pdf;
  out.insert(out.end(), update->bytes.begin(), update->bytes.end());
  return out;
}

// read_strict reads the DSS of pdf with qpdf's recovery off, so a broken update fails.
Dss read_strict(const Bytes& pdf) {
  QPDF qpdf;
  qpdf.setAttemptRecovery(false);
  qpdf.processMemoryFile("out", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  auto dss = read_dss(qpdf);
  EXPECT_TRUE(dss.has_value() && dss->has_value());
  return dss && *dss ? **dss : Dss{};
}

DssAddition sample_addition() {
  DssAddition a;
  VriEntry& entry = a.vri[vri_key(as_bytes("signature one"))];
  entry.certs = {text_bytes("signer"), text_bytes("issuer")};
  entry.ocsps = {text_bytes("ocsp signer")};
  entry.crls = {text_bytes("crl issuer")};
  a.certs = {text_bytes("signer"), text_bytes("issuer")};
  a.ocsps = {text_bytes("ocsp signer")};
  a.crls = {text_bytes("crl issuer")};
  return a;
}

TEST(AddDss, RoundTripsThroughTheReaderAndKeepsTheOriginal) {
  for (const bool xref_stream : {false, true}) {
    const Bytes original =
        xref_stream ? fixtures::rewrite(classic_pdf(2), true, false) : classic_pdf(2);
    DssCounts counts;
    const Bytes out = append_dss(original, sample_addition(), &counts);
    ASSERT_GT(out.size(), original.size());
    EXPECT_TRUE(std::equal(original.begin(), original.end(), out.begin()));
    EXPECT_EQ(counts.certs, 2U);
    EXPECT_EQ(counts.ocsps, 1U);
    EXPECT_EQ(counts.crls, 1U);
    EXPECT_EQ(counts.vri, 1U);
    const Dss dss = read_strict(out);
    EXPECT_TRUE(dss.problems.empty());
    const DssAddition expected = sample_addition();
    EXPECT_EQ(dss.certs, expected.certs);
    EXPECT_EQ(dss.ocsps, expected.ocsps);
    EXPECT_EQ(dss.crls, expected.crls);
    ASSERT_EQ(dss.vri.size(), 1U);
    const VriEntry& entry = dss.vri.begin()->second;
    EXPECT_EQ(dss.vri.begin()->first, vri_key(as_bytes("signature one")));
    EXPECT_EQ(entry.certs, expected.certs);
    EXPECT_EQ(entry.ocsps, expected.ocsps);
    EXPECT_EQ(entry.crls, expected.crls);
    EXPECT_EQ(entry.tu, "D:20260102030405Z");
  }
}

TEST(AddDss, MergesWithTheExistingDssAndStoresIdenticalDerOnce) {
  const Bytes first = append_dss(classic_pdf(1), sample_addition());
  DssAddition more;
  VriEntry& entry = more.vri[vri_key(as_bytes("signature two"))];
  entry.certs = {text_bytes("issuer"), text_bytes("second signer"), text_bytes("second signer")};
  entry.ocsps = {text_bytes("ocsp second")};
  more.crls = {text_bytes("crl issuer")};  // already there
  DssCounts counts;
  const Bytes second = append_dss(first, more, &counts);
  EXPECT_TRUE(std::equal(first.begin(), first.end(), second.begin()));
  EXPECT_EQ(counts.certs, 1U);  // only "second signer" is new
  EXPECT_EQ(counts.ocsps, 1U);
  EXPECT_EQ(counts.crls, 0U);
  const Dss dss = read_strict(second);
  EXPECT_EQ(dss.certs, (std::vector<Bytes>{text_bytes("signer"), text_bytes("issuer"),
                                           text_bytes("second signer")}));
  EXPECT_EQ(dss.ocsps, (std::vector<Bytes>{text_bytes("ocsp signer"), text_bytes("ocsp second")}));
  EXPECT_EQ(dss.crls, (std::vector<Bytes>{text_bytes("crl issuer")}));
  ASSERT_EQ(dss.vri.size(), 2U);
  EXPECT_EQ(dss.vri.at(vri_key(as_bytes("signature one"))).certs,
            (std::vector<Bytes>{text_bytes("signer"), text_bytes("issuer")}));
  EXPECT_EQ(dss.vri.at(vri_key(as_bytes("signature two"))).certs,
            (std::vector<Bytes>{text_bytes("issuer"), text_bytes("second signer")}));
}

TEST(AddDss, MergesIntoAnExistingVriEntry) {
  const Bytes first = append_dss(classic_pdf(1), sample_addition());
  DssAddition more;
  more.vri[vri_key(as_bytes("signature one"))].crls = {text_bytes("newer crl")};
  const Bytes second = append_dss(first, more);
  const Dss dss = read_strict(second);
  const VriEntry& entry = dss.vri.at(vri_key(as_bytes("signature one")));
  EXPECT_EQ(entry.certs.size(), 2U);
  EXPECT_EQ(entry.crls, (std::vector<Bytes>{text_bytes("crl issuer"), text_bytes("newer crl")}));
  EXPECT_EQ(dss.crls, (std::vector<Bytes>{text_bytes("crl issuer"), text_bytes("newer crl")}));
}

TEST(AddDss, ExtendsADssThatAnotherToolWrote) {
  const Bytes pdf = with_dss("<< /Certs [S1] /OCSPs [S2] >>");
  DssAddition more;
  more.certs = {text_bytes("cert-one"), text_bytes("cert-two")};
  DssCounts counts;
  const Dss dss = read_strict(append_dss(pdf, more, &counts));
  EXPECT_EQ(counts.certs, 1U);
  EXPECT_EQ(dss.certs, (std::vector<Bytes>{text_bytes("cert-one"), text_bytes("cert-two")}));
  EXPECT_EQ(dss.ocsps, (std::vector<Bytes>{text_bytes("ocsp-one")}));
}

TEST(AddDss, RefusesADssOfTheWrongType) {
  const Bytes pdf = with_dss("<< /Certs 5 >>");
  auto doc = PdfDocument::open(memory_source(pdf), OpenOptions{.allow_normalise = false});
  ASSERT_TRUE(doc.has_value());
  IncrementalWriter writer(**doc);
  auto added = add_dss(**doc, writer, sample_addition(), std::nullopt);
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace pactum::pdf
