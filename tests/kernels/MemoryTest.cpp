//===- MemoryTest.cpp - mem_read, mem_write, fused_mem_step --------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Exactness:
//  * sparse query / sparse key: the kernels sum over the key's entries in the
//    reference's order and apply the same elementwise formulas: bit-exact.
//  * dense mem_write with gamma == 0: no dot product is involved: bit-exact.
//  * dense dot products (mem_read, the retrieval r = gamma R k with gamma !=
//    0): 16-lane sums, compared within the reassociation bound. For the write
//    the bound is propagated through e_r = beta (v_r - gamma acc_r) and
//    S'[r,c] = alpha S[r,c] + e_r kn_c (see writeTolerance()).
//  * fused_mem_step equals mem_read followed by mem_write of the same
//    microkernels bit for bit (same lanes, same order).
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtil.h"

#include "anima/kernels/reference/Reference.h"

using namespace anima::uktest;
namespace ref = anima::ref;

namespace {

struct MemArgs {
  std::int64_t dv = 1, dk = 1;
  std::vector<float> S;
  std::vector<float> key;         // dk entries (dense) or kk (sparse)
  std::vector<std::int32_t> kidx; // used if sparse
  bool sparse = false;
  std::vector<float> v;
  float alpha = 1, beta = 1, gamma = 0;
  bool readFirst = false, normalize = false;

