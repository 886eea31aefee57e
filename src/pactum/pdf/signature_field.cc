#include "pactum/pdf/signature_field.h"

#include <set>

#include <fmt/format.h>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include "pactum/pdf/qpdf_guard.h"

namespace pactum::pdf {
namespace {

// Widget flags: Print (4) and Locked (128), as signature widgets conventionally carry.
constexpr int kWidgetFlags = 132;
// AcroForm /SigFlags: SignaturesExist (1) and AppendOnly (2).
constexpr int kSigFlags = 3;
constexpr double kMaxRectSide = 14400;

// owner returns the indirect object that must be rewritten when object changes: object itself if
// it is indirect, otherwise its container.
QPDFObjectHandle owner(QPDFObjectHandle object, QPDFObjectHandle container) {
  return object.isIndirect() ? object : container;
}

void register_field(QPDF& qpdf, IncrementalWriter& writer, QPDFObjectHandle field) {
  QPDFObjectHandle root = qpdf.getRoot();
  QPDFObjectHandle form = root.getKey("/AcroForm");
  if (!form.isDictionary()) {
    form = qpdf.makeIndirectObject(QPDFObjectHandle::newDictionary());
    root.replaceKey("/AcroForm", form);
    writer.mark_changed(root);
  }
  QPDFObjectHandle form_owner = owner(form, root);
  QPDFObjectHandle flags = form.getKey("/SigFlags");
  if (!flags.isInteger() || flags.getIntValue() != kSigFlags) {
    form.replaceKey("/SigFlags", QPDFObjectHandle::newInteger(kSigFlags));
    writer.mark_changed(form_owner);
  }
  if (field.isNull()) {
    return;
  }
  QPDFObjectHandle fields = form.getKey("/Fields");
  if (!fields.isArray()) {
    fields = QPDFObjectHandle::newArray();
    form.replaceKey("/Fields", fields);
    writer.mark_changed(form_owner);
  }
  fields.appendItem(field);
  writer.mark_changed(owner(fields, form_owner));
}

void add_to_page(IncrementalWriter& writer, QPDFObjectHandle page, QPDFObjectHandle widget) {
  QPDFObjectHandle annots = page.getKey("/Annots");
  if (annots.isArray()) {
    annots.appendItem(widget);
    writer.mark_changed(owner(annots, page));
  } else {
    page.replaceKey("/Annots", QPDFObjectHandle::newArray({widget}));
    writer.mark_changed(page);
  }
}

// first_widget returns the field itself when field and widget are merged, else its first kid
// that is a widget, else null.
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

std::string unused_field_name(QPDF& qpdf) {
  std::set<std::string> taken;
  for (auto& field : QPDFAcroFormDocumentHelper(qpdf).getFormFields()) {
    taken.insert(field.getFullyQualifiedName());
  }
  for (int n = 1;; ++n) {
    std::string name = fmt::format("Signature{}", n);
    if (!taken.contains(name)) {
      return name;
    }
  }
}

Result<PlacedField> fill_existing(QPDF& qpdf, IncrementalWriter& writer, const std::string& name,
                                  QPDFObjectHandle signature) {
  QPDFAcroFormDocumentHelper form(qpdf);
  std::string known;
  for (auto& field : form.getFormFields()) {
    const std::string field_name = field.getFullyQualifiedName();
    if (field_name != name) {
      known += (known.empty() ? "" : ", ") + field_name;
      continue;
    }
    if (field.getFieldType() != "/Sig") {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("field {} is not a signature field (its type is {})", name,
                              field.getFieldType().empty() ? "unset" : field.getFieldType()));
    }
    if (!field.getValue().isNull()) {
      return fail(ErrorCode::kRefused, fmt::format("signature field {} is already signed", name));
    }
    QPDFObjectHandle field_object = field.getObjectHandle();
    field_object.replaceKey("/V", signature);
    writer.mark_changed(field_object);
    register_field(qpdf, writer, QPDFObjectHandle::newNull());

    QPDFObjectHandle widget = first_widget(field_object);
    if (widget.isNull()) {
      return fail(ErrorCode::kMalformed, fmt::format("signature field {} has no widget", name));
    }
    PlacedField placed{widget, name, 0, 0};
    QPDFObjectHandle rect = widget.getKey("/Rect");
    if (rect.isRectangle()) {
      const auto r = rect.getArrayAsRectangle();
      placed.width = std::abs(r.urx - r.llx);
      placed.height = std::abs(r.ury - r.lly);
    }
    return placed;
  }
  return fail(ErrorCode::kNotFound,
              fmt::format("no signature field named {} (fields in the document: {})", name,
                          known.empty() ? "none" : known));
}

Result<PlacedField> create_new(QPDF& qpdf, IncrementalWriter& writer, const FieldRequest& request,
                               QPDFObjectHandle signature) {
  auto pages = QPDFPageDocumentHelper(qpdf).getAllPages();
  const int page_number = request.page.value_or(1);
  if (page_number < 1 || static_cast<std::size_t>(page_number) > pages.size()) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("page {} is out of range: the document has {} page{}", page_number,
                            pages.size(), pages.size() == 1 ? "" : "s"));
  }
  QPDFObjectHandle page = pages.at(static_cast<std::size_t>(page_number - 1)).getObjectHandle();
  Rect rect;
  if (request.rect) {
    rect = *request.rect;
    if (!(rect.width > 0 && rect.height > 0 && rect.width <= kMaxRectSide &&
          rect.height <= kMaxRectSide)) {
      return fail(ErrorCode::kInvalidArgument,
                  "the signature rectangle must have a positive width and height");
    }
    const auto box = pages.at(static_cast<std::size_t>(page_number - 1)).getMediaBox().getArrayAsRectangle();
    if (rect.x >= box.urx || rect.y >= box.ury || rect.x + rect.width <= box.llx ||
        rect.y + rect.height <= box.lly) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("the signature rectangle lies outside page {} ({} {} {} {})",
                              page_number, box.llx, box.lly, box.urx, box.ury));
    }
  }
  const std::string name = unused_field_name(qpdf);
  QPDFObjectHandle widget = qpdf.makeIndirectObject(QPDFObjectHandle::parse(fmt::format(
      "<< /Type /Annot /Subtype /Widget /FT /Sig /F {} /Rect [{} {} {} {}] >>", kWidgetFlags,
      rect.x, rect.y, rect.x + rect.width, rect.y + rect.height)));
  widget.replaceKey("/T", QPDFObjectHandle::newUnicodeString(name));
  widget.replaceKey("/V", signature);
  widget.replaceKey("/P", page);
  add_to_page(writer, page, widget);
  register_field(qpdf, writer, widget);
  return PlacedField{widget, name, rect.width, rect.height};
}

}  // namespace

