#pragma once

#include <chrono>
#include <optional>

#include "pactum/base/error.h"
#include "pactum/pdf/dss.h"
#include "pactum/pdf/incremental_writer.h"
#include "pactum/pdf/pdf_document.h"

namespace pactum::pdf {

// DssAddition is validation data to add to a document's DSS: the document-wide items and the
// VRI entries of the signatures they belong to (an item named only in a VRI entry is added to
// the document-wide arrays too). problems is ignored.
using DssAddition = Dss;

// DssCounts says how many items an update added (after dropping duplicates) and how many VRI
// entries it wrote.
struct DssCounts {
  std::size_t certs = 0;
  std::size_t ocsps = 0;
  std::size_t crls = 0;
  std::size_t vri = 0;
};

// add_dss makes, on writer, the changes that merge addition into the document's /DSS: every
// existing entry is kept where it is, each new DER item becomes one new stream unless the same
// bytes are already in the DSS (or earlier in the addition), and every VRI entry of the addition
// is written with /Cert, /OCSP, /CRL arrays referring to those streams (merged with an existing
// entry of the same key) and, when tu is given, /TU. The DSS dictionary is written as a new
// object that the catalog's /DSS then names (a document without one gets /Type /DSS); the old
// dictionary and every stream stay untouched. The caller builds the update. Fails with kMalformed when the
// existing /DSS, its arrays or its VRI dictionary have the wrong type, or qpdf cannot read them.
Result<DssCounts> add_dss(PdfDocument& document, IncrementalWriter& writer,
                          const DssAddition& addition,
                          std::optional<std::chrono::system_clock::time_point> tu);

}  // namespace pactum::pdf
