//===- HelpersTest.cpp - Tests for the small reference helpers -----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/reference/Reference.h"
#include "anima/ExpF.h"

#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

using namespace anima::ref;
using anima::test::expectAllNear;

namespace {

TEST(Helpers, SoftmaxHandComputed) {
  // x = {3, 2}: e = {exp(0), exp(-1)} = {1, 0.36787944}; sum = 1.36787944
  // -> {0.73105858, 0.26894142}.
  std::vector<float> x = {3.0f, 2.0f}, out(2);
  softmax(x.data(), 2, out.data());
  expectAllNear(out, {0.73105858f, 0.26894142f}, 1e-6f);
}

TEST(Helpers, SoftmaxIsStableForLargeInputs) {
  // Max subtraction: {1000, 999} behaves exactly like {1, 0}.
  std::vector<float> x = {1000.0f, 999.0f, -1000.0f}, out(3);
  softmax(x.data(), 3, out.data());
  expectAllNear(out, {0.73105858f, 0.26894142f, 0.0f}, 1e-6f);
}

TEST(Helpers, SoftmaxInPlace) {
  // {0, 0, 0, 0} -> uniform 0.25 each, written over the input.
  std::vector<float> x = {0.0f, 0.0f, 0.0f, 0.0f};
  softmax(x.data(), 4, x.data());
  expectAllNear(x, {0.25f, 0.25f, 0.25f, 0.25f}, 1e-7f);
}

TEST(Helpers, L2Norm) {
  // sqrt(3^2 + 4^2) = 5; sqrt(1 + 4 + 4) = 3.
  std::vector<float> a = {3.0f, 4.0f}, b = {1.0f, -2.0f, 2.0f};
  EXPECT_FLOAT_EQ(l2norm(a.data(), 2), 5.0f);
  EXPECT_FLOAT_EQ(l2norm(b.data(), 3), 3.0f);
  EXPECT_EQ(l2norm(nullptr, 0), 0.0f);
}

TEST(Helpers, L2Normalize) {
  // {3, 4} / 5 = {0.6, 0.8}; the zero vector stays zero (no NaN).
  std::vector<float> a = {3.0f, 4.0f}, out(2);
  l2normalize(a.data(), 2, out.data());
  expectAllNear(out, {0.6f, 0.8f}, 1e-7f);
  std::vector<float> z = {0.0f, 0.0f, 0.0f};
  l2normalize(z.data(), 3, z.data());
  expectAllNear(z, {0.0f, 0.0f, 0.0f}, 0.0f);
}

TEST(Helpers, IsValidIndexSet) {
  std::vector<std::int32_t> ok = {0, 2, 5};
  EXPECT_TRUE(is_valid_index_set(ok.data(), 3, 6));
  EXPECT_FALSE(is_valid_index_set(ok.data(), 3, 5)); // 5 out of range
  std::vector<std::int32_t> desc = {2, 1}, dup = {1, 1}, neg = {-1, 0};
  EXPECT_FALSE(is_valid_index_set(desc.data(), 2, 4));
  EXPECT_FALSE(is_valid_index_set(dup.data(), 2, 4));
  EXPECT_FALSE(is_valid_index_set(neg.data(), 2, 4));
  EXPECT_TRUE(is_valid_index_set(nullptr, 0, 4));
  EXPECT_FALSE(is_valid_index_set(nullptr, 1, 4));
  EXPECT_FALSE(is_valid_index_set(ok.data(), -1, 4));
}

TEST(Helpers, Scatter) {
  std::vector<std::int32_t> idx = {1, 3};
  std::vector<float> val = {2.0f, -1.0f}, dense(5, 9.0f);
  ASSERT_TRUE(scatter(idx.data(), val.data(), 2, 5, dense.data()));
  expectAllNear(dense, {0.0f, 2.0f, 0.0f, -1.0f, 0.0f}, 0.0f);

  std::vector<std::int32_t> bad = {3, 1};
  std::vector<float> untouched(5, 9.0f);
  EXPECT_FALSE(scatter(bad.data(), val.data(), 2, 5, untouched.data()));
  expectAllNear(untouched, std::vector<float>(5, 9.0f), 0.0f);
}

TEST(Helpers, DenseMatvecAndTransposed) {
  // W = [[1, 2, 3], [4, 5, 6]].
  std::vector<float> W = {1, 2, 3, 4, 5, 6};
  // W x with x = {1, 0, -1}: {1 - 3, 4 - 6} = {-2, -2}.
  std::vector<float> x = {1.0f, 0.0f, -1.0f}, y(2);
  ASSERT_TRUE(matvec(W.data(), 2, 3, x.data(), y.data()));
  expectAllNear(y, {-2.0f, -2.0f}, 0.0f);
  // W^T z with z = {1, 2}: {1 + 8, 2 + 10, 3 + 12} = {9, 12, 15}.
  std::vector<float> z = {1.0f, 2.0f}, yt(3);
  ASSERT_TRUE(matvec_transposed(W.data(), 2, 3, z.data(), yt.data()));
  expectAllNear(yt, {9.0f, 12.0f, 15.0f}, 0.0f);

  std::vector<float> keep = {7.0f, 7.0f};
  EXPECT_FALSE(matvec(W.data(), -1, 3, x.data(), keep.data()));
  EXPECT_FALSE(matvec(nullptr, 2, 3, x.data(), keep.data()));
  expectAllNear(keep, {7.0f, 7.0f}, 0.0f);
}

} // namespace

