//===- MatvecTest.cpp - Tests for gather_matvec / sparse_matvec ----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/reference/Reference.h"

#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

using namespace anima::ref;
using anima::test::expectAllFloatEq;
using anima::test::expectAllNear;

namespace {

// W[4 x 3] = [[ 1,  2,  3],
//             [ 4,  5,  6],
//             [ 7,  8,  9],
//             [10, 11, 12]]
const std::vector<float> kW = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

TEST(GatherMatvec, HandComputed) {
  // x = {1, 0.5, -1}, idx = {1, 3}:
  //   y_0 = 4*1 + 5*0.5 + 6*(-1)   = 4 + 2.5 - 6   = 0.5
  //   y_1 = 10*1 + 11*0.5 + 12*(-1) = 10 + 5.5 - 12 = 3.5
  std::vector<float> x = {1.0f, 0.5f, -1.0f}, y(2, -9.0f);
  std::vector<std::int32_t> idx = {1, 3};
  ASSERT_TRUE(
      gather_matvec(kW.data(), 4, 3, idx.data(), 2, x.data(), y.data()));
  expectAllNear(y, {0.5f, 3.5f}, 0.0f);

  // All rows: row 0 = 1 + 1 - 3 = -1, row 2 = 7 + 4 - 9 = 2.
  std::vector<std::int32_t> all = {0, 1, 2, 3};
  std::vector<float> yAll(4, -9.0f);
  ASSERT_TRUE(
      gather_matvec(kW.data(), 4, 3, all.data(), 4, x.data(), yAll.data()));
  expectAllNear(yAll, {-1.0f, 0.5f, 2.0f, 3.5f}, 0.0f);
}

TEST(GatherMatvec, EmptyIndexSetWritesNothing) {
  std::vector<float> x = {1.0f, 0.5f, -1.0f}, y(2, -9.0f);
  ASSERT_TRUE(gather_matvec(kW.data(), 4, 3, nullptr, 0, x.data(), y.data()));
  expectAllNear(y, {-9.0f, -9.0f}, 0.0f);
}

TEST(SparseMatvec, HandComputed) {
  // idx = {0, 2}, val = {2, -1}:
  //   y = 2*[1, 2, 3] - [7, 8, 9] = [2-7, 4-8, 6-9] = [-5, -4, -3]
  std::vector<std::int32_t> idx = {0, 2};
  std::vector<float> val = {2.0f, -1.0f}, y(3, -9.0f);
  ASSERT_TRUE(
      sparse_matvec(kW.data(), 4, 3, idx.data(), val.data(), 2, y.data()));
  expectAllNear(y, {-5.0f, -4.0f, -3.0f}, 0.0f);

  // idx = {1, 3}, val = {0.5, 0.25}:
  //   y = [2, 2.5, 3] + [2.5, 2.75, 3] = [4.5, 5.25, 6]
  idx = {1, 3};
  val = {0.5f, 0.25f};
  ASSERT_TRUE(
      sparse_matvec(kW.data(), 4, 3, idx.data(), val.data(), 2, y.data()));
  expectAllNear(y, {4.5f, 5.25f, 6.0f}, 0.0f);
}

TEST(SparseMatvec, EmptyIndexSetGivesZero) {
  std::vector<float> y(3, -9.0f);
  ASSERT_TRUE(sparse_matvec(kW.data(), 4, 3, nullptr, nullptr, 0, y.data()));
  expectAllNear(y, {0.0f, 0.0f, 0.0f}, 0.0f);
}

TEST(Matvec, InvalidArgumentsLeaveOutputUntouched) {
  std::vector<float> x = {1.0f, 1.0f, 1.0f}, val = {1.0f, 1.0f};
  const std::vector<std::vector<std::int32_t>> badSets = {
      {1, 4},  // out of range (N = 4)
      {3, 1},  // not ascending
      {1, 1},  // duplicate
      {-1, 2}, // negative
  };
  for (const auto &bad : badSets) {
    std::vector<float> y(3, -9.0f);
    EXPECT_FALSE(
        gather_matvec(kW.data(), 4, 3, bad.data(), 2, x.data(), y.data()));
    expectAllNear(y, {-9.0f, -9.0f, -9.0f}, 0.0f);
    EXPECT_FALSE(
        sparse_matvec(kW.data(), 4, 3, bad.data(), val.data(), 2, y.data()));
    expectAllNear(y, {-9.0f, -9.0f, -9.0f}, 0.0f);
  }
  std::vector<std::int32_t> ok = {0, 1};
  std::vector<float> y(3, -9.0f);
  EXPECT_FALSE(
      gather_matvec(kW.data(), 4, 3, ok.data(), -1, x.data(), y.data()));
  EXPECT_FALSE(
      gather_matvec(kW.data(), -4, 3, ok.data(), 2, x.data(), y.data()));
  EXPECT_FALSE(gather_matvec(nullptr, 4, 3, ok.data(), 2, x.data(), y.data()));
  EXPECT_FALSE(gather_matvec(kW.data(), 4, 3, ok.data(), 2, nullptr, y.data()));
  EXPECT_FALSE(sparse_matvec(kW.data(), 4, 3, ok.data(), nullptr, 2, y.data()));
  EXPECT_FALSE(
      sparse_matvec(kW.data(), 4, -3, ok.data(), val.data(), 2, y.data()));
  expectAllNear(y, {-9.0f, -9.0f, -9.0f}, 0.0f);
}

TEST(MatvecProperty, SparseMatvecEqualsDenseTransposedExpansion) {
  // y = sum_j val_j W[idx_j, :] must equal W^T v with v the dense scatter of
  // (idx, val) (zeros elsewhere), computed here with an independent loop.
  std::mt19937 rng(42);
  const int N = 17, D = 9;
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<float> W = anima::test::uniform(rng, N * D, -1.0f, 1.0f);
    const int k = 1 + trial % N;
    std::vector<std::int32_t> idx = anima::test::randomIndexSet(rng, N, k);
    std::vector<float> val = anima::test::uniform(rng, k, -2.0f, 2.0f);
    std::vector<float> dense(N, 0.0f);
    for (int j = 0; j < k; ++j)
      dense[idx[j]] = val[j];
    std::vector<float> expected(D, 0.0f);
    for (int i = 0; i < N; ++i)
      for (int c = 0; c < D; ++c)
        expected[c] += dense[i] * W[i * D + c];
    std::vector<float> y(D);
    ASSERT_TRUE(
        sparse_matvec(W.data(), N, D, idx.data(), val.data(), k, y.data()));
    expectAllFloatEq(y, expected);
  }
}

