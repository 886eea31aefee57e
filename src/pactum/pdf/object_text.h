#pragma once

#include <span>
#include <string>
#include <string_view>

#include <qpdf/QPDFObjGen.hh>

#include "pactum/base/error.h"
#include "pactum/pdf/pdf_document.h"

namespace pactum::pdf {

// DictEdit is one change to an original dictionary, made on its text so that nothing it refers
// to has to be resolved: insert a key that is absent, or append an item to a direct array.
struct DictEdit {
  enum class Kind : std::uint8_t { kInsertKey, kAppendToArray };
  Kind kind = Kind::kInsertKey;
  std::string key;    // a PDF name such as "/Annots"
  std::string value;  // PDF syntax: the value to insert, or the item to append
};

// original_object_text returns the PDF syntax of original object og as the file stores it
// (between "N G obj" and "endobj", or its slice of an object stream). Fails with kMalformed when
// the text cannot be found or does not hold one complete value, kUnsupported for a stream.
Result<std::string> original_object_text(PdfDocument& document, QPDFObjGen og);

// apply_dict_edits returns dict_text (one dictionary) with the edits made. Fails with
// kUnsupported when the text is not a dictionary, a key to insert is already there, or the key
// to append to does not hold a direct array; the caller then rewrites the object whole.
Result<std::string> apply_dict_edits(std::string_view dict_text, std::span<const DictEdit> edits);

}  // namespace pactum::pdf
