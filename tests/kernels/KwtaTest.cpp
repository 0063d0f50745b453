//===- KwtaTest.cpp - anima_uk_kwta against the reference ----------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// kwta must equal the reference EXACTLY: same winners (ties toward the lower
// index, NaN below every number, -0 == +0), same values and duty cycles bit
// for bit (the kernel evaluates the same formulas in the same order).
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtil.h"

#include "anima/ExpF.h"

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "anima/kernels/reference/Reference.h"

using namespace anima::uktest;
namespace ref = anima::ref;

namespace {

struct KwtaResult {
  std::vector<std::int32_t> idx;
  std::vector<float> val;
  std::vector<float> duty;
  std::uint64_t journalUsed = 0;
  std::uint32_t status = 0;
};

struct KwtaArgs {
  std::vector<float> u;
  std::vector<float> duty; // empty: no duty vector
  std::int64_t k = 1;
  std::int32_t mode = ANIMA_KWTA_VALUE;
  float beta = 0.0f;
  float tau = 1.0f;
  float period = 0.0f;
};

KwtaResult runKernel(const KwtaArgs &a, float p) {
  // Exactly the journal the call needs: it must not ask for more.
  Step step(anima_uk_journal_bytes_kwta(static_cast<std::int64_t>(a.u.size())),
            p);
  KwtaResult r;
  r.idx.assign(static_cast<std::size_t>(a.k), -1);
  r.val.assign(static_cast<std::size_t>(a.k), -1.0f);
  r.duty = a.duty;
  anima_uk_kwta(&step.ctx, a.u.data(), static_cast<std::int64_t>(a.u.size()),
                r.duty.empty() ? nullptr : r.duty.data(), a.k, a.mode, a.beta,
                a.tau, a.period, r.idx.data(), r.val.data());
  r.journalUsed = step.ctx.journal_used;
  r.status = step.ctx.status;
  // Undoing the journal gives back the duty cycles exactly.
  std::vector<float> after = r.duty;
  step.undo();
  EXPECT_TRUE(bitEqual(r.duty, a.duty)) << "journal undo";
  r.duty = after;
  return r;
}

/// The reference with the ABI's plasticity scaling: duty rate p / period is
/// the period period / p; p == 0 leaves the duty cycles alone.
KwtaResult runReference(const KwtaArgs &a, float p) {
  KwtaResult r;
  r.idx.assign(static_cast<std::size_t>(a.k), -1);
  r.val.assign(static_cast<std::size_t>(a.k), -1.0f);
  r.duty = a.duty;
  ref::KwtaParams params;
  params.k = a.k;
  params.mode = static_cast<ref::KwtaMode>(a.mode);
  params.beta = a.beta;
  params.tau = a.tau;
  params.period = (a.period > 0.0f && p != 0.0f) ? a.period / p : 0.0f;
  const float *duty = a.duty.empty() ? nullptr : a.duty.data();
  EXPECT_TRUE(ref::kwta(a.u.data(), static_cast<std::int64_t>(a.u.size()), duty,
                        params, r.idx.data(), r.val.data(),
                        duty ? r.duty.data() : nullptr));
  return r;
}

void expectSame(const KwtaArgs &a, float p) {
  const KwtaResult got = runKernel(a, p);
  const KwtaResult want = runReference(a, p);
  EXPECT_EQ(got.status, ANIMA_STEP_OK);
  EXPECT_TRUE(bitEqual(got.idx, want.idx));
  EXPECT_TRUE(bitEqual(got.val, want.val));
  EXPECT_TRUE(bitEqual(got.duty, want.duty));
  const bool writes = !a.duty.empty() && a.period > 0.0f && p != 0.0f;
  EXPECT_EQ(got.journalUsed, writes ? anima_uk_journal_bytes_kwta(
                                          static_cast<std::int64_t>(a.u.size()))
                                    : 0u);
}

enum class Dist { Uniform, Ties, Specials, AllEqual, AllNaN };

std::vector<float> makeScores(std::mt19937 &rng, std::size_t n, Dist dist) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> u = uniform(rng, n, -2.0f, 2.0f);
  switch (dist) {
  case Dist::Uniform:
    break;
  case Dist::Ties: // few distinct values, many ties, both zeros
    for (float &x : u) {
      x = std::round(x * 2.0f) / 2.0f;
      if (x == 0.0f && (rng() & 1))
        x = -0.0f;
    }
    break;
  case Dist::Specials: {
    const float specials[] = {nan,
                              -nan,
                              inf,
                              -inf,
                              0.0f,
                              -0.0f,
                              std::numeric_limits<float>::denorm_min(),
                              -std::numeric_limits<float>::denorm_min(),
                              std::numeric_limits<float>::max(),
                              -std::numeric_limits<float>::max()};
    for (float &x : u)
      if (rng() % 3 == 0)
        x = specials[rng() % (sizeof specials / sizeof specials[0])];
    break;
  }
  case Dist::AllEqual:
    std::fill(u.begin(), u.end(), 0.25f);
    break;
  case Dist::AllNaN:
    std::fill(u.begin(), u.end(), nan);
    break;
  }
  return u;
}