TEST(MatvecProperty, GatherMatvecWithAllRowsEqualsDenseMatvec) {
  // gather_matvec with idx = 0..N-1 must equal y = W x; and any subset must
  // equal the corresponding entries of W x.
  std::mt19937 rng(7);
  const int N = 13, D = 11;
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<float> W = anima::test::uniform(rng, N * D, -1.0f, 1.0f);
    std::vector<float> x = anima::test::uniform(rng, D, -1.0f, 1.0f);
    std::vector<float> dense(N, 0.0f);
    for (int i = 0; i < N; ++i) {
      float acc = 0.0f;
      for (int c = 0; c < D; ++c)
        acc += W[i * D + c] * x[c];
      dense[i] = acc;
    }
    std::vector<std::int32_t> all = anima::test::randomIndexSet(rng, N, N);
    std::vector<float> y(N);
    ASSERT_TRUE(
        gather_matvec(W.data(), N, D, all.data(), N, x.data(), y.data()));
    expectAllFloatEq(y, dense);

    const int k = 1 + trial % N;
    std::vector<std::int32_t> idx = anima::test::randomIndexSet(rng, N, k);
    std::vector<float> ySub(k), expectedSub(k);
    for (int j = 0; j < k; ++j)
      expectedSub[j] = dense[idx[j]];
    ASSERT_TRUE(
        gather_matvec(W.data(), N, D, idx.data(), k, x.data(), ySub.data()));
    expectAllFloatEq(ySub, expectedSub);
  }
}

} // namespace
