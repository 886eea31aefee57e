#include "pactum/pdf/incremental_writer.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "pactum/base/atomic_file.h"
#include "pactum/pdf/page_tree.h"
#include "pdf_fixtures.h"

namespace pactum::pdf {
namespace {

using fixtures::classic_pdf;
using fixtures::rewrite;

std::unique_ptr<PdfDocument> open_bytes(const Bytes& bytes) {
  auto doc = PdfDocument::open(memory_source(bytes), OpenOptions{.allow_normalise = false});
  EXPECT_TRUE(doc.has_value()) << doc.error().describe();
  return doc ? std::move(*doc) : nullptr;
}

// strict_open parses a PDF with recovery turned off, so any wrong offset, /Prev or /Size in the
// cross-reference chain makes it throw instead of being silently repaired.
void strict_open(QPDF& qpdf, const Bytes& bytes) {
  qpdf.setAttemptRecovery(false);
  qpdf.setSuppressWarnings(true);
  qpdf.processMemoryFile("out", reinterpret_cast<const char*>(bytes.data()),  // NOLINT
                         bytes.size());
}

// append_marker makes a typical change: a new object referenced from the catalog.
void append_marker(PdfDocument& doc, IncrementalWriter& writer) {
  QPDF& q = doc.qpdf();
  QPDFObjectHandle marker =
      writer.add_object(QPDFObjectHandle::parse("<< /Pactum (marker) /N 42 >>"));
  QPDFObjectHandle root = q.getRoot();
  root.replaceKey("/PactumTest", marker);
  writer.mark_changed(root);
}

// live_objects counts objects that are not null (a reference to a free object reads as null).
std::size_t live_objects(QPDF& qpdf) {
  std::size_t n = 0;
  for (auto& object : qpdf.getAllObjects()) {
    n += object.isNull() ? 0U : 1U;
  }
  return n;
}

Bytes joined(const Bytes& original, const IncrementalUpdate& update) {
  Bytes out = original;
  out.insert(out.end(), update.bytes.begin(), update.bytes.end());
  return out;
}

// check_update asserts the invariants of an incremental update on any PDF.
void check_update(const Bytes& original, const std::string& label) {
  SCOPED_TRACE(label);
  auto doc = open_bytes(original);
  ASSERT_TRUE(doc);
  const XrefKind kind = doc->tail().kind;
  const std::uint64_t prev = doc->tail().startxref;
  QPDFObjectHandle original_id = doc->qpdf().getTrailer().getKey("/ID");
  const std::string id_text = original_id.isArray() ? original_id.unparse() : "";
  const std::size_t original_objects = live_objects(doc->qpdf());

  IncrementalWriter writer(*doc);
  append_marker(*doc, writer);
  auto update = writer.build();
  ASSERT_TRUE(update) << update.error().describe();
  EXPECT_EQ(update->base_offset, original.size());
  const Bytes out = joined(original, *update);

  QPDF reread;
  ASSERT_NO_THROW(strict_open(reread, out));
  EXPECT_FALSE(reread.anyWarnings());
  EXPECT_EQ(reread.getRoot().getKey("/PactumTest").getKey("/N").getIntValue(), 42);
  EXPECT_EQ(reread.getTrailer().getKey("/Prev").getIntValue(), static_cast<long long>(prev));
  if (!id_text.empty()) {
    EXPECT_EQ(reread.getTrailer().getKey("/ID").unparse(), id_text);
  }
  // Every object of the original is still readable, plus the one we added (and the update's own
  // xref stream object when the original uses xref streams).
  EXPECT_EQ(live_objects(reread), original_objects + (kind == XrefKind::kStream ? 2U : 1U));
  EXPECT_EQ(QPDFPageDocumentHelper(reread).getAllPages().size(),
            QPDFPageDocumentHelper(doc->qpdf()).getAllPages().size());
  // The update's cross-reference section is of the original's kind.
  const std::string text(update->bytes.begin(), update->bytes.end());
  if (kind == XrefKind::kTable) {
    EXPECT_NE(text.find("\nxref\n"), std::string::npos);
    EXPECT_EQ(text.find("/Type /XRef"), std::string::npos);
  } else {
    EXPECT_NE(text.find("/Type /XRef"), std::string::npos);
    EXPECT_EQ(text.find("\nxref\n"), std::string::npos);
  }
  // Each entry written points exactly at its object's header.
  for (const auto& [og, body] : update->body_offsets) {
    const std::string header = fmt::format("{} {} obj\n", og.getObj(), og.getGen());
    ASSERT_GE(body, header.size());
    EXPECT_EQ(text.substr(body - header.size(), header.size()), header);
  }
}

TEST(IncrementalWriter, ClassicTableKeepsOriginalBytesAndChainsPrev) {
  check_update(classic_pdf(3), "classic");
}

TEST(IncrementalWriter, OriginalWithoutFinalNewline) {
  const Bytes original = classic_pdf(1, /*final_newline=*/false);
  check_update(original, "no final newline");
  auto doc = open_bytes(original);
  IncrementalWriter writer(*doc);
  append_marker(*doc, writer);
  auto update = writer.build();
  ASSERT_TRUE(update);
  EXPECT_EQ(update->bytes.front(), '\n');
}

TEST(IncrementalWriter, XrefStreamOriginalGetsXrefStream) {
  check_update(rewrite(classic_pdf(4), /*object_streams=*/true, /*linearize=*/false),
               "xref stream");
}

TEST(IncrementalWriter, LinearizedOriginal) {
  check_update(rewrite(classic_pdf(4), false, /*linearize=*/true), "linearized");
  check_update(rewrite(classic_pdf(4), true, /*linearize=*/true), "linearized with object streams");
}

TEST(IncrementalWriter, TwoUpdatesInARow) {
  const Bytes original = classic_pdf(2);
  auto doc = open_bytes(original);
  IncrementalWriter writer(*doc);
  append_marker(*doc, writer);
  auto update = writer.build();
  ASSERT_TRUE(update);
  check_update(joined(original, *update), "second update");
}

TEST(IncrementalWriter, RawBodyIsWrittenVerbatim) {
  const Bytes original = classic_pdf(1);
  auto doc = open_bytes(original);
  IncrementalWriter writer(*doc);
  QPDFObjectHandle placeholder = writer.add_object(QPDFObjectHandle::newDictionary());
  doc->qpdf().getRoot().replaceKey("/Raw", placeholder);
  writer.mark_changed(doc->qpdf().getRoot());
  writer.set_raw_body(placeholder.getObjGen(), "<< /Exactly (this)   /Spacing 1 >>");
  auto update = writer.build();
  ASSERT_TRUE(update);
  const std::size_t at = update->body_offsets.at(placeholder.getObjGen());
  const std::string text(update->bytes.begin(), update->bytes.end());
  EXPECT_EQ(text.substr(at, 34), "<< /Exactly (this)   /Spacing 1 >>");
  const Bytes out = joined(original, *update);  // qpdf reads from it lazily: keep it alive
  QPDF reread;
  strict_open(reread, out);
  EXPECT_EQ(reread.getRoot().getKey("/Raw").getKey("/Exactly").getUTF8Value(), "this");
}

TEST(IncrementalWriter, MarkingADirectObjectIsReported) {
  auto doc = open_bytes(classic_pdf(1));
  IncrementalWriter writer(*doc);
  writer.mark_changed(QPDFObjectHandle::newInteger(1));
  auto update = writer.build();
  ASSERT_FALSE(update);
  EXPECT_EQ(update.error().code, ErrorCode::kInternal);
}

TEST(FileTail, FindsTableAndStream) {
  auto table = parse_file_tail(*memory_source(classic_pdf(1)));
  ASSERT_TRUE(table);
  EXPECT_EQ(table->kind, XrefKind::kTable);
  auto stream = parse_file_tail(*memory_source(rewrite(classic_pdf(1), true, false)));
  ASSERT_TRUE(stream);
  EXPECT_EQ(stream->kind, XrefKind::kStream);
}

TEST(FileTail, RejectsMissingOrWrongStartxref) {
  const std::string no_startxref = "%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n";
  auto a = parse_file_tail(*memory_source(Bytes(no_startxref.begin(), no_startxref.end())));
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, ErrorCode::kMalformed);
  const std::string past_end = "%PDF-1.4\nstartxref\n99999\n%%EOF\n";
  auto b = parse_file_tail(*memory_source(Bytes(past_end.begin(), past_end.end())));
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message.find("past the end"), std::string::npos);
  const std::string nowhere = "%PDF-1.4\nhello world\nstartxref\n9\n%%EOF\n";
  auto c = parse_file_tail(*memory_source(Bytes(nowhere.begin(), nowhere.end())));
  ASSERT_FALSE(c);
}