std::vector<std::int64_t> kValues(std::int64_t n) {
  std::vector<std::int64_t> ks = {1, 2, n / 3, n - 1, n};
  std::vector<std::int64_t> out;
  for (std::int64_t k : ks)
    if (k >= 1 && k <= n && std::find(out.begin(), out.end(), k) == out.end())
      out.push_back(k);
  return out;
}

} // namespace

TEST(UkKwta, MatchesReferenceOverShapesModesAndInputs) {
  std::mt19937 rng(1234);
  const Dist dists[] = {Dist::Uniform, Dist::Ties, Dist::Specials,
                        Dist::AllEqual, Dist::AllNaN};
  for (std::int64_t n : {1, 2, 3, 5, 16, 17, 33, 100, 1000, 4099}) {
    for (std::int64_t k : kValues(n)) {
      for (Dist dist : dists) {
        for (std::int32_t mode :
             {ANIMA_KWTA_VALUE, ANIMA_KWTA_BINARY, ANIMA_KWTA_SOFTMAX}) {
          // No duty; duty without boosting; boosting with and without update.
          for (int variant = 0; variant < 4; ++variant) {
            KwtaArgs a;
            a.u = makeScores(rng, static_cast<std::size_t>(n), dist);
            a.k = k;
            a.mode = mode;
            a.tau = mode == ANIMA_KWTA_SOFTMAX ? 0.7f : 1.0f;
            if (variant > 0)
              a.duty = uniform(rng, static_cast<std::size_t>(n), 0.0f, 1.0f);
            a.period = variant == 1 || variant == 3 ? 10.0f : 0.0f;
            a.beta = variant >= 2 ? 2.5f : 0.0f;
            SCOPED_TRACE("n=" + std::to_string(n) + " k=" + std::to_string(k) +
                         " dist=" + std::to_string(static_cast<int>(dist)) +
                         " mode=" + std::to_string(mode) +
                         " variant=" + std::to_string(variant));
            expectSame(a, 1.0f);
          }
        }
      }
    }
  }
}

TEST(UkKwta, LargeNWithTiesAndBoosting) {
  std::mt19937 rng(99);
  const std::int64_t n = 100003;
  for (std::int64_t k : {std::int64_t{1}, std::int64_t{37}, n / 2, n - 1}) {
    for (Dist dist : {Dist::Uniform, Dist::Ties, Dist::Specials}) {
      KwtaArgs a;
      a.u = makeScores(rng, static_cast<std::size_t>(n), dist);
      a.duty = uniform(rng, static_cast<std::size_t>(n), 0.0f, 0.2f);
      a.k = k;
      a.beta = 1.5f;
      a.period = 100.0f;
      SCOPED_TRACE("k=" + std::to_string(k));
      expectSame(a, 1.0f);
    }
  }
}

