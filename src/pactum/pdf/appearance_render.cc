#include "pactum/pdf/appearance_render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <numbers>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pactum::pdf {
namespace {

// RAII for the C objects of cairo, pango and glib: each unique_ptr releases its one reference.
struct CairoSurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoContextDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct CairoFontOptionsDeleter {
  void operator()(cairo_font_options_t* options) const { cairo_font_options_destroy(options); }
};
struct PangoFontDescriptionDeleter {
  void operator()(PangoFontDescription* desc) const { pango_font_description_free(desc); }
};
struct GObjectDeleter {
  void operator()(PangoLayout* layout) const { g_object_unref(layout); }
};

using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter>;
using ContextPtr = std::unique_ptr<cairo_t, CairoContextDeleter>;
using FontOptionsPtr = std::unique_ptr<cairo_font_options_t, CairoFontOptionsDeleter>;
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, PangoFontDescriptionDeleter>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;

constexpr const char* kFontFamily = "Noto Sans CJK SC";
// kCreationDate is the fixed /CreationDate of every appearance, so equal specs give equal bytes.
constexpr const char* kCreationDate = "2000-01-01T00:00:00Z";
constexpr double kMaxFontSize = 18.0;  // points; a roomy box gets stamp-sized text, not a poster
constexpr double kMinFontSize = 0.5;   // points; below this the text is clipped instead
constexpr double kBehindImageAlpha = 0.45;
constexpr int kMinSealSize = 32;
constexpr int kMaxSealSize = 4096;
constexpr std::size_t kMaxSealTextBytes = 64;
constexpr std::array<std::uint8_t, 8> kPngSignature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

// Box is an axis-aligned rectangle in user space (points, y down).
struct Box {
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;
};

// PngReader is the closure of read_png_chunk: the PNG bytes and how many were consumed.
struct PngReader {
  ByteView data;
  std::size_t offset = 0;
};

// read_png_chunk hands cairo the next length bytes of the PNG, or fails if fewer remain.
cairo_status_t read_png_chunk(void* closure, unsigned char* out, unsigned int length) {
  auto* reader = static_cast<PngReader*>(closure);
  if (length > reader->data.size() - reader->offset) {
    return CAIRO_STATUS_READ_ERROR;
  }
  const ByteView chunk = reader->data.subspan(reader->offset, length);
  std::copy(chunk.begin(), chunk.end(), out);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

// append_chunk appends what cairo writes to the Bytes behind closure. No exception may unwind
// through cairo's C frames, so an allocation failure becomes a cairo status.
cairo_status_t append_chunk(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<Bytes*>(closure);
  const std::span<const unsigned char> chunk(data, length);
  try {
    out->insert(out->end(), chunk.begin(), chunk.end());
  } catch (const std::bad_alloc&) {
    return CAIRO_STATUS_NO_MEMORY;
  }
  return CAIRO_STATUS_SUCCESS;
}

std::uint32_t read_be32(ByteView four) {
  return (std::uint32_t{four[0]} << 24U) | (std::uint32_t{four[1]} << 16U) |
         (std::uint32_t{four[2]} << 8U) | std::uint32_t{four[3]};
}

// check_png_header checks the signature and the IHDR chunk before cairo decodes anything, so a
// tiny file announcing a gigantic image is refused before it is allocated.
Status check_png_header(ByteView png) {
  if (png.size() > kMaxAppearanceImageBytes) {
    return fail(ErrorCode::kUnsupported,
                fmt::format("appearance image is {} bytes, more than the {} allowed", png.size(),
                            kMaxAppearanceImageBytes));
  }
  // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
  constexpr std::size_t kHeaderSize = 24;
  if (png.size() < kHeaderSize) {
    return fail(ErrorCode::kMalformed, "appearance image is too short to be a PNG", png.size());
  }
  if (!std::ranges::equal(png.first(kPngSignature.size()), kPngSignature)) {
    return fail(ErrorCode::kMalformed, "appearance image is not a PNG (bad signature)", 0);
  }
  if (as_chars(png.subspan(12, 4)) != "IHDR") {
    return fail(ErrorCode::kMalformed, "appearance image PNG does not start with IHDR", 12);
  }
  const std::uint64_t width = read_be32(png.subspan(16, 4));
  const std::uint64_t height = read_be32(png.subspan(20, 4));
  if (width == 0 || height == 0) {
    return fail(ErrorCode::kMalformed, "appearance image PNG has an empty size", 16);
  }
  if (width * height > kMaxAppearanceImagePixels) {
    return fail(ErrorCode::kUnsupported,
                fmt::format("appearance image is {}x{} pixels, more than the {} allowed", width,
                            height, kMaxAppearanceImagePixels));
  }
  return {};
}

// decode_png turns PNG bytes into a cairo image surface, refusing trailing bytes after IEND.
Result<SurfacePtr> decode_png(ByteView png) {
  if (auto header = check_png_header(png); !header) {
    return std::unexpected(std::move(header.error()));
  }
  PngReader reader{png, 0};
  SurfacePtr image(cairo_image_surface_create_from_png_stream(read_png_chunk, &reader));
  // cairo reports every libpng error (bad CRC, truncated data) as CAIRO_STATUS_NO_MEMORY, so no
  // status can be told apart from a broken file; the header check above bounds the allocation.
  const cairo_status_t status = cairo_surface_status(image.get());
  if (status != CAIRO_STATUS_SUCCESS) {
    return fail(ErrorCode::kMalformed, fmt::format("appearance image is not a valid PNG: {}",
                                                   cairo_status_to_string(status)));
  }
  if (reader.offset != png.size()) {
    return fail(ErrorCode::kMalformed, "appearance image has bytes after the end of the PNG",
                reader.offset);
  }
  if (cairo_image_surface_get_width(image.get()) <= 0 ||
      cairo_image_surface_get_height(image.get()) <= 0) {
    return fail(ErrorCode::kMalformed, "appearance image PNG has an empty size");
  }
  return image;
}

// check_text accepts UTF-8 without control characters (a line break inside a line would make
// more lines than the caller asked for).
Status check_text(std::string_view text, std::string_view what) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr) == FALSE) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("{} is not valid UTF-8", what));
  }
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20U || byte == 0x7fU) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("{} holds control character 0x{:02x}", what, byte));
    }
  }
  return {};
}

