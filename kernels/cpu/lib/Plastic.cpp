//===- Plastic.cpp - plastic_update and rows_update microkernels ---------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Every updated row is processed in one sweep that copies the old row into its
// journal record and writes the new row computed from the old values, with
// the reference's per-element formula
//   w' = (1 - lambda p) w + ((eta p) m) (a_j b_c - c_j w)
// (bit-identical to the reference, which evaluates keep * w + g * (a b - c w)
// with keep = 1 - lambda and g = eta * m). With row_norm > 0 a second sweep
// over the (cache-hot) row rescales it; its sum of squares uses the lanes of
// dot(), the only difference from the reference.
//
// Journal: one record per updated row (dst = &W[i * d], d * 4 bytes), rows in
// the order of idx; with idx == NULL (rows 0..k-1) one record for all k rows. If any new value is not finite the call restores the rows
// it wrote, drops its records and sets ANIMA_STEP_NONFINITE.
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"

using namespace anima_uk;

namespace {

/// b_c = t_c - y_c (pre-major delta; the reference's b vector, element-wise).
struct DiffRef {
  const float *t;
  const float *y;
  float operator()(int64_t c) const { return t[c] - y[c]; }
};

/// b_c = t_c - softmax(y)_c recomputed per element (pre-major softmax_delta
/// when no scratch is available; same values as the stored vector).
struct SoftmaxDiffRef {
  const float *t;
  const float *y;
  float max;
  float sum;
  float operator()(int64_t c) const { return t[c] - expF(y[c] - max) / sum; }
};

/// The reference softmax's max and sum over y[n]: m = y[0], raised by every
/// larger y[j]; sum = left-to-right sum of exp(y[j] - m).
void softmaxStats(const float *y, int64_t n, float *maxOut, float *sumOut) {
  float m = y[0];
  for (int64_t j = 1; j < n; ++j)
    if (y[j] > m)
      m = y[j];
  float sum = 0.0f;
  for (int64_t j = 0; j < n; ++j)
    sum += expF(y[j] - m);
  *maxOut = m;
  *sumOut = sum;
}

/// Row j of an update: idx[j], or j when idx is null.
inline int64_t rowIndex(const int32_t *idx, int64_t j) {
  return idx ? static_cast<int64_t>(idx[j]) : j;
}

struct RowParams {
  float keep;    // 1 - lambda p
  float g;       // (eta p) m
  float rowNorm; // > 0: rescale updated rows to this L2 norm
};

/// Updates one row in place, saving the old values to `old`. Returns true if
/// every value written is finite.
template <class B>
uint32_t updateRowValues(float *__restrict row, float *__restrict old,
                         int64_t d, B b, float a, float c, const RowParams &p,
                         const float *next) {
  (void)next;
  uint32_t flag = 0;
  const float keep = p.keep, g = p.g;
  for (int64_t col = 0; col < d; ++col) {
    const float w = row[col];
    old[col] = w;
    const float nw = keep * w + g * (a * b(col) - c * w);
    row[col] = nw;
    flag |= nonfiniteTerm(nw);
  }
  return flag;
}

/// b = an array (post-major x, pre-major y or t - softmax(y) in scratch):
/// the ISA table's loop (the hot loop of the fused plastic step).
inline uint32_t updateRowValues(float *row, float *old, int64_t d, ArrayRef b,
                                float a, float c, const RowParams &p,
                                const float *next) {
  return isa().plasticRow(row, old, d, b.p, a, c, p.keep, p.g, next);
}

/// `next`: the row updated after this one (null if none), prefetched while
/// this one is updated (the rows of a sparse update are scattered).
template <class B>
bool updateRow(float *__restrict row, float *__restrict old, int64_t d, B b,
               float a, float c, const RowParams &p, const float *next) {
  uint32_t flag = updateRowValues(row, old, d, b, a, c, p, next);
  if (p.rowNorm > 0.0f) {
    const float norm = sqrtF(sumSquares(row, d));
    if (norm > 0.0f) {
      // Judge the values actually written: the rescaled ones.
      const float scale = p.rowNorm / norm;
      flag = 0;
      for (int64_t col = 0; col < d; ++col) {
        const float nw = row[col] * scale;
        row[col] = nw;
        flag |= nonfiniteTerm(nw);
      }
    }
  }
  return !isNonfinite(flag);
}

/// Where a row's old values go: the next piece of the one record of rows
/// 0..k-1 (contiguous, opened by openGrowing), else a record of its own.
void *openRow(Journal &journal, bool contiguous, float *row, uint64_t rowBytes,
              bool streamed) {
  return contiguous ? journal.grow(rowBytes)
                    : journal.open(row, rowBytes, streamed);
}

/// Journal bytes of updating k rows: one record per listed row, or one
/// record for rows 0..k-1 (idx == NULL). JournalBytes.h says the same.
uint64_t rowsJournalBytes(const int32_t *idx, int64_t k, uint64_t rowBytes) {
  return idx ? static_cast<uint64_t>(k) * recordBytes(rowBytes)
             : recordBytes(static_cast<uint64_t>(k) * rowBytes);
}

/// Post-major rows (hebb/oja/instar/delta/softmax_delta); the caller has
/// checked mayWrite and the rule.
void postMajor(anima_step_context *ctx, float *W, int64_t d, const int32_t *idx,
               int64_t k, const float *post, const float *pre,
               const float *target, int32_t rule, const RowParams &p) {
  const uint64_t rowBytes = static_cast<uint64_t>(d) * sizeof(float);
  if (!reserveJournal(ctx, rowsJournalBytes(idx, k, rowBytes)))
    return;
  float smMax = 0.0f, smSum = 1.0f;
  if (rule == ANIMA_RULE_SOFTMAX_DELTA)
    softmaxStats(post, k, &smMax, &smSum);
  Journal journal(ctx);
  // Rows 0..k-1 (idx == NULL) are one contiguous region: one record that
  // grows row by row (a k x 1 matrix would otherwise pay a 16-byte header
  // and a call per 4-byte row).
  const bool contiguous = idx == nullptr;
  if (contiguous)
    journal.openGrowing(W);
  const ArrayRef x{pre};
  for (int64_t j = 0; j < k; ++j) {
    const float y = post[j];
    float a = y, c = 0.0f;
    switch (rule) {
    case ANIMA_RULE_OJA:
      c = y * y;
      break;
    case ANIMA_RULE_INSTAR:
      c = y;
      break;
    case ANIMA_RULE_DELTA:
      a = target[j] - y;
      break;
    case ANIMA_RULE_SOFTMAX_DELTA:
      a = target[j] - expF(y - smMax) / smSum;
      break;
    default: // ANIMA_RULE_HEBB
      break;
    }
    float *row = W + rowIndex(idx, j) * d;
    const float *next = j + 1 < k ? W + rowIndex(idx, j + 1) * d : nullptr;
    auto *old = static_cast<float *>(
        openRow(journal, contiguous, row, rowBytes, isa().streamsJournal));
    if (!updateRow(row, old, d, x, a, c, p, next)) {
      journal.refuse();
      return;
    }
  }
  journal.commit();
}

/// Whether updateRowValues() takes the ISA table's loop for this b (the
/// one that may stream the journal): only for an array.
constexpr bool usesIsaRowLoop(ArrayRef) { return true; }
template <class B> constexpr bool usesIsaRowLoop(B) { return false; }

/// Pre-major rows (hebb/delta/softmax_delta): a_j = pre[j], b over d columns.
template <class B>
void preMajorRows(anima_step_context *ctx, float *W, int64_t d,
                  const int32_t *idx, int64_t k, const float *pre, B b,
                  const RowParams &p) {
  const uint64_t rowBytes = static_cast<uint64_t>(d) * sizeof(float);
  Journal journal(ctx);
  const bool contiguous = idx == nullptr; // one record, as in postMajor
  if (contiguous)
    journal.openGrowing(W);
  for (int64_t j = 0; j < k; ++j) {
    float *row = W + rowIndex(idx, j) * d;
    const float *next = j + 1 < k ? W + rowIndex(idx, j + 1) * d : nullptr;
    auto *old = static_cast<float *>(
        openRow(journal, contiguous, row, rowBytes,
                usesIsaRowLoop(b) && isa().streamsJournal));
    if (!updateRow(row, old, d, b, pre[j], 0.0f, p, next)) {
      journal.refuse();
      return;
    }
  }
  journal.commit();
}

void preMajor(anima_step_context *ctx, float *W, int64_t d, const int32_t *idx,
              int64_t k, const float *post, const float *pre,
              const float *target, int32_t rule, const RowParams &p) {
  const uint64_t rowBytes = static_cast<uint64_t>(d) * sizeof(float);
  if (!reserveJournal(ctx, rowsJournalBytes(idx, k, rowBytes)))
    return;
  switch (rule) {
  case ANIMA_RULE_HEBB:
    preMajorRows(ctx, W, d, idx, k, pre, ArrayRef{post}, p);
    return;
  case ANIMA_RULE_DELTA:
    preMajorRows(ctx, W, d, idx, k, pre, DiffRef{target, post}, p);
    return;
  case ANIMA_RULE_SOFTMAX_DELTA: {
    float m, sum;
    softmaxStats(post, d, &m, &sum);
    auto *b =
        static_cast<float *>(scratch(static_cast<uint64_t>(d) * sizeof(float)));
    if (!b) {
      preMajorRows(ctx, W, d, idx, k, pre, SoftmaxDiffRef{target, post, m, sum},
                   p);
      return;
    }
    for (int64_t c = 0; c < d; ++c)
      b[c] = target[c] - expF(post[c] - m) / sum;
    preMajorRows(ctx, W, d, idx, k, pre, ArrayRef{b}, p);
    return;
  }
  default:
    return;
  }
}

RowParams rowParams(const anima_step_context *ctx, const float *modulator,
                    float eta, float lambda, float rowNorm) {
  const float plasticity = ctx->plasticity;
  const float m = modulator ? *modulator : 1.0f;
  return RowParams{1.0f - lambda * plasticity, (eta * plasticity) * m, rowNorm};
}

bool isPostMajorRule(int32_t rule) {
  return rule >= ANIMA_RULE_HEBB && rule <= ANIMA_RULE_SOFTMAX_DELTA;
}

} // namespace

