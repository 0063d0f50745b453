//===- MemoryTest.cpp - Tests for mem_read / mem_write -------------------===//
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

constexpr float kTol = 1e-5f;

MemWriteParams writeParams(float alpha, float beta, float gamma,
                           bool decayFirst, bool normalizeK) {
  MemWriteParams p;
  p.alpha = alpha;
  p.beta = beta;
  p.gamma = gamma;
  p.decay_first = decayFirst;
  p.normalize_k = normalizeK;
  return p;
}

//===----------------------------------------------------------------------===//
// mem_read
//===----------------------------------------------------------------------===//

TEST(MemRead, DenseHandComputed) {
  // S[2 x 3] = [[1, 2, 3], [4, 5, 6]], q = {0.5, 1, -1}:
  //   o_0 = 0.5 + 2 - 3 = -0.5;  o_1 = 2 + 5 - 6 = 1.
  std::vector<float> S = {1, 2, 3, 4, 5, 6};
  std::vector<float> q = {0.5f, 1.0f, -1.0f}, o(2, -9.0f);
  ASSERT_TRUE(mem_read(S.data(), 2, 3, q.data(), o.data()));
  expectAllNear(o, {-0.5f, 1.0f}, 0.0f);
  expectAllNear(S, {1, 2, 3, 4, 5, 6}, 0.0f); // S only read
}

TEST(MemRead, SparseHandComputed) {
  // Same S, qidx = {0, 2}, qval = {2, 1}:
  //   o_0 = 2*1 + 1*3 = 5;  o_1 = 2*4 + 1*6 = 14.
  std::vector<float> S = {1, 2, 3, 4, 5, 6};
  std::vector<std::int32_t> qidx = {0, 2};
  std::vector<float> qval = {2.0f, 1.0f}, o(2, -9.0f);
  ASSERT_TRUE(
      mem_read_sparse(S.data(), 2, 3, qidx.data(), qval.data(), 2, o.data()));
  expectAllNear(o, {5.0f, 14.0f}, 0.0f);
  // Empty query -> zeros.
  ASSERT_TRUE(mem_read_sparse(S.data(), 2, 3, nullptr, nullptr, 0, o.data()));
  expectAllNear(o, {0.0f, 0.0f}, 0.0f);
}

TEST(MemRead, InvalidArgumentsLeaveOutputUntouched) {
  std::vector<float> S = {1, 2, 3, 4, 5, 6}, q = {1, 1, 1};
  std::vector<float> o(2, -9.0f), qval = {1.0f, 1.0f};
  EXPECT_FALSE(mem_read(S.data(), -2, 3, q.data(), o.data()));
  EXPECT_FALSE(mem_read(S.data(), 2, 3, nullptr, o.data()));
  EXPECT_FALSE(mem_read(nullptr, 2, 3, q.data(), o.data()));
  for (std::vector<std::int32_t> bad :
       {std::vector<std::int32_t>{0, 3}, std::vector<std::int32_t>{2, 0},
        std::vector<std::int32_t>{1, 1}, std::vector<std::int32_t>{-1, 0}})
    EXPECT_FALSE(
        mem_read_sparse(S.data(), 2, 3, bad.data(), qval.data(), 2, o.data()));
  expectAllNear(o, {-9.0f, -9.0f}, 0.0f);
}

//===----------------------------------------------------------------------===//
// mem_write, dense key: S[2 x 2] = [[1, 2], [3, 4]], key = {3, 4}, v = {1, -1}
// (||key|| = 5, normalised key = {0.6, 0.8}).
//===----------------------------------------------------------------------===//

struct DenseWriteCase {
  const char *name;
  MemWriteParams params;
  std::vector<float> expected;
};

