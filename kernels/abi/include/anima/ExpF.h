/*===- anima/ExpF.h - The exp of k-WTA boosting and softmax ------*- C++ -*-===*
 *
 * Part of the Anima project.
 *
 *===----------------------------------------------------------------------===*
 *
 * exp(x) for f32, defined as a fixed sequence of IEEE f32 operations (no
 * fused multiply-add, no library call), so the reference kernels, every CPU
 * ISA level (scalar here, 8 lanes in the AVX2 microkernels) and every
 * target get the same bits: k-WTA boosting (u * exp(beta (k/N - duty))) and
 * the softmaxes (kwta's softmax mode, softmax_delta) are bit-exact across
 * them without depending on the C library's expf. Cephes' expf: x is clamped
 * to [-104, 89] (beyond those exp is 0 or Inf in f32 anyway), n = x log2(e)
 * rounded to nearest (the 1.5 * 2^23 trick), r = x - n ln2 in two steps,
 * a degree-6 polynomial, then two exact-or-once-rounded scalings by powers
 * of two so subnormal results round once. Error: 1 ulp at most for normal
 * results, measured against a double exp over every 61st float of the
 * range (tests/unit/HelpersTest.cpp, ExpF32; the test allows 2). NaN returns
 * NaN.
 *
 * Header-only; freestanding (the microkernels link no libm). The bits are
 * only the same if the compiler does not contract `p * r + k` into a fused
 * multiply-add: Anima builds with -ffp-contract=off, and the functions below
 * turn contraction off for clang; a GCC includer must pass
 * -ffp-contract=off (GCC's default for GNU C++ is "fast").
 *
 *===----------------------------------------------------------------------===*/

#ifndef ANIMA_EXPF_H
#define ANIMA_EXPF_H

#include <stdint.h>

namespace anima {
namespace expf32 {

constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693359375f; // few bits: n * kLn2Hi is exact
constexpr float kLn2Lo = -2.12194440e-4f;
constexpr float kRound = 12582912.0f; // 1.5 * 2^23: (v + kRound) - kRound rounds v
constexpr float kMaxX = 89.0f;
constexpr float kMinX = -104.0f;
constexpr float kP0 = 1.9875691500e-4f;
constexpr float kP1 = 1.3981999507e-3f;
constexpr float kP2 = 8.3334519073e-3f;
constexpr float kP3 = 4.1665795894e-2f;
constexpr float kP4 = 1.6666665459e-1f;
constexpr float kP5 = 5.0000001201e-1f;

/// 2^m for m in [-126, 127].
inline float pow2(int32_t m) {
  const uint32_t bits = static_cast<uint32_t>(m + 127) << 23;
  float f;
  __builtin_memcpy(&f, &bits, sizeof f);
  return f;
}

} // namespace expf32

/// exp(x), the same bits everywhere (see above).
inline float expF32(float x) {
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
  using namespace expf32;
  if (x != x)
    return x;
  const float c = x > kMaxX ? kMaxX : (x < kMinX ? kMinX : x);
  const float n = (c * kLog2e + kRound) - kRound;
  const float r = (c - n * kLn2Hi) - n * kLn2Lo;
  float p = kP0;
  p = p * r + kP1;
  p = p * r + kP2;
  p = p * r + kP3;
  p = p * r + kP4;
  p = p * r + kP5;
  const float y = (p * (r * r) + r) + 1.0f;
  const int32_t m = static_cast<int32_t>(n); // in [-150, 128]
  const int32_t m1 = m >> 1;                 // floor(m / 2): [-75, 64]
  return (y * pow2(m1)) * pow2(m - m1);
}

} // namespace anima

#endif // ANIMA_EXPF_H
