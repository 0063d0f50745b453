//===- KernelTestUtil.h - Helpers of the CPU microkernel tests --*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Step contexts with an owned journal, journal undo, random data, and the
// comparisons used against the reference kernels:
//
//  * bitEqual: same bit patterns (where the microkernel evaluates the same
//    operations in the same order as the reference);
//  * withinTol: |actual - expected| <= tol element-wise, where the tolerance
//    is derived per test from the reassociation bound of f32 sums: a sum of d
//    terms evaluated in two different orders differs by at most
//    2 * d * u * sum|terms| (u = 2^-24, each order is within d*u*sum|terms| of
//    the exact sum), plus the rounding of the few operations applied after it.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_KERNELS_KERNELTESTUTIL_H
#define ANIMA_TESTS_KERNELS_KERNELTESTUTIL_H

#include "anima/abi.h"
#include "anima/kernels/cpu/JournalBytes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace anima::uktest {

/// Unit roundoff of f32.
constexpr double kU = 1.0 / 16777216.0;

/// A step context with its own 8-byte aligned journal.
class Step {
public:
  explicit Step(std::uint64_t capacity = 1u << 16, float plasticity = 1.0f)
      : storage_((capacity + 7) / 8 + 1, 0xA5A5A5A5A5A5A5A5ull) {
    ctx.plasticity = plasticity;
    ctx.status = ANIMA_STEP_OK;
    ctx.journal = reinterpret_cast<std::uint8_t *>(storage_.data());
    ctx.journal_capacity = capacity;
    ctx.journal_used = 0;
  }
  Step(const Step &) = delete;
  Step &operator=(const Step &) = delete;

  /// The runtime's undo: every record, newest first.
  void undo() {
    std::vector<std::uint64_t> offsets;
    std::uint64_t at = 0;
    while (at < ctx.journal_used) {
      offsets.push_back(at);
      const auto *rec =
          reinterpret_cast<const anima_journal_record *>(ctx.journal + at);
      at += anima_uk_journal_record_bytes(rec->bytes);
    }
    EXPECT_EQ(at, ctx.journal_used) << "records do not tile the journal";
    for (auto it = offsets.rbegin(); it != offsets.rend(); ++it) {
      const auto *rec =
          reinterpret_cast<const anima_journal_record *>(ctx.journal + *it);
      std::memcpy(rec->dst,
                  ctx.journal + *it + anima_uk_journal_record_bytes(0),
                  rec->bytes);
    }
  }

  /// Number of records in the journal.
  std::size_t records() const {
    std::size_t count = 0;
    std::uint64_t at = 0;
    while (at < ctx.journal_used) {
      const auto *rec =
          reinterpret_cast<const anima_journal_record *>(ctx.journal + at);
      at += anima_uk_journal_record_bytes(rec->bytes);
      ++count;
    }
    return count;
  }

  /// The journal's used bytes, with each record's dst replaced by its byte
  /// offset from `base`, so journals of calls on different copies of a state
  /// buffer compare equal when they record the same thing.
  std::vector<std::uint8_t> journalBytes(const void *base) const {
    std::vector<std::uint8_t> out(ctx.journal, ctx.journal + ctx.journal_used);
    std::uint64_t at = 0;
    while (at < ctx.journal_used) {
      auto *rec = reinterpret_cast<anima_journal_record *>(out.data() + at);
      const std::uint64_t offset = static_cast<std::uint64_t>(
          static_cast<const std::uint8_t *>(rec->dst) -
          static_cast<const std::uint8_t *>(base));
      std::memcpy(&rec->dst, &offset, sizeof offset);
      at += anima_uk_journal_record_bytes(rec->bytes);
    }
    return out;
  }

  anima_step_context ctx{};

private:
  std::vector<std::uint64_t> storage_;
};

inline std::vector<float> uniform(std::mt19937 &rng, std::size_t n, float lo,
                                  float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> out(n);
  for (float &x : out)
    x = dist(rng);
  return out;
}

/// A random strictly ascending subset of [0, n) of size k.
inline std::vector<std::int32_t> indexSet(std::mt19937 &rng, std::int64_t n,
                                          std::int64_t k) {
  std::vector<std::int32_t> all(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    all[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i);
  std::shuffle(all.begin(), all.end(), rng);
  std::vector<std::int32_t> out(all.begin(), all.begin() + k);
  std::sort(out.begin(), out.end());
  return out;
}

inline std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

/// Same length and the same bit pattern everywhere (-0 and +0 differ), except
/// that every NaN equals every NaN: which NaN an operation on NaN/Inf operands
/// returns (sign, payload) depends on operand order, which compilers may
/// swap for commutative operations, so it is not part of the contract.
inline ::testing::AssertionResult bitEqual(const std::vector<float> &actual,
                                           const std::vector<float> &expected) {
  if (actual.size() != expected.size())
    return ::testing::AssertionFailure()
           << "sizes " << actual.size() << " vs " << expected.size();
  for (std::size_t i = 0; i < actual.size(); ++i)
    if (bits(actual[i]) != bits(expected[i]) &&
        !(std::isnan(actual[i]) && std::isnan(expected[i])))
      return ::testing::AssertionFailure()
             << "first difference at " << i << ": " << actual[i] << " vs "
             << expected[i] << " (of " << actual.size() << ")";
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult
bitEqual(const std::vector<std::int32_t> &actual,
         const std::vector<std::int32_t> &expected) {
  if (actual != expected) {
    std::size_t i = 0;
    while (i < actual.size() && i < expected.size() && actual[i] == expected[i])
      ++i;
    return ::testing::AssertionFailure() << "index vectors differ at " << i;
  }
  return ::testing::AssertionSuccess();
}

/// |actual_i - expected_i| <= tol_i (and both finite) for every i.
inline ::testing::AssertionResult withinTol(const std::vector<float> &actual,
                                            const std::vector<float> &expected,
                                            const std::vector<double> &tol) {
  if (actual.size() != expected.size() || tol.size() != actual.size())
    return ::testing::AssertionFailure() << "size mismatch";
  double worst = 0.0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double diff = std::fabs(static_cast<double>(actual[i]) - expected[i]);
    if (!std::isfinite(actual[i]) || !(diff <= tol[i]))
      return ::testing::AssertionFailure()
             << "at " << i << ": " << actual[i] << " vs " << expected[i]
             << " (diff " << diff << ", tol " << tol[i] << ")";
    if (tol[i] > 0)
      worst = std::max(worst, diff / tol[i]);
  }
  return ::testing::AssertionSuccess() << "worst diff/tol " << worst;
}

/// Tolerance of a dot product of d terms whose absolute values sum to
/// absSum: both orders are within d*u*absSum of the exact value, hence the
/// factor 2; the tiny absolute term covers subnormal results.
inline double dotTol(std::int64_t d, double absSum) {
  return 2.0 * static_cast<double>(d + 1) * kU * absSum + 1e-37;
}

/// Plasticity-scaled decay, computed like the kernels do.
inline float scaledAlpha(float alpha, float p) {
  return p == 1.0f ? alpha : 1.0f - p * (1.0f - alpha);
}

/// Every shape size the tests sweep: odd sizes, sizes around the 16 lanes.
inline const std::vector<std::int64_t> &sweepDims() {
  static const std::vector<std::int64_t> dims = {1,  2,  3,  7,  8,   15, 16,
                                                 17, 31, 33, 64, 100, 257};
  return dims;
}

} // namespace anima::uktest

#endif // ANIMA_TESTS_KERNELS_KERNELTESTUTIL_H
