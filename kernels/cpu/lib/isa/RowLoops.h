//===- RowLoops.h - The row loops shared by the SIMD levels ----*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// rowsDot, matvecAcc and dotAny of Dispatch.h's table, written once for the
// SIMD levels (Avx2.cpp, Neon.cpp) around the level's own
//
//   template <int R>
//   void dotRows(const float *const *a, const float *x, int64_t n,
//                const float *const *next, float *y);
//
// (y[r] = dot(a[r], x) for R rows in one sweep, prefetching next[r] unless
// next is null). A level includes this file inside its anonymous namespace,
// after dotRows, with ANIMA_ISA_FN defined as the attributes its functions
// carry (AVX2: target("avx2"), so dotRows inlines into these loops), and
// without an include guard: each level gets its own copy.
//
// Rows go four at a time (four rows' add chains keep the adder busy), the
// next four prefetched while these are summed (rows past the end are
// replaced by the current ones: prefetching cached lines is harmless).
//
//===----------------------------------------------------------------------===//

inline const float *rowOf(const float *W, int64_t d, const int32_t *idx,
                          int64_t j) {
  return W + (idx ? static_cast<int64_t>(idx[j]) : j) * d;
}

ANIMA_ISA_FN void rowsDot(const float *W, int64_t d, const int32_t *idx,
                          int64_t k, const float *x, float *y) {
  int64_t j = 0;
  for (; j + 4 <= k; j += 4) {
    const float *a[4], *next[4];
    for (int r = 0; r < 4; ++r) {
      a[r] = rowOf(W, d, idx, j + r);
      next[r] = j + 4 + r < k ? rowOf(W, d, idx, j + 4 + r) : a[r];
    }
    dotRows<4>(a, x, d, next, y + j);
  }
  for (; j < k; ++j) {
    const float *a[1] = {rowOf(W, d, idx, j)};
    dotRows<1>(a, x, d, nullptr, y + j);
  }
}

ANIMA_ISA_FN void matvecAcc(const float *W, int64_t n, int64_t d,
                            const float *x, float *y) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const float *a[4] = {W + i * d, W + (i + 1) * d, W + (i + 2) * d,
                         W + (i + 3) * d};
    float dots[4];
    dotRows<4>(a, x, d, nullptr, dots);
    for (int r = 0; r < 4; ++r)
      y[i + r] = y[i + r] + dots[r];
  }
  for (; i < n; ++i) {
    const float *a[1] = {W + i * d};
    float dot;
    dotRows<1>(a, x, d, nullptr, &dot);
    y[i] = y[i] + dot;
  }
}

ANIMA_ISA_FN float dotAny(const float *a, const float *b, int64_t n) {
  const float *rows[1] = {a};
  float y;
  dotRows<1>(rows, b, n, nullptr, &y);
  return y;
}
