//===- Memory.cpp - Reference mem_read / mem_write -----------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/reference/Reference.h"

#include <cmath>
#include <vector>

namespace anima::ref {

namespace {

bool validWriteParams(const MemWriteParams &p) {
  if (!std::isfinite(p.alpha) || !std::isfinite(p.beta) ||
      !std::isfinite(p.gamma))
    return false;
  return p.alpha >= 0.0f && p.alpha <= 1.0f;
}

} // namespace

bool mem_read(const float *S, std::int64_t dv, std::int64_t dk, const float *q,
              float *o) {
  if (dv < 0 || dk < 0)
    return false;
  if ((dv > 0 && dk > 0 && !S) || (dk > 0 && !q) || (dv > 0 && !o))
    return false;
  for (std::int64_t r = 0; r < dv; ++r) {
    float acc = 0.0f;
    for (std::int64_t c = 0; c < dk; ++c)
      acc += S[r * dk + c] * q[c];
    o[r] = acc;
  }
  return true;
}

bool mem_read_sparse(const float *S, std::int64_t dv, std::int64_t dk,
                     const std::int32_t *qidx, const float *qval,
                     std::int64_t kq, float *o) {
  if (dv < 0 || dk < 0 || !is_valid_index_set(qidx, kq, dk))
    return false;
  if ((dv > 0 && kq > 0 && !S) || (kq > 0 && !qval) || (dv > 0 && !o))
    return false;
  for (std::int64_t r = 0; r < dv; ++r) {
    float acc = 0.0f;
    for (std::int64_t j = 0; j < kq; ++j)
      acc += qval[j] * S[r * dk + qidx[j]];
    o[r] = acc;
  }
  return true;
}

bool mem_write(float *S, std::int64_t dv, std::int64_t dk, const float *key,
               const float *v, const MemWriteParams &params) {
  if (dv < 0 || dk < 0 || !validWriteParams(params))
    return false;
  if ((dv > 0 && dk > 0 && !S) || (dk > 0 && !key) || (dv > 0 && !v))
    return false;

  std::vector<float> kn(key, key + dk);
  if (params.normalize_k)
    l2normalize(kn.data(), dk, kn.data());

  const float alpha = params.alpha;
  for (std::int64_t r = 0; r < dv; ++r) {
    float *row = S + r * dk;
    // r_r = gamma * (R key)_r with R = S~ = alpha * S or R = S.
    float acc = 0.0f;
    for (std::int64_t c = 0; c < dk; ++c) {
      const float R = params.decay_first ? alpha * row[c] : row[c];
      acc += R * kn[c];
    }
    const float retrieved = params.gamma * acc;
    const float e = params.beta * (v[r] - retrieved);
    // S'[r, c] = S~[r, c] + e_r * key_c.
    for (std::int64_t c = 0; c < dk; ++c)
      row[c] = alpha * row[c] + e * kn[c];
  }
  return true;
}

bool mem_write_sparse(float *S, std::int64_t dv, std::int64_t dk,
                      const std::int32_t *kidx, const float *kval,
                      std::int64_t kk, const float *v,
                      const MemWriteParams &params) {
  if (dv < 0 || dk < 0 || !validWriteParams(params) ||
      !is_valid_index_set(kidx, kk, dk))
    return false;
  if ((dv > 0 && dk > 0 && !S) || (kk > 0 && !kval) || (dv > 0 && !v))
    return false;

  std::vector<float> kn(kval, kval + kk);
  if (params.normalize_k)
    l2normalize(kn.data(), kk, kn.data());

  const float alpha = params.alpha;
  for (std::int64_t r = 0; r < dv; ++r) {
    float *row = S + r * dk;
    // r_r = gamma * sum_j kval_j R[r, kidx_j], read before the row changes.
    float acc = 0.0f;
    for (std::int64_t j = 0; j < kk; ++j) {
      const float old = row[kidx[j]];
      const float R = params.decay_first ? alpha * old : old;
      acc += kn[j] * R;
    }
    const float retrieved = params.gamma * acc;
    const float e = params.beta * (v[r] - retrieved);
    // The decay applies to the whole row; only the key columns get the
    // rank-1 term.
    for (std::int64_t c = 0; c < dk; ++c)
      row[c] = alpha * row[c];
    for (std::int64_t j = 0; j < kk; ++j)
      row[kidx[j]] = row[kidx[j]] + e * kn[j];
  }
  return true;
}

} // namespace anima::ref
