#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include "pactum/base/bytes.h"

namespace pactum::fixtures {

// filler returns about n bytes of pseudo-random printable comment lines (a fixed sequence).
inline std::string filler(std::size_t n) {
  std::string out;
  out.reserve(n + 80);
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  while (out.size() < n) {
    out += "\n%";
    for (int i = 0; i < 76; ++i) {
      state ^= state << 13U;
      state ^= state >> 7U;
      state ^= state << 17U;
      out += static_cast<char>('!' + static_cast<int>(state % 90U));
    }
  }
  return out;
}

// classic_pdf builds a valid PDF 1.4 with a classic cross-reference table and `pages` pages of
// text, computing every offset, so tests and benchmarks do not depend on outside files. With
// filler_bytes > 0 the first page's content stream carries that many bytes of incompressible
// comment lines (invisible), to make files of a chosen size.
inline Bytes classic_pdf(int pages, bool final_newline = true, std::size_t filler_bytes = 0) {
  std::vector<std::string> objects;
  std::string kids;
  for (int i = 0; i < pages; ++i) {
    kids += fmt::format("{} 0 R ", 4 + 2 * i);
  }
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back(fmt::format("<< /Type /Pages /Kids [{}] /Count {} >>", kids, pages));
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  for (int i = 0; i < pages; ++i) {
    std::string text = fmt::format("BT /F1 24 Tf 72 720 Td (Page {}) Tj ET", i + 1);
    if (i == 0 && filler_bytes > 0) {
      text += filler(filler_bytes);
    }
    objects.push_back(fmt::format(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R "
        ">> >> /Contents {} 0 R >>",
        5 + 2 * i));
    objects.push_back(
        fmt::format("<< /Length {} >>\nstream\n{}\nendstream", text.size() + 1, text));
  }
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += fmt::format("{} 0 obj\n{}\nendobj\n", i + 1, objects[i]);
  }
  const std::size_t xref = out.size();
  out += fmt::format("xref\n0 {}\n0000000000 65535 f\r\n", objects.size() + 1);
  for (const std::size_t offset : offsets) {
    out += fmt::format("{:010} 00000 n\r\n", offset);
  }
  out += fmt::format(
      "trailer\n<< /Size {} /Root 1 0 R /ID [<00112233445566778899aabbccddeeff> "
      "<00112233445566778899aabbccddeeff>] >>\nstartxref\n{}\n%%EOF",
      objects.size() + 1, xref);
  if (final_newline) {
    out += "\n";
  }
  return Bytes(out.begin(), out.end());
}

// rewrite runs qpdf's writer over a PDF, e.g. to make an xref-stream or linearized variant.
inline Bytes rewrite(const Bytes& pdf, bool object_streams, bool linearize) {
  QPDF qpdf;
  qpdf.processMemoryFile("in", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  QPDFWriter writer(qpdf);
  writer.setOutputMemory();
  writer.setStaticID(true);
  if (object_streams) {
    writer.setObjectStreamMode(qpdf_o_generate);
  }
  writer.setLinearization(linearize);
  writer.write();
  std::unique_ptr<Buffer> buffer(writer.getBuffer());
  return Bytes(buffer->getBuffer(), buffer->getBuffer() + buffer->getSize());
}

// with_empty_signature_field adds an unsigned signature field `name` with a widget on page 1
// at [x y x+w y+h] and rewrites the file with qpdf, as a form designer would produce it.
inline Bytes with_empty_signature_field(const Bytes& pdf, const std::string& name, double x,
                                        double y, double w, double h) {
  QPDF qpdf;
  qpdf.processMemoryFile("in", reinterpret_cast<const char*>(pdf.data()), pdf.size());  // NOLINT
  QPDFObjectHandle page = qpdf.getRoot().getKey("/Pages").getKey("/Kids").getArrayItem(0);
  QPDFObjectHandle field = qpdf.makeIndirectObject(QPDFObjectHandle::parse(
      fmt::format("<< /Type /Annot /Subtype /Widget /FT /Sig /F 4 /Rect [{} {} {} {}] >>", x, y,
                  x + w, y + h)));
  field.replaceKey("/T", QPDFObjectHandle::newUnicodeString(name));
  field.replaceKey("/P", page);
  page.replaceKey("/Annots", QPDFObjectHandle::newArray({field}));
  qpdf.getRoot().replaceKey("/AcroForm",
                            qpdf.makeIndirectObject(QPDFObjectHandle::parse("<< /Fields [] >>")));
  qpdf.getRoot().getKey("/AcroForm").getKey("/Fields").appendItem(field);
  QPDFWriter writer(qpdf);
  writer.setOutputMemory();
  writer.setStaticID(true);
  writer.write();
  std::unique_ptr<Buffer> buffer(writer.getBuffer());
  return Bytes(buffer->getBuffer(), buffer->getBuffer() + buffer->getSize());
}

}  // namespace pactum::fixtures
