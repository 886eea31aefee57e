#include "pactum/pdf/pdf_document.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "pactum/pdf/form_fields.h"
#include "pactum/pdf/page_tree.h"
#include "pactum/pdf/pdf_scan.h"
#include "pactum/pdf/qpdf_guard.h"

namespace pactum::pdf {
namespace {

constexpr std::uint64_t kTailWindow = 2048;
constexpr std::size_t kMaxWarnings = 20;
constexpr const char* kEncryptedMessage =
    "the PDF is encrypted; signing encrypted PDFs is not supported (decrypt it first, e.g. with "
    "qpdf --decrypt)";

}  // namespace

Result<FileTail> parse_file_tail(const ByteSource& source) {
  auto tail_bytes = read_tail(source, kTailWindow);
  if (!tail_bytes) {
    return std::unexpected(tail_bytes.error());
  }
  const std::string_view tail = as_chars(*tail_bytes);
  const std::uint64_t tail_start = source.size() - tail.size();
  const std::size_t keyword = tail.rfind("startxref");
  if (keyword == std::string_view::npos) {
    return fail(ErrorCode::kMalformed, "no startxref near the end of the file");
  }
  std::size_t i = keyword + std::string_view("startxref").size();
  while (i < tail.size() && is_pdf_space(tail[i])) {
    ++i;
  }
  const auto parsed = leading_integer(tail.substr(i));
  if (!parsed) {
    return fail(ErrorCode::kMalformed, "startxref is not followed by an offset",
                tail_start + keyword);
  }
  const std::uint64_t offset = *parsed;
  if (tail.substr(i).find("%%EOF") == std::string_view::npos) {
    return fail(ErrorCode::kMalformed, "the file does not end with %%EOF");
  }
  if (offset >= source.size()) {
    return fail(ErrorCode::kMalformed,
                fmt::format("startxref points past the end of the file ({})", offset),
                tail_start + keyword);
  }
  Bytes head(static_cast<std::size_t>(std::min<std::uint64_t>(64, source.size() - offset)));
  if (auto st = source.read(offset, head); !st) {
    return std::unexpected(st.error());
  }
  const std::string_view at = as_chars(head);
  if (at.starts_with("xref")) {
    return FileTail{offset, XrefKind::kTable};
  }
  if (looks_like_object_header(at)) {
    return FileTail{offset, XrefKind::kStream};
  }
  return fail(ErrorCode::kMalformed, "startxref does not point at a cross-reference section",
              offset);
}

Status process_source(QPDF& qpdf, const ByteSource& source) {
  bool needs_password = false;
  auto read = guarded(ErrorCode::kMalformed, "not a PDF or damaged beyond repair", [&] {
    qpdf.setSuppressWarnings(true);
    try {
      if (source.file_path().empty()) {
        const ByteView bytes = source.memory();
        qpdf.processMemoryFile("document", reinterpret_cast<const char*>(bytes.data()),  // NOLINT
                               bytes.size());
      } else {
        qpdf.processFile(source.file_path().c_str());
      }
    } catch (const QPDFExc& e) {
      if (e.getErrorCode() != qpdf_e_password) {
        throw;
      }
      needs_password = true;
    }
  });
  if (needs_password) {
    return fail(ErrorCode::kUnsupported, kEncryptedMessage);
  }
  return read;
}

std::optional<std::string> find_misplaced_object(const ByteSource& source,
                                                 const std::map<QPDFObjGen, QPDFXRefEntry>& xref,
                                                 std::uint64_t startxref) {
  static constexpr std::size_t kHeaderWindow = 48;
  Bytes window(kHeaderWindow);
  // Cross-reference streams are objects too, but nothing resolves them through the table, and
  // some writers list them at the wrong offset; readers (qpdf, poppler) never look there.
  const std::set<int> xref_streams = xref_stream_numbers(source, startxref);
  for (const auto& [og, entry] : xref) {
    if (xref_streams.contains(og.getObj())) {
      continue;
    }
    if (entry.getType() == 2) {
      const QPDFXRefEntry* stream = nullptr;
      const auto it = xref.find(QPDFObjGen(entry.getObjStreamNumber(), 0));
      stream = it == xref.end() ? nullptr : &it->second;
      if (stream == nullptr || stream->getType() != 1) {
        return fmt::format("object {} is in object stream {}, which does not exist", og.getObj(),
                           entry.getObjStreamNumber());
      }
      continue;
    }
    if (entry.getType() != 1) {
      continue;
    }
    const auto offset = static_cast<std::uint64_t>(entry.getOffset());
    if (entry.getOffset() < 0 || offset >= source.size()) {
      return fmt::format("object {} {} is said to be at {}, outside the file", og.getObj(),
                         og.getGen(), entry.getOffset());
    }
    const auto n =
        static_cast<std::size_t>(std::min<std::uint64_t>(kHeaderWindow, source.size() - offset));
    std::span<std::uint8_t> head(window.data(), n);
    if (!source.read(offset, head)) {
      return fmt::format("cannot read object {} {}", og.getObj(), og.getGen());
    }
    std::string_view text = as_chars(head);
    while (!text.empty() && is_pdf_space(text.front())) {
      text.remove_prefix(1);
    }
    const auto header = parse_object_header(text);
    if (!header || header->number != static_cast<std::uint64_t>(og.getObj()) ||
        header->generation != static_cast<std::uint64_t>(og.getGen())) {
      return fmt::format("object {} {} is not at offset {} where the cross-reference table puts it",
                         og.getObj(), og.getGen(), entry.getOffset());
    }
  }
  return std::nullopt;
}

int count_signed_fields(QPDF& qpdf) {
  int count = 0;
  for (FormField& field : terminal_fields(qpdf)) {
    if (field.type == "/Sig" && field.value.isDictionary()) {
      ++count;
    }
  }
  return count;
}

Result<std::unique_ptr<PdfDocument>> PdfDocument::open(std::unique_ptr<ByteSource> source,
                                                       const OpenOptions& options) {
  std::unique_ptr<PdfDocument> doc(new PdfDocument());
  doc->source_ = std::move(source);
  doc->qpdf_ = std::make_unique<QPDF>();
  QPDF& q = *doc->qpdf_;
  const ByteSource& src = *doc->source_;

  auto tail = parse_file_tail(src);
  if (auto st = process_source(q, src); !st) {
    return std::unexpected(st.error());
  }
  if (q.isEncrypted()) {
    return fail(ErrorCode::kUnsupported, kEncryptedMessage);
  }
  // Check that every object the cross-reference sections name sits where they say, and walk the
  // page tree, so damage shows up here rather than halfway through writing. Objects are not
  // resolved one by one: that costs milliseconds on real files, and the update needs few.
  auto walked = guarded(ErrorCode::kMalformed, "the PDF is damaged beyond repair", [&] {
    const auto xref = q.getXRefTable();
    if (auto misplaced = find_misplaced_object(src, xref, tail ? tail->startxref : 0)) {
      doc->warnings_.push_back(*misplaced);
    }
    for (const auto& [og, entry] : xref) {
      doc->max_object_id_ = std::max(doc->max_object_id_, og.getObj());
    }
    if (auto first = find_page(q, 1); !first) {
      throw std::runtime_error(first.error().message);
    }
  });
  if (!walked) {
    return std::unexpected(walked.error());
  }
  for (auto& warning : q.getWarnings()) {
    if (doc->warnings_.size() < kMaxWarnings) {
      doc->warnings_.push_back(warning.what());
    }
  }
  // Oddities in the form's field tree (loops, missing kids) are not damage to the file's
  // structure: a rewrite would not mend them, and they do not stop an incremental update.
  auto fields = guarded(ErrorCode::kMalformed, "cannot read the form fields",
                        [&] { return count_signed_fields(q); });
  if (!fields) {
    return std::unexpected(fields.error());
  }
  doc->signature_count_ = *fields;
  q.getWarnings();
  const bool damaged = !tail || !doc->warnings_.empty();
  if (!damaged) {
    doc->tail_ = *tail;
    QPDFObjectHandle size = q.getTrailer().getKey("/Size");
    if (size.isInteger()) {
      doc->max_object_id_ = std::max(doc->max_object_id_, size.getIntValueAsInt() - 1);
    }
    return doc;
  }

  const std::string why = !tail ? tail.error().describe() : doc->warnings_.front();
  if (doc->signature_count_ > 0) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the PDF is damaged ({}) and already signed; it cannot be repaired "
                            "without breaking its signatures",
                            why));
  }
  if (!options.allow_normalise) {
    return fail(ErrorCode::kMalformed, fmt::format("the PDF is damaged: {}", why));
  }
  auto rewritten = guarded(ErrorCode::kMalformed, "the PDF is damaged beyond repair", [&] {
    QPDFWriter writer(q);
    writer.setOutputMemory();
    writer.write();
    std::unique_ptr<Buffer> buffer(writer.getBuffer());
    const auto* data = buffer->getBuffer();
    return Bytes(data, data + buffer->getSize());
  });
  if (!rewritten) {
    return std::unexpected(rewritten.error());
  }
  auto repaired = open(memory_source(std::move(*rewritten)), OpenOptions{.allow_normalise = false});
  if (!repaired) {
    return fail(ErrorCode::kMalformed,
                fmt::format("the PDF is damaged beyond repair: {}", repaired.error().message));
  }
  (*repaired)->normalised_ = true;
  (*repaired)->warnings_ = std::move(doc->warnings_);
  return repaired;
}

}  // namespace pactum::pdf