TEST(MemWrite, DenseKeyHandComputed) {
  const std::vector<DenseWriteCase> cases = {
      // gamma = 0 (Hebbian), alpha = 1, beta = 1, no normalisation:
      //   S' = S + v k^T = [[1+3, 2+4], [3-3, 4-4]] = [[4, 6], [0, 0]].
      {"hebbian", writeParams(1.0f, 1.0f, 0.0f, true, false), {4, 6, 0, 0}},
      // normalize on, decay_first on; alpha = 0.5, beta = 0.5, gamma = 1:
      //   S~ = [[0.5, 1], [1.5, 2]];  R = S~
      //   R k = [0.5*0.6 + 1*0.8, 1.5*0.6 + 2*0.8] = [1.1, 2.5] = r
      //   e = 0.5 * (v - r) = 0.5 * [-0.1, -3.5] = [-0.05, -1.75]
      //   S' = [[0.5 - 0.05*0.6, 1 - 0.05*0.8], [1.5 - 1.75*0.6, 2 - 1.75*0.8]]
      //      = [[0.47, 0.96], [0.45, 0.6]]
      {"norm_on_decay_first_on",
       writeParams(0.5f, 0.5f, 1.0f, true, true),
       {0.47f, 0.96f, 0.45f, 0.6f}},
      // normalize on, decay_first off (R = S):
      //   R k = [1*0.6 + 2*0.8, 3*0.6 + 4*0.8] = [2.2, 5] = r
      //   e = 0.5 * [1 - 2.2, -1 - 5] = [-0.6, -3]
      //   S' = [[0.5 - 0.36, 1 - 0.48], [1.5 - 1.8, 2 - 2.4]]
      //      = [[0.14, 0.52], [-0.3, -0.4]]
      {"norm_on_decay_first_off",
       writeParams(0.5f, 0.5f, 1.0f, false, true),
       {0.14f, 0.52f, -0.3f, -0.4f}},
      // normalize off, decay_first on; alpha = 0.5, beta = 0.1, gamma = 0.5:
      //   S~ = [[0.5, 1], [1.5, 2]];  S~ k = [1.5 + 4, 4.5 + 8] = [5.5, 12.5]
      //   r = 0.5 * [5.5, 12.5] = [2.75, 6.25]
      //   e = 0.1 * [1 - 2.75, -1 - 6.25] = [-0.175, -0.725]
      //   S' = [[0.5 - 0.525, 1 - 0.7], [1.5 - 2.175, 2 - 2.9]]
      //      = [[-0.025, 0.3], [-0.675, -0.9]]
      {"norm_off_decay_first_on",
       writeParams(0.5f, 0.1f, 0.5f, true, false),
       {-0.025f, 0.3f, -0.675f, -0.9f}},
      // normalize off, decay_first off:
      //   S k = [3 + 8, 9 + 16] = [11, 25];  r = 0.5 * that = [5.5, 12.5]
      //   e = 0.1 * [1 - 5.5, -1 - 12.5] = [-0.45, -1.35]
      //   S' = [[0.5 - 1.35, 1 - 1.8], [1.5 - 4.05, 2 - 5.4]]
      //      = [[-0.85, -0.8], [-2.55, -3.4]]
      {"norm_off_decay_first_off",
       writeParams(0.5f, 0.1f, 0.5f, false, false),
       {-0.85f, -0.8f, -2.55f, -3.4f}},
  };
  const std::vector<float> key = {3.0f, 4.0f}, v = {1.0f, -1.0f};
  for (const DenseWriteCase &c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<float> S = {1, 2, 3, 4};
    ASSERT_TRUE(mem_write(S.data(), 2, 2, key.data(), v.data(), c.params));
    expectAllNear(S, c.expected, kTol);
    expectAllNear(key, {3.0f, 4.0f}, 0.0f); // key is not modified
  }
}

TEST(MemWrite, ZeroKeyStaysZeroWhenNormalized) {
  // key = 0 with normalize_k: no NaN, the rank-1 term vanishes, S' = alpha S.
  std::vector<float> S = {1, 2, 3, 4}, key = {0.0f, 0.0f}, v = {1.0f, -1.0f};
  ASSERT_TRUE(mem_write(S.data(), 2, 2, key.data(), v.data(),
                        writeParams(0.5f, 1.0f, 1.0f, true, true)));
  expectAllNear(S, {0.5f, 1.0f, 1.5f, 2.0f}, 0.0f);

  std::vector<std::int32_t> kidx = {0};
  std::vector<float> kval = {0.0f};
  ASSERT_TRUE(mem_write_sparse(S.data(), 2, 2, kidx.data(), kval.data(), 1,
                               v.data(),
                               writeParams(0.5f, 1.0f, 1.0f, true, true)));
  expectAllNear(S, {0.25f, 0.5f, 0.75f, 1.0f}, 0.0f);
}