Result<PlacedField> place_signature_field(PdfDocument& document, IncrementalWriter& writer,
                                          const FieldRequest& request,
                                          QPDFObjectHandle signature) {
  QPDF& qpdf = document.qpdf();
  auto placed = guarded(ErrorCode::kMalformed, "cannot add the signature field", [&] {
    return request.existing_field ? fill_existing(qpdf, writer, *request.existing_field, signature)
                                  : create_new(qpdf, writer, request, signature);
  });
  if (!placed) {
    return std::unexpected(placed.error());
  }
  return *placed;
}

Status attach_appearance(PdfDocument& document, IncrementalWriter& writer, PlacedField& field,
                         ByteView appearance_pdf) {
  // The QPDF the appearance is copied from reads its bytes lazily, until the update is written.
  struct ForeignPdf {
    Bytes bytes;
    QPDF qpdf;
  };
  auto foreign = std::make_shared<ForeignPdf>();
  foreign->bytes.assign(appearance_pdf.begin(), appearance_pdf.end());
  return guarded(ErrorCode::kMalformed, "cannot import the signature appearance", [&] {
    foreign->qpdf.setSuppressWarnings(true);
    foreign->qpdf.processMemoryFile("appearance",
                                    reinterpret_cast<const char*>(foreign->bytes.data()),  // NOLINT
                                    foreign->bytes.size());
    auto pages = QPDFPageDocumentHelper(foreign->qpdf).getAllPages();
    if (pages.empty()) {
      throw std::runtime_error("the appearance has no page");
    }
    QPDFObjectHandle form = pages.front().getFormXObjectForPage();
    QPDFObjectHandle copied = document.qpdf().copyForeignObject(form);
    QPDFObjectHandle appearance = QPDFObjectHandle::newDictionary();
    appearance.replaceKey("/N", copied);
    field.widget.replaceKey("/AP", appearance);
    writer.mark_changed(field.widget);
    writer.keep_alive(foreign);
  });
}

}  // namespace pactum::pdf
