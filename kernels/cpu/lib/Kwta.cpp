//===- Kwta.cpp - k-winners-take-all microkernel -------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Selection is O(N) and exactly the reference's ranking: scores are mapped to
// 32-bit keys whose unsigned order is the reference's order (NaN lowest, -0 ==
// +0), the k-th largest key T is found by a 3-pass radix select (11/11/10
// bits; the last two passes only scan the keys that survive the first), and
// one ascending sweep emits every index with key > T plus the lowest-indexed
// ones with key == T. Indices come out ascending.
//
// The keys (boosted scores u_i * exp(beta (k/N - duty_i)) when boosting) are
// computed once into the per-thread scratch. If scratch cannot be allocated,
// they are recomputed on each pass instead (same values; with boosting that
// is 4 exps per element).
//
//===----------------------------------------------------------------------===//

#include "Dispatch.h"

using namespace anima_uk;

namespace {

struct PlainKeys {
  const float *u;
  uint32_t operator()(int64_t i) const { return rankKey(u[i]); }
};

/// The reference's boosted score, recomputed: s_i = u_i * exp(beta (k/N -
/// duty_i)) evaluated in the same order.
struct BoostKeys {
  const float *u;
  const float *duty;
  float beta;
  float target;
  uint32_t operator()(int64_t i) const {
    return boostedKey(u[i], duty[i], beta, target);
  }
};

struct StoredKeys {
  const uint32_t *keys;
  uint32_t operator()(int64_t i) const { return keys[i]; }
};

/// Histogram of digit `shift`/`digits` over the keys that match prefix/mask,
/// then the digit of the `remaining`-th largest of them (updating
/// `remaining` to its rank within that digit's bucket).
template <class Keys>
uint32_t selectDigit(Keys key, int64_t n, int shift, uint32_t digits,
                     uint32_t mask, uint32_t prefix, int64_t &remaining) {
  uint32_t hist[2048];
  for (uint32_t b = 0; b <= digits; ++b)
    hist[b] = 0;
  if (mask == 0) {
    // Two interleaved histograms: consecutive keys often share a bucket,
    // and one histogram would serialize on its counter.
    uint32_t hist2[2048];
    for (uint32_t b = 0; b <= digits; ++b)
      hist2[b] = 0;
    int64_t i = 0;
    for (; i + 2 <= n; i += 2) {
      ++hist[(key(i) >> shift) & digits];
      ++hist2[(key(i + 1) >> shift) & digits];
    }
    if (i < n)
      ++hist[(key(i) >> shift) & digits];
    for (uint32_t b = 0; b <= digits; ++b)
      hist[b] += hist2[b];
  } else {
    for (int64_t i = 0; i < n; ++i) {
      const uint32_t kv = key(i);
      if ((kv & mask) == prefix)
        ++hist[(kv >> shift) & digits];
    }
  }
  uint32_t b = digits;
  while (static_cast<int64_t>(hist[b]) < remaining) {
    remaining -= hist[b];
    --b;
  }
  return b;
}

/// Calls visit(i, key(i)) for every i ascending with hit(key(i)). Scans
/// blocks of 16 keys with a branch-free test first: in top-k selection most
/// blocks hold no hit and are skipped whole.
template <class Keys, class Hit, class Visit>
void forEachBlockWith(Keys key, int64_t n, Hit hit, Visit visit) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    uint32_t any = 0;
    for (int l = 0; l < 16; ++l)
      any |= static_cast<uint32_t>(hit(key(i + l)));
    if (any == 0)
      continue;
    for (int l = 0; l < 16; ++l) {
      const uint32_t kv = key(i + l);
      if (hit(kv))
        visit(i + l, kv);
    }
  }
  for (; i < n; ++i) {
    const uint32_t kv = key(i);
    if (hit(kv))
      visit(i, kv);
  }
}

/// Writes the k indices of the largest keys (ties: lower index) ascending.

