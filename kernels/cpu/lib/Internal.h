//===- Internal.h - Shared helpers of the CPU microkernels ------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Included FIRST by every microkernel source. The microkernels are linked into
// every compiled model, so they depend on nothing but a few C library
// functions (expf, sqrtf, malloc, free, memcpy, memset): no exceptions, RTTI,
// iostreams or libstdc++. The same sources are cross-compiled for aarch64
// with -ffreestanding and no libc headers at all, so this header declares
// what it needs itself in that mode and uses compiler builtins otherwise.
//
// Floating point: the kernels are compiled with -ffp-contract=off (no fused
// multiply-add) so that every elementwise formula rounds exactly like the
// reference kernels, and the results do not depend on the target. Dot
// products use kLanes independent partial sums combined by a fixed tree (see
// dot()), so they vectorize without -ffast-math and are still deterministic:
// the same order on every target and at every vector width.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_KERNELS_CPU_LIB_INTERNAL_H
#define ANIMA_KERNELS_CPU_LIB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#if __STDC_HOSTED__
#include <stdlib.h>
#else
// Freestanding cross build: no libc headers exist; the model's shared library
// is linked against the target's libc, which provides these.
extern "C" {
void *malloc(size_t size);
void free(void *ptr);
}
#endif

// The ABI entry points are the only symbols with default visibility; the
// build uses -fvisibility=hidden for everything else.
#pragma GCC visibility push(default)
#include "anima/abi.h"
#pragma GCC visibility pop
#include "anima/ExpF.h" // inline helpers: hidden like the rest

#define ANIMA_UK_API extern "C" __attribute__((visibility("default")))

namespace anima_uk {

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

/// The project's exp (anima/ExpF.h): the same bits as the reference's.
inline float expF(float x) { return anima::expF32(x); }
inline float sqrtF(float x) { return __builtin_sqrtf(x); }

inline uint32_t bitsOf(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, sizeof u);
  return u;
}

/// Non-finite accumulator: `flag |= nonfiniteTerm(v)` over many values, then
/// isNonfinite(flag). The exponent field plus one LSB of it carries into bit
/// 31 exactly when the exponent is all ones (Inf or NaN). Plain integer ops,
/// so loops that accumulate it still vectorize.
inline uint32_t nonfiniteTerm(float v) {
  return (bitsOf(v) & 0x7f800000u) + 0x00800000u;
}
inline bool isNonfinite(uint32_t flag) { return (flag & 0x80000000u) != 0; }
inline bool isFiniteF(float v) { return !isNonfinite(nonfiniteTerm(v)); }

/// kwta's order-preserving key: key(a) > key(b) iff a ranks before b, for
/// all non-NaN a, b; every NaN maps to 0 (below -inf); -0 maps like +0.
inline uint32_t rankKey(float s) {
  // Branch-free (scores are random, branches would mispredict): negative
  // non-zero values flip every bit, the rest set the sign bit; NaN -> 0.
  const uint32_t b = bitsOf(s);
  const uint32_t mag = b & 0x7fffffffu;
  const uint32_t negative = 0u - ((b >> 31) & static_cast<uint32_t>(mag != 0));
  const uint32_t key = (mag | 0x80000000u) ^ negative;
  return key & (0u - static_cast<uint32_t>(mag <= 0x7f800000u));
}

/// kwta's candidate test for `count` keys of the scores at [i, i + count):
/// appends (key, index) to (keys, idx) at c for every key >= t0, ascending;
/// returns the new count. The blocks of the portable and NEON passes and
/// the scalar tail of every level's pass.
inline int64_t appendCandidates(const uint32_t *blockKeys, int64_t count,
                                int64_t i, uint32_t t0, uint32_t *keys,
                                int32_t *idx, int64_t c) {
  for (int64_t l = 0; l < count; ++l)
    if (blockKeys[l] >= t0) {
      keys[c] = blockKeys[l];
      idx[c++] = static_cast<int32_t>(i + l);
    }
  return c;
}

/// The key of one boosted score, the reference's s = u * exp(beta (k/N -
/// duty)) evaluated in the same order.
inline uint32_t boostedKey(float u, float duty, float beta, float target) {
  return rankKey(u * expF(beta * (target - duty)));
}