Status check_spec(const AppearanceSpec& spec) {
  for (const double side : {spec.width, spec.height}) {
    if (!std::isfinite(side) || side <= 0 || side > kMaxAppearanceSide) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("appearance size {} x {} is not within (0, {}] points", spec.width,
                              spec.height, kMaxAppearanceSide));
    }
  }
  if (spec.lines.size() > kMaxAppearanceLines) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("appearance has {} lines, more than the {} allowed", spec.lines.size(),
                            kMaxAppearanceLines));
  }
  for (const std::string& line : spec.lines) {
    if (line.size() > kMaxAppearanceLineBytes) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("appearance line is {} bytes, more than the {} allowed", line.size(),
                              kMaxAppearanceLineBytes));
    }
    if (auto ok = check_text(line, "appearance line"); !ok) {
      return ok;
    }
  }
  return {};
}

// make_layout creates a pango layout for cr whose metrics are unhinted, so that text measured
// at one size scales linearly to any other and lands where it was measured in the PDF.
Result<LayoutPtr> make_layout(cairo_t* cr) {
  LayoutPtr layout(pango_cairo_create_layout(cr));
  if (layout == nullptr) {
    return fail(ErrorCode::kInternal, "pango could not create a layout");
  }
  const FontOptionsPtr options(cairo_font_options_create());
  if (cairo_font_options_status(options.get()) != CAIRO_STATUS_SUCCESS) {
    return fail(ErrorCode::kInternal, "cairo could not create font options");
  }
  cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
  PangoContext* context = pango_layout_get_context(layout.get());
  pango_cairo_context_set_font_options(context, options.get());
  pango_context_set_round_glyph_positions(context, FALSE);
  pango_layout_context_changed(layout.get());
  return layout;
}

// set_font sets the layout's font to the family at size points (user-space units).
void set_font(PangoLayout* layout, PangoFontDescription* desc, double size) {
  pango_font_description_set_absolute_size(desc, size * PANGO_SCALE);
  pango_layout_set_font_description(layout, desc);
}

