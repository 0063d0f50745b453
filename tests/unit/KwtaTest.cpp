//===- KwtaTest.cpp - Tests for the reference kwta kernel ----------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/reference/Reference.h"

#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace anima::ref;
using anima::test::expectAllNear;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

/// Result of one kwta call, for compact assertions.
struct KwtaResult {
  bool ok = false;
  std::vector<std::int32_t> idx;
  std::vector<float> val;
};

KwtaResult runKwta(const std::vector<float> &u, const KwtaParams &p,
                   const float *duty = nullptr, float *dutyOut = nullptr) {
  KwtaResult r;
  r.idx.assign(static_cast<std::size_t>(p.k), -1);
  r.val.assign(static_cast<std::size_t>(p.k), -1.0f);
  r.ok = kwta(u.data(), static_cast<std::int64_t>(u.size()), duty, p,
              r.idx.data(), r.val.data(), dutyOut);
  return r;
}

KwtaParams params(std::int64_t k, KwtaMode mode = KwtaMode::Value) {
  KwtaParams p;
  p.k = k;
  p.mode = mode;
  return p;
}

/// Independent top-k: k rounds of "scan for the best unchosen neuron", where
/// a later neuron only replaces the current best if strictly greater, so ties
/// keep the lower index. Returns the chosen indices sorted ascending.
std::vector<std::int32_t> bruteForceTopK(const std::vector<float> &s, int k) {
  std::vector<bool> taken(s.size(), false);
  std::vector<std::int32_t> out;
  for (int round = 0; round < k; ++round) {
    int best = -1;
    for (int i = 0; i < static_cast<int>(s.size()); ++i) {
      if (taken[i])
        continue;
      if (best < 0 || s[i] > s[best])
        best = i;
    }
    taken[best] = true;
  }
  for (int i = 0; i < static_cast<int>(s.size()); ++i)
    if (taken[i])
      out.push_back(i);
  return out;
}

//===----------------------------------------------------------------------===//
// Hand-computed cases
//===----------------------------------------------------------------------===//

TEST(Kwta, ValueModeHandComputed) {
  // u = {0.5, -1, 3, 2, 0.1}, k = 2: the two largest are 3 (i=2), 2 (i=3).
  KwtaResult r = runKwta({0.5f, -1.0f, 3.0f, 2.0f, 0.1f}, params(2));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{2, 3}));
  expectAllNear(r.val, {3.0f, 2.0f}, 0.0f);
}

TEST(Kwta, IndicesAreSortedAscendingNotByValue) {
  // u = {1, 9, 2, 8}, k = 2: winners 9 (i=1) and 8 (i=3); idx ascending
  // is {1, 3} and val follows idx: {9, 8}. With u = {8, 1, 9, 2} the larger
  // value has the higher index: idx {0, 2}, val {8, 9}.
  KwtaResult r = runKwta({1.0f, 9.0f, 2.0f, 8.0f}, params(2));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1, 3}));
  expectAllNear(r.val, {9.0f, 8.0f}, 0.0f);

  r = runKwta({8.0f, 1.0f, 9.0f, 2.0f}, params(2));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{0, 2}));
  expectAllNear(r.val, {8.0f, 9.0f}, 0.0f);
}

TEST(Kwta, NegativeInputsAndKEqualsN) {
  // u = {-3, -1, -2}, k = 1 -> -1 at i=1. k = N returns every index.
  KwtaResult r = runKwta({-3.0f, -1.0f, -2.0f}, params(1));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1}));
  expectAllNear(r.val, {-1.0f}, 0.0f);

  r = runKwta({-3.0f, -1.0f, -2.0f}, params(3));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{0, 1, 2}));
  expectAllNear(r.val, {-3.0f, -1.0f, -2.0f}, 0.0f);
}

