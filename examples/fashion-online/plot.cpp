//===- plot.cpp - A line chart written as a PNG ---------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "plot.h"
#include "font.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <zlib.h>

namespace fashion {
namespace {

constexpr Rgb kWhite{255, 255, 255};
constexpr Rgb kBlack{0, 0, 0};
constexpr Rgb kGrid{225, 225, 225};
constexpr Rgb kFrame{90, 90, 90};

/// An RGB raster with clipped drawing primitives.
class Canvas {
public:
  Canvas(int width, int height)
      : width(width), height(height), rgb(size_t(width) * height * 3, 255) {}

  void set(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= width || y >= height)
      return;
    uint8_t *p = &rgb[(size_t(y) * width + x) * 3];
    p[0] = c.r;
    p[1] = c.g;
    p[2] = c.b;
  }

  void fill(int x0, int y0, int x1, int y1, Rgb c) {
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x)
        set(x, y, c);
  }

  /// Draws a line `thickness` pixels wide; `dash` > 0 draws dashes of that
  /// length in pixels.
  void line(double x0, double y0, double x1, double y1, Rgb c, int thickness,
            int dash = 0) {
    double dx = x1 - x0, dy = y1 - y0;
    int steps = std::max(1, int(std::ceil(std::max(std::fabs(dx), std::fabs(dy)))));
    for (int i = 0; i <= steps; ++i) {
      if (dash > 0 && (i / dash) % 2 == 1)
        continue;
      double t = double(i) / steps;
      int x = int(std::lround(x0 + t * dx)), y = int(std::lround(y0 + t * dy));
      for (int oy = 0; oy < thickness; ++oy)
        for (int ox = 0; ox < thickness; ++ox)
          set(x + ox - thickness / 2, y + oy - thickness / 2, c);
    }
  }

  /// Draws `text` with its top-left corner at (x, y), glyphs magnified by
  /// `scale`; `vertical` turns it 90 degrees counter-clockwise (reading
  /// bottom-up, (x, y) is then the bottom-left corner).
  void text(int x, int y, const std::string &text, Rgb c, int scale,
            bool vertical = false) {
    int advance = (kGlyphWidth + 1) * scale;
    for (size_t n = 0; n < text.size(); ++n) {
      const char *const *rows = glyph(text[n]);
      for (int gy = 0; gy < kGlyphHeight; ++gy)
        for (int gx = 0; gx < kGlyphWidth; ++gx) {
          if (rows[gy][gx] != '#')
            continue;
          for (int sy = 0; sy < scale; ++sy)
            for (int sx = 0; sx < scale; ++sx) {
              int px = gx * scale + sx, py = gy * scale + sy;
              if (vertical)
                set(x + py, y - int(n) * advance - px, c);
              else
                set(x + int(n) * advance + px, y + py, c);
            }
        }
    }
  }

  static int textWidth(const std::string &text, int scale) {
    return text.empty() ? 0 : int(text.size()) * (kGlyphWidth + 1) * scale - scale;
  }

  const int width, height;
  std::vector<uint8_t> rgb;
};

/// Formats a tick label without trailing zeros.
std::string tickLabel(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

/// Appends a PNG chunk (length, type, data, CRC) to `out`.
void appendChunk(std::vector<uint8_t> *out, const char type[4],
                 const std::vector<uint8_t> &data) {
  auto put32 = [out](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
      out->push_back(uint8_t(v >> shift));
  };
  put32(uint32_t(data.size()));
  size_t start = out->size();
  out->insert(out->end(), type, type + 4);
  out->insert(out->end(), data.begin(), data.end());
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, out->data() + start, uInt(out->size() - start));
  put32(uint32_t(crc));
}

} // namespace

bool writePng(const std::string &path, int width, int height,
              const std::vector<uint8_t> &rgb, std::string *error) {
  // Scanlines, each preceded by filter type 0 (none).
  size_t stride = size_t(width) * 3;
  std::vector<uint8_t> raw;
  raw.reserve((stride + 1) * height);
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);
    raw.insert(raw.end(), rgb.begin() + y * stride,
               rgb.begin() + (y + 1) * stride);
  }
  uLongf packedSize = compressBound(uLong(raw.size()));
  std::vector<uint8_t> packed(packedSize);
  if (compress2(packed.data(), &packedSize, raw.data(), uLong(raw.size()),
                Z_BEST_COMPRESSION) != Z_OK) {
    *error = "cannot compress the image data for " + path;
    return false;
  }
  packed.resize(packedSize);

  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<uint8_t> header;
  for (uint32_t v : {uint32_t(width), uint32_t(height)})
    for (int shift = 24; shift >= 0; shift -= 8)
      header.push_back(uint8_t(v >> shift));
  header.insert(header.end(), {8, 2, 0, 0, 0}); // 8-bit RGB, no interlace
  appendChunk(&png, "IHDR", header);
  appendChunk(&png, "IDAT", packed);
  appendChunk(&png, "IEND", {});

  FILE *file = std::fopen(path.c_str(), "wb");
  if (!file) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(png.data(), 1, png.size(), file) == png.size();
  ok = (std::fclose(file) == 0) && ok;
  if (!ok)
    *error = "cannot write " + path + ": " + std::strerror(errno);
  return ok;
}