/// `candidates` (null or room for n keys) receives the keys that survive the
/// first radix pass, so the other two passes only scan those.
template <class Keys>
void selectTopK(Keys key, int64_t n, int64_t k, int32_t *idx,
                uint32_t *candidates) {
  if (k >= n) {
    for (int64_t i = 0; i < n; ++i)
      idx[i] = static_cast<int32_t>(i);
    return;
  }
  // Radix select of T, the k-th largest key: digits of 11, 11 and 10 bits
  // from the top; `remaining` is T's rank among the keys sharing the digits
  // found so far.
  int64_t remaining = k;
  const uint32_t top = selectDigit(key, n, 21, 0x7ffu, 0, 0, remaining);
  uint32_t prefix = top << 21, mask = 0x7ffu << 21;
  uint32_t low;
  if (candidates) {
    int64_t m = 0;
    forEachBlockWith(
        key, n, [top](uint32_t kv) { return (kv >> 21) == top; },
        [&](int64_t, uint32_t kv) { candidates[m++] = kv; });
    const StoredKeys cand{candidates};
    const uint32_t mid =
        selectDigit(cand, m, 10, 0x7ffu, mask, prefix, remaining);
    prefix |= mid << 10;
    mask |= 0x7ffu << 10;
    low = selectDigit(cand, m, 0, 0x3ffu, mask, prefix, remaining);
  } else {
    const uint32_t mid =
        selectDigit(key, n, 10, 0x7ffu, mask, prefix, remaining);
    prefix |= mid << 10;
    mask |= 0x7ffu << 10;
    low = selectDigit(key, n, 0, 0x3ffu, mask, prefix, remaining);
  }
  // Every key above T wins, and the `remaining` lowest-indexed keys equal
  // to T.
  const uint32_t threshold = prefix | low;
  int64_t equalLeft = remaining;
  int64_t j = 0;
  forEachBlockWith(
      key, n, [threshold](uint32_t kv) { return kv >= threshold; },
      [&](int64_t i, uint32_t kv) {
        if (kv > threshold) {
          idx[j++] = static_cast<int32_t>(i);
        } else if (equalLeft > 0) {
          --equalLeft;
          idx[j++] = static_cast<int32_t>(i);
        }
      });
}

//===----------------------------------------------------------------------===//
// Sampled threshold (the fast path)
//===----------------------------------------------------------------------===//
//
// For k much smaller than N most keys lose, and a 3-pass radix select over
// all N keys costs several passes of scattered histogram updates. Instead:
//  1. a sample of 1024 keys (128 runs of 8) gives a threshold T0 that about
//     2k + 8N/1024 keys reach (the sample's rank-(2 k m / N + 8) key, so it
//     errs toward more candidates);
//  2. ONE pass over the N scores (the ISA table's kwtaCandidates: 8 keys per
//     AVX2 compare) keeps the (key, index) pairs with key >= T0, in
//     ascending index order;
//  3. if at least k keys passed, the k-th largest key T overall is among
//     them (T >= T0), found by a histogram of the candidates' key range
//     and a min-heap over the one bucket that holds it,
//     and the winners are emitted from the candidates exactly as from all
//     keys (key > T, then the lowest-indexed keys == T). Otherwise (a rare
//     unlucky sample) the full radix select runs.
// The selection is the same set, in the same order: bit-identical.

constexpr int64_t kSample = 1024;

/// Whether the sampled path is worth it: many more losers than winners.
bool useSampling(int64_t n, int64_t k) { return n >= 2048 && k * 8 <= n; }

/// The rank-th largest (1 <= rank <= m) of keys[0, m): a min-heap of the
/// `rank` largest keys seen so far (in `heap`, rank words). After the heap
/// fills, a key enters only if it beats the heap's minimum, which is rare
/// and predictable when rank << m.
uint32_t kthLargest(const uint32_t *keys, int64_t m, int64_t rank,
                    uint32_t *heap) {
  int64_t size = 0;
  for (int64_t i = 0; i < m; ++i) {
    const uint32_t v = keys[i];
    if (size < rank) { // sift up
      int64_t at = size++;
      while (at > 0 && heap[(at - 1) / 2] > v) {
        heap[at] = heap[(at - 1) / 2];
        at = (at - 1) / 2;
      }
      heap[at] = v;
    } else if (v > heap[0]) { // replace the minimum, sift down
      int64_t at = 0;
      for (;;) {
        int64_t child = 2 * at + 1;
        if (child >= size)
          break;
        if (child + 1 < size && heap[child + 1] < heap[child])
          ++child;
        if (heap[child] >= v)
          break;
        heap[at] = heap[child];
        at = child;
      }
      heap[at] = v;
    }
  }
  return heap[0];
}

