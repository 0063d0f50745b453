//===- Matvec.cpp - Reference gather_matvec / sparse_matvec --------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/reference/Reference.h"

namespace anima::ref {

bool gather_matvec(const float *W, std::int64_t n, std::int64_t d,
                   const std::int32_t *idx, std::int64_t k, const float *x,
                   float *y) {
  if (n < 0 || d < 0 || !is_valid_index_set(idx, k, n))
    return false;
  if ((k > 0 && d > 0 && (!W || !x)) || (k > 0 && !y))
    return false;

  for (std::int64_t j = 0; j < k; ++j) {
    const float *row = W + static_cast<std::int64_t>(idx[j]) * d;
    float acc = 0.0f;
    for (std::int64_t c = 0; c < d; ++c)
      acc += row[c] * x[c];
    y[j] = acc;
  }
  return true;
}

bool sparse_matvec(const float *W, std::int64_t n, std::int64_t d,
                   const std::int32_t *idx, const float *val, std::int64_t k,
                   float *y) {
  if (n < 0 || d < 0 || !is_valid_index_set(idx, k, n))
    return false;
  if ((k > 0 && (!val || (d > 0 && !W))) || (d > 0 && !y))
    return false;

  for (std::int64_t c = 0; c < d; ++c)
    y[c] = 0.0f;
  for (std::int64_t j = 0; j < k; ++j) {
    const float *row = W + static_cast<std::int64_t>(idx[j]) * d;
    for (std::int64_t c = 0; c < d; ++c)
      y[c] += val[j] * row[c];
  }
  return true;
}

} // namespace anima::ref
