//===- Dispatch.h - The per-ISA hot loops of the microkernels ---*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The loops that move the bytes (dot products over rows, the journaled row
// updates, the sparse accumulation) exist once per ISA level, one file each
// under isa/, and the kernels reach them through one table chosen at the
// first call (Dispatch.cpp; levels in anima/kernels/cpu/Isa.h).
//
// Contract of every implementation: bit-identical results at every level.
// Dot products keep the 16 lanes of Internal.h (element c in lane c % 16,
// ascending within a lane, then Lanes::finish's tail and tree), updates
// evaluate the reference's formula in its order, and nothing uses fused
// multiply-add. Rows may be processed in any order or interleaved, and
// prefetches issued anywhere: those change timing only.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_KERNELS_CPU_LIB_DISPATCH_H
#define ANIMA_KERNELS_CPU_LIB_DISPATCH_H

#include "Internal.h"

namespace anima_uk {

struct IsaKernels {
  /// ANIMA_UK_ISA_* of this table.
  int level;
  /// y[j] = dot(W[row_j, :], x) for j in [0, k), row_j = idx[j] (or j when
  /// idx is null); W rows have d floats.
  void (*rowsDot)(const float *W, int64_t d, const int32_t *idx, int64_t k,
                  const float *x, float *y);
  /// y[i] = y[i] + dot(W[i, :], x) for i in [0, n).
  void (*matvecAcc)(const float *W, int64_t n, int64_t d, const float *x,
                    float *y);
  /// dot(a, b) over n elements.
  float (*dot)(const float *a, const float *b, int64_t n);
  /// One plastic row with b = x: old[c] = row[c], then
  /// row[c] = keep * w + g * (a * x[c] - c * w). Returns the OR of
  /// nonfiniteTerm() over the values written. `next` (the row updated
  /// after this one, or null) is prefetched meanwhile.
  uint32_t (*plasticRow)(float *row, float *old, int64_t d, const float *x,
                         float a, float c, float keep, float g,
                         const float *next);
  /// One memory row: old[c] = row[c], then row[c] = alpha * s + e * kn[c].
  /// Returns the OR of nonfiniteTerm() over the values written.
  uint32_t (*memoryRow)(float *row, float *old, int64_t d, const float *kn,
                        float alpha, float e);
  /// sparse_matvec: y = 0, then y[c] += val[j] * W[idx[j], c] for j
  /// ascending (four rows per sweep: (((y + v0 r0) + v1 r1) + v2 r2) + v3 r3).
  void (*sparseRows)(const float *W, int64_t d, const int32_t *idx,
                     const float *val, int64_t k, float *y);
  /// kwta's candidate pass: for i ascending, appends (rankKey(u[i]), i) to
  /// (keys, idx) when rankKey(u[i]) >= t0; returns how many.
  int64_t (*kwtaCandidates)(const float *u, int64_t n, uint32_t t0,
                            uint32_t *keys, int32_t *idx);
  /// kwta's boosted keys: keys[i] = rankKey(u[i] * expF(beta * (target -
  /// duty[i]))) for i in [0, n) (anima/ExpF.h's exp, so every level and the
  /// reference agree bit for bit).
  void (*boostedKeys)(const float *u, const float *duty, int64_t n, float beta,
                      float target, uint32_t *keys);
  /// plasticRow and memoryRow save old values with non-temporal stores when
  /// the record qualifies (streamsSavedBytes); callers that fill a record
  /// with them pass this to Journal::open so the header is streamed alike.
  bool streamsJournal;
};

extern const IsaKernels kGenericKernels;
#if defined(__x86_64__)
extern const IsaKernels kAvx2Kernels;
#endif
#if defined(__aarch64__)
extern const IsaKernels kNeonKernels;
#endif

/// The table in use (picked from the CPU's features at the first call).
const IsaKernels &isa();

} // namespace anima_uk

#endif // ANIMA_KERNELS_CPU_LIB_DISPATCH_H
