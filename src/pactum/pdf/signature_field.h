#pragma once

#include <optional>
#include <string>

#include <qpdf/QPDFObjectHandle.hh>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"
#include "pactum/pdf/incremental_writer.h"
#include "pactum/pdf/pdf_document.h"

namespace pactum::pdf {

// Rect is a rectangle in PDF points: lower-left corner, width and height.
struct Rect {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

// FieldRequest says where a signature goes: into the existing empty signature field named
// existing_field, or into a new field, visible on page (1-based) at rect, or invisible when
// neither is given.
struct FieldRequest {
  std::optional<std::string> existing_field;
  std::optional<int> page;
  std::optional<Rect> rect;
};

// PlacedField is the widget that shows the signature, its size in the page's user space (zero
// when invisible) and the rotation of its page (0, 90, 180 or 270 degrees clockwise).
struct PlacedField {
  QPDFObjectHandle widget;
  std::string name;
  double width = 0;
  double height = 0;
  int page_rotation = 0;

  // upright_width and upright_height are the size as a reader sees it on the rotated page.
  [[nodiscard]] double upright_width() const { return page_rotation % 180 == 0 ? width : height; }
  [[nodiscard]] double upright_height() const { return page_rotation % 180 == 0 ? height : width; }
};

// place_signature_field finds or creates the signature field, points its /V at signature, adds
// the widget to its page and the field to the AcroForm (created if missing, /SigFlags 3), and
// marks every original object it changed on writer. Fails with kNotFound for an unknown field
// name, kInvalidArgument for a field that is not a signature field, a page out of range or an
// empty rectangle, and kRefused for a field that is already signed.
Result<PlacedField> place_signature_field(PdfDocument& document, IncrementalWriter& writer,
                                          const FieldRequest& request, QPDFObjectHandle signature);

// attach_appearance imports the one-page PDF appearance_pdf (drawn at the widget's upright size)
// as a form XObject, turned against the page's rotation so it reads upright, and makes it the
// widget's normal appearance. Fails with kMalformed if
// appearance_pdf cannot be read.
Status attach_appearance(PdfDocument& document, IncrementalWriter& writer, PlacedField& field,
                         ByteView appearance_pdf);

}  // namespace pactum::pdf
