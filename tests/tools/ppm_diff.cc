// ppm_diff compares two binary PPM (P6) or PGM (P5) images, as written by pdftoppm without -png,
// and prints the bounding box of the pixels that differ, or "identical".
//
// Usage:
//   ppm_diff A.ppm B.ppm [options]
//
// Options:
//   --inside X0,Y0,X1,Y1   every differing pixel must lie in the pixel rectangle [X0,X1) x [Y0,Y1)
//                          (top-left origin, y down), widened by --margin.
//   --pdf-rect X,Y,W,H     the same check, with the rectangle given in PDF user space (points) and
//                          mapped to pixels with --box, --rotate and --dpi, the way pdftoppm
//                          renders a page (the box fills the image, turned clockwise by /Rotate).
//   --box X0,Y0,X1,Y1      the box that was rendered, in user space: the MediaBox for plain
//                          pdftoppm, the CropBox with pdftoppm -cropbox (default 0,0,612,792).
//   --rotate R             the page's /Rotate, a multiple of 90 (default 0).
//   --dpi D                the resolution the images were rendered at (default 72).
//   --margin M             pixels of slack around the rectangle for anti-aliasing (default 2).
//   --require-diff         fail when the images are identical (a visible change was expected).
//   --tolerance T          a sample differs only when it differs by more than T (default 0).
//
// Exit status: 0 when the check holds (without --inside/--pdf-rect: the images are identical),
// 1 when it does not, 2 on a usage error or an unreadable image.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Image {
  std::size_t width = 0;
  std::size_t height = 0;
  std::size_t channels = 0;          // 3 for P6, 1 for P5
  std::size_t bytes_per_sample = 1;  // 2 when maxval > 255
  std::vector<unsigned char> data;
};

// Rect is a half-open rectangle [x0,x1) x [y0,y1) in pixels or points.
struct Rect {
  double x0 = 0;
  double y0 = 0;
  double x1 = 0;
  double y1 = 0;
};

[[noreturn]] void fail_usage(const std::string& message) {
  std::fprintf(stderr, "ppm_diff: %s\n", message.c_str());
  std::exit(2);
}

// read_header_number skips whitespace and '#' comments, then reads a decimal number.
std::optional<std::size_t> read_header_number(const std::vector<unsigned char>& bytes,
                                              std::size_t& pos) {
  while (pos < bytes.size()) {
    const unsigned char c = bytes[pos];
    if (c == '#') {
      while (pos < bytes.size() && bytes[pos] != '\n') {
        ++pos;
      }
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos;
    } else {
      break;
    }
  }
  std::size_t value = 0;
  std::size_t digits = 0;
  while (pos < bytes.size() && bytes[pos] >= '0' && bytes[pos] <= '9') {
    value = value * 10 + static_cast<std::size_t>(bytes[pos] - '0');
    ++pos;
    if (++digits > 9) {
      return std::nullopt;
    }
  }
  if (digits == 0) {
    return std::nullopt;
  }
  return value;
}

Image read_image(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fail_usage("cannot open " + path);
  }
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  if (bytes.size() < 2 || bytes[0] != 'P' || (bytes[1] != '6' && bytes[1] != '5')) {
    fail_usage(path + ": not a binary PPM (P6) or PGM (P5) image");
  }
  Image image;
  image.channels = bytes[1] == '6' ? 3 : 1;
  std::size_t pos = 2;
  const auto width = read_header_number(bytes, pos);
  const auto height = read_header_number(bytes, pos);
  const auto maxval = read_header_number(bytes, pos);
  if (!width || !height || !maxval || *maxval == 0 || *maxval > 65535 || pos >= bytes.size()) {
    fail_usage(path + ": malformed header");
  }
  ++pos;  // the single whitespace byte after maxval
  image.width = *width;
  image.height = *height;
  image.bytes_per_sample = *maxval > 255 ? 2 : 1;
  const std::size_t size = image.width * image.height * image.channels * image.bytes_per_sample;
  if (bytes.size() - pos < size) {
    fail_usage(path + ": truncated pixel data");
  }
  image.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pos),
                    bytes.begin() + static_cast<std::ptrdiff_t>(pos + size));
  return image;
}

