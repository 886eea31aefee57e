#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include <qpdf/QPDFObjGen.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/pdf/pdf_document.h"

namespace pactum::pdf {

// IncrementalUpdate is one revision appended to a document: the bytes that follow the original
// (objects, a cross-reference section of the original's kind, trailer, %%EOF) and where in those
// bytes each object's body starts. The original bytes are never part of it.
struct IncrementalUpdate {
  Bytes bytes;
  std::uint64_t base_offset = 0;  // size of the original: bytes[0] sits at this file offset
  std::map<QPDFObjGen, std::size_t> body_offsets;  // object -> index in bytes of its body
};

// IncrementalWriter collects what a change did to a document's object model (new objects are
// found by number; changed original objects must be marked) and serialises it as an incremental
// update: only new and changed objects, a cross-reference section of the same kind as the
// original's last one with /Prev pointing at it, and the trailer's /Root, /Info and /ID kept.
class IncrementalWriter {
 public:
  explicit IncrementalWriter(PdfDocument& document) : document_(document) {}

  // mark_changed records that an original indirect object was modified. Marking a direct object
  // is a bug in the caller and is reported by build().
  void mark_changed(const QPDFObjectHandle& object);

  // set_raw_body makes build() write body verbatim as the content of object og (between
  // "N G obj" and "endobj"), for objects whose byte layout the caller must control, such as a
  // signature dictionary with placeholders patched later.
  void set_raw_body(QPDFObjGen og, std::string body);

  // keep_alive holds what objects were copied from (another QPDF and the bytes it reads) until
  // the update is built, since qpdf reads copied stream data from it lazily.
  void keep_alive(std::shared_ptr<const void> foreign) { foreign_.push_back(std::move(foreign)); }

  // build serialises the update. Fails with kInternal on a caller bug and kMalformed when qpdf
  // cannot read an object it has to copy.
  Result<IncrementalUpdate> build();

 private:
  PdfDocument& document_;
  std::set<QPDFObjGen> changed_;
  std::map<QPDFObjGen, std::string> raw_bodies_;
  std::vector<std::shared_ptr<const void>> foreign_;
  bool marked_direct_ = false;
};

}  // namespace pactum::pdf
