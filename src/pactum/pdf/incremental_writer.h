#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <qpdf/QPDFObjGen.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/pdf/object_text.h"
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

// IncrementalWriter builds one incremental update: new objects are added through it, changed
// original objects are marked on it, and build() serialises exactly those, then a
// cross-reference section of the same kind as the original's last one with /Prev pointing at it,
// keeping the trailer's /Root, /Info and /ID.
//
// New objects never go through qpdf's own object creation (makeIndirectObject,
// copyForeignObject): the first such call makes qpdf resolve every object of the document, which
// costs milliseconds on real files. The writer numbers new objects itself, above every number
// the original uses.
class IncrementalWriter {
 public:
  explicit IncrementalWriter(PdfDocument& document);

  // add_object makes object (a direct object) a new indirect object of the document and returns
  // a reference to it. Later changes made through the returned handle are written too.
  QPDFObjectHandle add_object(QPDFObjectHandle object);

  // replace_new_object sets the value of a new object made by add_object (e.g. once a reserved
  // number's content is known).
  void replace_new_object(const QPDFObjectHandle& reference, QPDFObjectHandle value);

  // add_stream makes a new stream object whose dictionary is dict (direct; /Length is set by the
  // writer) and whose raw, already encoded, data is data; returns a reference to it.
  QPDFObjectHandle add_stream(QPDFObjectHandle dict, Bytes data);

  // mark_changed records that an original indirect object was modified. Marking a direct object
  // is a bug in the caller and is reported by build(); marking a new object is harmless.
  void mark_changed(const QPDFObjectHandle& object);

  // edit_original records a change to an original dictionary that build() makes on the
  // object's text as stored in the file, so its values need not be resolved (resolving them can
  // mean parsing large fonts). The caller makes the same change on the qpdf object, which is
  // written whole instead if the text edit is not possible or the object is also marked changed.
  void edit_original(const QPDFObjectHandle& object, DictEdit edit);

  // set_raw_body makes build() write body verbatim as the content of object og (between
  // "N G obj" and "endobj"), for objects whose byte layout the caller must control, such as a
  // signature dictionary with placeholders patched later. og must be a new object.
  void set_raw_body(QPDFObjGen og, std::string body);

  // build serialises the update. Fails with kInternal on a caller bug and kMalformed when qpdf
  // cannot read an object it has to write.
  Result<IncrementalUpdate> build();

 private:
  struct NewStream {
    QPDFObjectHandle dict;
    Bytes data;
  };

  QPDFObjGen reserve();

  PdfDocument& document_;
  int next_number_ = 0;
  std::set<QPDFObjGen> changed_;
  std::set<QPDFObjGen> added_;
  std::map<QPDFObjGen, std::string> raw_bodies_;
  std::map<QPDFObjGen, NewStream> streams_;
  std::map<QPDFObjGen, std::vector<DictEdit>> edits_;
  bool marked_direct_ = false;
};

}  // namespace pactum::pdf