  std::int32_t flags() const {
    return (readFirst ? ANIMA_MEM_READ_FIRST : 0) |
           (normalize ? ANIMA_MEM_NORMALIZE_KEY : 0);
  }
  std::int64_t kk() const { return static_cast<std::int64_t>(key.size()); }
  const std::int32_t *kidxPtr() const { return sparse ? kidx.data() : nullptr; }
  std::uint64_t journalBytes(float p) const {
    return anima_uk_journal_bytes_mem_write(dv, dk, kidxPtr(), kk(),
                                            scaledAlpha(alpha, p));
  }
};

struct MemResult {
  std::vector<float> S;
  std::vector<float> o;
  std::uint64_t journalUsed = 0;
  std::uint32_t status = 0;
  std::vector<std::uint8_t> journal;
};

/// Runs mem_write (or fused_mem_step) with a journal of exactly the bytes it
/// needs, and checks that undoing the journal restores S.
MemResult runKernel(const MemArgs &a, float p, bool fused) {
  Step step(a.journalBytes(p), p);
  MemResult r;
  r.S = a.S;
  if (fused) {
    r.o.assign(static_cast<std::size_t>(a.dv), NAN);
    anima_uk_fused_mem_step(&step.ctx, r.S.data(), a.dv, a.dk, a.key.data(),
                            a.kidxPtr(), a.kk(), a.v.data(), a.alpha, a.beta,
                            a.gamma, a.flags(), r.o.data());
  } else {
    anima_uk_mem_write(&step.ctx, r.S.data(), a.dv, a.dk, a.key.data(),
                       a.kidxPtr(), a.kk(), a.v.data(), a.alpha, a.beta,
                       a.gamma, a.flags());
  }
  r.journalUsed = step.ctx.journal_used;
  r.status = step.ctx.status;
  r.journal = step.journalBytes(r.S.data());
  const std::vector<float> after = r.S;
  // Undo writes through the recorded dst pointers, i.e. into r.S.
  step.undo();
  EXPECT_TRUE(bitEqual(r.S, a.S)) << "journal undo";
  r.S = after;
  return r;
}

/// The key as the reference uses it (normalized if asked).
std::vector<float> normalizedKey(const MemArgs &a) {
  std::vector<float> kn = a.key;
  if (a.normalize)
    ref::l2normalize(kn.data(), a.kk(), kn.data());
  return kn;
}

/// The reference: o = S key (old S), then the write with alpha' and beta'.
MemResult runReference(const MemArgs &a, float p) {
  MemResult r;
  r.S = a.S;
  r.o.assign(static_cast<std::size_t>(a.dv), NAN);
  if (a.sparse)
    EXPECT_TRUE(ref::mem_read_sparse(a.S.data(), a.dv, a.dk, a.kidx.data(),
                                     a.key.data(), a.kk(), r.o.data()));
  else
    EXPECT_TRUE(
        ref::mem_read(a.S.data(), a.dv, a.dk, a.key.data(), r.o.data()));
  if (p == 0.0f)
    return r;
  ref::MemWriteParams params;
  params.alpha = scaledAlpha(a.alpha, p);
  params.beta = a.beta * p;
  params.gamma = a.gamma;
  params.decay_first = !a.readFirst;
  params.normalize_k = a.normalize;
  if (a.sparse)
    EXPECT_TRUE(ref::mem_write_sparse(r.S.data(), a.dv, a.dk, a.kidx.data(),
                                      a.key.data(), a.kk(), a.v.data(),
                                      params));
  else
    EXPECT_TRUE(ref::mem_write(r.S.data(), a.dv, a.dk, a.key.data(), a.v.data(),
                               params));
  return r;
}

/// Tolerance of S' for a dense key with gamma != 0. acc_r = sum_c R_c kn_c
/// differs from the reference by at most A_r = dotTol(dk, sum|R_c kn_c|);
/// e_r = beta' (v_r - gamma acc_r) then differs by beta' gamma A_r plus the
/// rounding of the two operations on different inputs (4u each side), and
/// S'[r,c] = alpha' S + e_r kn_c by |kn_c| times that plus its own rounding.
std::vector<double> writeTolerance(const MemArgs &a, float p) {
  const float alpha = scaledAlpha(a.alpha, p);
  const float beta = a.beta * p;
  const float alphaR = a.readFirst ? 1.0f : alpha;
  const std::vector<float> kn = normalizedKey(a);
  std::vector<double> tol(a.S.size());
  for (std::int64_t r = 0; r < a.dv; ++r) {
    double acc = 0, abs = 0;
    for (std::int64_t c = 0; c < a.dk; ++c) {
      const double term =
          static_cast<double>(alphaR * a.S[r * a.dk + c]) * kn[c];
      acc += term;
      abs += std::fabs(term);
    }
    const double e = static_cast<double>(beta) * (a.v[r] - a.gamma * acc);
    const double tolE =
        std::fabs(beta) *
            (std::fabs(a.gamma) * dotTol(a.dk, abs) +
             4 * kU * (std::fabs(a.v[r]) + std::fabs(a.gamma * acc))) +
        4 * kU * std::fabs(e);
    for (std::int64_t c = 0; c < a.dk; ++c)
      tol[r * a.dk + c] =
          tolE * std::fabs(kn[c]) +
          4 * kU *
              (std::fabs(alpha * a.S[r * a.dk + c]) + std::fabs(e * kn[c])) +
          1e-37;
  }
  return tol;
}

std::vector<double> readTolerance(const MemArgs &a) {
  std::vector<double> tol;
  for (std::int64_t r = 0; r < a.dv; ++r) {
    double abs = 0;
    for (std::int64_t c = 0; c < a.dk; ++c)
      abs += std::fabs(static_cast<double>(a.S[r * a.dk + c]) * a.key[c]);
    tol.push_back(dotTol(a.dk, abs));
  }
  return tol;
}

MemArgs makeArgs(std::mt19937 &rng, std::int64_t dv, std::int64_t dk,
                 int keyKind) {
  MemArgs a;
  a.dv = dv;
  a.dk = dk;
  a.S = uniform(rng, static_cast<std::size_t>(dv * dk), -1, 1);
  a.v = uniform(rng, static_cast<std::size_t>(dv), -1, 1);
  switch (keyKind) {
  case 0: // dense
    a.key = uniform(rng, static_cast<std::size_t>(dk), -1, 1);
    break;
  case 1:   // sparse, one entry
  case 2:   // sparse, about a third of the columns
  case 3: { // sparse, every column (one run)
    const std::int64_t kk = keyKind == 1 ? 1 : keyKind == 2 ? (dk + 2) / 3 : dk;
    a.sparse = true;
    a.kidx = indexSet(rng, dk, kk);
    a.key = uniform(rng, static_cast<std::size_t>(kk), 0.1f, 1);
    break;
  }
  case 4: { // sparse, two runs of consecutive columns
    a.sparse = true;
    for (std::int64_t c = 0; c < dk; ++c)
      if (c < (dk + 2) / 3 || c >= dk - dk / 4)
        a.kidx.push_back(static_cast<std::int32_t>(c));
    a.key = uniform(rng, a.kidx.size(), -1, 1);
    break;
  }
  }
  return a;
}

void checkAgainstReference(const MemArgs &a, float p) {
  const MemResult want = runReference(a, p);
  const MemResult got = runKernel(a, p, /*fused=*/false);
  const MemResult fused = runKernel(a, p, /*fused=*/true);
  ASSERT_EQ(got.status, ANIMA_STEP_OK);
  ASSERT_EQ(fused.status, ANIMA_STEP_OK);
  EXPECT_EQ(got.journalUsed, p == 0.0f ? 0u : a.journalBytes(p));
  if (a.sparse || a.gamma == 0.0f || p == 0.0f)
    EXPECT_TRUE(bitEqual(got.S, want.S));
  else
    EXPECT_TRUE(withinTol(got.S, want.S, writeTolerance(a, p)));

  // fused == mem_read + mem_write of the microkernels, bit for bit, with the
  // same journal.
  std::vector<float> o(static_cast<std::size_t>(a.dv), NAN);
  Step step(0);
  anima_uk_mem_read(&step.ctx, a.S.data(), a.dv, a.dk, a.key.data(),
                    a.kidxPtr(), a.kk(), o.data());
  EXPECT_TRUE(bitEqual(fused.o, o));
  EXPECT_TRUE(bitEqual(fused.S, got.S));
  EXPECT_EQ(fused.journal, got.journal);
  if (a.sparse)
    EXPECT_TRUE(bitEqual(o, want.o));
  else
    EXPECT_TRUE(withinTol(o, want.o, readTolerance(a)));
}

} // namespace

