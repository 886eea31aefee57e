#pragma once

// What the validator tests share: finding codes in a report, and the report as text for failure
// messages.

#include <algorithm>
#include <string>
#include <vector>

#include "pactum/pdf/validator.h"

namespace pactum::pdf::testing {

// has_code reports whether any finding of the report (document, signature or change) carries
// code.
inline bool has_code(const ValidationReport& report, const std::string& code) {
  auto in = [&](const std::vector<Finding>& list) {
    return std::any_of(list.begin(), list.end(), [&](const Finding& f) { return f.code == code; });
  };
  return in(report.document) ||
         std::any_of(report.signatures.begin(), report.signatures.end(),
                     [&](const SignatureReport& s) { return in(s.findings) || in(s.changes); });
}

// dump renders the report for a failure message.
inline std::string dump(const ValidationReport& report) { return render_validation_text(report); }

}  // namespace pactum::pdf::testing
