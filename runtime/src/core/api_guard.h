//===- api_guard.h - Keeping exceptions inside the C API --------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_CORE_API_GUARD_H
#define ANIMA_RUNTIME_CORE_API_GUARD_H

#include "support/status.h"

#include <exception>
#include <new>

namespace anima::rt {

/// Runs `body` (returning anima_status_t) and turns any exception into a
/// status naming `call`: std::bad_alloc is RESOURCE_EXHAUSTED, anything else
/// INTERNAL.
template <typename Body>
[[nodiscard]] anima_status_t guardApi(const char *call, Body &&body) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED, "%s: out of memory",
                      call);
  } catch (const std::exception &e) {
    return makeStatus(ANIMA_STATUS_INTERNAL, "%s: unexpected exception: %s",
                      call, e.what());
  } catch (...) {
    return makeStatus(ANIMA_STATUS_INTERNAL, "%s: unexpected exception", call);
  }
}

/// Returns INVALID_ARGUMENT naming `call` and `what` when `pointer` is NULL.
template <typename T>
[[nodiscard]] anima_status_t requireNonNull(const T *pointer, const char *call,
                                            const char *what) {
  if (pointer)
    return nullptr;
  return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT, "%s: %s is NULL", call,
                    what);
}

} // namespace anima::rt

#endif // ANIMA_RUNTIME_CORE_API_GUARD_H
