//===- MatvecTest.cpp - gather_matvec, sparse_matvec, rows_dot -----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// sparse_matvec accumulates each column over j ascending like the reference:
// bit-exact. gather_matvec / rows_dot sum each row's d products in 16 lanes:
// within the reassociation bound dotTol(d, sum_c |W x|) of the reference.
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtil.h"

#include "anima/kernels/reference/Reference.h"

using namespace anima::uktest;
namespace ref = anima::ref;

TEST(UkGatherMatvec, WithinReassociationBoundOfReference) {
  std::mt19937 rng(11);
  for (std::int64_t d : sweepDims()) {
    for (std::int64_t n : {1, 5, 40}) {
      for (std::int64_t k : {std::int64_t{1}, (n + 1) / 2, n}) {
        SCOPED_TRACE("d=" + std::to_string(d) + " n=" + std::to_string(n) +
                     " k=" + std::to_string(k));
        const auto W = uniform(rng, static_cast<std::size_t>(n * d), -1, 1);
        const auto x = uniform(rng, static_cast<std::size_t>(d), -3, 3);
        const auto idx = indexSet(rng, n, k);
        std::vector<float> got(static_cast<std::size_t>(k), NAN);
        std::vector<float> want(static_cast<std::size_t>(k), NAN);
        Step step;
        anima_uk_gather_matvec(&step.ctx, W.data(), n, d, idx.data(), k,
                               x.data(), got.data());
        ASSERT_TRUE(ref::gather_matvec(W.data(), n, d, idx.data(), k, x.data(),
                                       want.data()));
        std::vector<double> tol;
        for (std::int64_t j = 0; j < k; ++j) {
          double abs = 0;
          for (std::int64_t c = 0; c < d; ++c)
            abs += std::fabs(static_cast<double>(W[idx[j] * d + c]) * x[c]);
          tol.push_back(dotTol(d, abs));
        }
        EXPECT_TRUE(withinTol(got, want, tol));
        // rows_dot is the same product.
        std::vector<float> tile(static_cast<std::size_t>(k), NAN);
        anima_uk_rows_dot(&step.ctx, W.data(), n, d, idx.data(), k, x.data(),
                          tile.data());
        EXPECT_TRUE(bitEqual(tile, got));
        EXPECT_EQ(step.ctx.journal_used, 0u);
      }
    }
  }
}

TEST(UkGatherMatvec, SmallSumsAreExact) {
  // With at most 16 terms every lane holds one product, so integers sum
  // exactly; also rows_dot with null idx reads rows 0..k-1.
  const std::vector<float> W = {1, 2, 3, 4, 5, 6};
  const std::vector<float> x = {1, 10, 100};
  std::vector<float> y(2);
  Step step;
  anima_uk_rows_dot(&step.ctx, W.data(), 2, 3, nullptr, 2, x.data(), y.data());
  EXPECT_EQ(y, (std::vector<float>{321, 654}));
  const std::int32_t idx[] = {1};
  anima_uk_gather_matvec(&step.ctx, W.data(), 2, 3, idx, 1, x.data(), y.data());
  EXPECT_EQ(y[0], 654.0f);
}

TEST(UkGatherMatvec, ComputesWhateverTheStatus) {
  const std::vector<float> W = {1, 2, 3, 4};
  const std::vector<float> x = {1, 1};
  std::vector<float> y(2, 0.0f);
  Step step;
  step.ctx.status = ANIMA_STEP_NONFINITE;
  step.ctx.plasticity = 0.0f;
  anima_uk_gather_matvec(&step.ctx, W.data(), 2, 2, nullptr, 2, x.data(),
                         y.data());
  EXPECT_EQ(y, (std::vector<float>{3, 7}));
}

TEST(UkSparseMatvec, BitExactWithReference) {
  std::mt19937 rng(12);
  for (std::int64_t d : sweepDims()) {
    for (std::int64_t n : {1, 6, 50}) {
      for (std::int64_t k : {std::int64_t{0}, std::int64_t{1}, std::int64_t{3},
                             std::int64_t{4}, std::int64_t{5}, n}) {
        if (k > n)
          continue;
        SCOPED_TRACE("d=" + std::to_string(d) + " n=" + std::to_string(n) +
                     " k=" + std::to_string(k));
        auto W = uniform(rng, static_cast<std::size_t>(n * d), -1, 1);
        // Signed zeros: +0 + (-0) must give +0 like the reference.
        if (d > 1)
          W[1] = -0.0f;
        const auto idx = indexSet(rng, n, k);
        auto val = uniform(rng, static_cast<std::size_t>(k), -2, 2);
        std::vector<float> got(static_cast<std::size_t>(d), NAN);
        std::vector<float> want(static_cast<std::size_t>(d), NAN);
        Step step;
        anima_uk_sparse_matvec(&step.ctx, W.data(), n, d, idx.data(),
                               val.data(), k, got.data());
        ASSERT_TRUE(ref::sparse_matvec(W.data(), n, d, idx.data(), val.data(),
                                       k, want.data()));
        EXPECT_TRUE(bitEqual(got, want));
      }
    }
  }
}

TEST(UkMatvecAcc, AccumulatesWithinReassociationBoundOfReference) {
  std::mt19937 rng(17);
  for (std::int64_t d : sweepDims()) {
    for (std::int64_t n : {1, 7, 33}) {
      SCOPED_TRACE("d=" + std::to_string(d) + " n=" + std::to_string(n));
      const auto W = uniform(rng, static_cast<std::size_t>(n * d), -1, 1);
      const auto x = uniform(rng, static_cast<std::size_t>(d), -3, 3);
      const auto y0 = uniform(rng, static_cast<std::size_t>(n), -1, 1);
      std::vector<float> got = y0;
      Step step;
      anima_uk_matvec_acc(&step.ctx, W.data(), n, d, x.data(), got.data());
      std::vector<float> wx(static_cast<std::size_t>(n));
      ASSERT_TRUE(ref::matvec(W.data(), n, d, x.data(), wx.data()));
      std::vector<float> want(static_cast<std::size_t>(n));
      std::vector<double> tol;
      for (std::int64_t i = 0; i < n; ++i) {
        want[i] = y0[i] + wx[i];
        double abs = std::fabs(static_cast<double>(y0[i]));
        for (std::int64_t c = 0; c < d; ++c)
          abs += std::fabs(static_cast<double>(W[i * d + c]) * x[c]);
        tol.push_back(dotTol(d + 1, abs));
      }
      EXPECT_TRUE(withinTol(got, want, tol));
      EXPECT_EQ(step.ctx.journal_used, 0u);
    }
  }
}