// logical_box returns the layout's logical extents in points.
Box logical_box(PangoLayout* layout) {
  PangoRectangle logical{};
  pango_layout_get_extents(layout, nullptr, &logical);
  const double scale = PANGO_SCALE;
  return Box{logical.x / scale, logical.y / scale, logical.width / scale, logical.height / scale};
}

// draw_image paints image into box, scaled to fit with its aspect ratio kept, centred.
void draw_image(cairo_t* cr, cairo_surface_t* image, Box box, double alpha) {
  const double image_w = cairo_image_surface_get_width(image);
  const double image_h = cairo_image_surface_get_height(image);
  if (box.w <= 0 || box.h <= 0) {
    return;
  }
  const double scale = std::min(box.w / image_w, box.h / image_h);
  const double x = box.x + (box.w - image_w * scale) / 2;
  const double y = box.y + (box.h - image_h * scale) / 2;
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, scale, scale);
  cairo_set_source_surface(cr, image, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  if (alpha < 1.0) {
    cairo_paint_with_alpha(cr, alpha);
  } else {
    cairo_paint(cr);
  }
  cairo_restore(cr);
}

// draw_text sets the lines, left-aligned and vertically centred in box, at the largest size up
// to kMaxFontSize at which all of them fit.
Status draw_text(cairo_t* cr, const std::vector<std::string>& lines, Box box) {
  if (lines.empty() || box.w <= 0 || box.h <= 0) {
    return {};
  }
  std::string text = lines.front();
  for (std::size_t i = 1; i < lines.size(); ++i) {
    text += '\n';
    text += lines[i];
  }
  auto layout = make_layout(cr);
  if (!layout) {
    return std::unexpected(std::move(layout.error()));
  }
  PangoLayout* const lay = layout->get();
  const FontDescriptionPtr desc(pango_font_description_new());
  pango_font_description_set_family(desc.get(), kFontFamily);
  pango_font_description_set_weight(desc.get(), PANGO_WEIGHT_NORMAL);
  pango_layout_set_text(lay, text.data(), static_cast<int>(text.size()));
  pango_layout_set_alignment(lay, PANGO_ALIGN_LEFT);

  // Measure once at a reference size, scale, then re-measure and shrink until it fits: unhinted
  // metrics are linear up to rounding to pango units, so this settles in one or two rounds.
  constexpr double kReferenceSize = 100.0;
  set_font(lay, desc.get(), kReferenceSize);
  Box extents = logical_box(lay);
  auto fit_ratio = [&box](const Box& e) {
    double ratio = 1e9;
    if (e.w > 0) {
      ratio = std::min(ratio, box.w / e.w);
    }
    if (e.h > 0) {
      ratio = std::min(ratio, box.h / e.h);
    }
    return ratio;
  };
  double size = std::clamp(kReferenceSize * fit_ratio(extents), kMinFontSize, kMaxFontSize);
  for (int round = 0; round < 4; ++round) {
    set_font(lay, desc.get(), size);
    extents = logical_box(lay);
    const double ratio = fit_ratio(extents);
    if (ratio >= 1.0 || size <= kMinFontSize) {
      break;
    }
    size = std::max(kMinFontSize, size * ratio * 0.999);
  }

  cairo_save(cr);
  cairo_rectangle(cr, box.x, box.y, box.w, box.h);
  cairo_clip(cr);
  cairo_set_source_rgb(cr, 0.08, 0.08, 0.08);
  cairo_move_to(cr, box.x - extents.x, box.y + (box.h - extents.h) / 2 - extents.y);
  pango_cairo_show_layout(cr, lay);
  cairo_restore(cr);
  return {};
}

