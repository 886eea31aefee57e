#include "pactum/pdf/appearance_render.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <set>
#include <sstream>
#include <string>
#include <vector>

// LeakSanitizer suppressions for this test binary, for leaks inside the system libraries that
// are not ours to fix: cairo 1.16.0 loses about 768 bytes in cairo_surface_finish for every PDF
// surface that drew text (reproduced with a plain C program that only shows one pango layout),
// and fontconfig keeps match results and its configuration in caches it never frees, some
// reached only from pango's font-loading thread. A leak of our own (a cairo surface, a pango
// layout) is allocated elsewhere and still reported. The system libraries are built without frame
// pointers, so the fast unwinder stops at their first frame and would not see
// cairo_surface_finish: slow unwinding on malloc keeps the suppression that narrow (the binary
// runs about three times slower under ASan). Both hooks are read only by the sanitizer runtime;
// ASAN_OPTIONS and LSAN_OPTIONS still override them.
extern "C" const char* __lsan_default_suppressions() {  // NOLINT(bugprone-reserved-identifier)
  return "leak:cairo_surface_finish\n"
         "leak:libfontconfig.so\n";
}
extern "C" const char* __asan_default_options() {  // NOLINT(bugprone-reserved-identifier)
  return "fast_unwind_on_malloc=0";
}

