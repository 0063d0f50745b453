//===- InitTest.cpp - Tests for the seeded state initializers ------------===//
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
#include <vector>

using namespace anima::ref;

namespace {

TEST(Init, SplitMixMatchesTheStandardSequence) {
  // With seed 0, splitmix(c) is the classic SplitMix64 stream started at
  // state 0, whose first outputs are well known.
  EXPECT_EQ(splitmix64(0, 0), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(splitmix64(0, 1), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(splitmix64(0, 2), 0x06C45D188009454Full);
  // The seed shifts the stream: seed 7 -> mix(7 + golden), mix(7 + 2 golden).
  EXPECT_EQ(splitmix64(7, 0), 0x63CBE1E459320DD7ull);
  EXPECT_EQ(splitmix64(7, 1), 0x044C3CD7F43C661Cull);
}

TEST(Init, SeededUnitHandComputed) {
  // uniform(c) = (splitmix(c) >> 11) * 2^-53:
  //   0xE220A8397B1DCDAF >> 11 = 7956080939227833 -> 0.8833108082136426
  EXPECT_DOUBLE_EQ(seeded_unit(0, 0), 0.8833108082136426);
  EXPECT_DOUBLE_EQ(seeded_unit(0, 1), 0.43152799704850997);
  EXPECT_DOUBLE_EQ(seeded_unit(0, 2), 0.026433771592597743);
}

TEST(Init, RandomUniformPinnedValues) {
  // #anima.random_uniform<seed = 1, low = -0.1, high = 0.1>: the first four
  // elements, computed independently (double, then rounded to f32).
  std::vector<float> out(4);
  ASSERT_TRUE(random_uniform(1, -0.1f, 0.1f, 4, out.data()));
  EXPECT_EQ(out[0], 0x1.b437ccp-7f);  // 0.013312316
  EXPECT_EQ(out[1], 0x1.92b058p-5f);  // 0.049156353
  EXPECT_EQ(out[2], 0x1.81d87p-4f);   // 0.094200552
  EXPECT_EQ(out[3], -0x1.6ca5bep-7f); // -0.011128156
}

TEST(Init, RandomNormalPinnedValues) {
  // #anima.random_normal<seed = 7, mean = 0.0, stddev = 0.05>: the first four
  // elements (Box-Muller over uniform(2i), uniform(2i + 1)).
  std::vector<float> out(4);
  ASSERT_TRUE(random_normal(7, 0.0f, 0.05f, 4, out.data()));
  EXPECT_FLOAT_EQ(out[0], 0x1.94e10cp-5f);  // 0.049423717
  EXPECT_FLOAT_EQ(out[1], -0x1.7dccb2p-4f); // -0.093212791
  EXPECT_FLOAT_EQ(out[2], 0x1.9b1044p-13f); // 0.00019601037
  EXPECT_FLOAT_EQ(out[3], -0x1.b1941cp-6f); // -0.026463535
}

TEST(Init, DeterministicAndPrefixStable) {
  // Element i depends only on (seed, i): a longer tensor extends a shorter
  // one, and a different seed gives a different stream.
  std::vector<float> a(100), b(37), c(100);
  ASSERT_TRUE(random_normal(3, 0.0f, 1.0f, 100, a.data()));
  ASSERT_TRUE(random_normal(3, 0.0f, 1.0f, 37, b.data()));
  ASSERT_TRUE(random_normal(4, 0.0f, 1.0f, 100, c.data()));
  for (int i = 0; i < 37; ++i)
    EXPECT_EQ(a[i], b[i]);
  int same = 0;
  for (int i = 0; i < 100; ++i)
    same += a[i] == c[i];
  EXPECT_EQ(same, 0);
}

TEST(Init, DistributionMoments) {
  const int n = 100000;
  std::vector<float> u(n), g(n);
  ASSERT_TRUE(random_uniform(11, -1.0f, 3.0f, n, u.data()));
  ASSERT_TRUE(random_normal(11, 2.0f, 0.5f, n, g.data()));
  double su = 0, sg = 0, sg2 = 0;
  for (int i = 0; i < n; ++i) {
    ASSERT_GE(u[i], -1.0f);
    ASSERT_LT(u[i], 3.0f);
    su += static_cast<double>(u[i]);
    sg += static_cast<double>(g[i]);
    sg2 += static_cast<double>(g[i]) * static_cast<double>(g[i]);
  }
  const double meanG = sg / n;
  EXPECT_NEAR(su / n, 1.0, 0.02); // uniform mean (low + high) / 2
  EXPECT_NEAR(meanG, 2.0, 0.01);  // normal mean
  EXPECT_NEAR(std::sqrt(sg2 / n - meanG * meanG), 0.5, 0.01); // stddev
}

TEST(Init, InvalidArgumentsLeaveOutputUntouched) {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> out(3, 9.0f);
  EXPECT_FALSE(random_uniform(1, 1.0f, 1.0f, 3, out.data()));  // low == high
  EXPECT_FALSE(random_uniform(1, 2.0f, 1.0f, 3, out.data()));  // low > high
  EXPECT_FALSE(random_uniform(1, -inf, 1.0f, 3, out.data()));  // non-finite
  EXPECT_FALSE(random_uniform(1, 0.0f, 1.0f, -1, out.data())); // n < 0
  EXPECT_FALSE(random_normal(1, 0.0f, -1.0f, 3, out.data()));  // stddev < 0
  EXPECT_FALSE(random_normal(1, inf, 1.0f, 3, out.data()));    // non-finite
  EXPECT_FALSE(random_normal(1, 0.0f, 1.0f, 3, nullptr));      // null out
  anima::test::expectAllNear(out, {9.0f, 9.0f, 9.0f}, 0.0f);
  // stddev = 0 is valid and gives the mean.
  ASSERT_TRUE(random_normal(1, 0.25f, 0.0f, 3, out.data()));
  anima::test::expectAllNear(out, {0.25f, 0.25f, 0.25f}, 0.0f);
}

} // namespace
