#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>

#include "pactum/base/byte_source.h"
#include "pactum/base/error.h"

namespace pactum::pdf {

// XrefKind is the kind of cross-reference section that ends a file; an incremental update
// appends a section of the same kind.
enum class XrefKind : std::uint8_t { kTable, kStream };

// FileTail is what the end of a PDF says about its last revision.
struct FileTail {
  std::uint64_t startxref = 0;  // offset of the last cross-reference section
  XrefKind kind = XrefKind::kTable;
};

// parse_file_tail reads the last `startxref` of the source and checks that a cross-reference
// table (`xref`) or an xref stream object (`N G obj`) starts at that offset. Fails with kMalformed
// naming the problem when the tail is missing or points nowhere sensible.
Result<FileTail> parse_file_tail(const ByteSource& source);

// OpenOptions control how a document is opened for signing.
struct OpenOptions {
  // allow_normalise lets a damaged document without signatures be rewritten by qpdf before it is
  // signed. A document that already carries signatures is never rewritten.
  bool allow_normalise = true;
};

// PdfDocument is a PDF opened for reading and incremental update: the untouched original bytes
// (the source) and qpdf's object model over them. When the original was damaged and had no
// signatures, the source is qpdf's full rewrite of it and normalised() is true.
class PdfDocument {
 public:
  // open parses source with qpdf. Fails with kMalformed when it is not a PDF or damaged beyond
  // repair (or damaged and already signed), kUnsupported when it is encrypted.
  static Result<std::unique_ptr<PdfDocument>> open(std::unique_ptr<ByteSource> source,
                                                   const OpenOptions& options = {});

  [[nodiscard]] const ByteSource& source() const { return *source_; }
  [[nodiscard]] QPDF& qpdf() { return *qpdf_; }
  [[nodiscard]] const FileTail& tail() const { return tail_; }
  [[nodiscard]] bool normalised() const { return normalised_; }
  // max_original_object_id is the highest object number in use before any change.
  [[nodiscard]] int max_original_object_id() const { return max_object_id_; }
  // signature_count counts signature fields that carry a value.
  [[nodiscard]] int signature_count() const { return signature_count_; }
  // warnings returns qpdf's warnings about the original, at most a few dozen.
  [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  PdfDocument() = default;

  std::unique_ptr<ByteSource> source_;
  std::unique_ptr<QPDF> qpdf_;
  FileTail tail_;
  bool normalised_ = false;
  int max_object_id_ = 0;
  int signature_count_ = 0;
  std::vector<std::string> warnings_;
};

// process_source makes qpdf read source (a file by its path, or memory in place: the source must
// outlive qpdf). Fails with kUnsupported for a PDF that needs a password, kMalformed when qpdf
// cannot read it at all.
Status process_source(QPDF& qpdf, const ByteSource& source);

// find_misplaced_object checks that every object the cross-reference table places in the file
// starts with its "N G obj" header at that offset (cross-reference streams excepted, found by
// following /Prev and /XRefStm from startxref), and that every compressed object's object
// stream exists; returns a description of the first that does not.
std::optional<std::string> find_misplaced_object(const ByteSource& source,
                                                 const std::map<QPDFObjGen, QPDFXRefEntry>& xref,
                                                 std::uint64_t startxref);

// count_signed_fields counts AcroForm signature fields that have a /V value.
int count_signed_fields(QPDF& qpdf);

}  // namespace pactum::pdf
