//===- Memory.cpp - mem_read, mem_write, fused_mem_step microkernels -----===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// S is Dv x Dk row-major. mem_write and fused_mem_step share one row-by-row
// implementation: for each row r, the dot products of the OLD row (o_r for the
// fused step, the retrieval r_r when gamma != 0), then one sweep that saves
// the old row to the journal and writes the new one.
//
// Plasticity: alpha' = 1 - p (1 - alpha) (exactly alpha when p == 1),
// beta' = beta p; gamma (a retrieval weight, not a rate) is not scaled.
//
// Journal:
//  * alpha' != 1 or a dense key: all of S changes, so ONE record covers S
//    (dst = S, Dv * Dk * 4 bytes), filled row by row.
//  * alpha' == 1 and a sparse key: only the key's columns change. Row r's
//    touched elements are saved as one record per maximal run of consecutive
//    key columns (dst = &S[r, kidx[j0]], 4 * run length bytes), rows in order
//    and runs ascending within a row: Dv * sum over runs of (16 + pad8(4 len))
//    bytes, at most Dv * kk * 24.
//
// Differences from the reference, all documented in kernels/cpu/README.md:
//  * dense dot products use the lanes of dot() (reassociated sums);
//  * gamma == 0 skips the retrieval: r = +0 exactly, where the reference
//    computes 0 * (R k), which is NaN only if that product overflows to Inf
//    with finite operands (non-finite S or key poison the write either way).
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"

using namespace anima_uk;