TEST(PdfDocument, DamagedUnsignedDocumentIsNormalised) {
  Bytes damaged = classic_pdf(2);
  const std::string text(damaged.begin(), damaged.end());
  const std::size_t at = text.rfind("startxref\n") + 10;
  damaged.at(at) = '1';  // startxref now points at the wrong place
  auto doc = PdfDocument::open(memory_source(damaged));
  ASSERT_TRUE(doc) << doc.error().describe();
  EXPECT_TRUE((*doc)->normalised());
  EXPECT_FALSE((*doc)->warnings().empty());
  auto strict = PdfDocument::open(memory_source(damaged), OpenOptions{.allow_normalise = false});
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().code, ErrorCode::kMalformed);
}

TEST(PdfDocument, MisplacedObjectIsDamage) {
  Bytes pdf = classic_pdf(2);
  const std::string text(pdf.begin(), pdf.end());
  // Point the xref entry of object 3 one byte too far.
  const std::size_t header = text.find("3 0 obj");
  const std::string entry = fmt::format("{:010} 00000 n", header);
  const std::size_t at = text.find(entry);
  ASSERT_NE(at, std::string::npos);
  const std::string moved = fmt::format("{:010}", header + 1);
  std::copy(moved.begin(), moved.end(), pdf.begin() + static_cast<std::ptrdiff_t>(at));
  auto strict = PdfDocument::open(memory_source(pdf), OpenOptions{.allow_normalise = false});
  ASSERT_FALSE(strict);
  EXPECT_NE(strict.error().message.find("damaged"), std::string::npos) << strict.error().message;
  auto repaired = PdfDocument::open(memory_source(pdf));
  ASSERT_TRUE(repaired) << repaired.error().describe();
  EXPECT_TRUE((*repaired)->normalised());
}

