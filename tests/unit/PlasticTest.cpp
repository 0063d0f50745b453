//===- PlasticTest.cpp - Tests for plastic_update ------------------------===//
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
using anima::test::expectAllFloatEq;
using anima::test::expectAllNear;

namespace {

constexpr float kTol = 1e-6f;

// All hand-computed cases start from W[4 x 3] =
//   r0 [1, 1, 1]
//   r1 [1, 2, 3]
//   r2 [2, 2, 2]
//   r3 [4, 5, 6]
// Note k = 2 != d = 3, so swapping the roles of pre and post cannot pass.
const std::vector<float> kW0 = {1, 1, 1, 1, 2, 3, 2, 2, 2, 4, 5, 6};

PlasticParams plasticParams(float eta, bool preMajor = false,
                            float lambda = 0.0f, float modulator = 1.0f,
                            float rowNorm = 0.0f) {
  PlasticParams p;
  p.eta = eta;
  p.lambda = lambda;
  p.modulator = modulator;
  p.pre_major = preMajor;
  p.row_norm = rowNorm;
  return p;
}

struct RuleCase {
  const char *name;
  PlasticRule rule;
  std::vector<float> expected; // full W after the update
};

//===----------------------------------------------------------------------===//
// Post-major (row = post-synaptic neuron)
//===----------------------------------------------------------------------===//

TEST(PlasticPostMajor, SparseIdxHandComputed) {
  // idx = {1, 3}, post y = {0.5, 2}, pre x = {1, 0, -1}, target t = {1, 0},
  // eta = 0.1, lambda = 0, m = 1. Rows 0 and 2 must stay untouched.
  const std::vector<RuleCase> cases = {
      // a = y = {0.5, 2}, c = 0:
      //   r1 += 0.1*0.5*[1, 0, -1] = [0.05, 0, -0.05] -> [1.05, 2, 2.95]
      //   r3 += 0.1*2*[1, 0, -1]   = [0.2, 0, -0.2]   -> [4.2, 5, 5.8]
      {"hebb",
       PlasticRule::Hebb,
       {1, 1, 1, 1.05f, 2, 2.95f, 2, 2, 2, 4.2f, 5, 5.8f}},
      // c = y^2 = {0.25, 4}:
      //   r1: 0.5*x - 0.25*r1 = [0.5, 0, -0.5] - [0.25, 0.5, 0.75]
      //       = [0.25, -0.5, -1.25]; *0.1 -> [1.025, 1.95, 2.875]
      //   r3: 2*x - 4*r3 = [2, 0, -2] - [16, 20, 24] = [-14, -20, -26];
      //       *0.1 -> [4 - 1.4, 5 - 2, 6 - 2.6] = [2.6, 3, 3.4]
      {"oja",
       PlasticRule::Oja,
       {1, 1, 1, 1.025f, 1.95f, 2.875f, 2, 2, 2, 2.6f, 3, 3.4f}},
      // c = y = {0.5, 2}:
      //   r1: [0.5, 0, -0.5] - [0.5, 1, 1.5] = [0, -1, -2]; -> [1, 1.9, 2.8]
      //   r3: [2, 0, -2] - [8, 10, 12] = [-6, -10, -14]; -> [3.4, 4, 4.6]
      {"instar",
       PlasticRule::Instar,
       {1, 1, 1, 1, 1.9f, 2.8f, 2, 2, 2, 3.4f, 4, 4.6f}},
      // a = t - y = {0.5, -2}:
      //   r1 += 0.05*[1, 0, -1] -> [1.05, 2, 2.95]
      //   r3 += -0.2*[1, 0, -1] -> [3.8, 5, 6.2]
      {"delta",
       PlasticRule::Delta,
       {1, 1, 1, 1.05f, 2, 2.95f, 2, 2, 2, 3.8f, 5, 6.2f}},
      // softmax(y) over the k = 2 entries: exp({0.5, 2} - 2) =
      //   {0.22313016, 1}, sum 1.22313016 -> {0.18242552, 0.81757448};
      //   a = t - softmax = {0.81757448, -0.81757448}
      //   r1 += 0.081757448*[1, 0, -1] -> [1.08175745, 2, 2.91824255]
      //   r3 -= 0.081757448*[1, 0, -1] -> [3.91824255, 5, 6.08175745]
      {"softmax_delta",
       PlasticRule::SoftmaxDelta,
       {1, 1, 1, 1.08175745f, 2, 2.91824255f, 2, 2, 2, 3.91824255f, 5,
        6.08175745f}},
  };
  const std::vector<std::int32_t> idx = {1, 3};
  const std::vector<float> y = {0.5f, 2.0f}, x = {1.0f, 0.0f, -1.0f},
                           t = {1.0f, 0.0f};
  for (const RuleCase &c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<float> W = kW0;
    ASSERT_TRUE(plastic_update(W.data(), 4, 3, idx.data(), 2, c.rule,
                               plasticParams(0.1f), y.data(), x.data(),
                               t.data()));
    expectAllNear(W, c.expected, kTol);
  }
}

TEST(PlasticPostMajor, DenseHandComputed) {
  // idx = null (all 4 rows), y = {1, 0.5, -1, 2}, x = {1, 0, -1},
  // t = {0, 1, 1, 0}, eta = 0.1. Rows 1 and 3 have the same y as the sparse
  // case above, so they get the same results there.
  const std::vector<RuleCase> cases = {
      // r0 += 0.1*[1, 0, -1] -> [1.1, 1, 0.9]
      // r2 += -0.1*[1, 0, -1] -> [1.9, 2, 2.1]
      {"hebb",
       PlasticRule::Hebb,
       {1.1f, 1, 0.9f, 1.05f, 2, 2.95f, 1.9f, 2, 2.1f, 4.2f, 5, 5.8f}},
      // r0: y = 1, c = 1: x - r0 = [0, -1, -2] -> [1, 0.9, 0.8]
      // r2: y = -1, c = 1: -x - r2 = [-3, -2, -1] -> [1.7, 1.8, 1.9]
      {"oja",
       PlasticRule::Oja,
       {1, 0.9f, 0.8f, 1.025f, 1.95f, 2.875f, 1.7f, 1.8f, 1.9f, 2.6f, 3, 3.4f}},
      // r0: y = 1, c = 1: same as Oja -> [1, 0.9, 0.8]
      // r2: y = -1, c = -1: -x + r2 = [1, 2, 3] -> [2.1, 2.2, 2.3]
      {"instar",
       PlasticRule::Instar,
       {1, 0.9f, 0.8f, 1, 1.9f, 2.8f, 2.1f, 2.2f, 2.3f, 3.4f, 4, 4.6f}},
      // a = t - y = {-1, 0.5, 2, -2}:
      //   r0 += -0.1*x -> [0.9, 1, 1.1];  r1 += 0.05*x -> [1.05, 2, 2.95]
      //   r2 += 0.2*x -> [2.2, 2, 1.8];   r3 += -0.2*x -> [3.8, 5, 6.2]
      {"delta",
       PlasticRule::Delta,
       {0.9f, 1, 1.1f, 1.05f, 2, 2.95f, 2.2f, 2, 1.8f, 3.8f, 5, 6.2f}},
      // softmax(y) over all 4 entries: exp(y - 2) = {0.36787944, 0.22313016,
      //   0.04978707, 1}, sum 1.64079667 -> {0.22420782, 0.13598892,
      //   0.03034323, 0.60946004}; a = t - softmax = {-0.22420782,
      //   0.86401108, 0.96965677, -0.60946004}; r_i += 0.1 * a_i * x:
      //   r0 -> [0.97757922, 1, 1.02242078]
      //   r1 -> [1.08640111, 2, 2.91359889]
      //   r2 -> [2.09696568, 2, 1.90303432]
      //   r3 -> [3.93905400, 5, 6.06094600]
      {"softmax_delta",
       PlasticRule::SoftmaxDelta,
       {0.97757922f, 1, 1.02242078f, 1.08640111f, 2, 2.91359889f, 2.09696568f,
        2, 1.90303432f, 3.93905400f, 5, 6.06094600f}},
  };
  const std::vector<float> y = {1.0f, 0.5f, -1.0f, 2.0f},
                           x = {1.0f, 0.0f, -1.0f},
                           t = {0.0f, 1.0f, 1.0f, 0.0f};
  for (const RuleCase &c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<float> W = kW0;
    ASSERT_TRUE(plastic_update(W.data(), 4, 3, nullptr, 4, c.rule,
                               plasticParams(0.1f), y.data(), x.data(),
                               t.data()));
    expectAllNear(W, c.expected, kTol);
  }
}

TEST(PlasticPostMajor, LambdaAndModulatorHandComputed) {
  // idx = {1, 3}, y = {0.5, 2}, x = {1, 0, -1}; eta = 0.1, m = 2 (so
  // eta*m = 0.2), lambda = 0.5. Rows 0 and 2 are not decayed.
  const std::vector<std::int32_t> idx = {1, 3};
  const std::vector<float> y = {0.5f, 2.0f}, x = {1.0f, 0.0f, -1.0f};
  // Hebb: r1 = 0.5*[1, 2, 3] + 0.2*0.5*x = [0.5, 1, 1.5] + [0.1, 0, -0.1]
  //          = [0.6, 1, 1.4]
  //       r3 = 0.5*[4, 5, 6] + 0.2*2*x = [2, 2.5, 3] + [0.4, 0, -0.4]
  //          = [2.4, 2.5, 2.6]
  std::vector<float> W = kW0;
  ASSERT_TRUE(plastic_update(W.data(), 4, 3, idx.data(), 2, PlasticRule::Hebb,
                             plasticParams(0.1f, false, 0.5f, 2.0f), y.data(),
                             x.data(), nullptr));
  expectAllNear(W, {1, 1, 1, 0.6f, 1, 1.4f, 2, 2, 2, 2.4f, 2.5f, 2.6f}, kTol);
  // Oja (the c_j W_i term uses the OLD row, not the decayed one):
  //   r1 = [0.5, 1, 1.5] + 0.2*([0.5, 0, -0.5] - 0.25*[1, 2, 3])
  //      = [0.5, 1, 1.5] + 0.2*[0.25, -0.5, -1.25] = [0.55, 0.9, 1.25]
  //   r3 = [2, 2.5, 3] + 0.2*([2, 0, -2] - 4*[4, 5, 6])
  //      = [2, 2.5, 3] + [-2.8, -4, -5.2] = [-0.8, -1.5, -2.2]
  W = kW0;
  ASSERT_TRUE(plastic_update(W.data(), 4, 3, idx.data(), 2, PlasticRule::Oja,
                             plasticParams(0.1f, false, 0.5f, 2.0f), y.data(),
                             x.data(), nullptr));
  expectAllNear(W, {1, 1, 1, 0.55f, 0.9f, 1.25f, 2, 2, 2, -0.8f, -1.5f, -2.2f},
                kTol);
  // lambda = 1 wipes the updated rows down to the learning term alone:
  //   Hebb, m = 1: r1 = 0.1*0.5*x = [0.05, 0, -0.05], r3 = [0.2, 0, -0.2].
  W = kW0;
  ASSERT_TRUE(plastic_update(W.data(), 4, 3, idx.data(), 2, PlasticRule::Hebb,
                             plasticParams(0.1f, false, 1.0f), y.data(),
                             x.data(), nullptr));
  expectAllNear(W, {1, 1, 1, 0.05f, 0, -0.05f, 2, 2, 2, 0.2f, 0, -0.2f}, kTol);
}

TEST(PlasticPostMajor, RowNormHandComputed) {
  // W[3 x 2] = [[1, 2], [5, 5], [0, 0]], idx = {0, 2}, y = {1, 3},
  // x = {4, 4}, eta = 0.5, row_norm = 10 (Hebb):
  //   r0 = [1, 2] + 0.5*1*[4, 4] = [3, 4]; ||r0|| = 5 -> * 10/5 = [6, 8]
  //   r2 = [0, 0] + 0.5*3*[4, 4] = [6, 6]; ||r2|| = 8.48528137
  //        -> [7.07106781, 7.07106781]
  //   r1 is not updated, so it is not renormalised either: [5, 5].
  std::vector<float> W = {1, 2, 5, 5, 0, 0};
  const std::vector<std::int32_t> idx = {0, 2};
  const std::vector<float> y = {1.0f, 3.0f}, x = {4.0f, 4.0f};
  ASSERT_TRUE(plastic_update(W.data(), 3, 2, idx.data(), 2, PlasticRule::Hebb,
                             plasticParams(0.5f, false, 0.0f, 1.0f, 10.0f),
                             y.data(), x.data(), nullptr));
  expectAllNear(W, {6, 8, 5, 5, 7.07106781f, 7.07106781f}, 1e-5f);

  // Dense: W = [[1, 2], [0, 0]], y = {1, 0}: r0 -> [3, 4] -> [6, 8];
  // r1 stays the zero row (no NaN).
  W = {1, 2, 0, 0};
  const std::vector<float> y2 = {1.0f, 0.0f};
  ASSERT_TRUE(plastic_update(W.data(), 2, 2, nullptr, 2, PlasticRule::Hebb,
                             plasticParams(0.5f, false, 0.0f, 1.0f, 10.0f),
                             y2.data(), x.data(), nullptr));
  expectAllNear(W, {6, 8, 0, 0}, 1e-5f);
}

//===----------------------------------------------------------------------===//
// Pre-major (row = pre-synaptic neuron)
//===----------------------------------------------------------------------===//

TEST(PlasticPreMajor, SparseIdxHandComputed) {
  // idx = {1, 3}, pre x = {2, -1} (aligned with idx), post y = {1, 0, -1}
  // (d = 3), target t = {0, 1, 0}, eta = 0.5. Rows 0 and 2 untouched.
  const std::vector<RuleCase> cases = {
      // b = y: r1 += 0.5*2*[1, 0, -1] -> [2, 2, 2]
      //        r3 += 0.5*(-1)*[1, 0, -1] -> [3.5, 5, 6.5]
      {"hebb", PlasticRule::Hebb, {1, 1, 1, 2, 2, 2, 2, 2, 2, 3.5f, 5, 6.5f}},
      // b = t - y = [-1, 1, 1]: r1 += 1*b -> [0, 3, 4]
      //                         r3 += -0.5*b -> [4.5, 4.5, 5.5]
      {"delta",
       PlasticRule::Delta,
       {1, 1, 1, 0, 3, 4, 2, 2, 2, 4.5f, 4.5f, 5.5f}},
      // softmax(y) over d = 3: exp(y - 1) = {1, 0.36787944, 0.13533528},
      //   sum 1.50321472 -> {0.66524096, 0.24472847, 0.09003057};
      //   b = t - softmax = [-0.66524096, 0.75527153, -0.09003057]
      //   r1 += 1*b    -> [0.33475904, 2.75527153, 2.90996943]
      //   r3 += -0.5*b -> [4.33262048, 4.62236423, 6.04501529]
      {"softmax_delta",
       PlasticRule::SoftmaxDelta,
       {1, 1, 1, 0.33475904f, 2.75527153f, 2.90996943f, 2, 2, 2, 4.33262048f,
        4.62236423f, 6.04501529f}},
  };
  const std::vector<std::int32_t> idx = {1, 3};
  const std::vector<float> x = {2.0f, -1.0f}, y = {1.0f, 0.0f, -1.0f},
                           t = {0.0f, 1.0f, 0.0f};
  for (const RuleCase &c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<float> W = kW0;
    ASSERT_TRUE(plastic_update(W.data(), 4, 3, idx.data(), 2, c.rule,
                               plasticParams(0.5f, true), y.data(), x.data(),
                               t.data()));
    expectAllNear(W, c.expected, kTol);
  }
}

TEST(PlasticPreMajor, DenseHandComputed) {
  // idx = null, x = {1, 2, 0, -1} (one per row), y = {1, 0, -1},
  // t = {0, 1, 0}, eta = 0.5. Rows 1 and 3 match the sparse case; row 2 has
  // x = 0 so it does not move.
  const std::vector<RuleCase> cases = {
      // r0 += 0.5*[1, 0, -1] -> [1.5, 1, 0.5]
      {"hebb",
       PlasticRule::Hebb,
       {1.5f, 1, 0.5f, 2, 2, 2, 2, 2, 2, 3.5f, 5, 6.5f}},
      // r0 += 0.5*[-1, 1, 1] -> [0.5, 1.5, 1.5]
      {"delta",
       PlasticRule::Delta,
       {0.5f, 1.5f, 1.5f, 0, 3, 4, 2, 2, 2, 4.5f, 4.5f, 5.5f}},
      // r0 += 0.5*b = [-0.33262048, 0.37763577, -0.04501529]
      //    -> [0.66737952, 1.37763577, 0.95498471]
      {"softmax_delta",
       PlasticRule::SoftmaxDelta,
       {0.66737952f, 1.37763577f, 0.95498471f, 0.33475904f, 2.75527153f,
        2.90996943f, 2, 2, 2, 4.33262048f, 4.62236423f, 6.04501529f}},
  };
  const std::vector<float> x = {1.0f, 2.0f, 0.0f, -1.0f},
                           y = {1.0f, 0.0f, -1.0f}, t = {0.0f, 1.0f, 0.0f};
  for (const RuleCase &c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<float> W = kW0;
    ASSERT_TRUE(plastic_update(W.data(), 4, 3, nullptr, 4, c.rule,
                               plasticParams(0.5f, true), y.data(), x.data(),
                               t.data()));
    expectAllNear(W, c.expected, kTol);
  }
}

TEST(PlasticPreMajor, LambdaAndNegativeModulatorHandComputed) {
  // Delta, idx = {1, 3}, x = {2, -1}, y = {1, 0, -1}, t = {0, 1, 0},
  // eta = 0.5, m = -1 (eta*m = -0.5), lambda = 0.25; b = t - y = [-1, 1, 1]:
  //   r1 = 0.75*[1, 2, 3] - 0.5*2*b  = [0.75, 1.5, 2.25] + [1, -1, -1]
  //      = [1.75, 0.5, 1.25]
  //   r3 = 0.75*[4, 5, 6] - 0.5*(-1)*b = [3, 3.75, 4.5] + [-0.5, 0.5, 0.5]
  //      = [2.5, 4.25, 5]
  const std::vector<std::int32_t> idx = {1, 3};
  const std::vector<float> x = {2.0f, -1.0f}, y = {1.0f, 0.0f, -1.0f},
                           t = {0.0f, 1.0f, 0.0f};
  std::vector<float> W = kW0;
  ASSERT_TRUE(plastic_update(W.data(), 4, 3, idx.data(), 2, PlasticRule::Delta,
                             plasticParams(0.5f, true, 0.25f, -1.0f), y.data(),
                             x.data(), t.data()));
  expectAllNear(W, {1, 1, 1, 1.75f, 0.5f, 1.25f, 2, 2, 2, 2.5f, 4.25f, 5},
                kTol);
}

//===----------------------------------------------------------------------===//
// Invalid arguments
//===----------------------------------------------------------------------===//

TEST(Plastic, InvalidArgumentsLeaveWeightsUntouched) {
  const std::vector<std::int32_t> idx = {1, 3};
  const std::vector<float> post = {0.5f, 2.0f, 1.0f}, pre = {1.0f, 0.0f, -1.0f},
                           target = {1.0f, 0.0f, 1.0f};
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> W = kW0;
  auto rejects = [&](const std::int32_t *ix, std::int64_t k, PlasticRule rule,
                     const PlasticParams &p, const float *t) {
    return !plastic_update(W.data(), 4, 3, ix, k, rule, p, post.data(),
                           pre.data(), t);
  };
  const PlasticParams ok = plasticParams(0.1f);
  const PlasticParams preMajor = plasticParams(0.1f, true);
  // Missing target for the error-driven rules (both layouts).
  EXPECT_TRUE(rejects(idx.data(), 2, PlasticRule::Delta, ok, nullptr));
  EXPECT_TRUE(rejects(idx.data(), 2, PlasticRule::SoftmaxDelta, ok, nullptr));
  EXPECT_TRUE(rejects(idx.data(), 2, PlasticRule::Delta, preMajor, nullptr));
  EXPECT_TRUE(
      rejects(idx.data(), 2, PlasticRule::SoftmaxDelta, preMajor, nullptr));
  // Oja / Instar are post-major only.
  EXPECT_TRUE(rejects(idx.data(), 2, PlasticRule::Oja, preMajor, nullptr));
  EXPECT_TRUE(rejects(idx.data(), 2, PlasticRule::Instar, preMajor, nullptr));
  // Bad index sets (n = 4).
  for (std::vector<std::int32_t> bad :
       {std::vector<std::int32_t>{1, 4}, std::vector<std::int32_t>{3, 1},
        std::vector<std::int32_t>{2, 2}, std::vector<std::int32_t>{-1, 2}})
    EXPECT_TRUE(rejects(bad.data(), 2, PlasticRule::Hebb, ok, nullptr));
  // Dense form needs k == n.
  EXPECT_TRUE(rejects(nullptr, 2, PlasticRule::Hebb, ok, nullptr));
  // lambda outside [0, 1], negative row_norm, non-finite parameters.
  EXPECT_TRUE(rejects(idx.data(), 2, PlasticRule::Hebb,
                      plasticParams(0.1f, false, -0.1f), nullptr));
  EXPECT_TRUE(rejects(idx.data(), 2, PlasticRule::Hebb,
                      plasticParams(0.1f, false, 1.1f), nullptr));
  EXPECT_TRUE(rejects(idx.data(), 2, PlasticRule::Hebb,
                      plasticParams(0.1f, false, 0.0f, 1.0f, -1.0f), nullptr));
  EXPECT_TRUE(
      rejects(idx.data(), 2, PlasticRule::Hebb, plasticParams(nan), nullptr));
  EXPECT_TRUE(rejects(idx.data(), 2, PlasticRule::Hebb,
                      plasticParams(0.1f, false, 0.0f, nan), nullptr));
  // Unknown rule.
  EXPECT_TRUE(
      rejects(idx.data(), 2, static_cast<PlasticRule>(42), ok, target.data()));
  // Null operands.
  EXPECT_FALSE(plastic_update(W.data(), 4, 3, idx.data(), 2, PlasticRule::Hebb,
                              ok, nullptr, pre.data(), nullptr));
  EXPECT_FALSE(plastic_update(W.data(), 4, 3, idx.data(), 2, PlasticRule::Hebb,
                              ok, post.data(), nullptr, nullptr));
  EXPECT_FALSE(plastic_update(nullptr, 4, 3, idx.data(), 2, PlasticRule::Hebb,
                              ok, post.data(), pre.data(), nullptr));
  expectAllNear(W, kW0, 0.0f);

  // Hebb ignores a missing target; lambda = 0 and 1 are both valid.
  EXPECT_FALSE(rejects(idx.data(), 2, PlasticRule::Hebb, ok, nullptr));
  EXPECT_FALSE(rejects(idx.data(), 2, PlasticRule::Hebb,
                       plasticParams(0.1f, false, 1.0f), nullptr));
}

//===----------------------------------------------------------------------===//
// Properties
//===----------------------------------------------------------------------===//

TEST(PlasticProperty, OjaKeepsRowNormsBounded) {
  // 10,000 Oja steps on bounded random input with y = W x: every row's norm
  // must stay bounded (Oja normalises towards 1); plain Hebb would diverge.
  std::mt19937 rng(31337);
  const int N = 8, D = 16, steps = 10000;
  std::vector<float> W = anima::test::uniform(rng, N * D, -0.1f, 0.1f);
  std::vector<float> y(N);
  const PlasticParams p = plasticParams(0.01f);
  float maxNorm = 0.0f;
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(D);
  for (int step = 0; step < steps; ++step) {
    for (float &v : x)
      v = dist(rng);
    for (int i = 0; i < N; ++i) {
      float acc = 0.0f;
      for (int c = 0; c < D; ++c)
        acc += W[i * D + c] * x[c];
      y[i] = acc;
    }
    ASSERT_TRUE(plastic_update(W.data(), N, D, nullptr, N, PlasticRule::Oja, p,
                               y.data(), x.data(), nullptr));
    for (int i = 0; i < N; ++i) {
      float sumSq = 0.0f;
      for (int c = 0; c < D; ++c)
        sumSq += W[i * D + c] * W[i * D + c];
      const float norm = std::sqrt(sumSq);
      ASSERT_TRUE(std::isfinite(norm));
      maxNorm = std::max(maxNorm, norm);
    }
  }
  EXPECT_LT(maxNorm, 1.5f);
  // And the rule actually learned: rows grew from ~0.23 towards norm 1.
  for (int i = 0; i < N; ++i) {
    float sumSq = 0.0f;
    for (int c = 0; c < D; ++c)
      sumSq += W[i * D + c] * W[i * D + c];
    EXPECT_GT(std::sqrt(sumSq), 0.5f) << "row " << i;
  }
}

TEST(PlasticProperty, AllRowsIdxEqualsDenseForm) {
  // plastic_update with idx = {0, ..., N-1} must equal the dense form
  // (idx = null), for every rule in every layout where it is valid.
  std::mt19937 rng(8);
  const int N = 6, D = 5;
  std::vector<std::int32_t> all(N);
  for (int i = 0; i < N; ++i)
    all[i] = i;
  for (bool preMajor : {false, true}) {
    for (PlasticRule rule :
         {PlasticRule::Hebb, PlasticRule::Oja, PlasticRule::Instar,
          PlasticRule::Delta, PlasticRule::SoftmaxDelta}) {
      if (preMajor && (rule == PlasticRule::Oja || rule == PlasticRule::Instar))
        continue;
      for (float rowNorm : {0.0f, 2.0f}) {
        SCOPED_TRACE(::testing::Message() << "pre_major=" << preMajor
                                          << " rule=" << static_cast<int>(rule)
                                          << " row_norm=" << rowNorm);
        const int postLen = preMajor ? D : N, preLen = preMajor ? N : D;
        std::vector<float> W = anima::test::uniform(rng, N * D, -1.0f, 1.0f);
        std::vector<float> post = anima::test::uniform(rng, postLen, -1, 1);
        std::vector<float> pre = anima::test::uniform(rng, preLen, -1, 1);
        std::vector<float> target = anima::test::uniform(rng, postLen, 0, 1);
        const PlasticParams p =
            plasticParams(0.3f, preMajor, 0.1f, 0.7f, rowNorm);
        std::vector<float> WIdx = W, WDense = W;
        ASSERT_TRUE(plastic_update(WIdx.data(), N, D, all.data(), N, rule, p,
                                   post.data(), pre.data(), target.data()));
        ASSERT_TRUE(plastic_update(WDense.data(), N, D, nullptr, N, rule, p,
                                   post.data(), pre.data(), target.data()));
        expectAllFloatEq(WIdx, WDense);
        // And the update did something.
        float diff = 0.0f;
        for (int i = 0; i < N * D; ++i)
          diff += std::fabs(WDense[i] - W[i]);
        EXPECT_GT(diff, 0.0f);
      }
    }
  }
}

TEST(PlasticProperty, PreMajorIsTransposeOfPostMajor) {
  // For Hebb, Delta and SoftmaxDelta both layouts describe the same synapses:
  // updating W[P x Q] post-major equals updating W^T[Q x P] pre-major with the
  // same post (P), pre (Q) and target (P) vectors.
  std::mt19937 rng(21);
  const int P = 4, Q = 7;
  for (PlasticRule rule :
       {PlasticRule::Hebb, PlasticRule::Delta, PlasticRule::SoftmaxDelta}) {
    SCOPED_TRACE(static_cast<int>(rule));
    std::vector<float> W = anima::test::uniform(rng, P * Q, -1.0f, 1.0f);
    std::vector<float> WT(Q * P);
    for (int i = 0; i < P; ++i)
      for (int c = 0; c < Q; ++c)
        WT[c * P + i] = W[i * Q + c];
    std::vector<float> y = anima::test::uniform(rng, P, -1.0f, 1.0f);
    std::vector<float> x = anima::test::uniform(rng, Q, -1.0f, 1.0f);
    std::vector<float> t = anima::test::uniform(rng, P, 0.0f, 1.0f);
    ASSERT_TRUE(plastic_update(W.data(), P, Q, nullptr, P, rule,
                               plasticParams(0.2f, false, 0.05f, 1.5f),
                               y.data(), x.data(), t.data()));
    ASSERT_TRUE(plastic_update(WT.data(), Q, P, nullptr, Q, rule,
                               plasticParams(0.2f, true, 0.05f, 1.5f), y.data(),
                               x.data(), t.data()));
    for (int i = 0; i < P; ++i)
      for (int c = 0; c < Q; ++c)
        EXPECT_FLOAT_EQ(WT[c * P + i], W[i * Q + c]);
  }
}

TEST(PlasticProperty, DeltaRuleLearnsALinearMap) {
  // LMS sanity check: repeatedly applying the post-major delta rule with
  // y = W x drives the readout to a fixed target map W*.
  std::mt19937 rng(4);
  const int N = 3, D = 5;
  std::vector<float> Wstar = anima::test::uniform(rng, N * D, -1.0f, 1.0f);
  std::vector<float> W(N * D, 0.0f), y(N), t(N);
  for (int step = 0; step < 3000; ++step) {
    std::vector<float> x = anima::test::uniform(rng, D, -1.0f, 1.0f);
    for (int i = 0; i < N; ++i) {
      float acc = 0.0f, accStar = 0.0f;
      for (int c = 0; c < D; ++c) {
        acc += W[i * D + c] * x[c];
        accStar += Wstar[i * D + c] * x[c];
      }
      y[i] = acc;
      t[i] = accStar;
    }
    ASSERT_TRUE(plastic_update(W.data(), N, D, nullptr, N, PlasticRule::Delta,
                               plasticParams(0.1f), y.data(), x.data(),
                               t.data()));
  }
  expectAllNear(W, Wstar, 1e-3f);
}

} // namespace
