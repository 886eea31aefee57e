#pragma once

#include <string>
#include <vector>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

namespace pactum::pdf {

// FormField is a terminal field of the AcroForm: one that holds a value rather than only kids.
struct FormField {
  std::string name;         // fully qualified: the /T of every ancestor, joined with '.'
  std::string type;         // inherited /FT: "/Sig", "/Tx", ...; empty when unset
  QPDFObjectHandle object;  // the field dictionary
  QPDFObjectHandle value;   // inherited /V, null when unset
};

// terminal_fields walks /AcroForm /Fields and returns every terminal field in document order.
// Loops and absurd depths in a damaged field tree are cut, not followed; qpdf exceptions from
// damaged objects propagate to the caller's guard.
std::vector<FormField> terminal_fields(QPDF& qpdf);

// first_widget returns the field itself when field and widget are merged, else its first kid
// that is a widget, else null.
QPDFObjectHandle first_widget(QPDFObjectHandle field);

}  // namespace pactum::pdf