/// kwta's boosted keys of [i, n) one at a time (the portable levels, and the
/// tail of the AVX2 loop).
inline void boostedKeysFrom(const float *u, const float *duty, int64_t i,
                            int64_t n, float beta, float target,
                            uint32_t *keys) {
  for (; i < n; ++i)
    keys[i] = boostedKey(u[i], duty[i], beta, target);
}

/// The table entry of the portable levels (Generic, NEON).
inline void boostedKeysScalar(const float *u, const float *duty, int64_t n,
                              float beta, float target, uint32_t *keys) {
  boostedKeysFrom(u, duty, 0, n, beta, target, keys);
}

/// The scores [i, n) one at a time (a pass's tail).
inline int64_t appendCandidateTail(const float *u, int64_t i, int64_t n,
                                   uint32_t t0, uint32_t *keys, int32_t *idx,
                                   int64_t c) {
  for (; i < n; ++i) {
    const uint32_t key = rankKey(u[i]);
    c = appendCandidates(&key, 1, i, t0, keys, idx, c);
  }
  return c;
}

//===----------------------------------------------------------------------===//
// Dot products
//===----------------------------------------------------------------------===//

/// Number of independent partial sums of a dot product. Element c goes to
/// lane c % kLanes (elements in ascending order within a lane); the lanes are
/// then added by the fixed tree of Lanes::finish(). 16 lanes are 4 vectors of
/// 4 (SSE/NEON registers). Compared with the reference's left-to-right sum
/// the result differs only by reassociation: |dot - ref| <= 2 d u sum|a_c b_c|.
///
/// The lanes are written with the compilers' generic vector extension (no
/// target intrinsics, no headers): GCC and Clang lower it to SSE or NEON, and
/// the lane arithmetic is exactly the scalar definition above, so the result
/// is the same on every target. (Left to the auto-vectorizer, Clang's SLP
/// pass packs these 16 scalar lanes into 2-wide NEON operations.)
constexpr int kLanes = 16;

typedef float F4 __attribute__((vector_size(16)));

inline F4 loadF4(const float *p) {
  F4 v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

/// The 16 lanes as 4 vectors; lane l is element l % 4 of v[l / 4].
struct Lanes {
  F4 v[4] = {};

  /// Folds the lanes into one value: first the `count` (< 16) scalar
  /// products of the tail, then a fixed pairwise tree.
  template <class Term> float finish(Term term, int64_t count) {
    float acc[kLanes];
    __builtin_memcpy(acc, v, sizeof acc);
    for (int l = 0; l < count; ++l)
      acc[l] += term(l);
    for (int w = kLanes / 2; w > 0; w /= 2)
      for (int l = 0; l < w; ++l)
        acc[l] += acc[l + w];
    return acc[0];
  }
};

/// Element accessors for the templates below and the update loops: the
/// element c, and the 4 elements from c as a vector (same values).
struct ArrayRef {
  const float *p;
  float operator()(int64_t c) const { return p[c]; }
  F4 vec(int64_t c) const { return loadF4(p + c); }
};
/// x[c] / norm, computed on the fly (the reference's l2normalize element).
struct DivRef {
  const float *p;
  float norm;
  float operator()(int64_t c) const { return p[c] / norm; }
  F4 vec(int64_t c) const { return loadF4(p + c) / norm; }
};

/// sum_c (s * a[c]) * b(c) in the lanes. With s == 1 it equals dot(a, b) bit
/// for bit (1 * x == x).
template <class B>
inline float dotScaled(const float *__restrict a, float s, B b, int64_t n) {
  Lanes lanes;
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int g = 0; g < 4; ++g)
      lanes.v[g] += (s * loadF4(a + i + 4 * g)) * b.vec(i + 4 * g);
  return lanes.finish([&](int l) { return (s * a[i + l]) * b(i + l); }, n - i);
}

/// sum_c a[c] * b[c] in the lanes.
inline float dot(const float *__restrict a, const float *__restrict b,
                 int64_t n) {
  Lanes lanes;
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int g = 0; g < 4; ++g)
      lanes.v[g] += loadF4(a + i + 4 * g) * loadF4(b + i + 4 * g);
  return lanes.finish([&](int l) { return a[i + l] * b[i + l]; }, n - i);
}

/// sum_c a[c]^2 in the lanes.
inline float sumSquares(const float *__restrict a, int64_t n) {
  Lanes lanes;
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int g = 0; g < 4; ++g) {
      const F4 x = loadF4(a + i + 4 * g);
      lanes.v[g] += x * x;
    }
  return lanes.finish([&](int l) { return a[i + l] * a[i + l]; }, n - i);
}

