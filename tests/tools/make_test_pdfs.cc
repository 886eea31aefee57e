// make_test_pdfs OUTDIR writes the PDFs (and a PNG stamp image) that the interop suite signs when
// it must stand alone, without the shared corpus. Each file has a different structure:
//
//   classic-1.4.pdf      PDF 1.4, classic xref table, five pages of different sizes, page 4 /Rotate
//   90 objstm.pdf           the same pages, xref stream + object streams linearized.pdf       the
//   same pages, linearized pdf-2.0.pdf          the same pages, PDF 2.0 header, xref stream
//   form-signer1.pdf     one page, an AcroForm with an empty signature field "Signer1" whose widget
//                        sits on page 1 at kSigFieldRect
//   incremental.pdf      classic-1.4.pdf plus a hand-written incremental update (a new /Info, a new
//                        content stream on page 1, the page rewritten; xref section + trailer with
//                        /Prev)
//   stamp.png            a 120x60 RGBA image with transparency, stored (uncompressed) deflate
//
// Output is deterministic. Exit 0 on success, 1 with a message on stderr on failure.

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct PageSpec {
  int width;
  int height;
  int rotate;
};

// The pages of the multi-page documents: letter, A4, landscape A4, a small rotated page, legal.
constexpr std::array<PageSpec, 5> kPages{
    {{612, 792, 0}, {595, 842, 0}, {842, 595, 0}, {300, 400, 90}, {612, 1008, 0}}};

// Where the empty signature field of form-signer1.pdf sits on its page (x0 y0 x1 y1).
constexpr std::array<int, 4> kSigFieldRect{{72, 72, 272, 132}};

std::string page_content(int number, const PageSpec& spec) {
  std::string s;
  // A light frame and a few coloured bars so that most of the page carries ink.
  s += "q 0.9 0.95 1 rg 10 10 " + std::to_string(spec.width - 20) + " " +
       std::to_string(spec.height - 20) + " re f Q\n";
  s += "q 0.2 0.4 0.8 RG 2 w 10 10 " + std::to_string(spec.width - 20) + " " +
       std::to_string(spec.height - 20) + " re S Q\n";
  for (int i = 0; i < 6; ++i) {
    const int y = 30 + i * (spec.height - 60) / 6;
    s += "q " + std::to_string(0.1 * i) + " 0.6 " + std::to_string(1.0 - 0.1 * i) + " rg 20 " +
         std::to_string(y) + " " + std::to_string(spec.width - 40) + " 8 re f Q\n";
  }
  s += "BT /F1 18 Tf 30 " + std::to_string(spec.height - 50) + " Td (Pactum interop page " +
       std::to_string(number) + ": " + std::to_string(spec.width) + " x " +
       std::to_string(spec.height) + " rot " + std::to_string(spec.rotate) + ") Tj ET\n";
  return s;
}

QPDFObjectHandle add_page(QPDF& pdf, int number, const PageSpec& spec) {
  QPDFObjectHandle page = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      &pdf, "<< /Type /Page /MediaBox [0 0 " + std::to_string(spec.width) + " " +
                std::to_string(spec.height) +
                "] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont "
                "/Helvetica /Encoding /WinAnsiEncoding >> >> >> >>"));
  page.replaceKey("/Contents", pdf.newStream(page_content(number, spec)));
  if (spec.rotate != 0) {
    page.replaceKey("/Rotate", QPDFObjectHandle::newInteger(spec.rotate));
  }
  QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(page), false);
  return page;
}

void build_pages(QPDF& pdf) {
  pdf.emptyPDF();
  int number = 1;
  for (const auto& spec : kPages) {
    add_page(pdf, number++, spec);
  }
  pdf.getTrailer().replaceKey(
      "/Info", pdf.makeIndirectObject(QPDFObjectHandle::parse(
                   &pdf, "<< /Title (Pactum interop test) /Producer (make_test_pdfs) >>")));
}

void build_form(QPDF& pdf) {
  pdf.emptyPDF();
  QPDFObjectHandle page = add_page(pdf, 1, kPages[0]);
  const std::string rect =
      std::to_string(kSigFieldRect[0]) + " " + std::to_string(kSigFieldRect[1]) + " " +
      std::to_string(kSigFieldRect[2]) + " " + std::to_string(kSigFieldRect[3]);
  QPDFObjectHandle field = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      &pdf, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signer1) /F 4 /Rect [" + rect + "] >>"));
  field.replaceKey("/P", page);
  page.replaceKey("/Annots", QPDFObjectHandle::newArray(std::vector<QPDFObjectHandle>{field}));
  QPDFObjectHandle acroform = QPDFObjectHandle::newDictionary();
  acroform.replaceKey("/Fields", QPDFObjectHandle::newArray(std::vector<QPDFObjectHandle>{field}));
  pdf.getRoot().replaceKey("/AcroForm", pdf.makeIndirectObject(acroform));
}