/// The rank-th largest (1 <= rank <= m) of keys[0, m), all >= lo: one
/// histogram of (key - lo) >> shift over at most 2048 buckets (shift set so
/// the keys' span fits) finds the bucket holding it, then kthLargest() runs
/// over that bucket's few keys only. `bucket` and `heap` have room for m
/// keys each.
uint32_t kthLargestInRange(const uint32_t *keys, int64_t m, int64_t rank,
                           uint32_t lo, uint32_t *bucket, uint32_t *heap) {
  uint32_t hi = lo;
  for (int64_t i = 0; i < m; ++i)
    hi = keys[i] > hi ? keys[i] : hi;
  int shift = 0;
  while (((hi - lo) >> shift) >= 2048u)
    ++shift;
  const uint32_t top = (hi - lo) >> shift;
  uint32_t hist[2048];
  for (uint32_t b = 0; b <= top; ++b)
    hist[b] = 0;
  for (int64_t i = 0; i < m; ++i)
    ++hist[(keys[i] - lo) >> shift];
  uint32_t b = top;
  while (static_cast<int64_t>(hist[b]) < rank) {
    rank -= hist[b];
    --b;
  }
  int64_t inBucket = 0;
  for (int64_t i = 0; i < m; ++i) {
    bucket[inBucket] = keys[i];
    inBucket += static_cast<int64_t>(((keys[i] - lo) >> shift) == b);
  }
  return kthLargest(bucket, inBucket, rank, heap);
}

/// T0 for keys `key` (see above): the rank-r largest key of the sample,
/// r = 2 k m / N + 8. Needs n >= 1024.
template <class Keys> uint32_t sampleThreshold(Keys key, int64_t n, int64_t k) {
  uint32_t sample[kSample], bucket[kSample], heap[kSample];
  uint32_t lo = 0xffffffffu;
  // 128 runs of 8 consecutive keys spread over [0, n): 1024 keys from at
  // most 256 cache lines.
  for (int64_t s = 0; s < kSample; ++s) {
    sample[s] = key((s / 8) * (n / 128) + s % 8);
    lo = sample[s] < lo ? sample[s] : lo;
  }
  int64_t rank = 2 * ((k * kSample + n - 1) / n) + 8;
  if (rank > kSample)
    rank = kSample;
  return kthLargestInRange(sample, kSample, rank, lo, bucket, heap);
}

/// Candidates among stored keys (the boosted path): generic.
int64_t storedCandidates(const uint32_t *keys, int64_t n, uint32_t t0,
                         uint32_t *candKeys, int32_t *candIdx) {
  int64_t c = 0;
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    uint32_t any = 0;
    for (int l = 0; l < 16; ++l)
      any |= static_cast<uint32_t>(keys[i + l] >= t0);
    if (!any)
      continue;
    for (int l = 0; l < 16; ++l)
      if (keys[i + l] >= t0) {
        candKeys[c] = keys[i + l];
        candIdx[c++] = static_cast<int32_t>(i + l);
      }
  }
  for (; i < n; ++i)
    if (keys[i] >= t0) {
      candKeys[c] = keys[i];
      candIdx[c++] = static_cast<int32_t>(i);
    }
  return c;
}

/// The k winners among c >= k candidates (ascending indices, every key >=
/// t0), written to idx ascending. `work` and `heap` have room for c keys.
void selectFromCandidates(const uint32_t *candKeys, const int32_t *candIdx,
                          int64_t c, int64_t k, uint32_t t0, int32_t *idx,
                          uint32_t *work, uint32_t *heap) {
  const uint32_t threshold =
      kthLargestInRange(candKeys, c, k, t0, work, heap);
  // Every key above T wins, and the `remaining` lowest-indexed keys equal
  // to T; branch-free (whether a candidate wins is unpredictable).
  int64_t remaining = k;
  for (int64_t i = 0; i < c; ++i)
    remaining -= static_cast<int64_t>(candKeys[i] > threshold);
  int64_t j = 0;
  for (int64_t i = 0; i < c && j < k; ++i) {
    const uint32_t kv = candKeys[i];
    const int64_t tie = static_cast<int64_t>(kv == threshold) &
                        static_cast<int64_t>(remaining > 0);
    idx[j] = candIdx[i];
    j += static_cast<int64_t>(kv > threshold) | tie;
    remaining -= tie;
  }
}

