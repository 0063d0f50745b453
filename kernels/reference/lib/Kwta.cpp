//===- Kwta.cpp - Reference k-winners-take-all ---------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/reference/Reference.h"
#include "anima/ExpF.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace anima::ref {

namespace {

bool isKnownMode(KwtaMode mode) {
  return mode == KwtaMode::Value || mode == KwtaMode::Binary ||
         mode == KwtaMode::Softmax;
}

bool validKwtaArgs(const float *u, std::int64_t n, const float *duty,
                   const KwtaParams &p, const std::int32_t *idx,
                   const float *val, const float *dutyOut) {
  // Indices are int32, so at most 2^31 neurons are addressable.
  constexpr std::int64_t kMaxN =
      static_cast<std::int64_t>(std::numeric_limits<std::int32_t>::max()) + 1;
  if (n < 1 || n > kMaxN || !u || !idx || !val)
    return false;
  if (p.k < 1 || p.k > n || !isKnownMode(p.mode))
    return false;
  if (!std::isfinite(p.beta) || !std::isfinite(p.tau) ||
      !std::isfinite(p.period))
    return false;
  if (p.mode == KwtaMode::Softmax && !(p.tau > 0.0f))
    return false;
  if (p.period < 0.0f || (p.period > 0.0f && p.period < 1.0f))
    return false;
  if (p.beta != 0.0f && !duty)
    return false;
  if (dutyOut && !duty)
    return false;
  return true;
}

} // namespace

bool kwta(const float *u, std::int64_t n, const float *duty,
          const KwtaParams &params, std::int32_t *idx, float *val,
          float *dutyOut) {
  if (!validKwtaArgs(u, n, duty, params, idx, val, dutyOut))
    return false;
  const std::int64_t k = params.k;

  // s_i = u_i * b_i with b_i = exp(beta * (k/N - duty_i)) when boosting.
  std::vector<float> s(static_cast<std::size_t>(n));
  const bool boost = duty && params.beta != 0.0f;
  const float target = static_cast<float>(k) / static_cast<float>(n);
  for (std::int64_t i = 0; i < n; ++i) {
    float b = boost ? anima::expF32(params.beta * (target - duty[i])) : 1.0f;
    s[i] = u[i] * b;
  }

  // Rank every neuron: non-NaN before NaN, larger s first, then lower index.
  // This is a strict total order, so the first k entries are well defined.
  std::vector<std::int32_t> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  auto ranksBefore = [&s](std::int32_t a, std::int32_t b) {
    const bool aNan = std::isnan(s[a]);
    const bool bNan = std::isnan(s[b]);
    if (aNan != bNan)
      return bNan;
    if (!aNan && s[a] != s[b])
      return s[a] > s[b];
    return a < b;
  };
  std::sort(order.begin(), order.end(), ranksBefore);
  std::sort(order.begin(), order.begin() + k);
  for (std::int64_t j = 0; j < k; ++j)
    idx[j] = order[j];

  switch (params.mode) {
  case KwtaMode::Value:
    for (std::int64_t j = 0; j < k; ++j)
      val[j] = u[idx[j]];
    break;
  case KwtaMode::Binary: {
    const float v = 1.0f / std::sqrt(static_cast<float>(k));
    for (std::int64_t j = 0; j < k; ++j)
      val[j] = v;
    break;
  }
  case KwtaMode::Softmax: {
    std::vector<float> z(static_cast<std::size_t>(k));
    for (std::int64_t j = 0; j < k; ++j)
      z[j] = u[idx[j]] / params.tau;
    softmax(z.data(), k, val);
    break;
  }
  }

  // duty'_i = duty_i + (1[i in idx] - duty_i) / T; dutyOut may alias duty.
  if (dutyOut) {
    std::vector<char> active(static_cast<std::size_t>(n), 0);
    for (std::int64_t j = 0; j < k; ++j)
      active[idx[j]] = 1;
    for (std::int64_t i = 0; i < n; ++i) {
      if (params.period > 0.0f) {
        const float hit = active[i] ? 1.0f : 0.0f;
        dutyOut[i] = duty[i] + (hit - duty[i]) / params.period;
      } else {
        dutyOut[i] = duty[i];
      }
    }
  }
  return true;
}

} // namespace anima::ref
