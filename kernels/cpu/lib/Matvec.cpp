//===- Matvec.cpp - gather_matvec, sparse_matvec, rows_dot ---------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Read-only kernels: they never touch state or the journal and compute their
// outputs whatever ctx->status is.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

using namespace anima_uk;

namespace {

/// y_j = W[row_j, :] . x with row_j = idx[j] (or j when idx is null).
void rowsDot(const float *__restrict W, int64_t d, const int32_t *idx,
             int64_t k, const float *__restrict x, float *__restrict y) {
  for (int64_t j = 0; j < k; ++j) {
    const int64_t row = idx ? static_cast<int64_t>(idx[j]) : j;
    y[j] = dot(W + row * d, x, d);
  }
}

} // namespace

ANIMA_UK_API void anima_uk_gather_matvec(anima_step_context *ctx,
                                         const float *W, int64_t n, int64_t d,
                                         const int32_t *idx, int64_t k,
                                         const float *x, float *y) {
  (void)ctx;
  (void)n;
  rowsDot(W, d, idx, k, x, y);
}

ANIMA_UK_API void anima_uk_rows_dot(anima_step_context *ctx, const float *W,
                                    int64_t n, int64_t d, const int32_t *idx,
                                    int64_t k, const float *x, float *y) {
  (void)ctx;
  (void)n;
  rowsDot(W, d, idx, k, x, y);
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
  float *__restrict out = y;
  for (int64_t c = 0; c < d; ++c)
    out[c] = 0.0f;
  int64_t j = 0;
  for (; j + 4 <= k; j += 4) {
    const float *__restrict r0 = W + static_cast<int64_t>(idx[j]) * d;
    const float *__restrict r1 = W + static_cast<int64_t>(idx[j + 1]) * d;
    const float *__restrict r2 = W + static_cast<int64_t>(idx[j + 2]) * d;
    const float *__restrict r3 = W + static_cast<int64_t>(idx[j + 3]) * d;
    const float v0 = val[j], v1 = val[j + 1], v2 = val[j + 2], v3 = val[j + 3];
    for (int64_t c = 0; c < d; ++c)
      out[c] = (((out[c] + v0 * r0[c]) + v1 * r1[c]) + v2 * r2[c]) + v3 * r3[c];
  }
  for (; j < k; ++j) {
    const float *__restrict r = W + static_cast<int64_t>(idx[j]) * d;
    const float v = val[j];
    for (int64_t c = 0; c < d; ++c)
      out[c] = out[c] + v * r[c];
  }
}

/// y += W x, one vectorized dot product per row (dense layers such as a fixed
/// random expansion; reassociation as in dot()).
ANIMA_UK_API void anima_uk_matvec_acc(anima_step_context *ctx, const float *W,
                                      int64_t n, int64_t d, const float *x,
                                      float *y) {
  (void)ctx;
  for (int64_t i = 0; i < n; ++i)
    y[i] = y[i] + dot(W + i * d, x, d);
}
