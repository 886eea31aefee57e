#include "pactum/pdf/page_tree.h"

#include <set>

#include <fmt/format.h>
#include <qpdf/QPDFPageDocumentHelper.hh>

namespace pactum::pdf {
namespace {

constexpr int kMaxDepth = 64;

bool is_page_node(QPDFObjectHandle node) {
  return node.getKey("/Type").isNameAndEquals("/Pages") || node.getKey("/Kids").isArray();
}

// descend follows /Count down the tree; returns null when the counts are inconsistent.
QPDFObjectHandle descend(QPDFObjectHandle node, long long index) {
  std::set<QPDFObjGen> seen;
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    if (node.isIndirect() && !seen.insert(node.getObjGen()).second) {
      return QPDFObjectHandle::newNull();
    }
    QPDFObjectHandle kids = node.getKey("/Kids");
    if (!kids.isArray()) {
      return QPDFObjectHandle::newNull();
    }
    bool went_down = false;
    for (auto& kid : kids.aitems()) {
      if (!kid.isDictionary()) {
        return QPDFObjectHandle::newNull();
      }
      if (is_page_node(kid)) {
        QPDFObjectHandle count = kid.getKey("/Count");
        if (!count.isInteger() || count.getIntValue() < 0) {
          return QPDFObjectHandle::newNull();
        }
        if (index < count.getIntValue()) {
          node = kid;
          went_down = true;
          break;
        }
        index -= count.getIntValue();
      } else {
        if (index == 0) {
          return kid;
        }
        --index;
      }
    }
    if (!went_down) {
      return QPDFObjectHandle::newNull();
    }
  }
  return QPDFObjectHandle::newNull();
}

Result<PageLookup> checked(QPDFObjectHandle page, int count, int number) {
  if (count < 1) {
    return fail(ErrorCode::kMalformed, "the document has no pages");
  }
  if (number < 1 || number > count) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("page {} is out of range: the document has {} page{}", number, count,
                            count == 1 ? "" : "s"));
  }
  return PageLookup{page, count};
}

}  // namespace

Result<PageLookup> find_page(QPDF& qpdf, int number) {
  QPDFObjectHandle root = qpdf.getRoot().getKey("/Pages");
  QPDFObjectHandle count = root.getKey("/Count");
  if (count.isInteger() && count.getIntValue() > 0 && count.getIntValue() < (1LL << 30)) {
    const int total = static_cast<int>(count.getIntValue());
    if (number >= 1 && number <= total) {
      QPDFObjectHandle page = descend(root, number - 1);
      if (page.isDictionary()) {
        return PageLookup{page, total};
      }
    }
  }
  // Out of range by the counts, or the counts are missing or wrong: let qpdf walk (and repair)
  // the whole tree, which settles both.
  auto pages = QPDFPageDocumentHelper(qpdf).getAllPages();
  const int total = static_cast<int>(pages.size());
  if (number >= 1 && number <= total) {
    return PageLookup{pages.at(static_cast<std::size_t>(number - 1)).getObjectHandle(), total};
  }
  return checked(QPDFObjectHandle::newNull(), total, number);
}

}  // namespace pactum::pdf
