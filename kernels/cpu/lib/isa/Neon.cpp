//===- Neon.cpp - Advanced SIMD hot loops (aarch64) ----------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Dispatch.h's table with NEON intrinsics (baseline on aarch64, so always
// chosen there). Bit-identical to Generic.cpp: a dot product's 16 lanes are
// four 4-wide accumulators combined by the same tail and tree; updates are
// the reference's formulas with separate multiply and add (vmulq + vaddq,
// never vfmaq). Four rows are summed at once and the next rows prefetched,
// as in Avx2.cpp.
//
// Built into the aarch64 archive (clang --target=aarch64-linux-gnu
// -ffreestanding): arm_neon.h is one of the compiler's own headers.
//
//===----------------------------------------------------------------------===//

#include "../Dispatch.h"

#include "anima/kernels/cpu/Isa.h"

#if defined(__aarch64__)

#include <arm_neon.h>

namespace anima_uk {
namespace {

inline void prefetch(const float *p) { __builtin_prefetch(p, 0, 3); }

/// 16 lanes as four q registers: v[g] holds lanes 4g .. 4g + 3.
struct Acc16 {
  float32x4_t v[4];
  Acc16() {
    for (auto &r : v)
      r = vdupq_n_f32(0.0f);
  }
  /// lanes += a[0..15] * x[0..15]
  void madd(const float *a, const float *x) {
    for (int g = 0; g < 4; ++g)
      v[g] = vaddq_f32(v[g], vmulq_f32(vld1q_f32(a + 4 * g), vld1q_f32(x + 4 * g)));
  }
  /// Lanes::finish with the products a[l] * b[l] of the `count` < 16 tail.
  float finish(const float *a, const float *b, int64_t count) const {
    float acc[kLanes];
    for (int g = 0; g < 4; ++g)
      vst1q_f32(acc + 4 * g, v[g]);
    for (int64_t l = 0; l < count; ++l)
      acc[l] += a[l] * b[l];
    for (int w = kLanes / 2; w > 0; w /= 2)
      for (int l = 0; l < w; ++l)
        acc[l] += acc[l + w];
    return acc[0];
  }
};

/// y[r] = dot(a[r], x) for R rows in one sweep (independent add chains),
/// prefetching next[r] (null: nothing) at the offsets being summed.
template <int R>
inline void dotRows(const float *const *a, const float *x, int64_t n,
                    const float *const *next, float *y) {
  Acc16 acc[R];
  int64_t c = 0;
  for (; c + kLanes <= n; c += kLanes) {
    if (next)
      for (int r = 0; r < R; ++r)
        prefetch(next[r] + c);
    for (int r = 0; r < R; ++r)
      acc[r].madd(a[r] + c, x + c);
  }
  for (int r = 0; r < R; ++r)
    y[r] = acc[r].finish(a[r] + c, x + c, n - c);
}

#define ANIMA_ISA_FN
#include "RowLoops.h"
#undef ANIMA_ISA_FN

/// nonfiniteTerm() of 4 values.
inline uint32x4_t nonfinite4(float32x4_t v) {
  return vaddq_u32(vandq_u32(vreinterpretq_u32_f32(v), vdupq_n_u32(0x7f800000u)),
                   vdupq_n_u32(0x00800000u));
}

inline uint32_t orLanes(uint32x4_t v) {
  return vgetq_lane_u32(v, 0) | vgetq_lane_u32(v, 1) | vgetq_lane_u32(v, 2) |
         vgetq_lane_u32(v, 3);
}

uint32_t plasticRow(float *row, float *old, int64_t d, const float *x,
                    float a, float c, float keep, float g, const float *next) {
  const float32x4_t vk = vdupq_n_f32(keep), vg = vdupq_n_f32(g);
  const float32x4_t va = vdupq_n_f32(a), vc = vdupq_n_f32(c);
  uint32x4_t flag = vdupq_n_u32(0);
  int64_t i = 0;
  for (; i + 4 <= d; i += 4) {
    if (next && (i & 15) == 0)
      prefetch(next + i);
    const float32x4_t w = vld1q_f32(row + i);
    vst1q_f32(old + i, w);
    // keep * w + g * (a * x - c * w), the reference's order.
    const float32x4_t nw = vaddq_f32(
        vmulq_f32(vk, w),
        vmulq_f32(vg, vsubq_f32(vmulq_f32(va, vld1q_f32(x + i)),
                                vmulq_f32(vc, w))));
    vst1q_f32(row + i, nw);
    flag = vorrq_u32(flag, nonfinite4(nw));
  }
  uint32_t out = orLanes(flag);
  for (; i < d; ++i) {
    const float w = row[i];
    old[i] = w;
    const float nw = keep * w + g * (a * x[i] - c * w);
    row[i] = nw;
    out |= nonfiniteTerm(nw);
  }
  return out;
}

uint32_t memoryRow(float *row, float *old, int64_t d, const float *kn,
                   float alpha, float e) {
  const float32x4_t va = vdupq_n_f32(alpha), ve = vdupq_n_f32(e);
  uint32x4_t flag = vdupq_n_u32(0);
  int64_t i = 0;
  for (; i + 4 <= d; i += 4) {
    const float32x4_t s = vld1q_f32(row + i);
    vst1q_f32(old + i, s);
    const float32x4_t ns =
        vaddq_f32(vmulq_f32(va, s), vmulq_f32(ve, vld1q_f32(kn + i)));
    vst1q_f32(row + i, ns);
    flag = vorrq_u32(flag, nonfinite4(ns));
  }
  uint32_t out = orLanes(flag);
  for (; i < d; ++i) {
    const float s = row[i];
    old[i] = s;
    const float ns = alpha * s + e * kn[i];
    row[i] = ns;
    out |= nonfiniteTerm(ns);
  }
  return out;
}

inline float32x4_t madd(float32x4_t acc, const float *r, float32x4_t v) {
  return vaddq_f32(acc, vmulq_f32(vld1q_f32(r), v));
}

void sparseRows(const float *W, int64_t d, const int32_t *idx,
                const float *val, int64_t k, float *y) {
  for (int64_t c = 0; c < d; ++c)
    y[c] = 0.0f;
  int64_t j = 0;
  for (; j + 4 <= k; j += 4) {
    const float *r0 = W + static_cast<int64_t>(idx[j]) * d;
    const float *r1 = W + static_cast<int64_t>(idx[j + 1]) * d;
    const float *r2 = W + static_cast<int64_t>(idx[j + 2]) * d;
    const float *r3 = W + static_cast<int64_t>(idx[j + 3]) * d;
    const bool more = j + 8 <= k;
    const float *p0 = more ? W + static_cast<int64_t>(idx[j + 4]) * d : r0;
    const float *p1 = more ? W + static_cast<int64_t>(idx[j + 5]) * d : r1;
    const float *p2 = more ? W + static_cast<int64_t>(idx[j + 6]) * d : r2;
    const float *p3 = more ? W + static_cast<int64_t>(idx[j + 7]) * d : r3;
    const float v0 = val[j], v1 = val[j + 1], v2 = val[j + 2], v3 = val[j + 3];
    const float32x4_t b0 = vdupq_n_f32(v0), b1 = vdupq_n_f32(v1);
    const float32x4_t b2 = vdupq_n_f32(v2), b3 = vdupq_n_f32(v3);
    int64_t c = 0;
    for (; c + 16 <= d; c += 16) {
      prefetch(p0 + c);
      prefetch(p1 + c);
      prefetch(p2 + c);
      prefetch(p3 + c);
      for (int h = 0; h < 16; h += 4) {
        float32x4_t o = vld1q_f32(y + c + h);
        o = madd(o, r0 + c + h, b0);
        o = madd(o, r1 + c + h, b1);
        o = madd(o, r2 + c + h, b2);
        o = madd(o, r3 + c + h, b3);
        vst1q_f32(y + c + h, o);
      }
    }
    for (; c < d; ++c)
      y[c] = (((y[c] + v0 * r0[c]) + v1 * r1[c]) + v2 * r2[c]) + v3 * r3[c];
  }
  for (; j < k; ++j) {
    const float *r = W + static_cast<int64_t>(idx[j]) * d;
    const float v = val[j];
    const float32x4_t b = vdupq_n_f32(v);
    int64_t c = 0;
    for (; c + 4 <= d; c += 4)
      vst1q_f32(y + c, madd(vld1q_f32(y + c), r + c, b));
    for (; c < d; ++c)
      y[c] = y[c] + v * r[c];
  }
}

/// rankKey() of 4 scores (see Internal.h).
inline uint32x4_t rankKey4(uint32x4_t b) {
  const uint32x4_t mag = vandq_u32(b, vdupq_n_u32(0x7fffffffu));
  const uint32x4_t negative = vbicq_u32(
      vreinterpretq_u32_s32(vshrq_n_s32(vreinterpretq_s32_u32(b), 31)),
      vceqq_u32(mag, vdupq_n_u32(0)));
  const uint32x4_t key =
      veorq_u32(vorrq_u32(mag, vdupq_n_u32(0x80000000u)), negative);
  return vbicq_u32(key, vcgtq_u32(mag, vdupq_n_u32(0x7f800000u)));
}

int64_t kwtaCandidates(const float *u, int64_t n, uint32_t t0, uint32_t *keys,
                       int32_t *idx) {
  int64_t c = 0, i = 0;
  const uint32x4_t threshold = vdupq_n_u32(t0);
  for (; i + 8 <= n; i += 8) {
    const uint32x4_t k0 = rankKey4(vreinterpretq_u32_f32(vld1q_f32(u + i)));
    const uint32x4_t k1 =
        rankKey4(vreinterpretq_u32_f32(vld1q_f32(u + i + 4)));
    const uint32x4_t hit =
        vorrq_u32(vcgeq_u32(k0, threshold), vcgeq_u32(k1, threshold));
    if (vmaxvq_u32(hit) == 0)
      continue;
    uint32_t lanes[8];
    vst1q_u32(lanes, k0);
    vst1q_u32(lanes + 4, k1);
    c = appendCandidates(lanes, 8, i, t0, keys, idx, c);
  }
  return appendCandidateTail(u, i, n, t0, keys, idx, c);
}

} // namespace

const IsaKernels kNeonKernels = {
    ANIMA_UK_ISA_NEON, rowsDot,    matvecAcc,     dotAny, plasticRow,
    memoryRow,         sparseRows, kwtaCandidates, boostedKeysScalar,
    false,
};

} // namespace anima_uk

#endif // __aarch64__