// draw_appearance lays out and draws the whole appearance onto cr.
Status draw_appearance(cairo_t* cr, const AppearanceSpec& spec, cairo_surface_t* image) {
  const double pad = std::min(spec.width, spec.height) * 0.05;
  const Box inner{pad, pad, spec.width - 2 * pad, spec.height - 2 * pad};
  const bool has_text = !spec.lines.empty();
  if (image == nullptr) {
    return draw_text(cr, spec.lines, inner);
  }
  if (!has_text) {
    draw_image(cr, image, inner, 1.0);
    return {};
  }
  // A wide box puts the image on the left at full strength, like a stamp beside the signer's
  // details, leaving at least 55% of the width to the text; a narrow one puts it behind the text,
  // faded so the text stays legible, as a seal pressed over a signature.
  const double aspect = static_cast<double>(cairo_image_surface_get_width(image)) /
                        static_cast<double>(cairo_image_surface_get_height(image));
  if (inner.w >= 1.5 * inner.h) {
    const double image_w = std::min(inner.h * aspect, inner.w * 0.45);
    draw_image(cr, image, Box{inner.x, inner.y, image_w, inner.h}, 1.0);
    const double text_x = inner.x + image_w + pad;
    return draw_text(cr, spec.lines, Box{text_x, inner.y, inner.x + inner.w - text_x, inner.h});
  }
  draw_image(cr, image, inner, kBehindImageAlpha);
  return draw_text(cr, spec.lines, inner);
}

// utf8_characters splits valid UTF-8 into its characters (code points).
std::vector<std::string_view> utf8_characters(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t n = 1;
    if (lead >= 0xf0U) {
      n = 4;
    } else if (lead >= 0xe0U) {
      n = 3;
    } else if (lead >= 0xc0U) {
      n = 2;
    }
    n = std::min(n, text.size() - i);
    out.push_back(text.substr(i, n));
    i += n;
  }
  return out;
}

// draw_star fills a five-pointed star of outer radius r centred at (cx, cy), point up.
void draw_star(cairo_t* cr, double cx, double cy, double r) {
  constexpr double kInnerRatio = 0.382;  // the regular pentagram
  for (int i = 0; i < 10; ++i) {
    const double radius = (i % 2 == 0) ? r : r * kInnerRatio;
    const double angle = -std::numbers::pi / 2 + i * std::numbers::pi / 5;
    const double x = cx + radius * std::cos(angle);
    const double y = cy + radius * std::sin(angle);
    if (i == 0) {
      cairo_move_to(cr, x, y);
    } else {
      cairo_line_to(cr, x, y);
    }
  }
  cairo_close_path(cr);
  cairo_fill(cr);
}

// draw_seal draws the demo seal of side size onto cr.
Status draw_seal(cairo_t* cr, std::string_view text, double size) {
  const double center = size / 2;
  const double ring_width = size * 0.045;
  const double ring_radius = center - ring_width / 2 - size * 0.02;
  cairo_set_source_rgb(cr, 0.82, 0.07, 0.07);
  cairo_set_line_width(cr, ring_width);
  cairo_arc(cr, center, center, ring_radius, 0, 2 * std::numbers::pi);
  cairo_stroke(cr);
  draw_star(cr, center, center, size * 0.17);

  const std::vector<std::string_view> characters = utf8_characters(text);
  if (characters.empty()) {
    return {};
  }
  auto layout = make_layout(cr);
  if (!layout) {
    return std::unexpected(std::move(layout.error()));
  }
  PangoLayout* const lay = layout->get();
  const FontDescriptionPtr desc(pango_font_description_new());
  pango_font_description_set_family(desc.get(), kFontFamily);
  pango_font_description_set_weight(desc.get(), PANGO_WEIGHT_BOLD);

  // Characters stand on the inside of the ring, tops outward, spread evenly over the top arc and
  // centred on it; a long text gets a smaller font rather than more than 240 degrees.
  constexpr double kMaxSpan = 240.0 * std::numbers::pi / 180.0;
  double font_size = size * 0.13;
  const double outer_edge = ring_radius - ring_width / 2 - size * 0.025;
  const double count = static_cast<double>(characters.size());
  double step = font_size * 1.1 / (outer_edge - font_size / 2);
  if (step * count > kMaxSpan) {
    const double shrink = kMaxSpan / (step * count);
    step *= shrink;
    font_size *= shrink;
  }
  set_font(lay, desc.get(), font_size);
  const double first = -step * (count - 1) / 2;
  for (std::size_t i = 0; i < characters.size(); ++i) {
    const std::string_view character = characters[i];
    pango_layout_set_text(lay, character.data(), static_cast<int>(character.size()));
    const Box extents = logical_box(lay);
    cairo_save(cr);
    cairo_translate(cr, center, center);
    cairo_rotate(cr, first + step * static_cast<double>(i));
    cairo_translate(cr, 0, -outer_edge);
    cairo_move_to(cr, -extents.w / 2 - extents.x, -extents.y);
    pango_cairo_update_layout(cr, lay);
    pango_cairo_show_layout(cr, lay);
    cairo_restore(cr);
  }
  return {};
}

}  // namespace

