#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/bytes.h"
#include "pactum/base/error.h"

namespace pactum::pdf {

// kMaxAppearanceSide is the largest width or height, in points, of an appearance (200 inches,
// which is also the largest page side PDF viewers are required to handle).
inline constexpr double kMaxAppearanceSide = 14400.0;

// kMaxAppearanceLines is the largest number of text lines an appearance may carry.
inline constexpr std::size_t kMaxAppearanceLines = 32;

// kMaxAppearanceLineBytes is the largest size of one text line, in UTF-8 bytes.
inline constexpr std::size_t kMaxAppearanceLineBytes = 1024;

// kMaxAppearanceImageBytes is the largest encoded PNG an appearance accepts.
inline constexpr std::size_t kMaxAppearanceImageBytes = 8U * 1024U * 1024U;

// kMaxAppearanceImagePixels is the largest decoded PNG, in pixels (width times height), an
// appearance accepts; the PNG header is checked before any decoding so a small file that claims
// a huge image is refused without allocating for it.
inline constexpr std::size_t kMaxAppearanceImagePixels = 16U * 1024U * 1024U;

// AppearanceSpec describes what a visible signature shows.
struct AppearanceSpec {
  // width is the width of the signature rectangle in points; must be > 0 and at most
  // kMaxAppearanceSide.
  double width = 0;
  // height is the height of the signature rectangle in points; same bounds as width.
  double height = 0;
  // image_png is an optional seal or handwriting image, PNG encoded, which may have an alpha
  // channel; empty means no image.
  Bytes image_png;
  // lines are UTF-8 text lines (Chinese and/or English), drawn top to bottom, never wrapped.
  std::vector<std::string> lines;
};

// render_appearance_pdf draws the appearance of a visible signature into a one-page PDF whose
// page (MediaBox) is exactly spec.width x spec.height points, and returns the PDF bytes. The
// background stays transparent. The image, if any, is scaled to fit preserving its aspect ratio:
// on the left of the text when the box is wide enough, otherwise centred and semi-transparent
// behind the text. The text is set in "Noto Sans CJK SC" at one size chosen so that the longest
// line fits the width and all lines fit the height (at most 18 pt); its fonts are embedded as
// subsets. The output is deterministic for equal specs (fixed creation date).
//
// Fails, returning no bytes, with kInvalidArgument for a non-positive, non-finite or absurd size
// (> kMaxAppearanceSide), more than kMaxAppearanceLines lines, a line over
// kMaxAppearanceLineBytes, text that is not valid UTF-8 or that holds control characters; with
// kMalformed for image_png that is not a valid PNG (including trailing bytes after its end);
// with kUnsupported for a PNG over kMaxAppearanceImageBytes or kMaxAppearanceImagePixels; with
// kInternal if cairo or pango fail while drawing. The caller owns the returned bytes; the function
// keeps no state between calls and may be called from several threads.
Result<Bytes> render_appearance_pdf(const AppearanceSpec& spec);

// render_demo_seal_png draws a round red demonstration seal, size_px x size_px pixels on a
// transparent background: a ring, a five-pointed star in the middle and text set along the top
// of the ring. It returns the PNG bytes (RGBA, with alpha). It is meant for demos and tests, not
// as a legal seal.
//
// Fails with kInvalidArgument if size_px is outside [32, 4096], text is longer than 64 bytes or
// not valid UTF-8; with kInternal if cairo fails.
Result<Bytes> render_demo_seal_png(std::string_view text, int size_px);

}  // namespace pactum::pdf