TEST(PageTree, FindsPagesAlongCountsAndRefusesOutOfRange) {
  // qpdf's linearized output has a flat tree; a rewrite with many pages keeps it valid either way.
  for (const Bytes& pdf : {classic_pdf(7), rewrite(classic_pdf(7), true, true)}) {
    auto doc = open_bytes(pdf);
    ASSERT_TRUE(doc);
    for (int n = 1; n <= 7; ++n) {
      auto page = find_page(doc->qpdf(), n);
      ASSERT_TRUE(page) << page.error().describe();
      EXPECT_EQ(page->page_count, 7);
      EXPECT_TRUE(page->page.getKey("/Type").isNameAndEquals("/Page"));
    }
    auto zero = find_page(doc->qpdf(), 0);
    ASSERT_FALSE(zero);
    EXPECT_EQ(zero.error().code, ErrorCode::kInvalidArgument);
    auto eight = find_page(doc->qpdf(), 8);
    ASSERT_FALSE(eight);
    EXPECT_NE(eight.error().message.find("7 pages"), std::string::npos);
  }
}

TEST(PageTree, WrongCountsFallBackToAFullWalk) {
  Bytes pdf = classic_pdf(3);
  std::string text(pdf.begin(), pdf.end());
  const std::size_t at = text.find("/Count 3");
  ASSERT_NE(at, std::string::npos);
  pdf.at(at + 7) = '2';  // the tree claims two pages but has three
  QPDF qpdf;
  qpdf.setSuppressWarnings(true);
  qpdf.processMemoryFile("x", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  auto third = find_page(qpdf, 3);
  ASSERT_TRUE(third) << third.error().describe();
  EXPECT_EQ(third->page_count, 3);
  auto page_text = third->page.getKey("/Contents").getStreamData();
  EXPECT_NE(std::string(reinterpret_cast<const char*>(page_text->getBuffer()),
                        page_text->getSize())  // NOLINT
                .find("Page 3"),
            std::string::npos);
}

TEST(PdfDocument, GarbageIsMalformed) {
  const std::string garbage = "this is not a PDF at all";
  auto doc = PdfDocument::open(memory_source(Bytes(garbage.begin(), garbage.end())));
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, ErrorCode::kMalformed);
}

// Every file of the shared corpus takes an update that a strict reader accepts.
TEST(IncrementalWriter, EveryCorpusFile) {
  const std::filesystem::path corpus(PACTUM_CORPUS_DIR);
  if (!std::filesystem::exists(corpus)) {
    GTEST_SKIP() << "no corpus at " << corpus;
  }
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".pdf") {
      continue;
    }
    auto bytes = read_file(entry.path().string());
    ASSERT_TRUE(bytes);
    auto doc = PdfDocument::open(memory_source(*bytes), OpenOptions{.allow_normalise = false});
    if (!doc && doc.error().code == ErrorCode::kUnsupported) {
      continue;  // encrypted: refused by design
    }
    ASSERT_TRUE(doc) << entry.path() << ": " << doc.error().describe();
    check_update(*bytes, entry.path().filename().string());
    ++files;
  }
  EXPECT_GT(files, 30);
}

}  // namespace
}  // namespace pactum::pdf
