#include "pactum/pdf/pdf_document.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <fmt/format.h>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "pactum/pdf/form_fields.h"
#include "pactum/pdf/qpdf_guard.h"

namespace pactum::pdf {
namespace {

constexpr std::uint64_t kTailWindow = 2048;
constexpr std::size_t kMaxWarnings = 20;
constexpr const char* kEncryptedMessage =
    "the PDF is encrypted; signing encrypted PDFs is not supported (decrypt it first, e.g. with "
    "qpdf --decrypt)";

bool is_pdf_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

// looks_like_object_header reports whether text starts with "N G obj".
bool looks_like_object_header(std::string_view text) {
  std::size_t i = 0;
  for (int part = 0; part < 2; ++part) {
    const std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
      ++i;
    }
    if (i == start) {
      return false;
    }
    const std::size_t spaces = i;
    while (i < text.size() && is_pdf_space(text[i])) {
      ++i;
    }
    if (i == spaces) {
      return false;
    }
  }
  return text.substr(i).starts_with("obj");
}

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
  std::uint64_t offset = 0;
  const std::size_t digits_start = i;
  while (i < tail.size() && std::isdigit(static_cast<unsigned char>(tail[i])) != 0 &&
         i - digits_start < 19) {
    offset = offset * 10 + static_cast<std::uint64_t>(tail[i] - '0');
    ++i;
  }
  if (i == digits_start) {
    return fail(ErrorCode::kMalformed, "startxref is not followed by an offset",
                tail_start + keyword);
  }
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
  // Parse every object and the page tree now, so damage shows up as warnings here rather than
  // as surprises halfway through writing.
  auto walked = guarded(ErrorCode::kMalformed, "the PDF is damaged beyond repair", [&] {
    // qpdf may give a new object a free number below /Size, so new objects are told apart from
    // original ones by this set, not by their number.
    for (auto& object : q.getAllObjects()) {
      doc->original_objects_.insert(object.getObjGen());
    }
    if (QPDFPageDocumentHelper(q).getAllPages().empty()) {
      throw std::runtime_error("it has no pages");
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
    for (const auto& [og, entry] : q.getXRefTable()) {
      doc->max_object_id_ = std::max(doc->max_object_id_, og.getObj());
    }
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