TEST(UkMemRead, DenseWithinBoundSparseExact) {
  std::mt19937 rng(21);
  for (std::int64_t dk : sweepDims()) {
    for (std::int64_t dv : {1, 3, 4, 9}) {
      for (int keyKind = 0; keyKind < 5; ++keyKind) {
        SCOPED_TRACE("dk=" + std::to_string(dk) + " dv=" + std::to_string(dv) +
                     " key=" + std::to_string(keyKind));
        const MemArgs a = makeArgs(rng, dv, dk, keyKind);
        const MemResult want = runReference(a, 0.0f);
        std::vector<float> o(static_cast<std::size_t>(dv), NAN);
        Step step;
        step.ctx.status = ANIMA_STEP_NONFINITE; // read-only: still computes
        anima_uk_mem_read(&step.ctx, a.S.data(), dv, dk, a.key.data(),
                          a.kidxPtr(), a.kk(), o.data());
        if (a.sparse)
          EXPECT_TRUE(bitEqual(o, want.o));
        else
          EXPECT_TRUE(withinTol(o, want.o, readTolerance(a)));
      }
    }
  }
}

TEST(UkMemWrite, MatchesReferenceOverEveryOption) {
  std::mt19937 rng(22);
  for (std::int64_t dk : sweepDims()) {
    for (std::int64_t dv : {1, 4, 7}) {
      for (int keyKind = 0; keyKind < 5; ++keyKind) {
        for (float alpha : {1.0f, 0.9f, 0.3f, 0.0f}) {
          for (float gamma : {0.0f, 0.5f, 1.0f}) {
            for (int opt = 0; opt < 4; ++opt) {
              for (float p : {1.0f, 0.5f}) {
                MemArgs a = makeArgs(rng, dv, dk, keyKind);
                a.alpha = alpha;
                a.beta = 0.8f;
                a.gamma = gamma;
                a.readFirst = opt & 1;
                a.normalize = opt & 2;
                SCOPED_TRACE(
                    "dk=" + std::to_string(dk) + " dv=" + std::to_string(dv) +
                    " key=" + std::to_string(keyKind) + " alpha=" +
                    std::to_string(alpha) + " gamma=" + std::to_string(gamma) +
                    " opt=" + std::to_string(opt) + " p=" + std::to_string(p));
                checkAgainstReference(a, p);
              }
            }
          }
        }
      }
    }
  }
}

TEST(UkMemWrite, LargerMemory) {
  std::mt19937 rng(23);
  for (int keyKind = 0; keyKind < 5; ++keyKind) {
    MemArgs a = makeArgs(rng, 64, 512, keyKind);
    a.alpha = keyKind % 2 ? 1.0f : 0.95f;
    a.gamma = 1.0f;
    a.normalize = true;
    SCOPED_TRACE("key=" + std::to_string(keyKind));
    checkAgainstReference(a, 1.0f);
  }
}