std::vector<double> parse_numbers(std::string_view text, std::size_t count,
                                  std::string_view option) {
  std::vector<double> values;
  std::string item;
  std::istringstream stream{std::string(text)};
  while (std::getline(stream, item, ',')) {
    char* end = nullptr;
    const double value = std::strtod(item.c_str(), &end);
    if (item.empty() || end == nullptr || *end != '\0' || !std::isfinite(value)) {
      fail_usage(std::string(option) + ": not a number: '" + item + "'");
    }
    values.push_back(value);
  }
  if (values.size() != count) {
    fail_usage(std::string(option) + " wants " + std::to_string(count) +
               " comma-separated numbers");
  }
  return values;
}

// pdf_rect_to_pixels maps a rectangle in user space to the pixel rectangle it covers in an image
// rendered by pdftoppm: the rendered box fills the image, turned clockwise by `rotate` degrees.
Rect pdf_rect_to_pixels(const Rect& rect, const Rect& box, int rotate, double dpi) {
  const double scale = dpi / 72.0;
  const double page_w = box.x1 - box.x0;
  const double page_h = box.y1 - box.y0;
  const std::array<std::array<double, 2>, 4> corners{
      {{rect.x0, rect.y0}, {rect.x1, rect.y0}, {rect.x0, rect.y1}, {rect.x1, rect.y1}}};
  Rect out{1e300, 1e300, -1e300, -1e300};
  for (const auto& corner : corners) {
    // Unrotated image coordinates, y down from the box's top edge.
    const double u = corner[0] - box.x0;
    const double v = box.y1 - corner[1];
    double px = u;
    double py = v;
    switch (rotate) {
      case 90:  // top-left corner goes to top-right
        px = page_h - v;
        py = u;
        break;
      case 180:
        px = page_w - u;
        py = page_h - v;
        break;
      case 270:
        px = v;
        py = page_w - u;
        break;
      default:
        break;
    }
    out.x0 = std::min(out.x0, px * scale);
    out.y0 = std::min(out.y0, py * scale);
    out.x1 = std::max(out.x1, px * scale);
    out.y1 = std::max(out.y1, py * scale);
  }
  return out;
}