namespace {

void readDense(const float *S, int64_t dv, int64_t dk, const float *q,
               float *o) {
  isa().rowsDot(S, dk, nullptr, dv, q, o);
}

/// The retrievals of `count` consecutive rows from `rows`:
/// acc[i] = sum_c (alphaR * row_i[c]) * kn[c]. With alphaR == 1 and an array
/// key that is dot(row_i, kn) bit for bit: the ISA table's rowsDot, which
/// sums the rows together.
inline void retrievals(const float *rows, int64_t count, int64_t dk,
                       float alphaR, ArrayRef kn, float *acc) {
  if (alphaR == 1.0f) {
    isa().rowsDot(rows, dk, nullptr, count, kn.p, acc);
    return;
  }
  for (int64_t i = 0; i < count; ++i)
    acc[i] = dotScaled(rows + i * dk, alphaR, kn, dk);
}
template <class Kn>
void retrievals(const float *rows, int64_t count, int64_t dk, float alphaR,
                Kn kn, float *acc) {
  for (int64_t i = 0; i < count; ++i)
    acc[i] = dotScaled(rows + i * dk, alphaR, kn, dk);
}

/// One row of a dense-key write: the ISA table's loop for an array key,
/// the generic one for a key normalized on the fly.
inline uint32_t writeRow(float *row, float *old, int64_t dk, ArrayRef kn,
                         float alpha, float e) {
  return isa().memoryRow(row, old, dk, kn.p, alpha, e);
}
template <class Kn>
uint32_t writeRow(float *__restrict row, float *__restrict old, int64_t dk,
                  Kn kn, float alpha, float e) {
  uint32_t flag = 0;
  for (int64_t c = 0; c < dk; ++c) {
    const float s = row[c];
    old[c] = s;
    const float ns = alpha * s + e * kn(c);
    row[c] = ns;
    flag |= nonfiniteTerm(ns);
  }
  return flag;
}

/// o_r = sum_j q_j S[r, qidx_j], j ascending from +0 (bit-identical to the
/// reference); four rows at a time for independent dependency chains.
void readSparse(const float *S, int64_t dv, int64_t dk, const int32_t *qidx,
                const float *q, int64_t kq, float *o) {
  int64_t r = 0;
  for (; r + 4 <= dv; r += 4) {
    const float *s0 = S + r * dk, *s1 = s0 + dk, *s2 = s1 + dk, *s3 = s2 + dk;
    float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
    for (int64_t j = 0; j < kq; ++j) {
      const int64_t c = qidx[j];
      const float qv = q[j];
      a0 += qv * s0[c];
      a1 += qv * s1[c];
      a2 += qv * s2[c];
      a3 += qv * s3[c];
    }
    o[r] = a0;
    o[r + 1] = a1;
    o[r + 2] = a2;
    o[r + 3] = a3;
  }
  for (; r < dv; ++r) {
    const float *s = S + r * dk;
    float a = 0.0f;
    for (int64_t j = 0; j < kq; ++j)
      a += q[j] * s[qidx[j]];
    o[r] = a;
  }
}

void read(const float *S, int64_t dv, int64_t dk, const float *q,
          const int32_t *qidx, int64_t kq, float *o) {
  if (qidx)
    readSparse(S, dv, dk, qidx, q, kq, o);
  else
    readDense(S, dv, dk, q, o);
}

/// Journal bytes of one row's records when only a sparse key's columns
/// change: one record per maximal run of consecutive columns.
uint64_t runRecordBytes(const int32_t *kidx, int64_t kk) {
  uint64_t total = 0;
  for (int64_t j = 0; j < kk;) {
    int64_t end = j + 1;
    while (end < kk && kidx[end] == kidx[end - 1] + 1)
      ++end;
    total += recordBytes(static_cast<uint64_t>(end - j) * sizeof(float));
    j = end;
  }
  return total;
}

struct WriteParams {
  float alpha; // alpha' (plasticity applied)
  float beta;  // beta'
  float gamma;
  float alphaR; // alpha' if the retrieval reads the decayed S, else 1
  bool keyIsKn; // the key is used unnormalized (kn == key)
};

/// Dense key. Kn: accessor of the (normalized) key by column.
template <class Kn>
bool writeDense(anima_step_context *ctx, float *S, int64_t dv, int64_t dk,
                const float *key, Kn kn, const float *v, const WriteParams &w,
                float *o) {
  const uint64_t rowBytes = static_cast<uint64_t>(dk) * sizeof(float);
  // o_r and r_r share one dot product when the retrieval reads S with the
  // raw key: dotScaled(row, 1, key) == dot(row, key) bit for bit.
  const bool shareDot = o && w.keyIsKn && w.alphaR == 1.0f;
  Journal journal(ctx);
  journal.openGrowing(S);
  // Rows in groups: the dot products of a group are summed together (every
  // row's own dot is still over its OLD values: a group is read before any
  // of its rows is written), then its rows are written in order.
  constexpr int64_t kGroup = 4;
  for (int64_t r0 = 0; r0 < dv; r0 += kGroup) {
    const int64_t count = dv - r0 < kGroup ? dv - r0 : kGroup;
    float *group = S + r0 * dk;
    float acc[kGroup] = {};
    if (o)
      isa().rowsDot(group, dk, nullptr, count, key, o + r0);
    if (w.gamma != 0.0f) {
      if (shareDot)
        for (int64_t i = 0; i < count; ++i)
          acc[i] = o[r0 + i];
      else
        retrievals(group, count, dk, w.alphaR, kn, acc);
    }
    for (int64_t i = 0; i < count; ++i) {
      const int64_t r = r0 + i;
      const float retrieved = w.gamma != 0.0f ? w.gamma * acc[i] : 0.0f;
      const float e = w.beta * (v[r] - retrieved);
      float *__restrict old = static_cast<float *>(journal.grow(rowBytes));
      if (isNonfinite(writeRow(S + r * dk, old, dk, kn, w.alpha, e))) {
        journal.refuse();
        return false;
      }
    }
  }
  journal.commit();
  return true;
}

/// Sparse key (kidx[kk], values key[kk]). Kn: accessor of the (normalized)
/// key values by position j.
template <class Kn>
bool writeSparse(anima_step_context *ctx, float *S, int64_t dv, int64_t dk,
                 const int32_t *kidx, const float *key, int64_t kk, Kn kn,
                 const float *v, const WriteParams &w, float *o) {
  const uint64_t rowBytes = static_cast<uint64_t>(dk) * sizeof(float);
  const bool wholeRows = w.alpha != 1.0f;
  const bool shareDot = o && w.keyIsKn && w.alphaR == 1.0f;
  Journal journal(ctx);
  if (wholeRows)
    journal.openGrowing(S);
  for (int64_t r = 0; r < dv; ++r) {
    float *__restrict row = S + r * dk;
    if (o) {
      float acc = 0.0f;
      for (int64_t j = 0; j < kk; ++j)
        acc += key[j] * row[kidx[j]];
      o[r] = acc;
    }
    float retrieved = 0.0f;
    if (w.gamma != 0.0f) {
      float acc;
      if (shareDot) {
        acc = o[r];
      } else {
        acc = 0.0f;
        for (int64_t j = 0; j < kk; ++j)
          acc += kn(j) * (w.alphaR * row[kidx[j]]);
      }
      retrieved = w.gamma * acc;
    }
    const float e = w.beta * (v[r] - retrieved);
    uint32_t flag = 0;
    if (wholeRows) {
      // The decay scales the whole row; then the key columns get e * kn.
      float *__restrict old = static_cast<float *>(journal.grow(rowBytes));
      const float alpha = w.alpha;
      for (int64_t c = 0; c < dk; ++c) {
        const float s = row[c];
        old[c] = s;
        const float ns = alpha * s;
        row[c] = ns;
        flag |= nonfiniteTerm(ns);
      }
      for (int64_t j = 0; j < kk; ++j) {
        const int64_t c = kidx[j];
        const float ns = row[c] + e * kn(j);
        row[c] = ns;
        flag |= nonfiniteTerm(ns);
      }
    } else {
      // Only the key columns change (1 * s == s): per run of consecutive
      // columns, one record, filled while the run is updated.
      for (int64_t j = 0; j < kk;) {
        int64_t end = j + 1;
        while (end < kk && kidx[end] == kidx[end - 1] + 1)
          ++end;
        float *__restrict old = static_cast<float *>(journal.open(
            row + kidx[j], static_cast<uint64_t>(end - j) * sizeof(float)));
        for (int64_t t = j; t < end; ++t) {
          const int64_t c = kidx[t];
          const float s = row[c];
          old[t - j] = s;
          const float ns = s + e * kn(t);
          row[c] = ns;
          flag |= nonfiniteTerm(ns);
        }
        j = end;
      }
    }
    if (isNonfinite(flag)) {
      journal.refuse();
      return false;
    }
  }
  journal.commit();
  return true;
}

template <class Kn>
bool writeAny(anima_step_context *ctx, float *S, int64_t dv, int64_t dk,
              const float *key, const int32_t *kidx, int64_t kk, Kn kn,
              const float *v, const WriteParams &w, float *o) {
  return kidx ? writeSparse(ctx, S, dv, dk, kidx, key, kk, kn, v, w, o)
              : writeDense(ctx, S, dv, dk, key, kn, v, w, o);
}

/// mem_write of (key, v) into S, and if o is non-null first o = S key (the
/// old S, raw key). o is always written, whatever happens to S.
void memStep(anima_step_context *ctx, float *S, int64_t dv, int64_t dk,
             const float *key, const int32_t *kidx, int64_t kk, const float *v,
             float alpha, float beta, float gamma, int32_t flags, float *o) {
  if (dv <= 0)
    return;
  const int64_t keyLen = kidx ? kk : dk;
  if (!mayWrite(ctx) || dk <= 0 || keyLen < 0) {
    if (o)
      read(S, dv, dk, key, kidx, kk, o);
    return;
  }
  const float p = ctx->plasticity;
  WriteParams w;
  w.alpha = p == 1.0f ? alpha : 1.0f - p * (1.0f - alpha);
  w.beta = beta * p;
  w.gamma = gamma;
  w.alphaR = (flags & ANIMA_MEM_READ_FIRST) ? 1.0f : w.alpha;

  const uint64_t need =
      (!kidx || w.alpha != 1.0f)
          ? recordBytes(static_cast<uint64_t>(dv) * static_cast<uint64_t>(dk) *
                        sizeof(float))
          : static_cast<uint64_t>(dv) * runRecordBytes(kidx, kk);
  if (!reserveJournal(ctx, need)) {
    if (o)
      read(S, dv, dk, key, kidx, kk, o);
    return;
  }

  // The reference's l2normalize: key / ||key|| element-wise; a zero (or NaN)
  // norm leaves the key as it is.
  const float norm =
      (flags & ANIMA_MEM_NORMALIZE_KEY) ? l2normSequential(key, keyLen) : 0.0f;
  bool ok;
  if (norm > 0.0f) {
    w.keyIsKn = false;
    auto *kn = static_cast<float *>(
        scratch(static_cast<uint64_t>(keyLen) * sizeof(float)));
    if (kn) {
      for (int64_t c = 0; c < keyLen; ++c)
        kn[c] = key[c] / norm;
      ok = writeAny(ctx, S, dv, dk, key, kidx, kk, ArrayRef{kn}, v, w, o);
    } else {
      ok = writeAny(ctx, S, dv, dk, key, kidx, kk, DivRef{key, norm}, v, w, o);
    }
  } else {
    w.keyIsKn = true;
    ok = writeAny(ctx, S, dv, dk, key, kidx, kk, ArrayRef{key}, v, w, o);
  }
  // A refused write restored S; o may be incomplete, so read it again.
  if (!ok && o)
    read(S, dv, dk, key, kidx, kk, o);
}

} // namespace

ANIMA_UK_API void anima_uk_mem_read(anima_step_context *ctx, const float *S,
                                    int64_t dv, int64_t dk, const float *q,
                                    const int32_t *qidx, int64_t kq, float *o) {
  (void)ctx;
  if (dv <= 0)
    return;
  read(S, dv, dk, q, qidx, kq, o);
}

ANIMA_UK_API void anima_uk_mem_write(anima_step_context *ctx, float *S,
                                     int64_t dv, int64_t dk, const float *key,
                                     const int32_t *kidx, int64_t kk,
                                     const float *v, float alpha, float beta,
                                     float gamma, int32_t flags) {
  memStep(ctx, S, dv, dk, key, kidx, kk, v, alpha, beta, gamma, flags, nullptr);
}

ANIMA_UK_API void anima_uk_fused_mem_step(anima_step_context *ctx, float *S,
                                          int64_t dv, int64_t dk,
                                          const float *key, const int32_t *kidx,
                                          int64_t kk, const float *v,
                                          float alpha, float beta, float gamma,
                                          int32_t flags, float *o) {
  memStep(ctx, S, dv, dk, key, kidx, kk, v, alpha, beta, gamma, flags, o);
}
