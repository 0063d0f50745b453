//===- Scratch.cpp - Per-thread scratch of the CPU microkernels ----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

namespace anima_uk {

namespace {
// Plain TLS of trivial types: no constructor, destructor or C++ runtime
// support. Each thread's buffer is bounded by the largest request the thread
// made, and lives until this code is unloaded: every model's shared library
// carries its own copy of the kernels, and dlclose() frees the TLS slots of
// the library but not what they point to, so each thread's buffer is also
// on a list that the library's destructor frees (without it, every open and
// close of a model leaked a buffer per thread that stepped it).
struct Block {
  Block *next;
  void *raw;
};
Block *allBlocks = nullptr; // pushed with a CAS, freed at unload
__thread Block *tlsBlock = nullptr;
__thread uint8_t *tlsAligned = nullptr;
__thread uint64_t tlsCapacity = 0;

/// Runs at dlclose() (or exit of a program linking the kernels): no kernel
/// of this copy runs any more, so every thread's buffer can go.
__attribute__((destructor)) void freeAllScratch() {
  Block *b = __atomic_exchange_n(&allBlocks, nullptr, __ATOMIC_ACQ_REL);
  while (b) {
    Block *next = b->next;
    free(b->raw);
    free(b);
    b = next;
  }
  tlsBlock = nullptr;
  tlsAligned = nullptr;
  tlsCapacity = 0;
}
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
  if (!tlsBlock) {
    auto *block = static_cast<Block *>(malloc(sizeof(Block)));
    if (!block)
      return nullptr;
    block->raw = nullptr;
    block->next = __atomic_load_n(&allBlocks, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(&allBlocks, &block->next, block,
                                        /*weak=*/true, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED)) {
    }
    tlsBlock = block;
  }
  void *raw = malloc(static_cast<size_t>(cap + 64));
  if (!raw)
    return nullptr;
  free(tlsBlock->raw);
  tlsBlock->raw = raw;
  tlsAligned = reinterpret_cast<uint8_t *>(
      (reinterpret_cast<uintptr_t>(raw) + 63u) & ~uintptr_t(63));
  tlsCapacity = cap;
  return tlsAligned;
}

} // namespace anima_uk