//===----------------------------------------------------------------------===//
// mem_write, sparse key: S[2 x 4] = [[1, 2, 3, 4], [5, 6, 7, 8]],
// kidx = {1, 3}, kval = {3, 4} (normalised {0.6, 0.8}), v = {1, -1}.
// alpha = 0.5 everywhere below, so S~ = [[0.5, 1, 1.5, 2], [2.5, 3, 3.5, 4]]
// and the untouched columns 0 and 2 must still be halved.
//===----------------------------------------------------------------------===//

TEST(MemWrite, SparseKeyHandComputed) {
  const std::vector<DenseWriteCase> cases = {
      // normalize on, decay_first on, beta = 1, gamma = 1:
      //   r = [1*0.6 + 2*0.8, 3*0.6 + 4*0.8] = [2.2, 5]   (from S~ cols 1, 3)
      //   e = [1 - 2.2, -1 - 5] = [-1.2, -6]
      //   row 0: [0.5, 1 - 0.72, 1.5, 2 - 0.96] = [0.5, 0.28, 1.5, 1.04]
      //   row 1: [2.5, 3 - 3.6, 3.5, 4 - 4.8]   = [2.5, -0.6, 3.5, -0.8]
      {"norm_on_decay_first_on",
       writeParams(0.5f, 1.0f, 1.0f, true, true),
       {0.5f, 0.28f, 1.5f, 1.04f, 2.5f, -0.6f, 3.5f, -0.8f}},
      // normalize on, decay_first off (R = S):
      //   r = [2*0.6 + 4*0.8, 6*0.6 + 8*0.8] = [4.4, 10]
      //   e = [1 - 4.4, -1 - 10] = [-3.4, -11]
      //   row 0: [0.5, 1 - 2.04, 1.5, 2 - 2.72] = [0.5, -1.04, 1.5, -0.72]
      //   row 1: [2.5, 3 - 6.6, 3.5, 4 - 8.8]   = [2.5, -3.6, 3.5, -4.8]
      {"norm_on_decay_first_off",
       writeParams(0.5f, 1.0f, 1.0f, false, true),
       {0.5f, -1.04f, 1.5f, -0.72f, 2.5f, -3.6f, 3.5f, -4.8f}},
      // normalize off, decay_first on, beta = 0.1, gamma = 1:
      //   r = [1*3 + 2*4, 3*3 + 4*4] = [11, 25]
      //   e = 0.1 * [1 - 11, -1 - 25] = [-1, -2.6]
      //   row 0: [0.5, 1 - 3, 1.5, 2 - 4]       = [0.5, -2, 1.5, -2]
      //   row 1: [2.5, 3 - 7.8, 3.5, 4 - 10.4]  = [2.5, -4.8, 3.5, -6.4]
      {"norm_off_decay_first_on",
       writeParams(0.5f, 0.1f, 1.0f, true, false),
       {0.5f, -2.0f, 1.5f, -2.0f, 2.5f, -4.8f, 3.5f, -6.4f}},
      // normalize off, decay_first off:
      //   r = [2*3 + 4*4, 6*3 + 8*4] = [22, 50]
      //   e = 0.1 * [1 - 22, -1 - 50] = [-2.1, -5.1]
      //   row 0: [0.5, 1 - 6.3, 1.5, 2 - 8.4]    = [0.5, -5.3, 1.5, -6.4]
      //   row 1: [2.5, 3 - 15.3, 3.5, 4 - 20.4]  = [2.5, -12.3, 3.5, -16.4]
      {"norm_off_decay_first_off",
       writeParams(0.5f, 0.1f, 1.0f, false, false),
       {0.5f, -5.3f, 1.5f, -6.4f, 2.5f, -12.3f, 3.5f, -16.4f}},
      // gamma = 0, alpha = 1, beta = 2, normalize on: e = 2 v = [2, -2]
      //   row 0: [1, 2 + 1.2, 3, 4 + 1.6] = [1, 3.2, 3, 5.6]
      //   row 1: [5, 6 - 1.2, 7, 8 - 1.6] = [5, 4.8, 7, 6.4]
      {"hebbian_norm_on",
       writeParams(1.0f, 2.0f, 0.0f, true, true),
       {1.0f, 3.2f, 3.0f, 5.6f, 5.0f, 4.8f, 7.0f, 6.4f}},
  };
  const std::vector<std::int32_t> kidx = {1, 3};
  const std::vector<float> kval = {3.0f, 4.0f}, v = {1.0f, -1.0f};
  for (const DenseWriteCase &c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<float> S = {1, 2, 3, 4, 5, 6, 7, 8};
    ASSERT_TRUE(mem_write_sparse(S.data(), 2, 4, kidx.data(), kval.data(), 2,
                                 v.data(), c.params));
    expectAllNear(S, c.expected, kTol);
    expectAllNear(kval, {3.0f, 4.0f}, 0.0f); // key is not modified
  }
}

