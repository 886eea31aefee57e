#pragma once

#include <exception>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>
#include <qpdf/QPDFExc.hh>

#include "pactum/base/error.h"

namespace pactum::pdf {

// guarded runs fn, which calls into qpdf, and turns what qpdf throws into an Error of the given
// code: this is the one place where qpdf's exceptions cross into our Result world. For a QPDFExc
// the byte offset qpdf reports is kept.
template <typename Fn>
auto guarded(ErrorCode code, std::string_view what, Fn&& fn) -> Result<std::invoke_result_t<Fn>> {
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<Fn>>) {
      fn();
      return {};
    } else {
      return fn();
    }
  } catch (const QPDFExc& e) {
    std::optional<std::uint64_t> offset;
    if (e.getFilePosition() > 0) {
      offset = static_cast<std::uint64_t>(e.getFilePosition());
    }
    return fail(code, fmt::format("{}: {}", what, e.getMessageDetail()), offset);
  } catch (const std::exception& e) {
    return fail(code, fmt::format("{}: {}", what, e.what()));
  }
}

}  // namespace pactum::pdf