TEST(Kwta, BinaryModeHandComputed) {
  // u = {0.1, 0.9, 0.3, 0.7, 0.5, 0.2}, k = 4: winners 0.9 (1), 0.7 (3),
  // 0.5 (4), 0.3 (2) -> idx {1, 2, 3, 4}; val = 1/sqrt(4) = 0.5 each.
  KwtaResult r = runKwta({0.1f, 0.9f, 0.3f, 0.7f, 0.5f, 0.2f},
                         params(4, KwtaMode::Binary));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1, 2, 3, 4}));
  expectAllNear(r.val, {0.5f, 0.5f, 0.5f, 0.5f}, 0.0f);

  // k = 2 -> 1/sqrt(2) = 0.70710678.
  r = runKwta({0.1f, 0.9f, 0.3f, 0.7f}, params(2, KwtaMode::Binary));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1, 3}));
  expectAllNear(r.val, {0.70710678f, 0.70710678f}, 1e-7f);
}

TEST(Kwta, SoftmaxModeHandComputed) {
  // u = {1, 0, 3, 2}, k = 2 -> idx {2, 3}, u[idx] = {3, 2}.
  // tau = 1: z = {3, 2}; z - max = {0, -1}; e = {1, 0.36787944};
  //   sum = 1.36787944 -> {0.73105858, 0.26894142}.
  KwtaParams p = params(2, KwtaMode::Softmax);
  p.tau = 1.0f;
  KwtaResult r = runKwta({1.0f, 0.0f, 3.0f, 2.0f}, p);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{2, 3}));
  expectAllNear(r.val, {0.73105858f, 0.26894142f}, 1e-6f);

  // tau = 2: z = {1.5, 1}; z - max = {0, -0.5}; e = {1, 0.60653066};
  //   sum = 1.60653066 -> {0.62245933, 0.37754067}.
  p.tau = 2.0f;
  r = runKwta({1.0f, 0.0f, 3.0f, 2.0f}, p);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{2, 3}));
  expectAllNear(r.val, {0.62245933f, 0.37754067f}, 1e-6f);
}

TEST(Kwta, SoftmaxModeIsNumericallyStable) {
  // u[idx] = {1000, 999}: without subtracting the max exp would overflow.
  // Same result as {1, 0}: {0.73105858, 0.26894142}.
  KwtaParams p = params(2, KwtaMode::Softmax);
  KwtaResult r = runKwta({1000.0f, 999.0f, -5.0f}, p);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{0, 1}));
  expectAllNear(r.val, {0.73105858f, 0.26894142f}, 1e-6f);
}

TEST(Kwta, BoostChangesWinnersButNotValues) {
  // N = 4, k = 1, beta = 1, duty = {1, 0, 0, 0}, k/N = 0.25.
  //   b_0 = exp(0.25 - 1) = exp(-0.75) = 0.47236655
  //   b_{1,2,3} = exp(0.25) = 1.28402542
  // u = {1, 0.9, 0.5, 0.2} -> s = {0.47236655, 1.15562288, 0.64201271,
  //   0.25680508}: winner is i=1 (without boost it would be i=0).
  std::vector<float> u = {1.0f, 0.9f, 0.5f, 0.2f};
  std::vector<float> duty = {1.0f, 0.0f, 0.0f, 0.0f};
  KwtaParams p = params(1);
  KwtaResult r = runKwta(u, p, duty.data());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{0}));
  p.beta = 1.0f;
  r = runKwta(u, p, duty.data());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1}));
  expectAllNear(r.val, {0.9f}, 0.0f); // un-boosted u[1]

  // k = 2 (k/N = 0.5): b_0 = exp(-0.5) = 0.60653066, others exp(0.5) =
  // 1.64872127; s = {0.60653066, 1.48384914, 0.82436064, 0.32974425}
  // -> idx {1, 2}.
  p.k = 2;
  r = runKwta(u, p, duty.data());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1, 2}));
  expectAllNear(r.val, {0.9f, 0.5f}, 0.0f);

  // Softmax over the un-boosted u[idx] = {0.9, 0.5}: {1, exp(-0.4)} =
  // {1, 0.67032005}; sum 1.67032005 -> {0.59868766, 0.40131234}.
  p.mode = KwtaMode::Softmax;
  r = runKwta(u, p, duty.data());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1, 2}));
  expectAllNear(r.val, {0.59868766f, 0.40131234f}, 1e-6f);

  // Binary: 1/sqrt(2) regardless of boost.
  p.mode = KwtaMode::Binary;
  r = runKwta(u, p, duty.data());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1, 2}));
  expectAllNear(r.val, {0.70710678f, 0.70710678f}, 1e-7f);
}