TEST(MemWrite, InvalidArgumentsLeaveStateUntouched) {
  const std::vector<float> S0 = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<float> key = {1, 2, 3, 4}, v = {1, -1}, kval = {1, 2};
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (float alpha : {-0.1f, 1.5f, nan}) {
    std::vector<float> S = S0;
    const MemWriteParams p = writeParams(alpha, 1.0f, 1.0f, true, false);
    const std::vector<std::int32_t> kidx = {0, 1};
    EXPECT_FALSE(mem_write(S.data(), 2, 4, key.data(), v.data(), p));
    EXPECT_FALSE(mem_write_sparse(S.data(), 2, 4, kidx.data(), kval.data(), 2,
                                  v.data(), p));
    expectAllNear(S, S0, 0.0f);
  }
  // Non-finite beta / gamma.
  std::vector<float> S = S0;
  EXPECT_FALSE(mem_write(S.data(), 2, 4, key.data(), v.data(),
                         writeParams(1.0f, nan, 1.0f, true, false)));
  EXPECT_FALSE(mem_write(S.data(), 2, 4, key.data(), v.data(),
                         writeParams(1.0f, 1.0f, nan, true, false)));
  // Bad sparse key index sets (dk = 4).
  const MemWriteParams ok = writeParams(0.5f, 1.0f, 1.0f, true, false);
  for (std::vector<std::int32_t> bad :
       {std::vector<std::int32_t>{1, 4}, std::vector<std::int32_t>{3, 1},
        std::vector<std::int32_t>{2, 2}, std::vector<std::int32_t>{-1, 1}})
    EXPECT_FALSE(mem_write_sparse(S.data(), 2, 4, bad.data(), kval.data(), 2,
                                  v.data(), ok));
  // Null pointers and negative sizes.
  EXPECT_FALSE(mem_write(S.data(), 2, 4, nullptr, v.data(), ok));
  EXPECT_FALSE(mem_write(S.data(), 2, 4, key.data(), nullptr, ok));
  EXPECT_FALSE(mem_write(nullptr, 2, 4, key.data(), v.data(), ok));
  EXPECT_FALSE(mem_write(S.data(), 2, -4, key.data(), v.data(), ok));
  expectAllNear(S, S0, 0.0f);
  // alpha at the ends of [0, 1] is valid.
  EXPECT_TRUE(mem_write(S.data(), 2, 4, key.data(), v.data(),
                        writeParams(0.0f, 1.0f, 1.0f, true, false)));
  EXPECT_TRUE(mem_write(S.data(), 2, 4, key.data(), v.data(),
                        writeParams(1.0f, 1.0f, 1.0f, true, false)));
}

//===----------------------------------------------------------------------===//
// Properties
//===----------------------------------------------------------------------===//

TEST(MemoryProperty, DeltaRuleWriteRecallsValueExactly) {
  // gamma = 1, beta = 1, alpha = 1, normalize_k: S' = S + (v - S k) k^T with
  // ||k|| = 1, so S' k = S k + (v - S k) (k^T k) = v.
  std::mt19937 rng(2024);
  const int Dv = 8, Dk = 16;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<float> S = anima::test::uniform(rng, Dv * Dk, -1.0f, 1.0f);
    std::vector<float> key = anima::test::uniform(rng, Dk, -1.0f, 1.0f);
    std::vector<float> v = anima::test::uniform(rng, Dv, -1.0f, 1.0f);
    ASSERT_TRUE(mem_write(S.data(), Dv, Dk, key.data(), v.data(),
                          writeParams(1.0f, 1.0f, 1.0f, true, true)));
    // Normalise the key independently for the read.
    double sumSq = 0.0;
    for (float x : key)
      sumSq += static_cast<double>(x) * static_cast<double>(x);
    std::vector<float> q(Dk);
    for (int c = 0; c < Dk; ++c)
      q[c] = static_cast<float>(static_cast<double>(key[c]) / std::sqrt(sumSq));
    std::vector<float> o(Dv);
    ASSERT_TRUE(mem_read(S.data(), Dv, Dk, q.data(), o.data()));
    expectAllNear(o, v, 1e-5f);
  }
}

