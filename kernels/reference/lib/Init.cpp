//===- Init.cpp - Seeded state initializers ------------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/reference/Reference.h"

#include <cmath>

namespace anima::ref {

std::uint64_t splitmix64(std::uint64_t seed, std::uint64_t c) {
  std::uint64_t z = seed + (c + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double seeded_unit(std::uint64_t seed, std::uint64_t c) {
  return static_cast<double>(splitmix64(seed, c) >> 11) * 0x1p-53;
}

bool random_uniform(std::uint64_t seed, float low, float high, std::int64_t n,
                    float *out) {
  if (n < 0 || (n > 0 && !out))
    return false;
  if (!std::isfinite(low) || !std::isfinite(high) || !(low < high))
    return false;
  const double lo = static_cast<double>(low);
  const double hi = static_cast<double>(high);
  for (std::int64_t i = 0; i < n; ++i) {
    const double u = seeded_unit(seed, static_cast<std::uint64_t>(i));
    out[i] = static_cast<float>(lo + (hi - lo) * u);
  }
  return true;
}

bool random_normal(std::uint64_t seed, float mean, float stddev, std::int64_t n,
                   float *out) {
  if (n < 0 || (n > 0 && !out))
    return false;
  if (!std::isfinite(mean) || !std::isfinite(stddev) || stddev < 0.0f)
    return false;
  constexpr double kPi = 3.14159265358979323846;
  const double m = static_cast<double>(mean);
  const double sd = static_cast<double>(stddev);
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint64_t c = 2 * static_cast<std::uint64_t>(i);
    const double u1 = seeded_unit(seed, c);
    const double u2 = seeded_unit(seed, c + 1);
    const double radius = std::sqrt(-2.0 * std::log(1.0 - u1));
    const double angle = 2.0 * kPi * u2;
    out[i] = static_cast<float>(m + sd * radius * std::cos(angle));
  }
  return true;
}

} // namespace anima::ref
