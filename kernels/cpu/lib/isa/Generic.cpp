//===- Generic.cpp - Portable hot loops (every target) -------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The reference implementation of Dispatch.h's table, in portable C++ with
// the compilers' generic 4 x f32 vectors (SSE2 on x86-64, NEON on aarch64):
// the lanes of Internal.h's dot(), the reference's update formulas, and a
// software prefetch of the next row while one row is summed (the rows of a
// sparse step are scattered, so the hardware prefetcher cannot guess them).
//
//===----------------------------------------------------------------------===//

#include "../Dispatch.h"

#include "anima/kernels/cpu/Isa.h"

namespace anima_uk {
namespace {

/// dot(a, b, n) (same lanes), prefetching `next` (null: nothing) at the
/// same offsets so the next row arrives while this one is summed.
float dotPrefetch(const float *__restrict a, const float *__restrict b,
                  int64_t n, const float *next) {
  Lanes lanes;
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    if (next)
      __builtin_prefetch(next + i, 0, 3);
    for (int g = 0; g < 4; ++g)
      lanes.v[g] += loadF4(a + i + 4 * g) * loadF4(b + i + 4 * g);
  }
  return lanes.finish([&](int l) { return a[i + l] * b[i + l]; }, n - i);
}

const float *rowOf(const float *W, int64_t d, const int32_t *idx, int64_t j) {
  return W + (idx ? static_cast<int64_t>(idx[j]) : j) * d;
}

void rowsDot(const float *W, int64_t d, const int32_t *idx, int64_t k,
             const float *x, float *y) {
  for (int64_t j = 0; j < k; ++j)
    y[j] = dotPrefetch(rowOf(W, d, idx, j), x, d,
                       j + 1 < k ? rowOf(W, d, idx, j + 1) : nullptr);
}

void matvecAcc(const float *W, int64_t n, int64_t d, const float *x,
               float *y) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = y[i] + dot(W + i * d, x, d);
}

float dotAny(const float *a, const float *b, int64_t n) { return dot(a, b, n); }

uint32_t plasticRow(float *__restrict row, float *__restrict old, int64_t d,
                    const float *__restrict x, float a, float c, float keep,
                    float g, const float *next) {
  if (next)
    for (int64_t col = 0; col < d; col += 16)
      __builtin_prefetch(next + col, 0, 3);
  uint32_t flag = 0;
  for (int64_t col = 0; col < d; ++col) {
    const float w = row[col];
    old[col] = w;
    const float nw = keep * w + g * (a * x[col] - c * w);
    row[col] = nw;
    flag |= nonfiniteTerm(nw);
  }
  return flag;
}

uint32_t memoryRow(float *__restrict row, float *__restrict old, int64_t d,
                   const float *__restrict kn, float alpha, float e) {
  uint32_t flag = 0;
  for (int64_t c = 0; c < d; ++c) {
    const float s = row[c];
    old[c] = s;
    const float ns = alpha * s + e * kn[c];
    row[c] = ns;
    flag |= nonfiniteTerm(ns);
  }
  return flag;
}

void sparseRows(const float *W, int64_t d, const int32_t *idx,
                const float *val, int64_t k, float *y) {
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

int64_t kwtaCandidates(const float *u, int64_t n, uint32_t t0, uint32_t *keys,
                       int32_t *idx) {
  int64_t c = 0, i = 0;
  // Blocks of 16 with a branch-free test first: most blocks hold no
  // candidate.
  for (; i + 16 <= n; i += 16) {
    uint32_t block[16], any = 0;
    for (int l = 0; l < 16; ++l) {
      block[l] = rankKey(u[i + l]);
      any |= static_cast<uint32_t>(block[l] >= t0);
    }
    if (any)
      c = appendCandidates(block, 16, i, t0, keys, idx, c);
  }
  return appendCandidateTail(u, i, n, t0, keys, idx, c);
}

} // namespace

const IsaKernels kGenericKernels = {
    ANIMA_UK_ISA_GENERIC, rowsDot,    matvecAcc,     dotAny, plasticRow,
    memoryRow,            sparseRows, kwtaCandidates, boostedKeysScalar,
    false,
};

} // namespace anima_uk
