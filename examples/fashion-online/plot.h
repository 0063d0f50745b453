//===- plot.h - A line chart written as a PNG -------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Just enough plotting for the demo's learning curve: axes with ticks and
// labels, a few coloured series, dashed reference lines and a legend, drawn
// into an RGB canvas with a built-in 5x7 font and written as PNG with zlib.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_EXAMPLES_FASHION_PLOT_H
#define ANIMA_EXAMPLES_FASHION_PLOT_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace fashion {

/// An sRGB colour.
struct Rgb {
  uint8_t r, g, b;
};

/// One curve: (x, y) points joined by lines; `dashed` for reference lines.
struct Series {
  std::string label;
  Rgb color;
  std::vector<std::pair<double, double>> points;
  bool dashed = false;
};

/// A chart of `series` over [xMin, xMax] x [yMin, yMax].
struct Chart {
  std::string title;
  std::string xLabel;
  std::string yLabel;
  double xMin = 0, xMax = 1, yMin = 0, yMax = 1;
  double xTick = 0.1, yTick = 0.1; ///< spacing of labelled grid lines
  double xTickScale = 1;           ///< tick labels print x * xTickScale
  double yTickScale = 1;           ///< tick labels print y * yTickScale
  std::vector<Series> series;
};

/// Draws `chart` into a `width` x `height` PNG at `path`. On failure returns
/// false and sets `error`.
bool writeChartPng(const Chart &chart, int width, int height,
                   const std::string &path, std::string *error);

/// Writes `rgb` (width * height * 3 bytes, top row first) as an 8-bit RGB
/// PNG at `path`. On failure returns false and sets `error`.
bool writePng(const std::string &path, int width, int height,
              const std::vector<uint8_t> &rgb, std::string *error);

} // namespace fashion

#endif // ANIMA_EXAMPLES_FASHION_PLOT_H