/// The reference's l2norm: a left-to-right sum of squares, then sqrt. Used
/// where it runs once per call (key normalization), so results stay
/// bit-identical to the reference there.
inline float l2normSequential(const float *x, int64_t n) {
  float s = 0.0f;
  for (int64_t j = 0; j < n; ++j)
    s += x[j] * x[j];
  return sqrtF(s);
}

//===----------------------------------------------------------------------===//
// Plasticity and the undo journal
//===----------------------------------------------------------------------===//

/// True if a state-updating kernel may write state in this step: the step
/// has not been refused yet and learning is not frozen (p == 0 writes no
/// state at all, not even journal records).
inline bool mayWrite(const anima_step_context *ctx) {
  return ctx->status == ANIMA_STEP_OK && ctx->plasticity != 0.0f;
}

inline uint64_t pad8(uint64_t b) { return (b + 7u) & ~uint64_t(7); }

/// Bytes of one journal record header, padded to 8.
constexpr uint64_t kRecordHeader =
    (sizeof(anima_journal_record) + 7u) & ~uint64_t(7);

/// Bytes one record with `bytes` saved bytes occupies in the journal.
inline uint64_t recordBytes(uint64_t bytes) {
  return kRecordHeader + pad8(bytes);
}

/// Checks that `need` more journal bytes are available; otherwise sets
/// ctx->status = ANIMA_STEP_JOURNAL_OVERFLOW and returns false (the caller
/// then writes no state).
inline bool reserveJournal(anima_step_context *ctx, uint64_t need) {
  if (ctx->journal_used > ctx->journal_capacity ||
      ctx->journal_capacity - ctx->journal_used < need ||
      (need > 0 && !ctx->journal)) {
    ctx->status = ANIMA_STEP_JOURNAL_OVERFLOW;
    return false;
  }
  return true;
}

/// True if an ISA level may save `bytes` old bytes at `data` with
/// non-temporal stores: the AVX2 row loops stream blocks of 16 floats into
/// 16-byte-aligned records (isa/Avx2.cpp, saveOld16); the journal writer
/// streams the record's header exactly then.
inline bool streamsSavedBytes(const void *data, uint64_t bytes) {
  return bytes >= 16 * sizeof(float) &&
         (reinterpret_cast<uintptr_t>(data) & 15u) == 0;
}

/// Orders the non-temporal stores an ISA level may use to fill journal
/// records (x86-64 AVX2) before anything that follows: the restore of a
/// refused call and whoever reads the journal after the call returns.
inline void storeFence() {
#if defined(__x86_64__)
  __asm__ __volatile__("sfence" ::: "memory");
#endif
}

/// Appends the records of one kernel call. The caller has reserved the space
/// with reserveJournal() first. Every record of one call covers a region
/// disjoint from the others, so they can be undone in any order.
class Journal {
public:
  explicit Journal(anima_step_context *ctx)
      : ctx_(ctx), base_(ctx->journal), start_(ctx->journal_used),
        pos_(ctx->journal_used) {}

  /// Appends a record for `bytes` bytes at dst and returns its data area,
  /// which the caller fills with the old bytes BEFORE overwriting dst.
  /// `streamed`: the caller fills the data with an ISA row loop that
  /// streams (IsaKernels::streamsJournal), so the header is streamed too
  /// when the record qualifies (streamsSavedBytes).
  void *open(void *dst, uint64_t bytes, bool streamed = false) {
    uint8_t *at = base_ + pos_;
    writeHeader(at, dst, bytes, streamed);
    zeroPadding(at + kRecordHeader, bytes);
    pos_ += recordBytes(bytes);
    return at + kRecordHeader;
  }

  /// Appends a record and copies the old bytes of dst into it.
  void save(void *dst, uint64_t bytes) {
    __builtin_memcpy(open(dst, bytes), dst, bytes);
  }