TEST(UkKwta, ExplicitTieBreaking) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  struct Case {
    std::vector<float> u;
    std::int64_t k;
    std::vector<std::int32_t> idx;
  } cases[] = {
      {{-0.0f, 0.0f, -0.0f}, 1, {0}},        // -0 ties +0: lower index
      {{1.0f, 3.0f, 3.0f, 2.0f}, 2, {1, 2}}, // ties at the top
      {{3.0f, 1.0f, 2.0f, 2.0f, 2.0f}, 3, {0, 2, 3}},
      {{nan, -inf, nan}, 2, {0, 1}}, // NaN only to fill k
      {{nan, nan, nan}, 2, {0, 1}},
      {{-inf, nan, -1e30f}, 1, {2}},
  };
  for (const Case &c : cases) {
    KwtaArgs a;
    a.u = c.u;
    a.k = c.k;
    const KwtaResult got = runKernel(a, 1.0f);
    EXPECT_EQ(got.idx, c.idx);
    EXPECT_TRUE(bitEqual(got.idx, runReference(a, 1.0f).idx));
  }
}

TEST(UkKwta, PlasticityScalesOnlyTheDutyRate) {
  std::mt19937 rng(7);
  for (std::int64_t n : {1, 17, 300}) {
    KwtaArgs a;
    a.u = uniform(rng, static_cast<std::size_t>(n), -1.0f, 1.0f);
    a.duty = uniform(rng, static_cast<std::size_t>(n), 0.0f, 1.0f);
    a.k = std::max<std::int64_t>(1, n / 4);
    a.mode = ANIMA_KWTA_SOFTMAX;
    a.beta = 3.0f;
    a.period = 8.0f;
    // p = 0.5: the reference with period / 0.5 (boosting unchanged).
    expectSame(a, 0.5f);
    // p = 0: no state written at all; outputs still use the boosted scores.
    const KwtaResult frozen = runKernel(a, 0.0f);
    const KwtaResult learning = runKernel(a, 1.0f);
    EXPECT_TRUE(bitEqual(frozen.duty, a.duty));
    EXPECT_EQ(frozen.journalUsed, 0u);
    EXPECT_TRUE(bitEqual(frozen.idx, learning.idx));
    EXPECT_TRUE(bitEqual(frozen.val, learning.val));
    EXPECT_TRUE(bitEqual(frozen.idx, runReference(a, 0.0f).idx));
  }
}

TEST(UkKwta, SampledThresholdPathAndItsFallback) {
  // Large N with k <= N/8 takes the sampled-threshold path (a sample of
  // 1024 strided scores picks a threshold, one pass keeps the candidates);
  // the adversarial inputs make the sample lie in both directions: scores
  // that are large exactly at the sampled positions (too few candidates:
  // the full radix select must take over) and only between them (nearly
  // every score is a candidate); all-negative scores and signed zeros at the
  // threshold.
  std::mt19937 rng(7);
  for (std::int64_t n : {2048, 16384, 65537}) {
    for (std::int64_t k : {std::int64_t{1}, std::int64_t{64}, std::int64_t{256},
                           n / 8}) {
      for (int input = 0; input < 9; ++input) {
        KwtaArgs a;
        a.k = k;
        if (input == 7) {
          // Every score negative: the threshold is a negative float (the
          // AVX2 pass compares floats against the key's float).
          a.u = uniform(rng, static_cast<std::size_t>(n), -3.0f, -1.0f);
        } else if (input == 8) {
          // Zeros of both signs tie at the threshold, negatives below it.
          a.u = uniform(rng, static_cast<std::size_t>(n), -1.0f, 0.0f);
          for (float &x : a.u)
            x = (rng() % 4 == 0) ? ((rng() & 1) ? -0.0f : 0.0f) : x;
        } else if (input < 5) {
          const Dist dists[] = {Dist::Uniform, Dist::Ties, Dist::Specials,
                                Dist::AllEqual, Dist::AllNaN};
          a.u = makeScores(rng, static_cast<std::size_t>(n), dists[input]);
        } else {
          a.u.assign(static_cast<std::size_t>(n), 0.0f);
          for (std::int64_t s = 0; s < 1024; ++s)
            a.u[static_cast<std::size_t>(s * n / 1024)] = 1.0f;
          if (input == 6)
            for (float &x : a.u)
              x = 1.0f - x;
        }
        for (bool boost : {false, true}) {
          if (boost) {
            a.duty = uniform(rng, static_cast<std::size_t>(n), 0.0f, 0.1f);
            a.beta = 2.0f;
            a.period = 50.0f;
          }
          SCOPED_TRACE("n=" + std::to_string(n) + " k=" + std::to_string(k) +
                       " input=" + std::to_string(input) +
                       (boost ? " boost" : ""));
          expectSame(a, 1.0f);
        }
      }
    }
  }
}

