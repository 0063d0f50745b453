/*===- anima/kernels/cpu/JournalBytes.h - Journal use of the microkernels -===*
 *
 * Part of the Anima project.
 *
 * How many journal bytes each state-updating CPU microkernel appends in one
 * call, so the compiler can size a step's journal (the sum over the step's
 * calls) and tests can check it. Plain C, header-only. A call that writes no
 * state (ctx->status != OK, plasticity 0, empty shapes) appends nothing; a
 * call refused for a non-finite value removes what it appended.
 *
 * A record is an anima_journal_record header (padded to 8) followed by the
 * saved bytes padded to 8; see kernels/cpu/README.md for the layouts.
 *===----------------------------------------------------------------------===*/

#ifndef ANIMA_KERNELS_CPU_JOURNALBYTES_H
#define ANIMA_KERNELS_CPU_JOURNALBYTES_H

#include "anima/abi.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of one record that saves `bytes` bytes. */
static inline uint64_t anima_uk_journal_record_bytes(uint64_t bytes) {
  return ((sizeof(anima_journal_record) + 7u) & ~(uint64_t)7) +
         ((bytes + 7u) & ~(uint64_t)7);
}

/* anima_uk_kwta with a duty vector and period > 0: one record, all n duty
 * cycles. */
static inline uint64_t anima_uk_journal_bytes_kwta(int64_t n) {
  return anima_uk_journal_record_bytes((uint64_t)n * 4u);
}

/* anima_uk_plastic_update and anima_uk_rows_update with an index list: one
 * record per updated row (k rows of d floats), exactly; an upper bound for
 * idx == NULL. */
static inline uint64_t anima_uk_journal_bytes_rows(int64_t k, int64_t d) {
  return (uint64_t)k * anima_uk_journal_record_bytes((uint64_t)d * 4u);
}

/* The same with idx == NULL (rows 0..k-1): one record, exactly. */
static inline uint64_t anima_uk_journal_bytes_all_rows(int64_t k, int64_t d) {
  return anima_uk_journal_record_bytes((uint64_t)k * (uint64_t)d * 4u);
}

/* anima_uk_mem_write and anima_uk_fused_mem_step, exactly, for the decay
 * alpha' = 1 - p (1 - alpha) of the call: all of S in one record, unless the
 * key is sparse and alpha' == 1, then per row one record per maximal run of
 * consecutive key columns. */
static inline uint64_t anima_uk_journal_bytes_mem_write(int64_t dv, int64_t dk,
                                                        const int32_t *kidx,
                                                        int64_t kk,
                                                        float alpha_eff) {
  uint64_t perRow = 0;
  int64_t j = 0;
  if (!kidx || alpha_eff != 1.0f)
    return anima_uk_journal_record_bytes((uint64_t)dv * (uint64_t)dk * 4u);
  while (j < kk) {
    int64_t end = j + 1;
    while (end < kk && kidx[end] == kidx[end - 1] + 1)
      ++end;
    perRow += anima_uk_journal_record_bytes((uint64_t)(end - j) * 4u);
    j = end;
  }
  return (uint64_t)dv * perRow;
}

/* An upper bound of anima_uk_journal_bytes_mem_write over every key and
 * plasticity, for a sparse (kk entries) or dense key and a compiled alpha
 * (alpha_is_one: alpha == 1, so alpha' == 1 at every plasticity). */
static inline uint64_t
anima_uk_journal_bytes_mem_write_max(int64_t dv, int64_t dk, int64_t kk,
                                     int sparse, int alpha_is_one) {
  uint64_t whole =
      anima_uk_journal_record_bytes((uint64_t)dv * (uint64_t)dk * 4u);
  /* Worst case of the runs: every key column isolated (16 + 8 bytes). */
  uint64_t runs =
      (uint64_t)dv * (uint64_t)kk * anima_uk_journal_record_bytes(4u);
  if (!sparse)
    return whole;
  if (alpha_is_one)
    return runs;
  return whole > runs ? whole : runs;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ANIMA_KERNELS_CPU_JOURNALBYTES_H */