TEST(MemoryProperty, DeltaRuleSparseWriteRecallsValueExactly) {
  // Same with a sparse key, read back with the same sparse normalised key.
  std::mt19937 rng(77);
  const int Dv = 8, Dk = 32, kk = 5;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<float> S = anima::test::uniform(rng, Dv * Dk, -1.0f, 1.0f);
    std::vector<std::int32_t> kidx = anima::test::randomIndexSet(rng, Dk, kk);
    std::vector<float> kval = anima::test::uniform(rng, kk, 0.1f, 1.0f);
    std::vector<float> v = anima::test::uniform(rng, Dv, -1.0f, 1.0f);
    ASSERT_TRUE(mem_write_sparse(S.data(), Dv, Dk, kidx.data(), kval.data(), kk,
                                 v.data(),
                                 writeParams(1.0f, 1.0f, 1.0f, true, true)));
    double sumSq = 0.0;
    for (float x : kval)
      sumSq += static_cast<double>(x) * static_cast<double>(x);
    std::vector<float> q(kk);
    for (int j = 0; j < kk; ++j)
      q[j] =
          static_cast<float>(static_cast<double>(kval[j]) / std::sqrt(sumSq));
    std::vector<float> o(Dv);
    ASSERT_TRUE(
        mem_read_sparse(S.data(), Dv, Dk, kidx.data(), q.data(), kk, o.data()));
    expectAllNear(o, v, 1e-5f);
  }
}

TEST(MemoryProperty, GammaZeroEqualsLinearAttentionAccumulation) {
  // With gamma = 0 and alpha = 1: S_T = S_0 + beta * sum_t v_t k_t^T,
  // accumulated independently in double.
  std::mt19937 rng(5);
  const int Dv = 6, Dk = 10, T = 50;
  const float beta = 0.3f;
  std::vector<float> S = anima::test::uniform(rng, Dv * Dk, -1.0f, 1.0f);
  std::vector<double> expected(S.begin(), S.end());
  std::vector<double> outer(Dv * Dk, 0.0);
  for (int t = 0; t < T; ++t) {
    std::vector<float> key = anima::test::uniform(rng, Dk, -1.0f, 1.0f);
    std::vector<float> v = anima::test::uniform(rng, Dv, -1.0f, 1.0f);
    ASSERT_TRUE(mem_write(S.data(), Dv, Dk, key.data(), v.data(),
                          writeParams(1.0f, beta, 0.0f, true, false)));
    for (int r = 0; r < Dv; ++r)
      for (int c = 0; c < Dk; ++c)
        outer[r * Dk + c] +=
            static_cast<double>(v[r]) * static_cast<double>(key[c]);
  }
  for (int i = 0; i < Dv * Dk; ++i)
    expected[i] += static_cast<double>(beta) * outer[i];
  for (int i = 0; i < Dv * Dk; ++i)
    EXPECT_NEAR(S[i], expected[i], 1e-4) << "at " << i;
}

