//===- Matvec.cpp - gather_matvec, sparse_matvec, rows_dot ---------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Read-only kernels: they never touch state or the journal and compute their
// outputs whatever ctx->status is. The loops are the ISA table's
// (Dispatch.h): bit-identical at every level.
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"

using namespace anima_uk;

ANIMA_UK_API void anima_uk_gather_matvec(anima_step_context *ctx,
                                         const float *W, int64_t n, int64_t d,
                                         const int32_t *idx, int64_t k,
                                         const float *x, float *y) {
  (void)ctx;
  (void)n;
  isa().rowsDot(W, d, idx, k, x, y);
}

ANIMA_UK_API void anima_uk_rows_dot(anima_step_context *ctx, const float *W,
                                    int64_t n, int64_t d, const int32_t *idx,
                                    int64_t k, const float *x, float *y) {
  (void)ctx;
  (void)n;
  isa().rowsDot(W, d, idx, k, x, y);
}

/// y = sum_j val_j W[idx_j, :], accumulated per column over j ascending from
/// +0 exactly like the reference (bit-identical); four rows per sweep of y
/// keep the same per-column order while cutting the loads/stores of y.
ANIMA_UK_API void anima_uk_sparse_matvec(anima_step_context *ctx,
                                         const float *W, int64_t n, int64_t d,
                                         const int32_t *idx, const float *val,
                                         int64_t k, float *y) {
  (void)ctx;
  (void)n;
  isa().sparseRows(W, d, idx, val, k, y);
}

/// y += W x, one vectorized dot product per row (dense layers such as a fixed
/// random expansion; reassociation as in dot()).
ANIMA_UK_API void anima_uk_matvec_acc(anima_step_context *ctx, const float *W,
                                      int64_t n, int64_t d, const float *x,
                                      float *y) {
  (void)ctx;
  isa().matvecAcc(W, n, d, x, y);
}
