#pragma once

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include "pactum/base/error.h"

namespace pactum::pdf {

// PageLookup is one page found in the page tree and the number of pages in the document.
struct PageLookup {
  QPDFObjectHandle page;
  int page_count = 0;
};

// find_page returns page `number` (1-based) by descending the page tree along /Count, resolving
// only the nodes on the way, not every page (qpdf's getAllPages resolves them all, which costs
// far more than a signature on long documents). Falls back to qpdf's full walk when the tree's
// counts do not add up. Fails with kInvalidArgument when number is out of range and kMalformed
// when the document has no pages. qpdf exceptions propagate to the caller's guard.
Result<PageLookup> find_page(QPDF& qpdf, int number);

}  // namespace pactum::pdf