TEST(MemoryProperty, AlphaForgetsGeometrically) {
  std::mt19937 rng(11);
  const int Dv = 5, Dk = 7;
  const float alpha = 0.9f;
  // beta = 0: every write only decays, so after n writes S = alpha^n S_0.
  std::vector<float> S0 = anima::test::uniform(rng, Dv * Dk, -1.0f, 1.0f);
  std::vector<float> S = S0;
  const int n = 20;
  for (int t = 0; t < n; ++t) {
    std::vector<float> key = anima::test::uniform(rng, Dk, -1.0f, 1.0f);
    std::vector<float> v = anima::test::uniform(rng, Dv, -1.0f, 1.0f);
    ASSERT_TRUE(mem_write(S.data(), Dv, Dk, key.data(), v.data(),
                          writeParams(alpha, 0.0f, 1.0f, true, true)));
  }
  const double decay = std::pow(0.9, n); // 0.12157665...
  for (int i = 0; i < Dv * Dk; ++i)
    EXPECT_NEAR(S[i], decay * static_cast<double>(S0[i]), 1e-6) << "at " << i;

  // Contribution of an old write: run the same sequence of n later writes
  // (gamma = 0, beta = 1) from S = 0 once with a first write (v0, k0) and
  // once with v0 = 0. By linearity the difference is alpha^n v0 k0^T.
  std::vector<float> k0 = anima::test::uniform(rng, Dk, -1.0f, 1.0f);
  std::vector<float> v0 = anima::test::uniform(rng, Dv, -1.0f, 1.0f);
  std::vector<float> zeros(Dv, 0.0f);
  std::vector<std::vector<float>> keys, vals;
  for (int t = 0; t < n; ++t) {
    keys.push_back(anima::test::uniform(rng, Dk, -1.0f, 1.0f));
    vals.push_back(anima::test::uniform(rng, Dv, -1.0f, 1.0f));
  }
  const MemWriteParams p = writeParams(alpha, 1.0f, 0.0f, true, false);
  std::vector<float> with(Dv * Dk, 0.0f), without(Dv * Dk, 0.0f);
  ASSERT_TRUE(mem_write(with.data(), Dv, Dk, k0.data(), v0.data(), p));
  ASSERT_TRUE(mem_write(without.data(), Dv, Dk, k0.data(), zeros.data(), p));
  for (int t = 0; t < n; ++t) {
    ASSERT_TRUE(
        mem_write(with.data(), Dv, Dk, keys[t].data(), vals[t].data(), p));
    ASSERT_TRUE(
        mem_write(without.data(), Dv, Dk, keys[t].data(), vals[t].data(), p));
  }
  for (int r = 0; r < Dv; ++r)
    for (int c = 0; c < Dk; ++c)
      EXPECT_NEAR(
          with[r * Dk + c] - without[r * Dk + c],
          decay * static_cast<double>(v0[r]) * static_cast<double>(k0[c]), 1e-5)
          << "at (" << r << ", " << c << ")";
}

TEST(MemoryProperty, SparseKeyEqualsScatteredDenseKey) {
  // mem_read_sparse / mem_write_sparse must match the dense forms with the
  // key scattered to Dk entries (zeros elsewhere), for every variant.
  std::mt19937 rng(99);
  const int Dv = 6, Dk = 20;
  int trial = 0;
  for (bool normalize : {false, true}) {
    for (bool decayFirst : {false, true}) {
      for (float gamma : {0.0f, 0.5f, 1.0f}) {
        for (float alpha : {1.0f, 0.8f}) {
          SCOPED_TRACE(::testing::Message()
                       << "normalize=" << normalize
                       << " decay_first=" << decayFirst << " gamma=" << gamma
                       << " alpha=" << alpha);
          const int kk = 1 + (trial++ % 7);
          std::vector<float> S =
              anima::test::uniform(rng, Dv * Dk, -1.0f, 1.0f);
          std::vector<std::int32_t> kidx =
              anima::test::randomIndexSet(rng, Dk, kk);
          std::vector<float> kval = anima::test::uniform(rng, kk, -1.0f, 1.0f);
          std::vector<float> v = anima::test::uniform(rng, Dv, -1.0f, 1.0f);
          std::vector<float> dense(Dk, 0.0f);
          for (int j = 0; j < kk; ++j)
            dense[kidx[j]] = kval[j];

          std::vector<float> oSparse(Dv), oDense(Dv);
          ASSERT_TRUE(mem_read_sparse(S.data(), Dv, Dk, kidx.data(),
                                      kval.data(), kk, oSparse.data()));
          ASSERT_TRUE(mem_read(S.data(), Dv, Dk, dense.data(), oDense.data()));
          expectAllFloatEq(oSparse, oDense);

          const MemWriteParams p =
              writeParams(alpha, 0.7f, gamma, decayFirst, normalize);
          std::vector<float> SSparse = S, SDense = S;
          ASSERT_TRUE(mem_write_sparse(SSparse.data(), Dv, Dk, kidx.data(),
                                       kval.data(), kk, v.data(), p));
          ASSERT_TRUE(
              mem_write(SDense.data(), Dv, Dk, dense.data(), v.data(), p));
          expectAllFloatEq(SSparse, SDense);
        }
      }
    }
  }
}

} // namespace
