#include "pactum/pdf/signature_field.h"

#include <array>
#include <map>
#include <set>

#include <fmt/format.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include "pactum/pdf/form_fields.h"
#include "pactum/pdf/page_tree.h"
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
    form = writer.add_object(QPDFObjectHandle::newDictionary());
    if (root.hasKey("/AcroForm")) {
      root.replaceKey("/AcroForm", form);  // replaces a value that is not a dictionary
      writer.mark_changed(root);
    } else {
      root.replaceKey("/AcroForm", form);
      writer.edit_original(root, {DictEdit::Kind::kInsertKey, "/AcroForm", form.unparse()});
    }
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
    if (annots.isIndirect()) {
      writer.mark_changed(annots);
    } else {
      writer.edit_original(page, {DictEdit::Kind::kAppendToArray, "/Annots", widget.unparse()});
    }
  } else {
    const bool had_key = page.hasKey("/Annots");
    page.replaceKey("/Annots", QPDFObjectHandle::newArray({widget}));
    if (had_key) {
      writer.mark_changed(page);  // a broken /Annots value is replaced
    } else {
      writer.edit_original(
          page, {DictEdit::Kind::kInsertKey, "/Annots", fmt::format("[{}]", widget.unparse())});
    }
  }
}

// page_rotation returns the page's /Rotate (inherited through /Parent), normalised to 0, 90, 180
// or 270.
int page_rotation(QPDFObjectHandle page) {
  constexpr int kMaxDepth = 64;
  for (int depth = 0; depth < kMaxDepth && page.isDictionary(); ++depth) {
    QPDFObjectHandle rotate = page.getKey("/Rotate");
    if (rotate.isInteger()) {
      const long long r = ((rotate.getIntValue() % 360) + 360) % 360;
      return r % 90 == 0 ? static_cast<int>(r) : 0;
    }
    page = page.getKey("/Parent");
  }
  return 0;
}

std::string unused_field_name(QPDF& qpdf) {
  std::set<std::string> taken;
  for (FormField& field : terminal_fields(qpdf)) {
    taken.insert(field.name);
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
  std::string known;
  for (FormField& field : terminal_fields(qpdf)) {
    if (field.name != name) {
      known += (known.empty() ? "" : ", ") + field.name;
      continue;
    }
    if (field.type != "/Sig") {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("field {} is not a signature field (its type is {})", name,
                              field.type.empty() ? "unset" : field.type));
    }
    if (!field.value.isNull()) {
      return fail(ErrorCode::kRefused, fmt::format("signature field {} is already signed", name));
    }
    QPDFObjectHandle field_object = field.object;
    field_object.replaceKey("/V", signature);
    writer.mark_changed(field_object);
    register_field(qpdf, writer, QPDFObjectHandle::newNull());

    QPDFObjectHandle widget = first_widget(field_object);
    if (widget.isNull()) {
      return fail(ErrorCode::kMalformed, fmt::format("signature field {} has no widget", name));
    }
    PlacedField placed{widget, name, 0, 0, page_rotation(widget.getKey("/P"))};
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
  const int page_number = request.page.value_or(1);
  auto lookup = find_page(qpdf, page_number);
  if (!lookup) {
    return std::unexpected(lookup.error());
  }
  QPDFObjectHandle page = lookup->page;
  Rect rect;
  if (request.rect) {
    rect = *request.rect;
    if (!(rect.width > 0 && rect.height > 0 && rect.width <= kMaxRectSide &&
          rect.height <= kMaxRectSide)) {
      return fail(ErrorCode::kInvalidArgument,
                  "the signature rectangle must have a positive width and height");
    }
    const auto box = QPDFPageObjectHelper(page).getMediaBox().getArrayAsRectangle();
    if (rect.x >= box.urx || rect.y >= box.ury || rect.x + rect.width <= box.llx ||
        rect.y + rect.height <= box.lly) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("the signature rectangle lies outside page {} ({} {} {} {})",
                              page_number, box.llx, box.lly, box.urx, box.ury));
    }
  }
  const std::string name = unused_field_name(qpdf);
  QPDFObjectHandle widget = writer.add_object(QPDFObjectHandle::parse(
      fmt::format("<< /Type /Annot /Subtype /Widget /FT /Sig /F {} /Rect [{} {} {} {}] >>",
                  kWidgetFlags, rect.x, rect.y, rect.x + rect.width, rect.y + rect.height)));
  widget.replaceKey("/T", QPDFObjectHandle::newUnicodeString(name));
  widget.replaceKey("/V", signature);
  widget.replaceKey("/P", page);
  add_to_page(writer, page, widget);
  register_field(qpdf, writer, widget);
  return PlacedField{widget, name, rect.width, rect.height, page_rotation(page)};
}