bool writeChartPng(const Chart &chart, int width, int height,
                   const std::string &path, std::string *error) {
  Canvas canvas(width, height);
  const int left = 90, right = 30, top = 50, bottom = 70;
  const int plotW = width - left - right, plotH = height - top - bottom;
  auto px = [&](double x) {
    return left + (x - chart.xMin) / (chart.xMax - chart.xMin) * plotW;
  };
  auto py = [&](double y) {
    return top + (chart.yMax - y) / (chart.yMax - chart.yMin) * plotH;
  };

  // Grid and tick labels.
  const double eps = 1e-9;
  for (double x = chart.xMin; x <= chart.xMax + eps; x += chart.xTick) {
    int X = int(std::lround(px(x)));
    canvas.line(X, top, X, top + plotH, kGrid, 1);
    std::string label = tickLabel(x * chart.xTickScale);
    canvas.text(X - Canvas::textWidth(label, 2) / 2, top + plotH + 10, label,
                kBlack, 2);
  }
  for (double y = chart.yMin; y <= chart.yMax + eps; y += chart.yTick) {
    int Y = int(std::lround(py(y)));
    canvas.line(left, Y, left + plotW, Y, kGrid, 1);
    std::string label = tickLabel(y * chart.yTickScale);
    canvas.text(left - 10 - Canvas::textWidth(label, 2), Y - 7, label, kBlack,
                2);
  }
  canvas.line(left, top, left + plotW, top, kFrame, 1);
  canvas.line(left, top + plotH, left + plotW, top + plotH, kFrame, 1);
  canvas.line(left, top, left, top + plotH, kFrame, 1);
  canvas.line(left + plotW, top, left + plotW, top + plotH, kFrame, 1);

  // Axis labels and title.
  canvas.text(left + (plotW - Canvas::textWidth(chart.xLabel, 2)) / 2,
              height - 26, chart.xLabel, kBlack, 2);
  canvas.text(14, top + (plotH + Canvas::textWidth(chart.yLabel, 2)) / 2,
              chart.yLabel, kBlack, 2, /*vertical=*/true);
  canvas.text((width - Canvas::textWidth(chart.title, 2)) / 2, 16,
              chart.title, kBlack, 2);

  // Series, clipped to the plot area.
  auto clampX = [&](double v) { return std::clamp(v, double(left), double(left + plotW)); };
  auto clampY = [&](double v) { return std::clamp(v, double(top), double(top + plotH)); };
  for (const Series &s : chart.series) {
    for (size_t i = 0; i + 1 < s.points.size(); ++i)
      canvas.line(clampX(px(s.points[i].first)), clampY(py(s.points[i].second)),
                  clampX(px(s.points[i + 1].first)),
                  clampY(py(s.points[i + 1].second)), s.color,
                  s.dashed ? 2 : 3, s.dashed ? 8 : 0);
    if (s.points.size() == 1) {
      int X = int(std::lround(px(s.points[0].first)));
      int Y = int(std::lround(py(s.points[0].second)));
      canvas.fill(X - 3, Y - 3, X + 3, Y + 3, s.color);
    }
  }

  // Legend, right of centre, halfway down the plot.
  int legendW = 0;
  for (const Series &s : chart.series)
    legendW = std::max(legendW, Canvas::textWidth(s.label, 2));
  legendW += 60;
  int legendH = int(chart.series.size()) * 24 + 12;
  int lx = left + plotW - legendW - 20, ly = top + plotH / 2 - legendH / 2;
  canvas.fill(lx, ly, lx + legendW, ly + legendH, kWhite);
  canvas.line(lx, ly, lx + legendW, ly, kFrame, 1);
  canvas.line(lx, ly + legendH, lx + legendW, ly + legendH, kFrame, 1);
  canvas.line(lx, ly, lx, ly + legendH, kFrame, 1);
  canvas.line(lx + legendW, ly, lx + legendW, ly + legendH, kFrame, 1);
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const Series &s = chart.series[i];
    int y = ly + 12 + int(i) * 24;
    canvas.line(lx + 10, y + 7, lx + 45, y + 7, s.color, s.dashed ? 2 : 3,
                s.dashed ? 6 : 0);
    canvas.text(lx + 52, y, s.label, kBlack, 2);
  }

  return writePng(path, width, height, canvas.rgb, error);
}

} // namespace fashion
