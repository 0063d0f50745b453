//===- Plastic.cpp - Reference plastic_update ----------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/reference/Reference.h"

#include <cmath>
#include <vector>

namespace anima::ref {

namespace {

bool isKnownRule(PlasticRule rule) {
  switch (rule) {
  case PlasticRule::Hebb:
  case PlasticRule::Oja:
  case PlasticRule::Instar:
  case PlasticRule::Delta:
  case PlasticRule::SoftmaxDelta:
    return true;
  }
  return false;
}

bool needsTarget(PlasticRule rule) {
  return rule == PlasticRule::Delta || rule == PlasticRule::SoftmaxDelta;
}

bool validPlasticArgs(const float *W, std::int64_t n, std::int64_t d,
                      const std::int32_t *idx, std::int64_t k, PlasticRule rule,
                      const PlasticParams &p, const float *post,
                      const float *pre, const float *target) {
  if (n < 0 || d < 0 || k < 0 || !isKnownRule(rule))
    return false;
  if (!std::isfinite(p.eta) || !std::isfinite(p.lambda) ||
      !std::isfinite(p.modulator) || !std::isfinite(p.row_norm))
    return false;
  if (p.lambda < 0.0f || p.lambda > 1.0f || p.row_norm < 0.0f)
    return false;
  if (idx ? !is_valid_index_set(idx, k, n) : k != n)
    return false;
  if (p.pre_major && (rule == PlasticRule::Oja || rule == PlasticRule::Instar))
    return false;
  if (needsTarget(rule) && !target && (p.pre_major ? d : k) > 0)
    return false;
  // Lengths of the operands: post-major post/target have k entries and pre
  // has d; pre-major pre has k and post/target have d.
  const std::int64_t postLen = p.pre_major ? d : k;
  const std::int64_t preLen = p.pre_major ? k : d;
  if ((k > 0 && d > 0 && !W) || (postLen > 0 && !post) || (preLen > 0 && !pre))
    return false;
  return true;
}

} // namespace

bool plastic_update(float *W, std::int64_t n, std::int64_t d,
                    const std::int32_t *idx, std::int64_t k, PlasticRule rule,
                    const PlasticParams &params, const float *post,
                    const float *pre, const float *target) {
  if (!validPlasticArgs(W, n, d, idx, k, rule, params, post, pre, target))
    return false;

  // Per updated row j (row i = idx_j): scalar a_j, c_j and the row vector b.
  std::vector<float> a(static_cast<std::size_t>(k), 0.0f);
  std::vector<float> c(static_cast<std::size_t>(k), 0.0f);
  std::vector<float> b(static_cast<std::size_t>(d), 0.0f);

  if (!params.pre_major) {
    const float *y = post; // k entries, aligned with idx
    const float *x = pre;  // d entries
    const float *t = target;
    std::vector<float> sm;
    if (rule == PlasticRule::SoftmaxDelta) {
      sm.resize(static_cast<std::size_t>(k));
      softmax(y, k, sm.data());
    }
    for (std::int64_t j = 0; j < k; ++j) {
      switch (rule) {
      case PlasticRule::Hebb:
        a[j] = y[j];
        break;
      case PlasticRule::Oja:
        a[j] = y[j];
        c[j] = y[j] * y[j];
        break;
      case PlasticRule::Instar:
        a[j] = y[j];
        c[j] = y[j];
        break;
      case PlasticRule::Delta:
        a[j] = t[j] - y[j];
        break;
      case PlasticRule::SoftmaxDelta:
        a[j] = t[j] - sm[j];
        break;
      }
    }
    for (std::int64_t col = 0; col < d; ++col)
      b[col] = x[col];
  } else {
    const float *x = pre;  // k entries, aligned with idx
    const float *y = post; // d entries
    const float *t = target;
    for (std::int64_t j = 0; j < k; ++j)
      a[j] = x[j];
    switch (rule) {
    case PlasticRule::Hebb:
      for (std::int64_t col = 0; col < d; ++col)
        b[col] = y[col];
      break;
    case PlasticRule::Delta:
      for (std::int64_t col = 0; col < d; ++col)
        b[col] = t[col] - y[col];
      break;
    case PlasticRule::SoftmaxDelta: {
      std::vector<float> sm(static_cast<std::size_t>(d));
      softmax(y, d, sm.data());
      for (std::int64_t col = 0; col < d; ++col)
        b[col] = t[col] - sm[col];
      break;
    }
    case PlasticRule::Oja:
    case PlasticRule::Instar:
      return false; // Unreachable: rejected by validPlasticArgs.
    }
  }

  const float keep = 1.0f - params.lambda;
  const float g = params.eta * params.modulator;
  for (std::int64_t j = 0; j < k; ++j) {
    const std::int64_t i = idx ? static_cast<std::int64_t>(idx[j]) : j;
    float *row = W + i * d;
    for (std::int64_t col = 0; col < d; ++col) {
      const float w = row[col];
      row[col] = keep * w + g * (a[j] * b[col] - c[j] * w);
    }
    if (params.row_norm > 0.0f) {
      const float norm = l2norm(row, d);
      if (norm > 0.0f) {
        const float scale = params.row_norm / norm;
        for (std::int64_t col = 0; col < d; ++col)
          row[col] = row[col] * scale;
      }
    }
  }
  return true;
}

} // namespace anima::ref
