//===- idx.cpp - Fashion-MNIST IDX files (gzip) ---------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "idx.h"

#include <cerrno>
#include <cstring>
#include <zlib.h>

namespace fashion {
namespace {

/// IDX magic numbers: 0x0000 08 (unsigned byte) 0d (dimensions).
constexpr uint32_t kImagesMagic = 0x00000803;
constexpr uint32_t kLabelsMagic = 0x00000801;
/// Largest decompressed file accepted (the training images are 47 MB).
constexpr size_t kMaxFileBytes = size_t(256) << 20;
constexpr unsigned kClasses = 10;

/// Reads the whole gzip (or plain) file at `path` into `out`.
bool readGzip(const std::string &path, std::vector<uint8_t> *out,
              std::string *error) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) {
    int code = errno;
    *error = "cannot open " + path + ": " +
             (code ? std::strerror(code) : "out of memory");
    if (code == ENOENT)
      *error += " (the Debian package dataset-fashion-mnist provides it; "
                "scripts/bootstrap.sh installs it)";
    return false;
  }
  out->clear();
  uint8_t chunk[1 << 16];
  for (;;) {
    int n = gzread(file, chunk, sizeof(chunk));
    if (n < 0) {
      int code = 0;
      const char *message = gzerror(file, &code);
      *error = path + " is corrupt: " +
               (code == Z_ERRNO ? std::strerror(errno) : message);
      gzclose(file);
      return false;
    }
    if (n == 0)
      break;
    if (out->size() + size_t(n) > kMaxFileBytes) {
      *error = path + " is corrupt: larger than 256 MB once decompressed";
      gzclose(file);
      return false;
    }
    out->insert(out->end(), chunk, chunk + n);
  }
  // A truncated gzip stream ends without error from gzread on some zlib
  // versions; gzclose reports it (Z_BUF_ERROR).
  if (int rc = gzclose(file); rc != Z_OK) {
    *error = path + " is corrupt: truncated or bad gzip stream (zlib error " +
             std::to_string(rc) + ")";
    return false;
  }
  return true;
}

/// Returns the big-endian 32-bit word at `p`.
uint32_t be32(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

/// Checks an IDX header of `dims` dimensions and `magic` in `bytes`, and that
/// the payload has exactly the size the dimensions give; fills `shape`.
bool parseHeader(const std::string &path, const std::vector<uint8_t> &bytes,
                 uint32_t magic, size_t dims, std::vector<size_t> *shape,
                 std::string *error) {
  size_t header = 4 + 4 * dims;
  if (bytes.size() < header) {
    *error = path + " is corrupt: " + std::to_string(bytes.size()) +
             " bytes, shorter than its IDX header";
    return false;
  }
  if (uint32_t got = be32(bytes.data()); got != magic) {
    char message[96];
    std::snprintf(message, sizeof(message),
                  " is not an IDX file of %zu dimension(s) "
                  "(magic 0x%08x, expected 0x%08x)",
                  dims, got, magic);
    *error = path + message;
    return false;
  }
  shape->clear();
  size_t payload = 1;
  for (size_t d = 0; d < dims; ++d) {
    shape->push_back(be32(bytes.data() + 4 + 4 * d));
    payload *= shape->back();
  }
  if (bytes.size() - header != payload) {
    *error = path + " is corrupt: header promises " + std::to_string(payload) +
             " data bytes, file has " + std::to_string(bytes.size() - header);
    return false;
  }
  return true;
}

} // namespace

bool loadSplit(const std::string &dir, const std::string &prefix,
               size_t expectedCount, Split *out, std::string *error) {
  std::string imagesPath = dir + "/" + prefix + "-images-idx3-ubyte.gz";
  std::string labelsPath = dir + "/" + prefix + "-labels-idx1-ubyte.gz";

  std::vector<uint8_t> bytes;
  std::vector<size_t> shape;
  if (!readGzip(imagesPath, &bytes, error) ||
      !parseHeader(imagesPath, bytes, kImagesMagic, 3, &shape, error))
    return false;
  if (shape[0] != expectedCount || shape[1] != 28 || shape[2] != 28) {
    *error = imagesPath + ": expected " + std::to_string(expectedCount) +
             " images of 28x28, found " + std::to_string(shape[0]) + " of " +
             std::to_string(shape[1]) + "x" + std::to_string(shape[2]);
    return false;
  }
  out->count = shape[0];
  out->rows = shape[1];
  out->cols = shape[2];
  out->pixels.assign(bytes.begin() + 16, bytes.end());

  if (!readGzip(labelsPath, &bytes, error) ||
      !parseHeader(labelsPath, bytes, kLabelsMagic, 1, &shape, error))
    return false;
  if (shape[0] != out->count) {
    *error = labelsPath + ": " + std::to_string(shape[0]) + " labels for " +
             std::to_string(out->count) + " images";
    return false;
  }
  out->labels.assign(bytes.begin() + 8, bytes.end());
  for (size_t i = 0; i < out->count; ++i) {
    if (out->labels[i] >= kClasses) {
      *error = labelsPath + " is corrupt: label " +
               std::to_string(out->labels[i]) + " of sample " +
               std::to_string(i) + " is not a class in [0, 10)";
      return false;
    }
  }
  return true;
}

} // namespace fashion
