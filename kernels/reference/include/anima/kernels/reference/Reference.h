//===- Reference.h - Anima reference (oracle) kernels -----------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Plain, obviously-correct C++ implementations of every Anima op. They are the
// oracle that each compiled backend is tested against, so they favour
// readability and a fixed evaluation order over speed:
//
//  * State and accumulation are f32. Every reduction is a left-to-right sum
//    starting from 0.0f in natural loop order (index ascending).
//  * No SIMD, no threads, no exceptions. The library is built with
//    -ffp-contract=off so no multiply-add is fused behind the reader's back.
//  * Matrices are dense and row-major: element (r, c) of an R x C matrix M is
//    M[r * C + c].
//  * A sparse index set `idx` is an int32 array of k distinct row (or column)
//    indices in strictly ASCENDING order, each in [0, N); `val` holds the k
//    values aligned with it.
//  * Every kernel returns a [[nodiscard]] bool: true on success, false when
//    the arguments are invalid, in which case NOTHING has been written to any
//    output or state buffer. Sizes are std::int64_t and must be >= 0; a
//    pointer may be null only where its buffer would have zero length or where
//    the documentation says it is optional.
//  * Ops that update state do so in place on the caller's buffer (copy first
//    if the old value is needed). Unless stated otherwise, output buffers must
//    not alias input buffers.
//  * Parameters must be finite (not NaN or +-inf); a non-finite parameter is
//    an invalid argument.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_KERNELS_REFERENCE_REFERENCE_H
#define ANIMA_KERNELS_REFERENCE_REFERENCE_H

#include <cstdint>