std::size_t sample_at(const Image& image, std::size_t index) {
  if (image.bytes_per_sample == 1) {
    return image.data[index];
  }
  return (static_cast<std::size_t>(image.data[2 * index]) << 8U) | image.data[2 * index + 1];
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> files;
  std::optional<Rect> inside;
  std::optional<Rect> pdf_rect;
  Rect box{0, 0, 612, 792};
  int rotate = 0;
  double dpi = 72;
  double margin = 2;
  bool require_diff = false;
  std::size_t tolerance = 0;

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) {
        fail_usage(arg + " needs a value");
      }
      return args[++i];
    };
    if (arg == "--inside") {
      const auto n = parse_numbers(value(), 4, arg);
      inside = Rect{n[0], n[1], n[2], n[3]};
    } else if (arg == "--pdf-rect") {
      const auto n = parse_numbers(value(), 4, arg);
      pdf_rect = Rect{n[0], n[1], n[0] + n[2], n[1] + n[3]};
    } else if (arg == "--box") {
      const auto n = parse_numbers(value(), 4, arg);
      box = Rect{std::min(n[0], n[2]), std::min(n[1], n[3]), std::max(n[0], n[2]),
                 std::max(n[1], n[3])};
    } else if (arg == "--rotate") {
      const double r = parse_numbers(value(), 1, arg)[0];
      rotate = ((static_cast<int>(std::lround(r)) % 360) + 360) % 360;
      if (rotate % 90 != 0) {
        fail_usage("--rotate must be a multiple of 90");
      }
    } else if (arg == "--dpi") {
      dpi = parse_numbers(value(), 1, arg)[0];
    } else if (arg == "--margin") {
      margin = parse_numbers(value(), 1, arg)[0];
    } else if (arg == "--tolerance") {
      tolerance = static_cast<std::size_t>(std::max(0.0, parse_numbers(value(), 1, arg)[0]));
    } else if (arg == "--require-diff") {
      require_diff = true;
    } else if (arg.starts_with("--")) {
      fail_usage("unknown option " + arg);
    } else {
      files.push_back(arg);
    }
  }
  if (files.size() != 2) {
    fail_usage(
        "usage: ppm_diff A.ppm B.ppm [--inside X0,Y0,X1,Y1 | --pdf-rect X,Y,W,H "
        "--box X0,Y0,X1,Y1 --rotate R --dpi D] [--margin M] [--require-diff] "
        "[--tolerance T]");
  }
  if (pdf_rect) {
    inside = pdf_rect_to_pixels(*pdf_rect, box, rotate, dpi);
  }

  const Image a = read_image(files[0]);
  const Image b = read_image(files[1]);
  if (a.width != b.width || a.height != b.height || a.channels != b.channels ||
      a.bytes_per_sample != b.bytes_per_sample) {
    std::printf("size differs: %zux%zu vs %zux%zu\n", a.width, a.height, b.width, b.height);
    return 1;
  }

  std::size_t differing = 0;
  std::size_t outside = 0;
  std::size_t min_x = a.width;
  std::size_t min_y = a.height;
  std::size_t max_x = 0;
  std::size_t max_y = 0;
  std::optional<Rect> allowed;
  if (inside) {
    allowed = Rect{std::floor(inside->x0) - margin, std::floor(inside->y0) - margin,
                   std::ceil(inside->x1) + margin, std::ceil(inside->y1) + margin};
  }
  for (std::size_t y = 0; y < a.height; ++y) {
    for (std::size_t x = 0; x < a.width; ++x) {
      bool differs = false;
      for (std::size_t c = 0; c < a.channels; ++c) {
        const std::size_t index = (y * a.width + x) * a.channels + c;
        const std::size_t sa = sample_at(a, index);
        const std::size_t sb = sample_at(b, index);
        if ((sa > sb ? sa - sb : sb - sa) > tolerance) {
          differs = true;
          break;
        }
      }
      if (!differs) {
        continue;
      }
      ++differing;
      min_x = std::min(min_x, x);
      min_y = std::min(min_y, y);
      max_x = std::max(max_x, x);
      max_y = std::max(max_y, y);
      if (allowed) {
        const double fx = static_cast<double>(x);
        const double fy = static_cast<double>(y);
        if (fx < allowed->x0 || fx >= allowed->x1 || fy < allowed->y0 || fy >= allowed->y1) {
          ++outside;
        }
      }
    }
  }

  if (allowed) {
    std::printf("allowed pixel rect: %.0f,%.0f,%.0f,%.0f (image %zux%zu)\n", allowed->x0,
                allowed->y0, allowed->x1, allowed->y1, a.width, a.height);
  }
  if (differing == 0) {
    std::printf("identical\n");
    if (require_diff) {
      std::printf("FAIL: a difference was required but the images are identical\n");
      return 1;
    }
    return 0;
  }
  std::printf("differ: %zu pixel(s) in bbox %zu,%zu,%zu,%zu (x0,y0,x1,y1 inclusive)\n", differing,
              min_x, min_y, max_x, max_y);
  if (!allowed) {
    return 1;
  }
  if (outside > 0) {
    std::printf("FAIL: %zu differing pixel(s) lie outside the allowed rect\n", outside);
    return 1;
  }
  std::printf("ok: all differences inside the allowed rect\n");
  return 0;
}