/// duty'_i = duty_i + (1[i in idx] - duty_i) / T, journaled and guarded.
void updateDuty(anima_step_context *ctx, float *duty, int64_t n,
                const int32_t *idx, int64_t k, float period) {
  // The rate p/period is applied as a division by period/p, so p == 1 rounds
  // exactly like the reference (x / 1 == x).
  const float T = period / ctx->plasticity;
  const uint64_t bytes = static_cast<uint64_t>(n) * sizeof(float);
  if (!reserveJournal(ctx, recordBytes(bytes)))
    return;
  Journal journal(ctx);
  float *__restrict old = static_cast<float *>(journal.open(duty, bytes));
  float *__restrict out = duty;
  uint32_t flag = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float d = out[i];
    old[i] = d;
    const float nd = d + (0.0f - d) / T;
    out[i] = nd;
    flag |= nonfiniteTerm(nd);
  }
  uint32_t winnerFlag = 0;
  for (int64_t j = 0; j < k; ++j) {
    const int64_t i = idx[j];
    const float nd = old[i] + (1.0f - old[i]) / T;
    out[i] = nd;
    winnerFlag |= nonfiniteTerm(nd);
  }
  if (isNonfinite(flag | winnerFlag)) {
    // Rare: the first sweep also flagged the winners' overwritten values, so
    // decide on the values actually written.
    bool bad = false;
    for (int64_t i = 0; i < n; ++i)
      bad |= !isFiniteF(out[i]);
    if (bad) {
      journal.refuse();
      return;
    }
  }
  journal.commit();
}

} // namespace

ANIMA_UK_API void anima_uk_kwta(anima_step_context *ctx, const float *u,
                                int64_t n, float *duty, int64_t k, int32_t mode,
                                float beta, float tau, float period,
                                int32_t *idx, float *val) {
  if (n <= 0 || k <= 0)
    return;
  if (k > n)
    k = n;

  // Boosting is part of inference, not learning: beta is NOT scaled by the
  // plasticity (a frozen model still boosts with its frozen duty cycles).
  const bool boost = duty && beta != 0.0f;
  const float target = static_cast<float>(k) / static_cast<float>(n);
  const BoostKeys boosted{u, duty, beta, target};
  // Scratch: n keys, then n candidate keys, n candidate indices and n words
  // of work (the full radix select uses the second block for its
  // candidates).
  const uint64_t nWords = static_cast<uint64_t>(n);
  auto *keys =
      static_cast<uint32_t *>(scratch(4 * nWords * sizeof(uint32_t)));
  if (keys) {
    uint32_t *candKeys = keys + n, *work = keys + 3 * n;
    auto *candIdx = reinterpret_cast<int32_t *>(keys + 2 * n);
    bool selected = false, keysStored = false;
    if (boost) {
      isa().boostedKeys(u, duty, n, beta, target, keys);
      keysStored = true;
    }
    if (useSampling(n, k)) {
      int64_t c;
      uint32_t t0;
      if (boost) {
        t0 = sampleThreshold(StoredKeys{keys}, n, k);
        c = storedCandidates(keys, n, t0, candKeys, candIdx);
      } else {
        t0 = sampleThreshold(PlainKeys{u}, n, k);
        c = isa().kwtaCandidates(u, n, t0, candKeys, candIdx);
      }
      if (c >= k) {
        // The stored keys are no longer needed: their room is the heap.
        selectFromCandidates(candKeys, candIdx, c, k, t0, idx, work, keys);
        selected = true;
      }
    }
    if (!selected) {
      if (!keysStored)
        for (int64_t i = 0; i < n; ++i)
          keys[i] = rankKey(u[i]);
      selectTopK(StoredKeys{keys}, n, k, idx, keys + n);
    }
  } else if (boost) {
    selectTopK(boosted, n, k, idx, nullptr);
  } else {
    selectTopK(PlainKeys{u}, n, k, idx, nullptr);
  }

  switch (mode) {
  case ANIMA_KWTA_BINARY: {
    const float v = 1.0f / sqrtF(static_cast<float>(k));
    for (int64_t j = 0; j < k; ++j)
      val[j] = v;
    break;
  }
  case ANIMA_KWTA_SOFTMAX: {
    // The reference's softmax of z_j = u[idx_j] / tau, in place in val.
    for (int64_t j = 0; j < k; ++j)
      val[j] = u[idx[j]] / tau;
    float m = val[0];
    for (int64_t j = 1; j < k; ++j)
      if (val[j] > m)
        m = val[j];
    float sum = 0.0f;
    for (int64_t j = 0; j < k; ++j) {
      val[j] = expF(val[j] - m);
      sum += val[j];
    }
    for (int64_t j = 0; j < k; ++j)
      val[j] = val[j] / sum;
    break;
  }
  default: // ANIMA_KWTA_VALUE (an unknown mode behaves like it)
    for (int64_t j = 0; j < k; ++j)
      val[j] = u[idx[j]];
    break;
  }

  if (duty && period > 0.0f && mayWrite(ctx))
    updateDuty(ctx, duty, n, idx, k, period);
}