namespace {

/// Distance in units in the last place between two finite floats of the
/// same sign (ordered bit patterns).
int64_t ulpDistance(float a, float b) {
  int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  return std::llabs(int64_t(ia) - int64_t(ib));
}

// anima/ExpF.h: the exp of boosting and softmax, against a double exp:
// at most 2 ulp wherever the result is a normal float, within the smallest
// subnormal below that, exact at 0, 0 and Inf past the ends, NaN kept.
TEST(ExpF32, AccurateOverTheWholeRange) {
  int64_t worst = 0;
  float worstAt = 0.0f;
  // Every 61st float from -104 to 89 (about 2 million points), both signs.
  for (float x : {-104.0f, 89.0f}) {
    int32_t bits;
    std::memcpy(&bits, &x, 4);
    for (int32_t b = bits & 0x7fffffff; b >= 0; b -= 61) {
      float v;
      const int32_t signedBits = b | (bits & int32_t(0x80000000));
      std::memcpy(&v, &signedBits, 4);
      const float got = anima::expF32(v);
      const double want = std::exp(double(v));
      if (want < double(std::numeric_limits<float>::min())) {
        ASSERT_LE(std::fabs(double(got) - want),
                  double(std::numeric_limits<float>::denorm_min()))
            << v;
        continue;
      }
      if (want > double(std::numeric_limits<float>::max())) {
        ASSERT_TRUE(std::isinf(got)) << v;
        continue;
      }
      const int64_t d = ulpDistance(got, float(want));
      if (d > worst) {
        worst = d;
        worstAt = v;
      }
    }
  }
  RecordProperty("max_ulp", std::to_string(worst));
  EXPECT_LE(worst, 2) << "at x = " << worstAt;
  EXPECT_EQ(anima::expF32(0.0f), 1.0f);
  EXPECT_EQ(anima::expF32(-0.0f), 1.0f);
  EXPECT_EQ(anima::expF32(-200.0f), 0.0f);
  EXPECT_EQ(anima::expF32(-std::numeric_limits<float>::infinity()), 0.0f);
  EXPECT_TRUE(std::isinf(anima::expF32(89.0f)));
  EXPECT_TRUE(std::isinf(anima::expF32(std::numeric_limits<float>::infinity())));
  EXPECT_TRUE(std::isnan(anima::expF32(std::nanf(""))));
}

} // namespace
