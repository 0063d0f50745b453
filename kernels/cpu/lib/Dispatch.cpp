//===- Dispatch.cpp - Choosing the ISA level of the microkernels ---------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The table of Dispatch.h in use, picked at the first call: AVX2 when the
// CPU has it and the OS saves YMM state (cpuid + xgetbv, no libgcc
// __builtin_cpu_supports: the archive must not need libgcc's CPU model),
// NEON on aarch64, the portable table otherwise. The pointer is published
// with an atomic store; two threads racing through the first call compute
// the same value.
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"

#include "anima/kernels/cpu/Isa.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace anima_uk {
namespace {

#if defined(__x86_64__)
bool cpuHasAvx2() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d))
    return false;
  const bool osxsave = (c >> 27) & 1u, avx = (c >> 28) & 1u;
  if (!osxsave || !avx)
    return false;
  unsigned xcr0Lo, xcr0Hi;
  __asm__ volatile("xgetbv" : "=a"(xcr0Lo), "=d"(xcr0Hi) : "c"(0));
  if ((xcr0Lo & 6u) != 6u) // XMM and YMM state enabled by the OS
    return false;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
    return false;
  return (b >> 5) & 1u;
}
#endif

const IsaKernels *tableOf(int level) {
  switch (level) {
  case ANIMA_UK_ISA_GENERIC:
    return &kGenericKernels;
#if defined(__x86_64__)
  case ANIMA_UK_ISA_AVX2:
    return cpuHasAvx2() ? &kAvx2Kernels : nullptr;
#endif
#if defined(__aarch64__)
  case ANIMA_UK_ISA_NEON:
    return &kNeonKernels;
#endif
  default:
    return nullptr;
  }
}

int bestLevel() {
#if defined(__aarch64__)
  return ANIMA_UK_ISA_NEON;
#else
  return cpuHasAvx2() ? ANIMA_UK_ISA_AVX2 : ANIMA_UK_ISA_GENERIC;
#endif
}

const IsaKernels *gActive = nullptr;

} // namespace

const IsaKernels &isa() {
  const IsaKernels *table = __atomic_load_n(&gActive, __ATOMIC_ACQUIRE);
  if (__builtin_expect(table == nullptr, 0)) {
    table = tableOf(bestLevel());
    __atomic_store_n(&gActive, table, __ATOMIC_RELEASE);
  }
  return *table;
}

} // namespace anima_uk

using namespace anima_uk;

// Hidden: for tests and benchmarks linked with the archive, never exported
// by a model.
extern "C" {

int anima_uk_isa_available(int level) { return tableOf(level) != nullptr; }

int anima_uk_isa_best(void) { return bestLevel(); }

int anima_uk_isa_active(void) { return isa().level; }

int anima_uk_isa_select(int level) {
  const IsaKernels *table = tableOf(level < 0 ? bestLevel() : level);
  if (!table)
    return 0;
  __atomic_store_n(&gActive, table, __ATOMIC_RELEASE);
  return 1;
}

const char *anima_uk_isa_name(int level) {
  switch (level) {
  case ANIMA_UK_ISA_GENERIC:
    return "generic";
  case ANIMA_UK_ISA_AVX2:
    return "avx2";
  case ANIMA_UK_ISA_NEON:
    return "neon";
  default:
    return "?";
  }
}

} // extern "C"