namespace {

/// The winner of a boosted kwta (k = 1) over 9 scores where score 0 is
/// u0 * exp(a0) and scores 1..8 are u1 * exp(a1) (a = beta (k/N - duty)).
int32_t boostedWinner(float u0, float duty0, float u1, float duty1) {
  std::vector<float> u(9, u1), duty(9, duty1);
  u[0] = u0;
  duty[0] = duty0;
  int32_t idx = -1;
  float val = 0.0f;
  Step step;
  anima_uk_kwta(&step.ctx, u.data(), 9, duty.data(), 1, ANIMA_KWTA_VALUE,
                1.0f, 1.0f, 0.0f, &idx, &val);
  return idx;
}

} // namespace

// Boosting evaluates anima/ExpF.h's exp; the AVX2 level 8 lanes at a time.
// A score u * exp(a) against the score exp_ref(a) * 1 (the reference's exp
// of the same argument, boost 1 = exp(0) exactly): equal scores tie and the
// lower index wins, so the winner is 0 in both orders exactly when the
// level's exp has the reference's bits -- in lane 0 (the first order) and in
// lanes 1-7 and the scalar tail (the second), over the whole range of the
// argument, its clamps and the subnormal results.
TEST(UkKwta, BoostedExpHasTheReferenceBits) {
  std::mt19937 rng(77);
  std::uniform_real_distribution<float> arg(-110.0f, 95.0f);
  const float target = 1.0f / 9.0f; // k / N
  std::vector<float> args = {0.0f, -0.0f, 1.0f, -1.0f, 88.7f, 88.73f, 89.5f,
                             -87.3f, -100.0f, -103.9f, -104.5f, 1e-8f};
  for (int i = 0; i < 400; ++i)
    args.push_back(arg(rng));
  for (float a : args) {
    // duty = target - a, so the kernel's argument is 1 * (target - duty).
    const float duty = target - a;
    const float exact = anima::expF32(1.0f * (target - duty));
    if (exact == 0.0f || std::isinf(exact))
      continue; // 0 * x and Inf scores tie whatever the bits
    SCOPED_TRACE("a=" + std::to_string(a));
    EXPECT_EQ(boostedWinner(1.0f, duty, exact, target), 0);
    EXPECT_EQ(boostedWinner(exact, target, 1.0f, duty), 0);
  }
}

#if defined(__x86_64__)
// A thread with denormals-are-zero and flush-to-zero set (what loading code
// built with -ffast-math does to MXCSR) must select exactly as without:
// the AVX2 candidate pass compares floats only against a normal or infinite
// threshold. The input: zeros with one negative subnormal, whose key is below
// the sampled threshold (+0) although DAZ makes it compare equal to +0 (it
// used to reach the candidates and index a histogram out of bounds).
TEST(UkKwta, DenormalsAreZeroDoesNotChangeTheSelection) {
  const unsigned saved = _mm_getcsr();
  for (float odd : {-1e-45f, 1e-45f, -1e-39f}) {
    KwtaArgs a;
    a.k = 8;
    a.u.assign(2048, 0.0f);
    a.u[5] = odd;
    a.u[700] = -0.0f;
    SCOPED_TRACE("odd=" + std::to_string(odd));
    const KwtaResult want = runReference(a, 1.0f); // IEEE compares
    _mm_setcsr(saved | 0x8040u);                   // DAZ | FTZ
    const KwtaResult got = runKernel(a, 1.0f);
    _mm_setcsr(saved);
    EXPECT_EQ(got.status, ANIMA_STEP_OK);
    EXPECT_TRUE(bitEqual(got.idx, want.idx));
    EXPECT_TRUE(bitEqual(got.val, want.val));
  }
  _mm_setcsr(saved);
}
#endif