  /// A record that grows as consecutive chunks of dst are saved (one record
  /// for a whole matrix saved row by row): openGrowing() starts it empty,
  /// grow(n) extends it by the next n bytes and returns where those old bytes
  /// go. At any time the record describes exactly the bytes saved so far, so
  /// refuse() is correct mid-way.
  void openGrowing(void *dst) {
    growing_ = pos_;
    auto *rec = reinterpret_cast<anima_journal_record *>(base_ + pos_);
    rec->dst = dst;
    rec->bytes = 0;
    pos_ += kRecordHeader;
  }
  void *grow(uint64_t bytes) {
    auto *rec = reinterpret_cast<anima_journal_record *>(base_ + growing_);
    uint8_t *data = base_ + growing_ + kRecordHeader + rec->bytes;
    rec->bytes += bytes;
    zeroPadding(base_ + growing_ + kRecordHeader, rec->bytes);
    pos_ = growing_ + recordBytes(rec->bytes);
    return data;
  }

  /// Success: the records become part of the step's journal. Streamed
  /// records may still sit in write-combining buffers: the same thread sees
  /// them in order (refuse(), the runtime's undo), and the runtime fences
  /// once per step before it returns to its caller, so a hand-off of the
  /// model to another thread sees them too (a fence per call here cost 20%
  /// of the fused plastic step, which calls once per tile).
  void commit() { ctx_->journal_used = pos_; }

  /// A value to be written is not finite: restores every byte this call
  /// overwrote, drops its records and refuses the step.
  void refuse() {
    storeFence();
    uint64_t at = start_;
    while (at < pos_) {
      const auto *rec =
          reinterpret_cast<const anima_journal_record *>(base_ + at);
      __builtin_memcpy(rec->dst, base_ + at + kRecordHeader, rec->bytes);
      at += recordBytes(rec->bytes);
    }
    ctx_->journal_used = start_;
    ctx_->status = ANIMA_STEP_NONFINITE;
  }

private:
  /// A record's header. When an ISA row loop streams the record's saved
  /// bytes (`streamed` and streamsSavedBytes), the header is streamed too (movnti: SSE2, so
  /// every x86-64 CPU): a plain store into a line that is being streamed
  /// would pull the line into the cache and evict it again, once per record
  /// -- slower than no streaming at all. Records too short to be streamed
  /// (a matrix of 1-column rows) keep plain stores for the same reason. The
  /// same thread reads its own non-temporal stores in program order, so
  /// refuse() and the runtime's undo see the header.
  static void writeHeader(uint8_t *at, void *dst, uint64_t bytes,
                          bool streamed) {
#if defined(__x86_64__)
    if (!streamed || !streamsSavedBytes(at + kRecordHeader, bytes)) {
      auto *rec = reinterpret_cast<anima_journal_record *>(at);
      rec->dst = dst;
      rec->bytes = bytes;
      return;
    }
    long long words[2];
    static_assert(sizeof(anima_journal_record) == sizeof words,
                  "a journal record header is two 8-byte words");
    anima_journal_record rec{dst, bytes};
    __builtin_memcpy(words, &rec, sizeof words);
    __builtin_ia32_movnti64(reinterpret_cast<long long *>(at), words[0]);
    __builtin_ia32_movnti64(reinterpret_cast<long long *>(at + 8), words[1]);
#else
    (void)streamed;
    auto *rec = reinterpret_cast<anima_journal_record *>(at);
    rec->dst = dst;
    rec->bytes = bytes;
#endif
  }

  /// Zeroes the padding after `bytes` saved bytes with one 8-byte store into
  /// the last word of the padded area (the saved bytes are written after).
  static void zeroPadding(uint8_t *data, uint64_t bytes) {
    if (bytes & 7u) {
      const uint64_t zero = 0;
      __builtin_memcpy(data + pad8(bytes) - 8, &zero, sizeof zero);
    }
  }

  anima_step_context *ctx_;
  uint8_t *base_;
  uint64_t start_;
  uint64_t pos_;
  uint64_t growing_ = 0;
};

//===----------------------------------------------------------------------===//
// Scratch
//===----------------------------------------------------------------------===//

/// Returns a per-thread scratch buffer of at least `bytes` bytes (64-byte
/// aligned), or null if it cannot be allocated. The buffer grows (never
/// shrinks) and is reused by every later call on the thread, so a model
/// allocates at most once per thread and size. Each kernel has a slower path
/// without scratch for the null case. Only one user at a time: a kernel must
/// not call another kernel while it holds the buffer.
void *scratch(uint64_t bytes);

} // namespace anima_uk

#endif // ANIMA_KERNELS_CPU_LIB_INTERNAL_H