ANIMA_UK_API void
anima_uk_plastic_update(anima_step_context *ctx, float *W, int64_t n, int64_t d,
                        const int32_t *idx, int64_t k, const float *post,
                        const float *pre, const float *target,
                        const float *modulator, int32_t rule, int32_t flags,
                        float eta, float lambda, float row_norm) {
  (void)n;
  if (!mayWrite(ctx) || k <= 0 || d <= 0)
    return;
  const RowParams p = rowParams(ctx, modulator, eta, lambda, row_norm);
  if (flags & ANIMA_PLASTIC_PRE_MAJOR) {
    // Oja and instar are meaningless on pre-major rows (rejected by the
    // verifier); unknown rules write nothing.
    if (rule == ANIMA_RULE_HEBB || rule == ANIMA_RULE_DELTA ||
        rule == ANIMA_RULE_SOFTMAX_DELTA)
      preMajor(ctx, W, d, idx, k, post, pre, target, rule, p);
    return;
  }
  if (isPostMajorRule(rule))
    postMajor(ctx, W, d, idx, k, post, pre, target, rule, p);
}

ANIMA_UK_API void anima_uk_rows_update(anima_step_context *ctx, float *W,
                                       int64_t n, int64_t d, const int32_t *idx,
                                       int64_t k, const float *post,
                                       const float *pre, const float *target,
                                       const float *modulator, int32_t rule,
                                       float eta, float lambda,
                                       float row_norm) {
  (void)n;
  // softmax_delta needs the dot products of every row before any update, so
  // a tile cannot apply it: it writes nothing (generated code never asks).
  if (rule < ANIMA_RULE_HEBB || rule > ANIMA_RULE_DELTA)
    return;
  if (!mayWrite(ctx) || k <= 0 || d <= 0)
    return;
  postMajor(ctx, W, d, idx, k, post, pre, target, rule,
            rowParams(ctx, modulator, eta, lambda, row_norm));
}