std::string write_pdf(const std::function<void(QPDF&)>& build,
                      const std::function<void(QPDFWriter&)>& configure) {
  QPDF pdf;
  build(pdf);
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setDeterministicID(true);
  configure(writer);
  writer.write();
  const auto buffer = writer.getBufferSharedPointer();
  return {reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize()};
}

// xref_entry is one 20-byte classic xref line.
std::string xref_entry(std::size_t offset) {
  std::array<char, 32> line{};
  std::snprintf(line.data(), line.size(), "%010zu 00000 n\r\n", offset);
  return {line.data()};
}

// append_incremental_update adds, by hand, an update section to a classic-xref PDF: a new /Info
// dictionary, a new content stream drawn on top of page 1, and page 1 rewritten to use it.
std::string append_incremental_update(const std::string& original) {
  QPDF pdf;
  pdf.processMemoryFile("classic", original.data(), original.size());
  QPDFObjectHandle trailer = pdf.getTrailer();
  const long long size = trailer.getKey("/Size").getIntValue();
  const std::size_t prev = original.rfind("startxref");
  if (prev == std::string::npos) {
    throw std::runtime_error("no startxref in the classic file");
  }
  const std::size_t prev_offset = std::stoull(original.substr(prev + 9, 32));

  QPDFObjectHandle page = QPDFPageDocumentHelper(pdf).getAllPages().at(0).getObjectHandle();
  const int page_id = page.getObjectID();
  const int info_id = static_cast<int>(size);
  const int content_id = info_id + 1;

  std::string out = original;
  if (out.back() != '\n') {
    out += '\n';
  }
  const std::size_t info_offset = out.size();
  out += std::to_string(info_id) +
         " 0 obj\n<< /Title (Pactum interop test, updated) /Producer (make_test_pdfs "
         "incremental) >>\nendobj\n";
  const std::string stream =
      "q 0.8 0.1 0.1 rg 300 700 200 30 re f Q\n"
      "BT /F1 14 Tf 305 710 Td (added by an incremental update) Tj ET\n";
  const std::size_t content_offset = out.size();
  out += std::to_string(content_id) + " 0 obj\n<< /Length " + std::to_string(stream.size()) +
         " >>\nstream\n" + stream + "endstream\nendobj\n";

  // The new /Contents: the old stream(s), then the new one (which the QPDF object does not know).
  QPDFObjectHandle contents = page.getKey("/Contents");
  std::string new_contents = "[";
  if (contents.isArray()) {
    for (auto item : contents.getArrayAsVector()) {
      new_contents += " " + item.unparse();
    }
  } else {
    new_contents += " " + contents.unparse();
  }
  new_contents += " " + std::to_string(content_id) + " 0 R ]";
  // Serialise the page dictionary with the new /Contents; references unparse as "n g R".
  std::string page_text = "<<";
  for (const auto& key : page.getKeys()) {
    page_text += " " + key + " " + (key == "/Contents" ? new_contents : page.getKey(key).unparse());
  }
  page_text += " >>";
  const std::size_t page_offset = out.size();
  out += std::to_string(page_id) + " 0 obj\n" + page_text + "\nendobj\n";

  const std::size_t xref_offset = out.size();
  out += "xref\n";
  out += std::to_string(page_id) + " 1\n" + xref_entry(page_offset);
  out += std::to_string(info_id) + " 2\n" + xref_entry(info_offset) + xref_entry(content_offset);
  out += "trailer\n<< /Size " + std::to_string(content_id + 1) + " /Root " +
         trailer.getKey("/Root").unparse() + " /Info " + std::to_string(info_id) + " 0 R /Prev " +
         std::to_string(prev_offset) + " /ID " + trailer.getKey("/ID").unparse() +
         " >>\nstartxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
  return out;
}

std::uint32_t crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (const char ch : data) {
    crc ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) {
      crc = (crc & 1U) != 0 ? (crc >> 1U) ^ 0xEDB88320U : crc >> 1U;
    }
  }
  return crc ^ 0xFFFFFFFFU;
}