TEST(Kwta, DutyUpdateHandComputed) {
  // Same boosted case as above with k = 2 -> idx {1, 2}; T = 4:
  //   duty'_0 = 1 + (0 - 1)/4 = 0.75
  //   duty'_1 = 0 + (1 - 0)/4 = 0.25
  //   duty'_2 = 0 + (1 - 0)/4 = 0.25
  //   duty'_3 = 0 + (0 - 0)/4 = 0
  std::vector<float> u = {1.0f, 0.9f, 0.5f, 0.2f};
  std::vector<float> duty = {1.0f, 0.0f, 0.0f, 0.0f};
  std::vector<float> dutyOut(4, -9.0f);
  KwtaParams p = params(2);
  p.beta = 1.0f;
  p.period = 4.0f;
  KwtaResult r = runKwta(u, p, duty.data(), dutyOut.data());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1, 2}));
  expectAllNear(dutyOut, {0.75f, 0.25f, 0.25f, 0.0f}, 1e-7f);
  expectAllNear(duty, {1.0f, 0.0f, 0.0f, 0.0f}, 0.0f); // input untouched

  // In place (dutyOut aliases duty) gives the same result.
  r = runKwta(u, p, duty.data(), duty.data());
  ASSERT_TRUE(r.ok);
  expectAllNear(duty, {0.75f, 0.25f, 0.25f, 0.0f}, 1e-7f);

  // beta = 0 still tracks duty but does not boost: u = {1, 0.9, 0.5, 0.2},
  // k = 1 -> idx {0}; T = 2: duty = {0.75, 0.25, 0.25, 0} ->
  //   {0.75 + 0.25/2, 0.25 - 0.25/2, 0.25 - 0.25/2, 0} =
  //   {0.875, 0.125, 0.125, 0}.
  p.beta = 0.0f;
  p.k = 1;
  p.period = 2.0f;
  r = runKwta(u, p, duty.data(), duty.data());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{0}));
  expectAllNear(duty, {0.875f, 0.125f, 0.125f, 0.0f}, 1e-7f);
}

TEST(Kwta, DutyCopiedWhenPeriodIsZero) {
  // T = 0 disables the update: duty_out is a plain copy of duty.
  std::vector<float> u = {1.0f, 0.9f, 0.5f};
  std::vector<float> duty = {0.3f, 0.2f, 0.1f}, dutyOut(3, -9.0f);
  KwtaResult r = runKwta(u, params(1), duty.data(), dutyOut.data());
  ASSERT_TRUE(r.ok);
  expectAllNear(dutyOut, duty, 0.0f);
}

TEST(Kwta, NaNRanksBelowEveryNumber) {
  // u = {NaN, 1, NaN, 0}, k = 2 -> the two numbers: idx {1, 3}.
  KwtaResult r = runKwta({kNaN, 1.0f, kNaN, 0.0f}, params(2));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1, 3}));
  // k = 3 needs one NaN: the lowest-index NaN (i=0) -> idx {0, 1, 3}.
  r = runKwta({kNaN, 1.0f, kNaN, 0.0f}, params(3));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{0, 1, 3}));
  EXPECT_TRUE(std::isnan(r.val[0]));
  EXPECT_EQ(r.val[1], 1.0f);
  EXPECT_EQ(r.val[2], 0.0f);
  // -inf is a number and still beats NaN: {NaN, -inf, 2}, k = 2 -> {1, 2}.
  r = runKwta({kNaN, -kInf, 2.0f}, params(2));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{1, 2}));
  // All NaN: lowest indices first -> {0, 1}.
  r = runKwta({kNaN, kNaN, kNaN}, params(2));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.idx, (std::vector<std::int32_t>{0, 1}));
}