TEST(UkMemWrite, ZeroKeyWithNormalization) {
  std::mt19937 rng(24);
  for (int keyKind : {0, 2}) {
    MemArgs a = makeArgs(rng, 5, 19, keyKind);
    std::fill(a.key.begin(), a.key.end(), 0.0f);
    a.normalize = true;
    a.gamma = 1.0f;
    a.alpha = 0.5f;
    checkAgainstReference(a, 1.0f);
  }
}

TEST(UkMemWrite, SparseKeyWithUnitDecayJournalsOnlyKeyColumns) {
  // alpha == 1, kidx = {1, 2, 5}: per row one record for columns 1..2 and one
  // for column 5; every other column of S is never written.
  const std::int64_t dv = 3, dk = 8;
  std::vector<float> S(dv * dk);
  for (std::size_t i = 0; i < S.size(); ++i)
    S[i] = static_cast<float>(i);
  const std::vector<std::int32_t> kidx = {1, 2, 5};
  const std::vector<float> key = {1, 1, 1};
  const std::vector<float> v = {1, 2, 3};
  Step step;
  anima_uk_mem_write(&step.ctx, S.data(), dv, dk, key.data(), kidx.data(), 3,
                     v.data(), 1.0f, 1.0f, 0.0f, 0);
  EXPECT_EQ(step.ctx.status, ANIMA_STEP_OK);
  EXPECT_EQ(step.records(), 6u);
  EXPECT_EQ(step.ctx.journal_used, dv * (anima_uk_journal_record_bytes(8) +
                                         anima_uk_journal_record_bytes(4)));
  const auto *rec =
      reinterpret_cast<const anima_journal_record *>(step.ctx.journal);
  EXPECT_EQ(rec->dst, static_cast<void *>(S.data() + 1));
  EXPECT_EQ(rec->bytes, 8u);
  for (std::int64_t r = 0; r < dv; ++r)
    for (std::int64_t c = 0; c < dk; ++c) {
      const bool key = c == 1 || c == 2 || c == 5;
      EXPECT_EQ(S[r * dk + c],
                static_cast<float>(r * dk + c) + (key ? v[r] : 0.0f));
    }
}

TEST(UkMemWrite, DecayJournalsAllOfSInOneRecord) {
  std::mt19937 rng(25);
  MemArgs a = makeArgs(rng, 6, 10, 2);
  a.alpha = 0.5f;
  Step step;
  std::vector<float> S = a.S;
  anima_uk_mem_write(&step.ctx, S.data(), a.dv, a.dk, a.key.data(),
                     a.kidx.data(), a.kk(), a.v.data(), a.alpha, a.beta,
                     a.gamma, 0);
  EXPECT_EQ(step.records(), 1u);
  const auto *rec =
      reinterpret_cast<const anima_journal_record *>(step.ctx.journal);
  EXPECT_EQ(rec->dst, static_cast<void *>(S.data()));
  EXPECT_EQ(rec->bytes, static_cast<std::uint64_t>(a.dv * a.dk * 4));
}

TEST(UkMemWrite, EmptySparseKey) {
  // kk == 0: the read is 0; with alpha' == 1 nothing changes and nothing is
  // journaled, with alpha' < 1 the decay still scales all of S.
  std::mt19937 rng(26);
  const std::int64_t dv = 3, dk = 5;
  const auto S0 = uniform(rng, dv * dk, -1, 1);
  const std::int32_t kidx[1] = {0};
  const float key[1] = {0.0f};
  const std::vector<float> v = {1, 2, 3};
  for (float alpha : {1.0f, 0.5f}) {
    std::vector<float> S = S0, o(dv, NAN);
    Step step;
    anima_uk_fused_mem_step(&step.ctx, S.data(), dv, dk, key, kidx, 0, v.data(),
                            alpha, 1.0f, 1.0f, 0, o.data());
    EXPECT_EQ(step.ctx.status, ANIMA_STEP_OK);
    EXPECT_EQ(o, std::vector<float>(dv, 0.0f));
    std::vector<float> want = S0;
    ref::MemWriteParams params;
    params.alpha = alpha;
    params.gamma = 1.0f;
    ASSERT_TRUE(ref::mem_write_sparse(want.data(), dv, dk, kidx, key, 0,
                                      v.data(), params));
    EXPECT_TRUE(bitEqual(S, want));
    EXPECT_EQ(step.ctx.journal_used,
              alpha == 1.0f ? 0u : anima_uk_journal_record_bytes(dv * dk * 4));
  }
}
