//===- Avx2.cpp - AVX2 hot loops (x86-64) --------------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Dispatch.h's table with 256-bit AVX2 intrinsics, for x86-64 CPUs that have
// AVX2 (chosen at run time: this file is compiled without -mavx2 and every
// function carries target("avx2"), so nothing here runs on older CPUs and
// no inline function of a shared header is compiled for AVX2).
//
// Bit-identical to Generic.cpp: the 16 lanes of a dot product are two 8-wide
// accumulators (lanes 0-7, 8-15) combined by the same tail and tree; the
// update formulas are the reference's, multiply then add, no FMA (the loops
// are memory-bound: FMA would change rounding and buy no time).
//
// What makes them faster than the portable code: 8-wide arithmetic (so
// rows already in L1/L2, e.g. the update half of a fused step, are not
// compute-bound), four rows summed at once (the lanes' add chains of one row
// are serial; four rows give the adder independent work), and a prefetch of the
// next rows at the offset being summed.
//
//===----------------------------------------------------------------------===//

#include "../Dispatch.h"

#include "anima/kernels/cpu/Isa.h"

#if defined(__x86_64__)

#include <immintrin.h>

#define ANIMA_AVX2 __attribute__((target("avx2")))

namespace anima_uk {
namespace {

ANIMA_AVX2 inline void prefetch(const float *p) {
  _mm_prefetch(reinterpret_cast<const char *>(p), _MM_HINT_T0);
}

/// The lanes' tail and tree (Lanes::finish): acc = lanes 0-7 | 8-15, plus
/// a[l] * b[l] for the `count` < 16 remaining elements.
ANIMA_AVX2 inline float finish(__m256 lo, __m256 hi, const float *a,
                               const float *b, int64_t count) {
  alignas(32) float acc[kLanes];
  _mm256_store_ps(acc, lo);
  _mm256_store_ps(acc + 8, hi);
  for (int64_t l = 0; l < count; ++l)
    acc[l] += a[l] * b[l];
  for (int w = kLanes / 2; w > 0; w /= 2)
    for (int l = 0; l < w; ++l)
      acc[l] += acc[l + w];
  return acc[0];
}

ANIMA_AVX2 inline __m256 madd(__m256 acc, const float *a, __m256 b) {
  return _mm256_add_ps(acc, _mm256_mul_ps(_mm256_loadu_ps(a), b));
}

/// y[r] = dot(a[r], x) over n for R rows in one sweep (R independent sets
/// of add chains: one row's chains are serial, R rows keep the adder busy),
/// prefetching next[r] (null: nothing) at the offsets being summed.
template <int R>
ANIMA_AVX2 inline void dotRows(const float *const *a, const float *x,
                               int64_t n, const float *const *next, float *y) {
  __m256 lo[R], hi[R];
  for (int r = 0; r < R; ++r)
    lo[r] = hi[r] = _mm256_setzero_ps();
  int64_t c = 0;
  for (; c + kLanes <= n; c += kLanes) {
    if (next)
      for (int r = 0; r < R; ++r)
        prefetch(next[r] + c);
    const __m256 xl = _mm256_loadu_ps(x + c), xh = _mm256_loadu_ps(x + c + 8);
    for (int r = 0; r < R; ++r) {
      lo[r] = madd(lo[r], a[r] + c, xl);
      hi[r] = madd(hi[r], a[r] + c + 8, xh);
    }
  }
  for (int r = 0; r < R; ++r)
    y[r] = finish(lo[r], hi[r], a[r] + c, x + c, n - c);
}

#define ANIMA_ISA_FN ANIMA_AVX2
#include "RowLoops.h"
#undef ANIMA_ISA_FN

/// Bits 23-31 of nonfiniteTerm() for 8 values at once.
ANIMA_AVX2 inline __m256i nonfinite8(__m256 v) {
  return _mm256_add_epi32(
      _mm256_and_si256(_mm256_castps_si256(v), _mm256_set1_epi32(0x7f800000)),
      _mm256_set1_epi32(0x00800000));
}

ANIMA_AVX2 inline uint32_t orLanes(__m256i v) {
  alignas(32) uint32_t lanes[8];
  _mm256_store_si256(reinterpret_cast<__m256i *>(lanes), v);
  uint32_t out = 0;
  for (int l = 0; l < 8; ++l)
    out |= lanes[l];
  return out;
}

/// Saves 16 old values to the journal. The journal is written once per
/// step and read back only when a step is refused, so when the record is
/// 16-byte aligned the save uses non-temporal stores: they skip the
/// read-for-ownership of the journal's lines and keep the journal out of the
/// caches the rows (and, for a memory, all of S) need. Journal::refuse()
/// fences them before restoring; on success the runtime fences once per step
/// (Journal::commit()). Otherwise (a record after an odd number of 8-byte
/// words, or shorter than 16 floats) plain stores.
ANIMA_AVX2 inline void saveOld16(float *old, __m256 w0, __m256 w1,
                                 bool stream) {
  if (stream) {
    _mm_stream_ps(old, _mm256_castps256_ps128(w0));
    _mm_stream_ps(old + 4, _mm256_extractf128_ps(w0, 1));
    _mm_stream_ps(old + 8, _mm256_castps256_ps128(w1));
    _mm_stream_ps(old + 12, _mm256_extractf128_ps(w1, 1));
  } else {
    _mm256_storeu_ps(old, w0);
    _mm256_storeu_ps(old + 8, w1);
  }
}

/// keep * w + g * (a * x - c * w), the reference's order.
ANIMA_AVX2 inline __m256 plasticValue(__m256 w, __m256 x, __m256 keep,
                                      __m256 g, __m256 a, __m256 c) {
  return _mm256_add_ps(
      _mm256_mul_ps(keep, w),
      _mm256_mul_ps(g, _mm256_sub_ps(_mm256_mul_ps(a, x), _mm256_mul_ps(c, w))));
}

ANIMA_AVX2 uint32_t plasticRow(float *row, float *old, int64_t d,
                               const float *x, float a, float c, float keep,
                               float g, const float *next) {
  const __m256 vk = _mm256_set1_ps(keep), vg = _mm256_set1_ps(g);
  const __m256 va = _mm256_set1_ps(a), vc = _mm256_set1_ps(c);
  const bool stream = streamsSavedBytes(old, d * sizeof(float));
  __m256i flag = _mm256_setzero_si256();
  int64_t i = 0;
  for (; i + 16 <= d; i += 16) {
    if (next)
      prefetch(next + i);
    const __m256 w0 = _mm256_loadu_ps(row + i);
    const __m256 w1 = _mm256_loadu_ps(row + i + 8);
    saveOld16(old + i, w0, w1, stream);
    const __m256 n0 = plasticValue(w0, _mm256_loadu_ps(x + i), vk, vg, va, vc);
    const __m256 n1 =
        plasticValue(w1, _mm256_loadu_ps(x + i + 8), vk, vg, va, vc);
    _mm256_storeu_ps(row + i, n0);
    _mm256_storeu_ps(row + i + 8, n1);
    flag = _mm256_or_si256(flag, _mm256_or_si256(nonfinite8(n0), nonfinite8(n1)));
  }
  for (; i + 8 <= d; i += 8) {
    const __m256 w = _mm256_loadu_ps(row + i);
    _mm256_storeu_ps(old + i, w);
    const __m256 nw = plasticValue(w, _mm256_loadu_ps(x + i), vk, vg, va, vc);
    _mm256_storeu_ps(row + i, nw);
    flag = _mm256_or_si256(flag, nonfinite8(nw));
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

ANIMA_AVX2 uint32_t memoryRow(float *row, float *old, int64_t d,
                              const float *kn, float alpha, float e) {
  const __m256 va = _mm256_set1_ps(alpha), ve = _mm256_set1_ps(e);
  const bool stream = streamsSavedBytes(old, d * sizeof(float));
  __m256i flag = _mm256_setzero_si256();
  int64_t i = 0;
  for (; i + 16 <= d; i += 16) {
    const __m256 s0 = _mm256_loadu_ps(row + i);
    const __m256 s1 = _mm256_loadu_ps(row + i + 8);
    saveOld16(old + i, s0, s1, stream);
    const __m256 n0 = _mm256_add_ps(_mm256_mul_ps(va, s0),
                                    _mm256_mul_ps(ve, _mm256_loadu_ps(kn + i)));
    const __m256 n1 = _mm256_add_ps(
        _mm256_mul_ps(va, s1), _mm256_mul_ps(ve, _mm256_loadu_ps(kn + i + 8)));
    _mm256_storeu_ps(row + i, n0);
    _mm256_storeu_ps(row + i + 8, n1);
    flag = _mm256_or_si256(flag, _mm256_or_si256(nonfinite8(n0), nonfinite8(n1)));
  }
  for (; i + 8 <= d; i += 8) {
    const __m256 s = _mm256_loadu_ps(row + i);
    _mm256_storeu_ps(old + i, s);
    const __m256 ns = _mm256_add_ps(_mm256_mul_ps(va, s),
                                    _mm256_mul_ps(ve, _mm256_loadu_ps(kn + i)));
    _mm256_storeu_ps(row + i, ns);
    flag = _mm256_or_si256(flag, nonfinite8(ns));
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

ANIMA_AVX2 void sparseRows(const float *W, int64_t d, const int32_t *idx,
                           const float *val, int64_t k, float *y) {
  int64_t c = 0;
  for (; c + 8 <= d; c += 8)
    _mm256_storeu_ps(y + c, _mm256_setzero_ps());
  for (; c < d; ++c)
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
    const __m256 b0 = _mm256_set1_ps(v0), b1 = _mm256_set1_ps(v1);
    const __m256 b2 = _mm256_set1_ps(v2), b3 = _mm256_set1_ps(v3);
    c = 0;
    for (; c + 16 <= d; c += 16) {
      prefetch(p0 + c);
      prefetch(p1 + c);
      prefetch(p2 + c);
      prefetch(p3 + c);
      for (int h = 0; h < 16; h += 8) {
        __m256 o = _mm256_loadu_ps(y + c + h);
        o = madd(o, r0 + c + h, b0);
        o = madd(o, r1 + c + h, b1);
        o = madd(o, r2 + c + h, b2);
        o = madd(o, r3 + c + h, b3);
        _mm256_storeu_ps(y + c + h, o);
      }
    }
    for (; c < d; ++c)
      y[c] = (((y[c] + v0 * r0[c]) + v1 * r1[c]) + v2 * r2[c]) + v3 * r3[c];
  }
  for (; j < k; ++j) {
    const float *r = W + static_cast<int64_t>(idx[j]) * d;
    const float v = val[j];
    const __m256 b = _mm256_set1_ps(v);
    c = 0;
    for (; c + 8 <= d; c += 8)
      _mm256_storeu_ps(y + c, madd(_mm256_loadu_ps(y + c), r + c, b));
    for (; c < d; ++c)
      y[c] = y[c] + v * r[c];
  }
}

/// rankKey() of 8 scores (see Internal.h): negative non-zero values flip
/// every bit, the rest set the sign bit, NaN -> 0.
ANIMA_AVX2 inline __m256i rankKey8(__m256i b) {
  const __m256i sign = _mm256_set1_epi32(static_cast<int>(0x80000000u));
  const __m256i mag = _mm256_and_si256(b, _mm256_set1_epi32(0x7fffffff));
  const __m256i negative = _mm256_andnot_si256(
      _mm256_cmpeq_epi32(mag, _mm256_setzero_si256()), _mm256_srai_epi32(b, 31));
  const __m256i key = _mm256_xor_si256(_mm256_or_si256(mag, sign), negative);
  const __m256i nan = _mm256_cmpgt_epi32(mag, _mm256_set1_epi32(0x7f800000));
  return _mm256_andnot_si256(nan, key);
}

/// Left-packing of 8 lanes by a hit mask: for each mask, the indices of
/// its set lanes in order (one byte each) and how many there are.
struct PackTable {
  uint64_t lanes[256];
  uint8_t count[256];
  constexpr PackTable() : lanes(), count() {
    for (int m = 0; m < 256; ++m) {
      uint64_t v = 0;
      int o = 0;
      for (int l = 0; l < 8; ++l)
        if ((m >> l) & 1)
          v |= static_cast<uint64_t>(l) << (8 * o++);
      lanes[m] = v;
      count[m] = static_cast<uint8_t>(o);
    }
  }
};
constexpr PackTable kPack{};

/// The float whose rankKey() is `key` (a key of a non-NaN score, key != 0):
/// keys with the sign bit are non-negative floats, the others negative ones
/// with every bit flipped. u >= keyFloat(t0) (an ordered compare: NaN fails,
/// -0 == +0) holds exactly when rankKey(u) >= t0.
inline float keyFloat(uint32_t key) {
  const uint32_t bits = (key & 0x80000000u) ? key & 0x7fffffffu : ~key;
  float f;
  __builtin_memcpy(&f, &bits, sizeof f);
  return f;
}

/// Whether the float compare against keyFloat(t0) is exact whatever the
/// thread's MXCSR says: a threshold that is a normal number or +-Inf. With
/// denormals-are-zero set (a process that loaded -ffast-math code), a zero
/// or subnormal threshold would let scores whose key is below t0 through.
inline bool floatCompareIsExact(uint32_t t0) {
  const float f = keyFloat(t0);
  uint32_t bits;
  __builtin_memcpy(&bits, &f, sizeof bits);
  return (bits & 0x7f800000u) != 0;
}

/// Branch-free: every block of 8 stores its hits left-packed at c (8 lanes
/// written, c advanced by the hit count; c + 8 <= i + 8 <= n, so the
/// stores stay inside buffers of n entries). Usually the test is one float
/// compare against the threshold's float (keyFloat); the raw bits of the
/// hits are packed and only they are turned into keys, afterwards. For a
/// zero or subnormal threshold (floatCompareIsExact) the keys of every
/// score are compared as integers instead.
ANIMA_AVX2 int64_t kwtaCandidates(const float *u, int64_t n, uint32_t t0,
                                  uint32_t *keys, int32_t *idx) {
  int64_t c = 0, i = 0;
  const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  auto pack = [&](__m256i values, unsigned mask) ANIMA_AVX2 {
    const __m256i perm = _mm256_cvtepu8_epi32(_mm_loadl_epi64(
        reinterpret_cast<const __m128i *>(&kPack.lanes[mask])));
    const __m256i at =
        _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(i)), iota);
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(keys + c),
                        _mm256_permutevar8x32_epi32(values, perm));
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(idx + c),
                        _mm256_permutevar8x32_epi32(at, perm));
    c += kPack.count[mask];
  };
  if (t0 != 0 && floatCompareIsExact(t0)) {
    const __m256 f0 = _mm256_set1_ps(keyFloat(t0));
    for (; i + 8 <= n; i += 8) {
      const __m256 v = _mm256_loadu_ps(u + i);
      pack(_mm256_castps_si256(v),
           static_cast<unsigned>(
               _mm256_movemask_ps(_mm256_cmp_ps(v, f0, _CMP_GE_OQ))));
    }
    // The packed scores become keys (c is a few percent of n).
    int64_t j = 0;
    for (; j + 8 <= c; j += 8) {
      auto *at = reinterpret_cast<__m256i *>(keys + j);
      _mm256_storeu_si256(at, rankKey8(_mm256_loadu_si256(at)));
    }
    for (; j < c; ++j) {
      float f;
      __builtin_memcpy(&f, keys + j, sizeof f);
      keys[j] = rankKey(f);
    }
  } else if (t0 != 0) {
    // key >= t0 as a signed compare of the sign-flipped keys: > t0 - 1.
    const __m256i sign = _mm256_set1_epi32(static_cast<int>(0x80000000u));
    const __m256i below =
        _mm256_set1_epi32(static_cast<int>((t0 ^ 0x80000000u) - 1u));
    for (; i + 8 <= n; i += 8) {
      const __m256i key = rankKey8(
          _mm256_loadu_si256(reinterpret_cast<const __m256i *>(u + i)));
      const __m256i hit =
          _mm256_cmpgt_epi32(_mm256_xor_si256(key, sign), below);
      pack(key, static_cast<unsigned>(
                    _mm256_movemask_ps(_mm256_castsi256_ps(hit))));
    }
  }
  return appendCandidateTail(u, i, n, t0, keys, idx, c);
}

/// anima::expF32 (anima/ExpF.h) on 8 lanes: the same operations in the same
/// order, so the same bits (round to nearest by the 1.5 * 2^23 trick, the
/// power of two split in two exact-or-once-rounded scalings; NaN lanes
/// return x).
ANIMA_AVX2 inline __m256 exp8(__m256 x) {
  using namespace anima::expf32;
  const __m256 c = _mm256_max_ps(_mm256_min_ps(x, _mm256_set1_ps(kMaxX)),
                                 _mm256_set1_ps(kMinX));
  const __m256 round = _mm256_set1_ps(kRound);
  const __m256 n = _mm256_sub_ps(
      _mm256_add_ps(_mm256_mul_ps(c, _mm256_set1_ps(kLog2e)), round), round);
  const __m256 r =
      _mm256_sub_ps(_mm256_sub_ps(c, _mm256_mul_ps(n, _mm256_set1_ps(kLn2Hi))),
                    _mm256_mul_ps(n, _mm256_set1_ps(kLn2Lo)));
  const float coefficients[] = {kP1, kP2, kP3, kP4, kP5};
  __m256 p = _mm256_set1_ps(kP0);
  for (float k : coefficients)
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(k));
  const __m256 y = _mm256_add_ps(
      _mm256_add_ps(_mm256_mul_ps(p, _mm256_mul_ps(r, r)), r),
      _mm256_set1_ps(1.0f));
  const __m256i m = _mm256_cvttps_epi32(n);
  const __m256i m1 = _mm256_srai_epi32(m, 1);
  const __m256i bias = _mm256_set1_epi32(127);
  const __m256 s1 = _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_add_epi32(m1, bias), 23));
  const __m256 s2 = _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(m, m1), bias), 23));
  const __m256 e = _mm256_mul_ps(_mm256_mul_ps(y, s1), s2);
  return _mm256_blendv_ps(e, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

/// keys[i] = rankKey(u[i] * exp(beta * (target - duty[i]))), 8 at a time.
ANIMA_AVX2 void boostedKeys(const float *u, const float *duty, int64_t n,
                            float beta, float target, uint32_t *keys) {
  const __m256 vb = _mm256_set1_ps(beta), vt = _mm256_set1_ps(target);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 b = exp8(
        _mm256_mul_ps(vb, _mm256_sub_ps(vt, _mm256_loadu_ps(duty + i))));
    const __m256 s = _mm256_mul_ps(_mm256_loadu_ps(u + i), b);
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(keys + i),
                        rankKey8(_mm256_castps_si256(s)));
  }
  boostedKeysFrom(u, duty, i, n, beta, target, keys);
}

} // namespace

const IsaKernels kAvx2Kernels = {
    ANIMA_UK_ISA_AVX2, rowsDot,    matvecAcc,     dotAny, plasticRow,
    memoryRow,         sparseRows, kwtaCandidates, boostedKeys,
    true,
};

} // namespace anima_uk

#endif // __x86_64__
