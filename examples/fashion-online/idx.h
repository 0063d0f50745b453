//===- idx.h - Fashion-MNIST IDX files (gzip) -------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Reads the IDX files of Debian's dataset-fashion-mnist (gzip-compressed,
// /usr/share/datasets/fashion-mnist/), checking magic numbers, dimensions,
// counts, the exact payload size and the label range.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_EXAMPLES_FASHION_IDX_H
#define ANIMA_EXAMPLES_FASHION_IDX_H

#include <cstdint>
#include <string>
#include <vector>

namespace fashion {

/// Images and labels of one split: `count` images of rows x cols bytes.
struct Split {
  std::vector<uint8_t> pixels; ///< count * rows * cols, row-major per image
  std::vector<uint8_t> labels; ///< count labels in [0, 10)
  size_t count = 0;
  size_t rows = 0;
  size_t cols = 0;

  /// Returns the first byte of image `i`.
  const uint8_t *image(size_t i) const { return &pixels[i * rows * cols]; }
};

/// Loads `<dir>/<prefix>-images-idx3-ubyte.gz` and the matching labels
/// file (prefix "train" or "t10k") into `out`, expecting `expectedCount`
/// images. On failure returns false and sets `error` to a message naming the
/// file and what is wrong.
bool loadSplit(const std::string &dir, const std::string &prefix,
               size_t expectedCount, Split *out, std::string *error);

} // namespace fashion

#endif // ANIMA_EXAMPLES_FASHION_IDX_H