// ForeignCopier copies a graph of objects from another QPDF (the rendered appearance) into the
// update as new objects numbered by the writer. qpdf's copyForeignObject would do the same but
// makes qpdf resolve every object of the target document first.
class ForeignCopier {
 public:
  explicit ForeignCopier(IncrementalWriter& writer) : writer_(writer) {}

  // copy returns the target counterpart of foreign: a reference for an indirect object (copied
  // once), a fresh direct object otherwise.
  QPDFObjectHandle copy(QPDFObjectHandle foreign, int depth = 0) {
    if (depth > kMaxDepth) {
      throw std::runtime_error("the appearance's objects nest too deeply");
    }
    if (foreign.isIndirect()) {
      const auto known = copied_.find(foreign.getObjGen());
      if (known != copied_.end()) {
        return known->second;
      }
      if (foreign.isStream()) {
        QPDFObjectHandle dict = copy_stream_dict(foreign.getDict(), depth + 1);
        const std::shared_ptr<Buffer> data = foreign.getRawStreamData();
        QPDFObjectHandle reference =
            writer_.add_stream(dict, Bytes(data->getBuffer(), data->getBuffer() + data->getSize()));
        copied_[foreign.getObjGen()] = reference;
        return reference;
      }
      // Reserve the number first, so a cycle through this object finds it.
      QPDFObjectHandle reference = writer_.add_object(QPDFObjectHandle::newDictionary());
      copied_[foreign.getObjGen()] = reference;
      QPDFObjectHandle value = copy_direct(foreign, depth + 1);
      writer_.replace_new_object(reference, value);
      return reference;
    }
    return copy_direct(foreign, depth + 1);
  }

  // copy_stream_dict copies a stream's dictionary without /Length, which the writer sets.
  QPDFObjectHandle copy_stream_dict(QPDFObjectHandle dict, int depth = 0) {
    QPDFObjectHandle out = QPDFObjectHandle::newDictionary();
    for (auto& [key, value] : dict.ditems()) {
      if (key != "/Length") {
        out.replaceKey(key, copy(value, depth + 1));
      }
    }
    return out;
  }

 private:
  static constexpr int kMaxDepth = 64;

  QPDFObjectHandle copy_direct(QPDFObjectHandle foreign, int depth) {
    if (foreign.isArray()) {
      QPDFObjectHandle out = QPDFObjectHandle::newArray();
      for (auto& item : foreign.aitems()) {
        out.appendItem(copy(item, depth));
      }
      return out;
    }
    if (foreign.isDictionary()) {
      QPDFObjectHandle out = QPDFObjectHandle::newDictionary();
      for (auto& [key, value] : foreign.ditems()) {
        out.replaceKey(key, copy(value, depth));
      }
      return out;
    }
    // Scalars: rebuilt from their text so nothing of the other document is shared.
    return QPDFObjectHandle::parse(foreign.unparse());
  }

  IncrementalWriter& writer_;
  std::map<QPDFObjGen, QPDFObjectHandle> copied_;
};

}  // namespace

Result<PlacedField> place_signature_field(PdfDocument& document, IncrementalWriter& writer,
                                          const FieldRequest& request, QPDFObjectHandle signature) {
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
  (void)document;
  return guarded(ErrorCode::kMalformed, "cannot import the signature appearance", [&] {
    QPDF foreign;
    foreign.setSuppressWarnings(true);
    foreign.processMemoryFile("appearance",
                              reinterpret_cast<const char*>(appearance_pdf.data()),  // NOLINT
                              appearance_pdf.size());
    auto pages = QPDFPageDocumentHelper(foreign).getAllPages();
    if (pages.empty()) {
      throw std::runtime_error("the appearance has no page");
    }
    QPDFObjectHandle form = pages.front().getFormXObjectForPage();
    ForeignCopier copier(writer);
    QPDFObjectHandle dict = copier.copy_stream_dict(form.getDict());
    // Turn the drawing counter-clockwise by the page's clockwise rotation; the viewer maps the
    // turned box onto the widget's rectangle (ISO 32000-1, 12.5.5).
    static constexpr std::array<const char*, 4> kMatrices = {"[1 0 0 1 0 0]", "[0 1 -1 0 0 0]",
                                                             "[-1 0 0 -1 0 0]", "[0 -1 1 0 0 0]"};
    dict.replaceKey(
        "/Matrix",
        QPDFObjectHandle::parse(kMatrices.at(static_cast<std::size_t>(field.page_rotation / 90))));
    const std::shared_ptr<Buffer> data = form.getRawStreamData();
    QPDFObjectHandle appearance = QPDFObjectHandle::newDictionary();
    appearance.replaceKey(
        "/N",
        writer.add_stream(dict, Bytes(data->getBuffer(), data->getBuffer() + data->getSize())));
    field.widget.replaceKey("/AP", appearance);
    writer.mark_changed(field.widget);
  });
}

}  // namespace pactum::pdf
