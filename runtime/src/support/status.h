//===- status.h - Creating anima_status_t values ----------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Internal helpers to create and annotate the C API's status objects. Every
// internal fallible function returns an anima_status_t (NULL = OK) that the
// caller must consume: return it, annotate it, or free it.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_SUPPORT_STATUS_H
#define ANIMA_RUNTIME_SUPPORT_STATUS_H

#include "anima/runtime/anima.h"

namespace anima::rt {

/// Creates a status with `code` and a printf-style message. Never fails: on
/// allocation failure it returns a static RESOURCE_EXHAUSTED status.
[[nodiscard]] anima_status_t makeStatus(anima_status_code_t code,
                                        const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/// Returns `status` with "prefix: " prepended to its message (consumes
/// `status`; NULL stays NULL).
[[nodiscard]] anima_status_t annotate(anima_status_t status, const char *format,
                                      ...)
    __attribute__((format(printf, 2, 3)));

/// Returns the static status used when memory runs out.
[[nodiscard]] anima_status_t outOfMemoryStatus();

} // namespace anima::rt

#endif // ANIMA_RUNTIME_SUPPORT_STATUS_H
