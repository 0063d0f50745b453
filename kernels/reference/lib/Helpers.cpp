//===- Helpers.cpp - Small shared reference helpers ----------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/reference/Reference.h"
#include "anima/ExpF.h"

#include <cmath>

namespace anima::ref {

void softmax(const float *x, std::int64_t n, float *out) {
  if (n <= 0)
    return;
  float m = x[0];
  for (std::int64_t j = 1; j < n; ++j)
    if (x[j] > m)
      m = x[j];
  float sum = 0.0f;
  for (std::int64_t j = 0; j < n; ++j) {
    out[j] = anima::expF32(x[j] - m);
    sum += out[j];
  }
  for (std::int64_t j = 0; j < n; ++j)
    out[j] = out[j] / sum;
}

float l2norm(const float *x, std::int64_t n) {
  float sumSq = 0.0f;
  for (std::int64_t j = 0; j < n; ++j)
    sumSq += x[j] * x[j];
  return std::sqrt(sumSq);
}

void l2normalize(const float *x, std::int64_t n, float *out) {
  if (n <= 0)
    return;
  float norm = l2norm(x, n);
  for (std::int64_t j = 0; j < n; ++j)
    out[j] = norm > 0.0f ? x[j] / norm : x[j];
}

bool is_valid_index_set(const std::int32_t *idx, std::int64_t k,
                        std::int64_t n) {
  if (k < 0 || n < 0)
    return false;
  if (k == 0)
    return true;
  if (!idx)
    return false;
  for (std::int64_t j = 0; j < k; ++j) {
    if (idx[j] < 0 || idx[j] >= n)
      return false;
    if (j > 0 && idx[j] <= idx[j - 1])
      return false;
  }
  return true;
}

bool scatter(const std::int32_t *idx, const float *val, std::int64_t k,
             std::int64_t n, float *dense) {
  if (!is_valid_index_set(idx, k, n))
    return false;
  if ((k > 0 && !val) || (n > 0 && !dense))
    return false;
  for (std::int64_t i = 0; i < n; ++i)
    dense[i] = 0.0f;
  for (std::int64_t j = 0; j < k; ++j)
    dense[idx[j]] = val[j];
  return true;
}

bool matvec(const float *W, std::int64_t n, std::int64_t d, const float *x,
            float *y) {
  if (n < 0 || d < 0)
    return false;
  if ((n > 0 && d > 0 && !W) || (d > 0 && !x) || (n > 0 && !y))
    return false;
  for (std::int64_t i = 0; i < n; ++i) {
    float acc = 0.0f;
    for (std::int64_t c = 0; c < d; ++c)
      acc += W[i * d + c] * x[c];
    y[i] = acc;
  }
  return true;
}

bool matvec_transposed(const float *W, std::int64_t n, std::int64_t d,
                       const float *x, float *y) {
  if (n < 0 || d < 0)
    return false;
  if ((n > 0 && d > 0 && !W) || (n > 0 && !x) || (d > 0 && !y))
    return false;
  for (std::int64_t c = 0; c < d; ++c) {
    float acc = 0.0f;
    for (std::int64_t i = 0; i < n; ++i)
      acc += x[i] * W[i * d + c];
    y[c] = acc;
  }
  return true;
}

} // namespace anima::ref
