//===- TestUtil.h - Shared helpers for reference kernel tests -*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_UNIT_TESTUTIL_H
#define ANIMA_TESTS_UNIT_TESTUTIL_H

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace anima::test {

/// Expects actual and expected to have the same length and to agree
/// element-wise within an absolute tolerance.
inline void expectAllNear(const std::vector<float> &actual,
                          const std::vector<float> &expected, float tol) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], tol) << "at index " << i;
}

/// Expects actual and expected to agree element-wise within 4 ULPs.
inline void expectAllFloatEq(const std::vector<float> &actual,
                             const std::vector<float> &expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i)
    EXPECT_FLOAT_EQ(actual[i], expected[i]) << "at index " << i;
}

/// Returns n floats drawn uniformly from [lo, hi).
inline std::vector<float> uniform(std::mt19937 &rng, std::size_t n, float lo,
                                  float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> out(n);
  for (float &x : out)
    x = dist(rng);
  return out;
}

/// Returns a random strictly ascending subset of [0, n) of size k.
inline std::vector<std::int32_t>
randomIndexSet(std::mt19937 &rng, std::int32_t n, std::int32_t k) {
  std::vector<std::int32_t> all(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n; ++i)
    all[static_cast<std::size_t>(i)] = i;
  std::shuffle(all.begin(), all.end(), rng);
  std::vector<std::int32_t> out(all.begin(), all.begin() + k);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace anima::test

#endif // ANIMA_TESTS_UNIT_TESTUTIL_H
