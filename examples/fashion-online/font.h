//===- font.h - A 5x7 bitmap font for chart labels --------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_EXAMPLES_FASHION_FONT_H
#define ANIMA_EXAMPLES_FASHION_FONT_H

namespace fashion {

/// Glyph rows are 5 characters wide, 7 rows high; '#' is ink.
constexpr int kGlyphWidth = 5;
constexpr int kGlyphHeight = 7;

/// Returns the 7 rows of the glyph of `c` (lower case draws as upper case;
/// characters without a glyph draw as '?').
const char *const *glyph(char c);

} // namespace fashion

#endif // ANIMA_EXAMPLES_FASHION_FONT_H