namespace pactum::pdf {
namespace {

// Resources collects what a page draws with, looking into form XObjects, tiling patterns and
// soft-mask groups as well, since cairo may put transparent drawing into groups.
struct Resources {
  std::vector<QPDFObjectHandle> fonts;
  std::vector<QPDFObjectHandle> images;
};

void collect(QPDFObjectHandle resources, Resources& found, std::set<QPDFObjGen>& seen);

void collect_from_stream(QPDFObjectHandle stream, Resources& found, std::set<QPDFObjGen>& seen) {
  if (!stream.isStream()) {
    return;
  }
  if (stream.isIndirect() && !seen.insert(stream.getObjGen()).second) {
    return;
  }
  QPDFObjectHandle dict = stream.getDict();
  if (dict.getKey("/Subtype").isNameAndEquals("/Image")) {
    found.images.push_back(stream);
    return;
  }
  collect(dict.getKey("/Resources"), found, seen);
}

void collect(QPDFObjectHandle resources, Resources& found, std::set<QPDFObjGen>& seen) {
  if (!resources.isDictionary()) {
    return;
  }
  QPDFObjectHandle fonts = resources.getKey("/Font");
  if (fonts.isDictionary()) {
    for (auto& [name, font] : fonts.ditems()) {
      found.fonts.push_back(font);
    }
  }
  for (const char* key : {"/XObject", "/Pattern"}) {
    QPDFObjectHandle group = resources.getKey(key);
    if (group.isDictionary()) {
      for (auto& [name, object] : group.ditems()) {
        collect_from_stream(object, found, seen);
      }
    }
  }
  QPDFObjectHandle states = resources.getKey("/ExtGState");
  if (states.isDictionary()) {
    for (auto& [name, state] : states.ditems()) {
      QPDFObjectHandle mask = state.isDictionary() ? state.getKey("/SMask") : state;
      if (mask.isDictionary()) {
        collect_from_stream(mask.getKey("/G"), found, seen);
      }
    }
  }
}

// Parsed is an appearance PDF opened with qpdf plus what its single page uses. It owns a copy of
// the bytes, since qpdf reads lazily from a memory file it does not copy.
struct Parsed {
  Bytes bytes;
  std::shared_ptr<QPDF> pdf = std::make_shared<QPDF>();
  std::vector<QPDFPageObjectHelper> pages;
  Resources resources;
};

Parsed parse(const Bytes& bytes) {
  Parsed parsed;
  parsed.bytes = bytes;
  parsed.pdf->processMemoryFile(
      "appearance.pdf", reinterpret_cast<const char*>(parsed.bytes.data()), parsed.bytes.size());
  parsed.pages = QPDFPageDocumentHelper(*parsed.pdf).getAllPages();
  std::set<QPDFObjGen> seen;
  for (QPDFPageObjectHelper& page : parsed.pages) {
    collect(page.getAttribute("/Resources", false), parsed.resources, seen);
  }
  return parsed;
}

bool has_subset_prefix(const std::string& base_font) {
  // "/ABCDEF+Name": a slash, six upper-case letters, a plus.
  if (base_font.size() < 9 || base_font[0] != '/' || base_font[7] != '+') {
    return false;
  }
  return std::all_of(base_font.begin() + 1, base_font.begin() + 7,
                     [](char c) { return c >= 'A' && c <= 'Z'; });
}

// embedded_subset_fonts counts fonts whose program is embedded (FontFile2 or FontFile3, through
// the descendant of a Type0 font) and whose BaseFont carries a subset tag.
int embedded_subset_fonts(const Resources& resources) {
  int count = 0;
  for (QPDFObjectHandle font : resources.fonts) {
    QPDFObjectHandle descriptor_owner = font;
    if (font.getKey("/Subtype").isNameAndEquals("/Type0")) {
      descriptor_owner = font.getKey("/DescendantFonts").getArrayItem(0);
    }
    QPDFObjectHandle descriptor = descriptor_owner.getKey("/FontDescriptor");
    const bool embedded =
        descriptor.isDictionary() &&
        (descriptor.getKey("/FontFile2").isStream() || descriptor.getKey("/FontFile3").isStream());
    QPDFObjectHandle base = font.getKey("/BaseFont");
    if (embedded && base.isName() && has_subset_prefix(base.getName())) {
      ++count;
    }
  }
  return count;
}

int images_with_smask(const Resources& resources) {
  return static_cast<int>(std::count_if(
      resources.images.begin(), resources.images.end(),
      [](QPDFObjectHandle image) { return image.getDict().getKey("/SMask").isStream(); }));
}

Bytes demo_seal() {
  auto seal = render_demo_seal_png("测试合同专用章 PACTUM", 256);
  EXPECT_TRUE(seal.has_value()) << (seal ? "" : seal.error().describe());
  return seal.value_or(Bytes{});
}

AppearanceSpec chinese_spec(double width, double height) {
  AppearanceSpec spec;
  spec.width = width;
  spec.height = height;
  spec.lines = {"签署人: 张三", "Time: 2026-11-25 10:00:00 UTC", "Reason: 同意"};
  return spec;
}

void expect_media_box(const Parsed& parsed, double width, double height) {
  ASSERT_EQ(parsed.pages.size(), 1U);
  QPDFPageObjectHelper page = parsed.pages.front();
  QPDFObjectHandle box = page.getMediaBox();
  ASSERT_TRUE(box.isArray());
  ASSERT_EQ(box.getArrayNItems(), 4);
  const double expected[4] = {0, 0, width, height};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(box.getArrayItem(i).getNumericValue(), expected[i], 0.01)
        << "MediaBox[" << i << "]";
  }
}

TEST(AppearanceRenderTest, PageIsExactlyTheRequestedSize) {
  AppearanceSpec spec;
  spec.width = 200.5;
  spec.height = 70.25;
  spec.lines = {"Signed by: Alice Example", "Reason: Approved"};
  auto pdf = render_appearance_pdf(spec);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  expect_media_box(parse(*pdf), 200.5, 70.25);
}

TEST(AppearanceRenderTest, ChineseTextEmbedsASubsetFont) {
  auto pdf = render_appearance_pdf(chinese_spec(220, 80));
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  const Parsed parsed = parse(*pdf);
  expect_media_box(parsed, 220, 80);
  ASSERT_FALSE(parsed.resources.fonts.empty());
  EXPECT_GE(embedded_subset_fonts(parsed.resources), 1);
  EXPECT_TRUE(parsed.resources.images.empty());
}

TEST(AppearanceRenderTest, DemoSealIsAnRgbaPng) {
  const Bytes seal = demo_seal();
  ASSERT_GE(seal.size(), 33U);
  const Bytes signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  EXPECT_TRUE(std::equal(signature.begin(), signature.end(), seal.begin()));
  // IHDR: width 256, height 256, bit depth 8, colour type 6 (RGB with alpha).
  EXPECT_EQ(seal.at(16 + 2), 1);
  EXPECT_EQ(seal.at(20 + 2), 1);
  EXPECT_EQ(seal.at(24), 8);
  EXPECT_EQ(seal.at(25), 6);
}

TEST(AppearanceRenderTest, DemoSealRejectsBadArguments) {
  EXPECT_EQ(render_demo_seal_png("x", 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(render_demo_seal_png("x", 100000).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(render_demo_seal_png("\xff", 64).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(render_demo_seal_png(std::string(65, 'a'), 64).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(render_demo_seal_png("", 64).has_value());
}

TEST(AppearanceRenderTest, SealAloneIsAnImageWithSoftMask) {
  AppearanceSpec spec;
  spec.width = 100;
  spec.height = 100;
  spec.image_png = demo_seal();
  auto pdf = render_appearance_pdf(spec);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  const Parsed parsed = parse(*pdf);
  expect_media_box(parsed, 100, 100);
  EXPECT_GE(images_with_smask(parsed.resources), 1);
}

TEST(AppearanceRenderTest, SealBesideTextInAWideBox) {
  AppearanceSpec spec = chinese_spec(260, 80);
  spec.image_png = demo_seal();
  auto pdf = render_appearance_pdf(spec);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  const Parsed parsed = parse(*pdf);
  expect_media_box(parsed, 260, 80);
  EXPECT_GE(images_with_smask(parsed.resources), 1);
  EXPECT_GE(embedded_subset_fonts(parsed.resources), 1);
}

TEST(AppearanceRenderTest, SealBehindTextInANarrowBox) {
  AppearanceSpec spec = chinese_spec(120, 110);
  spec.image_png = demo_seal();
  auto pdf = render_appearance_pdf(spec);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  const Parsed parsed = parse(*pdf);
  expect_media_box(parsed, 120, 110);
  EXPECT_GE(images_with_smask(parsed.resources), 1);
  EXPECT_GE(embedded_subset_fonts(parsed.resources), 1);
}

TEST(AppearanceRenderTest, OutputIsReproducible) {
  AppearanceSpec spec = chinese_spec(260, 80);
  spec.image_png = demo_seal();
  auto first = render_appearance_pdf(spec);
  auto second = render_appearance_pdf(spec);
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(*first, *second);
}

TEST(AppearanceRenderTest, ExtremeButValidShapesRender) {
  AppearanceSpec spec = chinese_spec(400, 6);  // very flat
  spec.lines.push_back(std::string(1000, 'W'));
  EXPECT_TRUE(render_appearance_pdf(spec).has_value());
  spec = chinese_spec(0.5, kMaxAppearanceSide);  // tiny and tall
  spec.image_png = demo_seal();
  auto pdf = render_appearance_pdf(spec);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  expect_media_box(parse(*pdf), 0.5, kMaxAppearanceSide);
  spec.lines = {"", ""};  // empty lines only
  EXPECT_TRUE(render_appearance_pdf(spec).has_value());
}

TEST(AppearanceRenderTest, InvalidPngIsMalformed) {
  AppearanceSpec spec = chinese_spec(200, 80);
  spec.image_png = Bytes{'n', 'o', 't', ' ', 'a', ' ', 'p', 'n', 'g'};
  EXPECT_EQ(render_appearance_pdf(spec).error().code, ErrorCode::kMalformed);

  const Bytes seal = demo_seal();
  spec.image_png.assign(seal.begin(), seal.begin() + static_cast<std::ptrdiff_t>(seal.size() / 2));
  EXPECT_EQ(render_appearance_pdf(spec).error().code, ErrorCode::kMalformed);

  spec.image_png = seal;
  spec.image_png.push_back(0);  // trailing garbage after IEND
  EXPECT_EQ(render_appearance_pdf(spec).error().code, ErrorCode::kMalformed);

  spec.image_png = seal;
  spec.image_png.at(40) ^= 0x55U;  // corrupt data: the chunk CRC no longer matches
  EXPECT_EQ(render_appearance_pdf(spec).error().code, ErrorCode::kMalformed);
}

TEST(AppearanceRenderTest, HugeImageHeaderIsRefusedBeforeDecoding) {
  AppearanceSpec spec = chinese_spec(200, 80);
  spec.image_png = demo_seal();
  // Claim 65536 x 65536 pixels in IHDR.
  for (std::size_t offset : {16U, 20U}) {
    spec.image_png.at(offset) = 0;
    spec.image_png.at(offset + 1) = 1;
    spec.image_png.at(offset + 2) = 0;
    spec.image_png.at(offset + 3) = 0;
  }
  EXPECT_EQ(render_appearance_pdf(spec).error().code, ErrorCode::kUnsupported);
}

TEST(AppearanceRenderTest, BadSizesAreInvalidArguments) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<double, double>> sizes = {
      {0, 80}, {200, 0}, {-1, 80}, {200, -5}, {14400.5, 80}, {200, 1e9}, {nan, 80}, {200, inf}};
  for (const auto& [width, height] : sizes) {
    auto result = render_appearance_pdf(chinese_spec(width, height));
    ASSERT_FALSE(result.has_value()) << width << " x " << height;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << width << " x " << height;
  }
}

TEST(AppearanceRenderTest, BadTextIsInvalidArgument) {
  AppearanceSpec spec = chinese_spec(200, 80);
  spec.lines.push_back("bad \xe4\xb8");  // truncated UTF-8 sequence
  EXPECT_EQ(render_appearance_pdf(spec).error().code, ErrorCode::kInvalidArgument);

  spec = chinese_spec(200, 80);
  spec.lines.push_back("two\nlines");
  EXPECT_EQ(render_appearance_pdf(spec).error().code, ErrorCode::kInvalidArgument);

  spec = chinese_spec(200, 80);
  spec.lines.assign(kMaxAppearanceLines + 1, "line");
  EXPECT_EQ(render_appearance_pdf(spec).error().code, ErrorCode::kInvalidArgument);

  spec = chinese_spec(200, 80);
  spec.lines.push_back(std::string(kMaxAppearanceLineBytes + 1, 'a'));
  EXPECT_EQ(render_appearance_pdf(spec).error().code, ErrorCode::kInvalidArgument);
}

// Raster is an RGB image read from a binary PPM (P6) as pdftoppm writes it.
struct Raster {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> rgb;
};

bool read_ppm(const std::filesystem::path& path, Raster& raster) {
  std::ifstream in(path, std::ios::binary);
  std::string magic;
  int max_value = 0;
  in >> magic >> raster.width >> raster.height >> max_value;
  if (!in || magic != "P6" || max_value != 255 || raster.width <= 0 || raster.height <= 0) {
    return false;
  }
  in.get();  // the single whitespace after the header
  raster.rgb.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return raster.rgb.size() ==
         static_cast<std::size_t>(raster.width) * static_cast<std::size_t>(raster.height) * 3U;
}

// rasterize renders the PDF with pdftoppm at 72 dpi; returns false if that is not possible.
bool rasterize(const Bytes& pdf, const std::string& name, Raster& raster) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("pactum_appearance_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path input = dir / (name + ".pdf");
  {
    std::ofstream out(input, std::ios::binary);
    out.write(reinterpret_cast<const char*>(pdf.data()), static_cast<std::streamsize>(pdf.size()));
  }
  const std::filesystem::path prefix = dir / name;
  const std::string command =
      "pdftoppm -r 72 -singlefile '" + input.string() + "' '" + prefix.string() + "' 2>/dev/null";
  const bool ok = std::system(command.c_str()) == 0 && read_ppm(prefix.string() + ".ppm", raster);
  std::filesystem::remove_all(dir);
  return ok;
}

bool have_pdftoppm() { return std::system("pdftoppm -v >/dev/null 2>&1") == 0; }

struct InkCount {
  int dark = 0;  // text
  int red = 0;   // seal
};

InkCount count_ink(const Raster& raster) {
  InkCount count;
  for (std::size_t i = 0; i + 2 < raster.rgb.size(); i += 3) {
    const int r = raster.rgb[i];
    const int g = raster.rgb[i + 1];
    const int b = raster.rgb[i + 2];
    if (r < 110 && g < 110 && b < 110) {
      ++count.dark;
    }
    if (r > 150 && g < 110 && b < 110) {
      ++count.red;
    }
  }
  return count;
}

TEST(AppearanceRenderTest, RasterizedAppearanceShowsTextAndSeal) {
  if (!have_pdftoppm()) {
    GTEST_SKIP() << "pdftoppm (poppler-utils) is not installed";
  }
  AppearanceSpec spec = chinese_spec(260, 80);
  spec.image_png = demo_seal();
  auto pdf = render_appearance_pdf(spec);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  Raster raster;
  ASSERT_TRUE(rasterize(*pdf, "wide", raster));
  EXPECT_EQ(raster.width, 260);
  EXPECT_EQ(raster.height, 80);
  const InkCount ink = count_ink(raster);
  EXPECT_GT(ink.dark, 100);
  EXPECT_GT(ink.red, 100);

  // The seal sits in the left part, the text to its right: no dark text pixels in the first
  // columns, no red seal pixels in the right half.
  int red_right = 0;
  int dark_left = 0;
  for (int y = 0; y < raster.height; ++y) {
    for (int x = 0; x < raster.width; ++x) {
      const std::size_t i = (static_cast<std::size_t>(y) * 260U + static_cast<std::size_t>(x)) * 3U;
      const int r = raster.rgb[i];
      const int g = raster.rgb[i + 1];
      const int b = raster.rgb[i + 2];
      if (x > 130 && r > 150 && g < 110 && b < 110) {
        ++red_right;
      }
      if (x < 40 && r < 110 && g < 110 && b < 110) {
        ++dark_left;
      }
    }
  }
  EXPECT_EQ(red_right, 0);
  EXPECT_EQ(dark_left, 0);
}

TEST(AppearanceRenderTest, RasterizedTextOnlyAppearanceIsNotBlank) {
  if (!have_pdftoppm()) {
    GTEST_SKIP() << "pdftoppm (poppler-utils) is not installed";
  }
  auto pdf = render_appearance_pdf(chinese_spec(180, 60));
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  Raster raster;
  ASSERT_TRUE(rasterize(*pdf, "text", raster));
  const InkCount ink = count_ink(raster);
  EXPECT_GT(ink.dark, 100);
  EXPECT_EQ(ink.red, 0);
}

}  // namespace
}  // namespace pactum::pdf
