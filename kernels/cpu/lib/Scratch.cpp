//===- Scratch.cpp - Per-thread scratch of the CPU microkernels ----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

namespace anima_uk {

namespace {
// Plain TLS of trivial types: no constructor, destructor or C++ runtime
// support. The buffer lives as long as the thread (it is not freed at thread
// exit: it is bounded by the largest request the thread made).
__thread void *tlsRaw = nullptr;
__thread uint8_t *tlsAligned = nullptr;
__thread uint64_t tlsCapacity = 0;
} // namespace

void *scratch(uint64_t bytes) {
#ifdef ANIMA_UK_TEST_NO_SCRATCH
  // Test build only: exercise every kernel's path without scratch.
  (void)bytes;
  return nullptr;
#endif
  if (bytes <= tlsCapacity)
    return tlsAligned;
  // Grow geometrically so a model with several sizes settles quickly.
  uint64_t cap = tlsCapacity * 2;
  if (cap < bytes)
    cap = bytes;
  if (cap < 4096)
    cap = 4096;
  cap = (cap + 63u) & ~uint64_t(63);
  if (cap + 64 < cap || cap + 64 > static_cast<uint64_t>(SIZE_MAX))
    return nullptr;
  void *raw = malloc(static_cast<size_t>(cap + 64));
  if (!raw)
    return nullptr;
  free(tlsRaw);
  tlsRaw = raw;
  tlsAligned = reinterpret_cast<uint8_t *>(
      (reinterpret_cast<uintptr_t>(raw) + 63u) & ~uintptr_t(63));
  tlsCapacity = cap;
  return tlsAligned;
}

} // namespace anima_uk
