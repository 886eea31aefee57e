#include "pactum/pdf/form_fields.h"

#include <set>

namespace pactum::pdf {
namespace {

constexpr int kMaxDepth = 32;

// is_field reports whether a kid is a field of its own (it has a name) rather than only a widget.
bool is_field(QPDFObjectHandle kid) { return kid.isDictionary() && kid.hasKey("/T"); }

void walk(QPDFObjectHandle field, const std::string& prefix, std::string inherited_type,
          QPDFObjectHandle inherited_value, int depth, std::set<QPDFObjGen>& seen,
          std::vector<FormField>& out) {
  if (!field.isDictionary() || depth > kMaxDepth) {
    return;
  }
  if (field.isIndirect() && !seen.insert(field.getObjGen()).second) {
    return;
  }
  QPDFObjectHandle title = field.getKey("/T");
  std::string name = prefix;
  if (title.isString()) {
    name += (prefix.empty() ? "" : ".") + title.getUTF8Value();
  }
  QPDFObjectHandle type = field.getKey("/FT");
  if (type.isName()) {
    inherited_type = type.getName();
  }
  QPDFObjectHandle value = field.getKey("/V");
  if (!value.isNull()) {
    inherited_value = value;
  }
  bool has_field_kids = false;
  QPDFObjectHandle kids = field.getKey("/Kids");
  if (kids.isArray()) {
    for (auto& kid : kids.aitems()) {
      if (is_field(kid)) {
        has_field_kids = true;
        walk(kid, name, inherited_type, inherited_value, depth + 1, seen, out);
      }
    }
  }
  if (!has_field_kids) {
    out.push_back({name, inherited_type, field, inherited_value});
  }
}

}  // namespace

std::vector<FormField> terminal_fields(QPDF& qpdf) {
  std::vector<FormField> out;
  QPDFObjectHandle fields = qpdf.getRoot().getKey("/AcroForm").getKey("/Fields");
  if (!fields.isArray()) {
    return out;
  }
  std::set<QPDFObjGen> seen;
  for (auto& field : fields.aitems()) {
    walk(field, "", "", QPDFObjectHandle::newNull(), 0, seen, out);
  }
  return out;
}

QPDFObjectHandle first_widget(QPDFObjectHandle field) {
  if (field.getKey("/Subtype").isNameAndEquals("/Widget")) {
    return field;
  }
  QPDFObjectHandle kids = field.getKey("/Kids");
  if (kids.isArray()) {
    for (auto& kid : kids.aitems()) {
      if (kid.isDictionary() && kid.getKey("/Subtype").isNameAndEquals("/Widget")) {
        return kid;
      }
    }
  }
  return QPDFObjectHandle::newNull();
}

}  // namespace pactum::pdf