void put_u32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out += static_cast<char>((value >> static_cast<unsigned>(shift)) & 0xFFU);
  }
}

void png_chunk(std::string& out, std::string_view type, std::string_view data) {
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  std::string body(type);
  body += data;
  out += body;
  put_u32(out, crc32(body));
}

// make_png draws a 120x60 RGBA stamp: a red frame, a blue-to-green gradient, transparent corners.
std::string make_png() {
  constexpr std::uint32_t kWidth = 120;
  constexpr std::uint32_t kHeight = 60;
  std::string raw;
  for (std::uint32_t y = 0; y < kHeight; ++y) {
    raw += '\0';  // filter type None
    for (std::uint32_t x = 0; x < kWidth; ++x) {
      const bool frame = x < 4 || y < 4 || x >= kWidth - 4 || y >= kHeight - 4;
      const bool corner = (x < 12 || x >= kWidth - 12) && (y < 12 || y >= kHeight - 12);
      const auto r = static_cast<unsigned char>(frame ? 220 : 20);
      const auto g = static_cast<unsigned char>(frame ? 20 : 40 + (180 * x) / kWidth);
      const auto b = static_cast<unsigned char>(frame ? 20 : 220 - (180 * x) / kWidth);
      const auto a = static_cast<unsigned char>(corner ? 0 : 255);
      raw += static_cast<char>(r);
      raw += static_cast<char>(g);
      raw += static_cast<char>(b);
      raw += static_cast<char>(a);
    }
  }
  // zlib stream of stored deflate blocks (at most 65535 bytes each).
  std::string z = "\x78\x01";
  for (std::size_t pos = 0; pos < raw.size(); pos += 65535) {
    const std::size_t len = std::min<std::size_t>(65535, raw.size() - pos);
    const bool last = pos + len == raw.size();
    z += static_cast<char>(last ? 1 : 0);
    z += static_cast<char>(len & 0xFFU);
    z += static_cast<char>((len >> 8U) & 0xFFU);
    z += static_cast<char>(~len & 0xFFU);
    z += static_cast<char>((~len >> 8U) & 0xFFU);
    z += raw.substr(pos, len);
  }
  std::uint32_t s1 = 1;
  std::uint32_t s2 = 0;
  for (const char ch : raw) {
    s1 = (s1 + static_cast<unsigned char>(ch)) % 65521U;
    s2 = (s2 + s1) % 65521U;
  }
  put_u32(z, (s2 << 16U) | s1);

  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  put_u32(ihdr, kWidth);
  put_u32(ihdr, kHeight);
  ihdr += std::string("\x08\x06\x00\x00\x00", 5);  // 8-bit RGBA, deflate, no filter, no interlace
  png_chunk(png, "IHDR", ihdr);
  png_chunk(png, "IDAT", z);
  png_chunk(png, "IEND", "");
  return png;
}

void save(const std::filesystem::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_test_pdfs OUTDIR\n");
    return 2;
  }
  try {
    const std::filesystem::path dir(argv[1]);
    std::filesystem::create_directories(dir);

    const std::string classic = write_pdf(build_pages, [](QPDFWriter& w) {
      w.setObjectStreamMode(qpdf_o_disable);
      w.forcePDFVersion("1.4");
    });
    save(dir / "classic-1.4.pdf", classic);
    save(dir / "objstm.pdf", write_pdf(build_pages, [](QPDFWriter& w) {
           w.setObjectStreamMode(qpdf_o_generate);
           w.setMinimumPDFVersion("1.5");
         }));
    save(dir / "linearized.pdf", write_pdf(build_pages, [](QPDFWriter& w) {
           w.setObjectStreamMode(qpdf_o_disable);
           w.setLinearization(true);
         }));
    save(dir / "pdf-2.0.pdf", write_pdf(build_pages, [](QPDFWriter& w) {
           w.setObjectStreamMode(qpdf_o_generate);
           w.forcePDFVersion("2.0");
         }));
    save(dir / "form-signer1.pdf", write_pdf(build_form, [](QPDFWriter& w) {
           w.setObjectStreamMode(qpdf_o_disable);
           w.forcePDFVersion("1.7");
         }));
    save(dir / "incremental.pdf", append_incremental_update(classic));
    save(dir / "stamp.png", make_png());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_test_pdfs: %s\n", e.what());
    return 1;
  }
  return 0;
}