Result<Bytes> render_appearance_pdf(const AppearanceSpec& spec) {
  if (auto ok = check_spec(spec); !ok) {
    return std::unexpected(std::move(ok.error()));
  }
  SurfacePtr image;
  if (!spec.image_png.empty()) {
    auto decoded = decode_png(spec.image_png);
    if (!decoded) {
      return std::unexpected(std::move(decoded.error()));
    }
    image = std::move(*decoded);
  }

  // out outlives the surface: destroying an unfinished surface still writes into it.
  Bytes out;
  SurfacePtr pdf(cairo_pdf_surface_create_for_stream(append_chunk, &out, spec.width, spec.height));
  if (cairo_surface_status(pdf.get()) != CAIRO_STATUS_SUCCESS) {
    return fail(ErrorCode::kInternal,
                fmt::format("cairo could not create a PDF surface: {}",
                            cairo_status_to_string(cairo_surface_status(pdf.get()))));
  }
  cairo_pdf_surface_set_metadata(pdf.get(), CAIRO_PDF_METADATA_CREATE_DATE, kCreationDate);
  cairo_pdf_surface_set_metadata(pdf.get(), CAIRO_PDF_METADATA_CREATOR, "Pactum");
  {
    const ContextPtr cr(cairo_create(pdf.get()));
    if (auto drawn = draw_appearance(cr.get(), spec, image.get()); !drawn) {
      return std::unexpected(std::move(drawn.error()));
    }
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      return fail(ErrorCode::kInternal,
                  fmt::format("cairo failed drawing the appearance: {}",
                              cairo_status_to_string(cairo_status(cr.get()))));
    }
  }
  cairo_surface_finish(pdf.get());
  if (cairo_surface_status(pdf.get()) != CAIRO_STATUS_SUCCESS) {
    return fail(ErrorCode::kInternal,
                fmt::format("cairo failed writing the appearance PDF: {}",
                            cairo_status_to_string(cairo_surface_status(pdf.get()))));
  }
  pdf.reset();
  return out;
}

Result<Bytes> render_demo_seal_png(std::string_view text, int size_px) {
  if (size_px < kMinSealSize || size_px > kMaxSealSize) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("seal size {} px is not within [{}, {}]",
                                                         size_px, kMinSealSize, kMaxSealSize));
  }
  if (text.size() > kMaxSealTextBytes) {
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("seal text is {} bytes, more than the {} allowed", text.size(),
                            kMaxSealTextBytes));
  }
  if (auto ok = check_text(text, "seal text"); !ok) {
    return std::unexpected(std::move(ok.error()));
  }
  const SurfacePtr image(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, size_px, size_px));
  if (cairo_surface_status(image.get()) != CAIRO_STATUS_SUCCESS) {
    return fail(ErrorCode::kInternal, "cairo could not create the seal image");
  }
  {
    const ContextPtr cr(cairo_create(image.get()));
    if (auto drawn = draw_seal(cr.get(), text, static_cast<double>(size_px)); !drawn) {
      return std::unexpected(std::move(drawn.error()));
    }
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      return fail(ErrorCode::kInternal,
                  fmt::format("cairo failed drawing the seal: {}",
                              cairo_status_to_string(cairo_status(cr.get()))));
    }
  }
  cairo_surface_flush(image.get());
  Bytes out;
  const cairo_status_t status = cairo_surface_write_to_png_stream(image.get(), append_chunk, &out);
  if (status != CAIRO_STATUS_SUCCESS) {
    return fail(ErrorCode::kInternal, fmt::format("cairo could not encode the seal PNG: {}",
                                                  cairo_status_to_string(status)));
  }
  return out;
}

}  // namespace pactum::pdf