TEST(Kwta, InvalidArgumentsLeaveOutputsUntouched) {
  const std::vector<float> u = {1.0f, 2.0f, 3.0f, 4.0f};
  const std::vector<float> duty = {0.1f, 0.2f, 0.3f, 0.4f};
  auto expectRejected = [&](const KwtaParams &p, const float *dutyIn,
                            bool withDutyOut, std::int64_t n = 4,
                            const float *uIn = nullptr) {
    std::vector<std::int32_t> idx(8, -7);
    std::vector<float> val(8, 123.0f), dutyOut(4, 456.0f);
    EXPECT_FALSE(kwta(uIn ? uIn : u.data(), n, dutyIn, p, idx.data(),
                      val.data(), withDutyOut ? dutyOut.data() : nullptr));
    EXPECT_EQ(idx, std::vector<std::int32_t>(8, -7));
    expectAllNear(val, std::vector<float>(8, 123.0f), 0.0f);
    expectAllNear(dutyOut, std::vector<float>(4, 456.0f), 0.0f);
  };
  expectRejected(params(0), nullptr, false);          // k < 1
  expectRejected(params(-1), nullptr, false);         // k < 1
  expectRejected(params(5), nullptr, false);          // k > N
  expectRejected(params(1), nullptr, false, /*n=*/0); // N = 0
  KwtaParams p = params(2, KwtaMode::Softmax);
  p.tau = 0.0f;
  expectRejected(p, nullptr, false); // tau = 0
  p.tau = -1.0f;
  expectRejected(p, nullptr, false); // tau < 0
  p.tau = kNaN;
  expectRejected(p, nullptr, false); // tau NaN
  p = params(2);
  p.period = 0.5f;
  expectRejected(p, duty.data(), true); // 0 < T < 1
  p.period = -1.0f;
  expectRejected(p, duty.data(), true); // T < 0
  p = params(2);
  p.beta = 1.0f;
  expectRejected(p, nullptr, false); // beta, no duty
  p.beta = kInf;
  expectRejected(p, duty.data(), false);    // beta inf
  expectRejected(params(2), nullptr, true); // out, no duty
  expectRejected(params(2, static_cast<KwtaMode>(7)), nullptr, false);

  // Null input pointer.
  std::vector<std::int32_t> idx(2, -7);
  std::vector<float> val(2, 123.0f);
  EXPECT_FALSE(
      kwta(nullptr, 4, nullptr, params(2), idx.data(), val.data(), nullptr));
  EXPECT_EQ(idx, std::vector<std::int32_t>(2, -7));

  // tau <= 0 is fine outside Softmax mode (tau is ignored there).
  p = params(2);
  p.tau = 0.0f;
  EXPECT_TRUE(runKwta(u, p).ok);
  // T = 1 is the smallest valid period.
  p = params(2);
  p.period = 1.0f;
  std::vector<float> dutyOut(4);
  EXPECT_TRUE(runKwta(u, p, duty.data(), dutyOut.data()).ok);
  // T = 1 sets duty to the indicator: idx {2, 3} -> {0, 0, 1, 1}.
  expectAllNear(dutyOut, {0.0f, 0.0f, 1.0f, 1.0f}, 1e-7f);
}

//===----------------------------------------------------------------------===//
// Properties
//===----------------------------------------------------------------------===//