namespace anima::ref {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Writes the numerically stable softmax of x[n] to out[n] (out may alias x):
/// m = max_j x_j; e_j = exp(x_j - m); out_j = e_j / sum_j e_j. No-op if n <= 0.
void softmax(const float *x, std::int64_t n, float *out);

/// Returns the L2 norm sqrt(sum_j x_j^2) of x[n] (0 if n <= 0).
float l2norm(const float *x, std::int64_t n);

/// Writes x / l2norm(x) to out[n] (out may alias x); a zero vector stays zero.
void l2normalize(const float *x, std::int64_t n, float *out);

/// Returns true iff idx[k] is a valid index set for an axis of length n:
/// k >= 0, n >= 0, every idx_j in [0, n) and strictly ascending (idx may be
/// null only when k == 0).
bool is_valid_index_set(const std::int32_t *idx, std::int64_t k,
                        std::int64_t n);

/// Scatters (idx[k], val[k]) into dense[n]: zeros, then dense[idx_j] = val_j.
/// Returns false (dense untouched) if idx is not a valid index set for n.
[[nodiscard]] bool scatter(const std::int32_t *idx, const float *val,
                           std::int64_t k, std::int64_t n, float *dense);

/// Dense matrix-vector product y[n] = W[n x d] x[d]: y_i = sum_c W[i, c] x_c.
/// Returns false (y untouched) on negative sizes or null pointers.
[[nodiscard]] bool matvec(const float *W, std::int64_t n, std::int64_t d,
                          const float *x, float *y);

/// Dense transposed product y[d] = W[n x d]^T x[n]: y_c = sum_i x_i W[i, c]
/// (sum over i ascending). Returns false (y untouched) on bad arguments.
[[nodiscard]] bool matvec_transposed(const float *W, std::int64_t n,
                                     std::int64_t d, const float *x, float *y);

//===----------------------------------------------------------------------===//
// Seeded state initializers (#anima.random_uniform / #anima.random_normal)
//===----------------------------------------------------------------------===//
//
// The counter-based generator of docs/architecture.md, so that the compiler,
// these kernels and any tool produce bit-identical initial state. Element i of
// a row-major tensor uses counter values derived from i only, in double:
//
//   splitmix(c) = mix(seed + (c + 1) * 0x9E3779B97F4A7C15)   (mod 2^64)
//   uniform(c)  = (splitmix(c) >> 11) * 2^-53                 in [0, 1)
//
//===----------------------------------------------------------------------===//

/// Returns splitmix(c) for `seed`: z = seed + (c + 1) * 0x9E3779B97F4A7C15;
/// z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) *
/// 0x94D049BB133111EB; return z ^ (z >> 31) (all mod 2^64).
std::uint64_t splitmix64(std::uint64_t seed, std::uint64_t c);

/// Returns uniform(c) = (splitmix64(seed, c) >> 11) * 2^-53, in [0, 1).
double seeded_unit(std::uint64_t seed, std::uint64_t c);

/// Fills out[n] with #anima.random_uniform<seed, low, high>:
/// out_i = float(double(low) + (double(high) - double(low)) * uniform(i)).
/// Invalid (out untouched): n < 0, non-finite bounds, low >= high.
[[nodiscard]] bool random_uniform(std::uint64_t seed, float low, float high,
                                  std::int64_t n, float *out);

/// Fills out[n] with #anima.random_normal<seed, mean, stddev> (Box-Muller):
/// out_i = float(mean + stddev * sqrt(-2 ln(1 - uniform(2i)))
///                            * cos(2 pi uniform(2i + 1))),
/// evaluated in double left to right. Invalid (out untouched): n < 0,
/// non-finite mean/stddev, stddev < 0.
[[nodiscard]] bool random_normal(std::uint64_t seed, float mean, float stddev,
                                 std::int64_t n, float *out);

//===----------------------------------------------------------------------===//
// kwta: k-winners-take-all with optional duty-cycle boosting
//===----------------------------------------------------------------------===//

/// How kwta fills `val` for the winners.
enum class KwtaMode : std::int32_t {
  /// val_j = u[idx_j] (the un-boosted input).
  Value = 0,
  /// val_j = 1 / sqrt(k).
  Binary = 1,
  /// val = softmax(u[idx] / tau), numerically stable (max subtracted).
  Softmax = 2,
};

/// Attributes of kwta.
struct KwtaParams {
  /// Number of winners, 1 <= k <= N.
  std::int64_t k = 1;
  /// How the winner values are produced.
  KwtaMode mode = KwtaMode::Value;
  /// Boost strength; 0 disables boosting. beta != 0 requires a duty vector.
  float beta = 0.0f;
  /// Softmax temperature; must be > 0 in Softmax mode (ignored otherwise).
  float tau = 1.0f;
  /// Duty-cycle period T: 0 disables the duty update, otherwise T >= 1.
  float period = 0.0f;
};

/// k-winners-take-all over u[n] with optional duty-cycle boosting.
///
///   b_i = exp(beta * (k/N - duty_i))  if duty given and beta != 0, else 1
///   s_i = u_i * b_i
///   idx = indices of the k largest s_i, ties broken toward the LOWER index,
///         then written in ASCENDING order; NaN ranks below every number
///         (including -inf) and is only chosen when needed to fill k, lowest
///         index first.
///   val_j = u[idx_j]                        (Value)
///         = 1 / sqrt(k)                     (Binary)
///         = softmax(u[idx] / tau)_j         (Softmax; z_j = u[idx_j] / tau,
///                                            e_j = exp(z_j - max z))
///   duty'_i = duty_i + (1[i in idx] - duty_i) / T   (only if duty, T > 0)
///
/// k/N is evaluated as float(k) / float(N). `duty` (nullable) is the duty
/// cycle of the previous step; `dutyOut` (nullable, may alias `duty`, requires
/// `duty`) receives duty' (a plain copy of duty when T == 0). idx[k] and
/// val[k] are outputs. Invalid: n < 1, k < 1, k > n, tau <= 0 in Softmax
/// mode, T < 0 or 0 < T < 1, beta != 0 without duty, dutyOut without duty,
/// an unknown mode, non-finite parameters.
[[nodiscard]] bool kwta(const float *u, std::int64_t n, const float *duty,
                        const KwtaParams &params, std::int32_t *idx, float *val,
                        float *dutyOut);

//===----------------------------------------------------------------------===//
// gather_matvec / sparse_matvec
//===----------------------------------------------------------------------===//

/// Output-sparse matvec: y_j = sum_c W[idx_j, c] * x_c for j in [0, k).
///
/// W is [n x d] row-major; only the k active rows of W are read. x has d
/// entries, y has k entries. Invalid: bad sizes, idx not a valid index set.
[[nodiscard]] bool gather_matvec(const float *W, std::int64_t n, std::int64_t d,
                                 const std::int32_t *idx, std::int64_t k,
                                 const float *x, float *y);

/// Input-sparse matvec: y = sum_j val_j * W[idx_j, :]   (y has d entries).
///
/// W is [n x d] row-major with one row per input neuron; y_c is accumulated
/// over j ascending starting from 0 (k == 0 gives y = 0). Invalid: bad sizes,
/// idx not a valid index set.
[[nodiscard]] bool sparse_matvec(const float *W, std::int64_t n, std::int64_t d,
                                 const std::int32_t *idx, const float *val,
                                 std::int64_t k, float *y);

//===----------------------------------------------------------------------===//
// mem_read / mem_write: associative (fast-weight) memory S[Dv x Dk]
//===----------------------------------------------------------------------===//

/// Dense-query memory read: o = S q, i.e. o_r = sum_c S[r, c] * q_c.
///
/// S is [dv x dk] row-major and only read; q has dk entries, o has dv.
[[nodiscard]] bool mem_read(const float *S, std::int64_t dv, std::int64_t dk,
                            const float *q, float *o);

/// Sparse-query memory read: o_r = sum_j qval_j * S[r, qidx_j].
///
/// qidx[kq] must be a valid index set for dk columns; o has dv entries.
[[nodiscard]] bool mem_read_sparse(const float *S, std::int64_t dv,
                                   std::int64_t dk, const std::int32_t *qidx,
                                   const float *qval, std::int64_t kq,
                                   float *o);

/// Attributes of mem_write.
struct MemWriteParams {
  /// Decay (forget gate), must be in [0, 1].
  float alpha = 1.0f;
  /// Write strength.
  float beta = 1.0f;
  /// Retrieval weight: 0 = Hebbian / linear attention, 1 = delta rule.
  float gamma = 0.0f;
  /// If true the retrieval r reads the decayed S~, otherwise the original S.
  bool decay_first = true;
  /// If true the key is L2-normalised first (a zero key stays zero).
  bool normalize_k = false;
};

/// Dense-key memory write, in place on S[dv x dk]:
///
///   key  = k / ||k||_2                       (if normalize_k and k != 0)
///   S~   = alpha * S
///   R    = decay_first ? S~ : S
///   r_r  = gamma * sum_c R[r, c] * key_c      (r has dv entries)
///   e_r  = beta * (v_r - r_r)
///   S'[r, c] = S~[r, c] + e_r * key_c         (S' = S~ + beta (v - r) key^T)
///
/// key has dk entries, v has dv. gamma = 0: Hebbian / linear attention;
/// gamma = 1: delta rule; alpha < 1: gated. Invalid: alpha outside [0, 1],
/// non-finite alpha/beta/gamma, bad sizes.
[[nodiscard]] bool mem_write(float *S, std::int64_t dv, std::int64_t dk,
                             const float *key, const float *v,
                             const MemWriteParams &params);

/// Sparse-key memory write, in place on S[dv x dk]; key = (kidx[kk], kval[kk]).
///
///   kval' = kval / ||kval||_2                (if normalize_k and kval != 0)
///   S~    = alpha * S                        (decay applies to ALL of S)
///   R     = decay_first ? S~ : S
///   r_r   = gamma * sum_j kval'_j * R[r, kidx_j]
///   e_r   = beta * (v_r - r_r)
///   S'[r, kidx_j] = S~[r, kidx_j] + e_r * kval'_j   (other columns: S~)
///
/// This equals mem_write with the key scattered to dk entries. Invalid: as
/// mem_write, plus kidx not a valid index set for dk columns.
[[nodiscard]] bool mem_write_sparse(float *S, std::int64_t dv, std::int64_t dk,
                                    const std::int32_t *kidx, const float *kval,
                                    std::int64_t kk, const float *v,
                                    const MemWriteParams &params);

//===----------------------------------------------------------------------===//
// plastic_update: local learning rules on a weight matrix W[N x D]
//===----------------------------------------------------------------------===//

/// The local learning rule applied by plastic_update.
enum class PlasticRule : std::int32_t {
  /// Plain Hebbian: a = post activity (post-major) or pre activity.
  Hebb = 0,
  /// Oja's rule: Hebb with a per-row decay c = y^2 (post-major only).
  Oja = 1,
  /// Instar: Hebb with a per-row decay c = y (post-major only).
  Instar = 2,
  /// Delta / LMS rule: error t - y (needs a target).
  Delta = 3,
  /// Delta rule on softmax outputs: error t - softmax(y) (needs a target).
  SoftmaxDelta = 4,
};

/// Attributes of plastic_update.
struct PlasticParams {
  /// Learning rate.
  float eta = 0.01f;
  /// Weight decay of the updated rows, must be in [0, 1].
  float lambda = 0.0f;
  /// Neuromodulator m scaling the learning term (default 1).
  float modulator = 1.0f;
  /// false: row i is post-synaptic neuron i (layout read by gather_matvec);
  /// true: row i is pre-synaptic neuron i (layout read by sparse_matvec).
  bool pre_major = false;
  /// If > 0, every updated row is rescaled to this L2 norm afterwards
  /// (a zero row stays zero); 0 = off; must be >= 0.
  float row_norm = 0.0f;
};

/// Applies a local learning rule in place to the rows of W[n x d]:
///
///   W'_i = (1 - lambda) W_i + eta * m * (a_j * b - c_j * W_i),  i = idx_j
///
/// evaluated per element, with w the old W[i, c], as
///   (1 - lambda) * w + (eta * m) * (a_j * b_c - c_j * w).
/// Rows updated: idx[k] if idx is given (a valid index set for n rows),
/// otherwise all rows ("dense": idx must be null, k must equal n and
/// idx_j := j). Rows not updated are untouched.
///
/// Post-major (pre_major == false): post = y[k] (aligned with idx),
/// pre = x[d], target = t[k] (aligned with idx):
///   Hebb:          a_j = y_j,                 b = x, c_j = 0
///   Oja:           a_j = y_j,                 b = x, c_j = y_j^2
///   Instar:        a_j = y_j,                 b = x, c_j = y_j
///   Delta:         a_j = t_j - y_j,           b = x, c_j = 0
///   SoftmaxDelta:  a_j = t_j - softmax(y)_j,  b = x, c_j = 0 (over k entries)
/// Pre-major (pre_major == true): pre = x[k] (aligned with idx),
/// post = y[d], target = t[d]:
///   Hebb:          a_j = x_j, b = y,              c = 0
///   Delta:         a_j = x_j, b = t - y,          c = 0
///   SoftmaxDelta:  a_j = x_j, b = t - softmax(y), c = 0 (over d entries)
///   Oja, Instar:   invalid (their decay term is per post-neuron = column).
///
/// If row_norm > 0 each updated row is then scaled by row_norm / ||W'_i||_2
/// (a zero row stays zero). `target` may be null for Hebb/Oja/Instar (it is
/// ignored). Invalid: missing target for Delta/SoftmaxDelta, Oja/Instar in
/// pre-major, idx not a valid index set, idx null with k != n, lambda
/// outside [0, 1], row_norm < 0, non-finite parameters, unknown rule.
[[nodiscard]] bool plastic_update(float *W, std::int64_t n, std::int64_t d,
                                  const std::int32_t *idx, std::int64_t k,
                                  PlasticRule rule, const PlasticParams &params,
                                  const float *post, const float *pre,
                                  const float *target);

} // namespace anima::ref

#endif // ANIMA_KERNELS_REFERENCE_REFERENCE_H
