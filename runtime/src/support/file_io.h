//===- file_io.h - Whole-file reads and atomic writes -----------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_SUPPORT_FILE_IO_H
#define ANIMA_RUNTIME_SUPPORT_FILE_IO_H

#include "anima/runtime/anima.h"

#include <cstdint>
#include <vector>

namespace anima::rt {

/// Reads the whole file at `path` into `out`. Missing file: NOT_FOUND; a
/// file larger than `maxBytes`: RESOURCE_EXHAUSTED; other failures:
/// IO_ERROR. Messages name the path and the failing system call.
[[nodiscard]] anima_status_t readFile(const char *path, uint64_t maxBytes,
                                      std::vector<uint8_t> *out);

/// Replaces the file at `path` with `size` bytes at `data` atomically: writes
/// a temporary file in the same directory, fsyncs it, renames it over `path`
/// and fsyncs the directory. On failure `path` is untouched and the
/// temporary file is removed.
[[nodiscard]] anima_status_t writeFileAtomic(const char *path, const void *data,
                                             size_t size);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_SUPPORT_FILE_IO_H