TEST(KwtaProperty, TiesBreakTowardLowerIndex) {
  // All equal -> 0..k-1 for every k.
  for (std::int64_t k = 1; k <= 6; ++k) {
    KwtaResult r = runKwta(std::vector<float>(6, 0.5f), params(k));
    ASSERT_TRUE(r.ok);
    std::vector<std::int32_t> expected;
    for (std::int32_t i = 0; i < k; ++i)
      expected.push_back(i);
    EXPECT_EQ(r.idx, expected) << "k = " << k;
  }
  struct Case {
    std::vector<float> u;
    std::int64_t k;
    std::vector<std::int32_t> idx;
  };
  const std::vector<Case> cases = {
      // Top value 2 at {1, 2, 4}: the lower two win.
      {{1, 2, 2, 1, 2}, 2, {1, 2}},
      // One clear winner, then a three-way tie at 1 for two slots.
      {{3, 1, 1, 1, 0}, 3, {0, 1, 2}},
      // Alternating pattern.
      {{0, 5, 0, 5, 0, 5}, 2, {1, 3}},
      // Tie straddles the cut at the end of the array.
      {{0, 1, 0, 0, 1, 1}, 2, {1, 4}},
      // Ties among the losers do not matter.
      {{9, 0, 0, 0}, 1, {0}},
      // -0 and +0 compare equal: the lower index wins.
      {{-0.0f, 0.0f}, 1, {0}},
      {{0.0f, -0.0f}, 1, {0}},
      // Negative ties.
      {{-1, -2, -1, -1}, 2, {0, 2}},
  };
  for (const Case &c : cases) {
    KwtaResult r = runKwta(c.u, params(c.k));
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.idx, c.idx);
  }
  // Random small-integer inputs (many ties) against an independent top-k.
  std::mt19937 rng(1234);
  std::uniform_int_distribution<int> value(0, 3);
  std::uniform_int_distribution<int> size(1, 12);
  for (int trial = 0; trial < 500; ++trial) {
    const int n = size(rng);
    std::vector<float> u(static_cast<std::size_t>(n));
    for (float &x : u)
      x = static_cast<float>(value(rng));
    const int k = std::uniform_int_distribution<int>(1, n)(rng);
    KwtaResult r = runKwta(u, params(k));
    ASSERT_TRUE(r.ok);
    ASSERT_EQ(r.idx, bruteForceTopK(u, k)) << "trial " << trial;
  }
}

/// Runs kwta with duty tracking for `steps` steps on a fixed input and
/// returns how often each unit won.
std::vector<int> winCounts(const std::vector<float> &u, std::int64_t k,
                           float beta, float period, int steps,
                           std::vector<float> &duty) {
  const std::int64_t n = static_cast<std::int64_t>(u.size());
  duty.assign(u.size(), 0.0f);
  std::vector<int> wins(u.size(), 0);
  KwtaParams p = params(k);
  p.beta = beta;
  p.period = period;
  std::vector<std::int32_t> idx(static_cast<std::size_t>(k));
  std::vector<float> val(static_cast<std::size_t>(k));
  for (int step = 0; step < steps; ++step) {
    EXPECT_TRUE(
        kwta(u.data(), n, duty.data(), p, idx.data(), val.data(), duty.data()));
    for (std::int32_t i : idx)
      ++wins[static_cast<std::size_t>(i)];
  }
  return wins;
}

TEST(KwtaProperty, BoostingRaisesStarvedUnits) {
  // Units 0 and 1 always win without boost. With boosting, the winners'
  // duty rises towards 1 and the losers' boost exp(beta * k/N) grows until
  // they overtake, so every unit wins at some point.
  const std::vector<float> u = {1.0f, 0.95f, 0.5f,  0.4f,
                                0.3f, 0.2f,  0.15f, 0.1f};
  std::vector<float> duty;
  std::vector<int> wins = winCounts(u, /*k=*/2, /*beta=*/5.0f,
                                    /*period=*/50.0f, /*steps=*/2000, duty);
  for (std::size_t i = 0; i < u.size(); ++i) {
    EXPECT_GT(wins[i], 0) << "unit " << i << " never won";
    EXPECT_GT(duty[i], 0.0f) << "unit " << i;
  }
  // The strongest unit no longer wins every step.
  EXPECT_LT(wins[0], 2000);
}

TEST(KwtaProperty, WithoutBoostStarvedUnitsNeverWin) {
  // Same input, duty tracked but beta = 0: only units 0 and 1 ever win and
  // the others' duty stays exactly 0.
  const std::vector<float> u = {1.0f, 0.95f, 0.5f,  0.4f,
                                0.3f, 0.2f,  0.15f, 0.1f};
  std::vector<float> duty;
  std::vector<int> wins = winCounts(u, /*k=*/2, /*beta=*/0.0f,
                                    /*period=*/50.0f, /*steps=*/2000, duty);
  EXPECT_EQ(wins[0], 2000);
  EXPECT_EQ(wins[1], 2000);
  for (std::size_t i = 2; i < u.size(); ++i) {
    EXPECT_EQ(wins[i], 0) << "unit " << i;
    EXPECT_EQ(duty[i], 0.0f) << "unit " << i;
  }
}

} // namespace
