/*===- anima/kernels/cpu/Isa.h - ISA levels of the CPU microkernels -------===*
 *
 * Part of the Anima project.
 *
 * The hot loops of the microkernels exist once per ISA level (one file per
 * level under kernels/cpu/lib/isa/) and are reached through one dispatch
 * table, chosen at the first call from the CPU's features: AVX2 on x86-64
 * CPUs that have it (and an OS that saves the YMM registers), the portable
 * code otherwise; NEON on aarch64. Every level computes bit-identical
 * results (same lanes, same order, no fused multiply-add), so the choice
 * never changes what a model learns.
 *
 * For tests and benchmarks only: these functions let them run every level
 * this CPU supports. They are not part of the ABI (anima/abi.h) and have
 * hidden visibility: a compiled model never exports them.
 *===----------------------------------------------------------------------===*/

#ifndef ANIMA_KERNELS_CPU_ISA_H
#define ANIMA_KERNELS_CPU_ISA_H

#ifdef __cplusplus
extern "C" {
#endif

#define ANIMA_UK_ISA_GENERIC 0 /* portable C++ (SSE2 / generic vectors) */
#define ANIMA_UK_ISA_AVX2 1    /* x86-64 AVX2 */
#define ANIMA_UK_ISA_NEON 2    /* aarch64 Advanced SIMD */
#define ANIMA_UK_ISA_COUNT 3

/* 1 if `level` is compiled into this archive and this CPU runs it. */
int anima_uk_isa_available(int level);

/* The level the dispatch picks on this CPU. */
int anima_uk_isa_best(void);

/* The level in use now. */
int anima_uk_isa_active(void);

/* Uses `level` for every later call on every thread (-1: back to the best);
 * returns 1, or 0 (nothing changed) if the level is not available. */
int anima_uk_isa_select(int level);

/* "generic", "avx2", "neon" (or "?"). */
const char *anima_uk_isa_name(int level);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ANIMA_KERNELS_CPU_ISA_H */
