//===- PlasticTest.cpp - plastic_update, rows_dot / rows_update ----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The per-element update (1 - lambda p) w + ((eta p) m) (a b - c w) is the
// reference's formula in the reference's order: bit-exact when row_norm == 0.
// With row_norm > 0 the row's sum of squares is a 16-lane sum: the unscaled
// rows are identical, the two norms agree within relative (d + 2) u (sums of
// d non-negative terms, sqrt), the scale and the product add 2u each, so
// every element is within (2d + 8) u |expected| (a factor 2 of margin on d).
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtil.h"

#include "anima/kernels/reference/Reference.h"

using namespace anima::uktest;
namespace ref = anima::ref;

namespace {

struct PlasticArgs {
  std::int64_t n = 1, d = 1, k = 1;
  std::vector<float> W;
  std::vector<std::int32_t> idx; // empty: all rows (idx == NULL, k == n)
  std::vector<float> post, pre, target;
  bool hasModulator = false;
  float modulator = 1.0f;
  std::int32_t rule = ANIMA_RULE_HEBB;
  bool preMajor = false;
  float eta = 0.05f, lambda = 0.0f, rowNorm = 0.0f;

  const std::int32_t *idxPtr() const {
    return idx.empty() ? nullptr : idx.data();
  }
  const float *targetPtr() const {
    return target.empty() ? nullptr : target.data();
  }
  const float *modPtr() const { return hasModulator ? &modulator : nullptr; }
};

struct PlasticResult {
  std::vector<float> W;
  std::uint64_t journalUsed = 0;
  std::uint32_t status = 0;
};

PlasticResult runKernel(const PlasticArgs &a, float p) {
  Step step(anima_uk_journal_bytes_rows(a.k, a.d), p);
  PlasticResult r;
  r.W = a.W;
  anima_uk_plastic_update(
      &step.ctx, r.W.data(), a.n, a.d, a.idxPtr(), a.k, a.post.data(),
      a.pre.data(), a.targetPtr(), a.modPtr(), a.rule,
      a.preMajor ? ANIMA_PLASTIC_PRE_MAJOR : 0, a.eta, a.lambda, a.rowNorm);
  r.journalUsed = step.ctx.journal_used;
  r.status = step.ctx.status;
  const std::vector<float> after = r.W;
  step.undo();
  EXPECT_TRUE(bitEqual(r.W, a.W)) << "journal undo";
  r.W = after;
  return r;
}

/// The reference with eta p and lambda p.
std::vector<float> runReference(const PlasticArgs &a, float p) {
  std::vector<float> W = a.W;
  if (p == 0.0f)
    return W;
  ref::PlasticParams params;
  params.eta = a.eta * p;
  params.lambda = a.lambda * p;
  params.modulator = a.hasModulator ? a.modulator : 1.0f;
  params.pre_major = a.preMajor;
  params.row_norm = a.rowNorm;
  EXPECT_TRUE(ref::plastic_update(W.data(), a.n, a.d, a.idxPtr(), a.k,
                                  static_cast<ref::PlasticRule>(a.rule), params,
                                  a.post.data(), a.pre.data(), a.targetPtr()));
  return W;
}

std::vector<double> rowNormTolerance(const PlasticArgs &a,
                                     const std::vector<float> &expected) {
  std::vector<double> tol(expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    tol[i] =
        static_cast<double>(2 * a.d + 8) * kU * std::fabs(expected[i]) + 1e-37;
  return tol;
}

PlasticArgs makeArgs(std::mt19937 &rng, std::int64_t n, std::int64_t d,
                     std::int64_t k, bool dense, std::int32_t rule,
                     bool preMajor) {
  PlasticArgs a;
  a.n = n;
  a.d = d;
  a.k = dense ? n : k;
  a.W = uniform(rng, static_cast<std::size_t>(n * d), -1, 1);
  if (!dense)
    a.idx = indexSet(rng, n, k);
  a.rule = rule;
  a.preMajor = preMajor;
  const std::size_t postLen = static_cast<std::size_t>(preMajor ? d : a.k);
  const std::size_t preLen = static_cast<std::size_t>(preMajor ? a.k : d);
  a.post = uniform(rng, postLen, -1, 1);
  a.pre = uniform(rng, preLen, -1, 1);
  if (rule == ANIMA_RULE_DELTA || rule == ANIMA_RULE_SOFTMAX_DELTA)
    a.target = uniform(rng, postLen, 0, 1);
  return a;
}

void checkAgainstReference(const PlasticArgs &a, float p) {
  const PlasticResult got = runKernel(a, p);
  const std::vector<float> want = runReference(a, p);
  ASSERT_EQ(got.status, ANIMA_STEP_OK);
  // An index list: one record per row; all rows (no idx): one record.
  const std::uint64_t journal =
      a.idx.empty() ? anima_uk_journal_bytes_all_rows(a.k, a.d)
                    : anima_uk_journal_bytes_rows(a.k, a.d);
  EXPECT_LE(journal, anima_uk_journal_bytes_rows(a.k, a.d));
  EXPECT_EQ(got.journalUsed, p == 0.0f ? 0u : journal);
  if (a.rowNorm > 0.0f && p != 0.0f)
    EXPECT_TRUE(withinTol(got.W, want, rowNormTolerance(a, want)));
  else
    EXPECT_TRUE(bitEqual(got.W, want));
}

struct RuleLayout {
  std::int32_t rule;
  bool preMajor;
};
const RuleLayout kRuleLayouts[] = {
    {ANIMA_RULE_HEBB, false},          {ANIMA_RULE_OJA, false},
    {ANIMA_RULE_INSTAR, false},        {ANIMA_RULE_DELTA, false},
    {ANIMA_RULE_SOFTMAX_DELTA, false}, {ANIMA_RULE_HEBB, true},
    {ANIMA_RULE_DELTA, true},          {ANIMA_RULE_SOFTMAX_DELTA, true},
};

} // namespace

TEST(UkPlasticUpdate, MatchesReferenceOverRulesLayoutsAndOptions) {
  std::mt19937 rng(31);
  for (std::int64_t d : sweepDims()) {
    for (std::int64_t n : {1, 6, 20}) {
      for (const RuleLayout &rl : kRuleLayouts) {
        for (int opt = 0; opt < 16; ++opt) {
          for (float p : {1.0f, 0.5f}) {
            const bool dense = opt & 1;
            const std::int64_t k = std::max<std::int64_t>(1, n / 2);
            PlasticArgs a = makeArgs(rng, n, d, k, dense, rl.rule, rl.preMajor);
            a.rowNorm = (opt & 2) ? 1.5f : 0.0f;
            a.hasModulator = opt & 4;
            a.modulator = -0.7f;
            a.lambda = (opt & 8) ? 0.1f : 0.0f;
            SCOPED_TRACE("d=" + std::to_string(d) + " n=" + std::to_string(n) +
                         " rule=" + std::to_string(rl.rule) +
                         " pre=" + std::to_string(rl.preMajor) + " opt=" +
                         std::to_string(opt) + " p=" + std::to_string(p));
            checkAgainstReference(a, p);
          }
        }
      }
    }
  }
}

TEST(UkPlasticUpdate, FrozenWritesNothing) {
  std::mt19937 rng(32);
  for (const RuleLayout &rl : kRuleLayouts) {
    PlasticArgs a = makeArgs(rng, 9, 13, 4, false, rl.rule, rl.preMajor);
    a.lambda = 0.5f;
    a.rowNorm = 2.0f;
    const PlasticResult got = runKernel(a, 0.0f);
    EXPECT_TRUE(bitEqual(got.W, a.W));
    EXPECT_EQ(got.journalUsed, 0u);
    EXPECT_EQ(got.status, ANIMA_STEP_OK);
  }
}

TEST(UkPlasticUpdate, MeaninglessRulesWriteNothing) {
  std::mt19937 rng(33);
  for (const RuleLayout &rl :
       {RuleLayout{ANIMA_RULE_OJA, true}, RuleLayout{ANIMA_RULE_INSTAR, true},
        RuleLayout{17, false}}) {
    PlasticArgs a = makeArgs(rng, 5, 8, 2, false, rl.rule, rl.preMajor);
    const PlasticResult got = runKernel(a, 1.0f);
    EXPECT_TRUE(bitEqual(got.W, a.W));
    EXPECT_EQ(got.journalUsed, 0u);
  }
}

TEST(UkPlasticUpdate, JournalHasOneRecordPerRow) {
  std::mt19937 rng(34);
  PlasticArgs a = makeArgs(rng, 10, 5, 3, false, ANIMA_RULE_OJA, false);
  Step step;
  std::vector<float> W = a.W;
  anima_uk_plastic_update(&step.ctx, W.data(), a.n, a.d, a.idx.data(), a.k,
                          a.post.data(), a.pre.data(), nullptr, nullptr, a.rule,
                          0, a.eta, a.lambda, a.rowNorm);
  ASSERT_EQ(step.records(), 3u);
  std::uint64_t at = 0;
  for (std::int64_t j = 0; j < a.k; ++j) {
    const auto *rec =
        reinterpret_cast<const anima_journal_record *>(step.ctx.journal + at);
    EXPECT_EQ(rec->dst, static_cast<void *>(W.data() + a.idx[j] * a.d));
    EXPECT_EQ(rec->bytes, 20u);
    // The padding after the 20 saved bytes is zeroed.
    const std::uint8_t *data = step.ctx.journal + at + 16;
    EXPECT_EQ(std::memcmp(data, a.W.data() + a.idx[j] * a.d, 20), 0);
    for (int b = 20; b < 24; ++b)
      EXPECT_EQ(data[b], 0);
    at += anima_uk_journal_record_bytes(rec->bytes);
  }
}

// All rows (idx == NULL): one record over the whole matrix, filled row by
// row (a 784 x 1 running mean would otherwise pay a header per float). Both
// layouts, post-major and pre-major; undo restores; a non-finite value in a
// late row restores every earlier row and leaves no record.
TEST(UkPlasticUpdate, AllRowsAreOneRecord) {
  std::mt19937 rng(35);
  for (bool preMajor : {false, true}) {
    for (std::int64_t d : {1, 5, 19}) {
      SCOPED_TRACE("d=" + std::to_string(d) +
                   (preMajor ? " pre-major" : " post-major"));
      const std::int64_t n = 7;
      PlasticArgs a = makeArgs(rng, n, d, n, /*dense=*/true, ANIMA_RULE_DELTA,
                               preMajor);
      Step step;
      std::vector<float> W = a.W;
      anima_uk_plastic_update(
          &step.ctx, W.data(), a.n, a.d, nullptr, a.k, a.post.data(),
          a.pre.data(), a.target.data(), nullptr, a.rule,
          preMajor ? ANIMA_PLASTIC_PRE_MAJOR : 0, a.eta, a.lambda, 0.0f);
      ASSERT_EQ(step.ctx.status, ANIMA_STEP_OK);
      ASSERT_EQ(step.records(), 1u);
      const auto *rec =
          reinterpret_cast<const anima_journal_record *>(step.ctx.journal);
      const std::uint64_t bytes = static_cast<std::uint64_t>(n * d) * 4u;
      EXPECT_EQ(rec->dst, static_cast<void *>(W.data()));
      EXPECT_EQ(rec->bytes, bytes);
      EXPECT_EQ(std::memcmp(step.ctx.journal + 16, a.W.data(), bytes), 0);
      for (std::uint64_t b = bytes; b < ((bytes + 7) & ~std::uint64_t(7)); ++b)
        EXPECT_EQ(step.ctx.journal[16 + b], 0);
      EXPECT_EQ(step.ctx.journal_used, anima_uk_journal_bytes_all_rows(n, d));
      EXPECT_FALSE(bitEqual(W, a.W));
      step.undo();
      EXPECT_TRUE(bitEqual(W, a.W));

      // Only the last row's update overflows (its delta term is Inf): the
      // six rows before it were written, and must be restored.
      Step refused;
      std::vector<float> big = a.W, post = a.post, pre = a.pre,
                         target = a.target;
      if (preMajor) {
        pre[static_cast<std::size_t>(n - 1)] = 3e38f; // a = 3e38, b = 2
        std::fill(post.begin(), post.end(), -1.0f);
        std::fill(target.begin(), target.end(), 1.0f);
      } else {
        post[static_cast<std::size_t>(n - 1)] = -3e38f; // a = Inf
        target[static_cast<std::size_t>(n - 1)] = 3e38f;
      }
      const std::vector<float> before = big;
      anima_uk_plastic_update(
          &refused.ctx, big.data(), a.n, a.d, nullptr, a.k, post.data(),
          pre.data(), target.data(), nullptr, a.rule,
          preMajor ? ANIMA_PLASTIC_PRE_MAJOR : 0, 1.0f, 0.0f, 0.0f);
      EXPECT_EQ(refused.ctx.status, ANIMA_STEP_NONFINITE);
      EXPECT_EQ(refused.ctx.journal_used, 0u);
      EXPECT_TRUE(bitEqual(big, before));
    }
  }
}

// The fused plastic step: rows_dot over a tile, elementwise work on the
// tile's dot products, rows_update of the tile, tile after tile, equals
// gather_matvec over all rows followed by plastic_update: same outputs, same
// weights, same journal, bit for bit. Against the reference: y within the dot
// bound, and the reference's update applied to the kernels' post is
// bit-exact (within the row_norm bound when rescaling).
TEST(UkRowsDotUpdate, TilesEqualGatherThenPlasticUpdate) {
  std::mt19937 rng(35);
  auto activation = [](float y) { return y > 0.0f ? y : 0.1f * y; };
  for (std::int64_t d : {1, 7, 16, 33, 100}) {
    for (std::int32_t rule : {ANIMA_RULE_HEBB, ANIMA_RULE_OJA,
                              ANIMA_RULE_INSTAR, ANIMA_RULE_DELTA}) {
      for (int opt = 0; opt < 4; ++opt) {
        for (std::int64_t tile : {1, 2, 3, 5, 64}) {
          const std::int64_t n = 40, k = 11;
          PlasticArgs a = makeArgs(rng, n, d, k, false, rule, false);
          a.rowNorm = (opt & 1) ? 0.9f : 0.0f;
          a.hasModulator = opt & 2;
          a.modulator = 0.6f;
          a.lambda = 0.05f;
          const std::vector<float> &x = a.pre;
          SCOPED_TRACE(
              "d=" + std::to_string(d) + " rule=" + std::to_string(rule) +
              " opt=" + std::to_string(opt) + " tile=" + std::to_string(tile));

          // Unfused: gather_matvec, activation, plastic_update.
          Step whole(anima_uk_journal_bytes_rows(k, d));
          std::vector<float> W1 = a.W, y1(k), post1(k);
          anima_uk_gather_matvec(&whole.ctx, W1.data(), n, d, a.idx.data(), k,
                                 x.data(), y1.data());
          for (std::int64_t j = 0; j < k; ++j)
            post1[j] = activation(y1[j]);
          anima_uk_plastic_update(&whole.ctx, W1.data(), n, d, a.idx.data(), k,
                                  post1.data(), x.data(), a.targetPtr(),
                                  a.modPtr(), rule, 0, a.eta, a.lambda,
                                  a.rowNorm);

          // Fused: tile by tile.
          Step tiled(anima_uk_journal_bytes_rows(k, d));
          std::vector<float> W2 = a.W, y2(k), post2(k);
          for (std::int64_t t0 = 0; t0 < k; t0 += tile) {
            const std::int64_t len = std::min(tile, k - t0);
            anima_uk_rows_dot(&tiled.ctx, W2.data(), n, d, a.idx.data() + t0,
                              len, x.data(), y2.data() + t0);
            for (std::int64_t j = t0; j < t0 + len; ++j)
              post2[j] = activation(y2[j]);
            anima_uk_rows_update(&tiled.ctx, W2.data(), n, d, a.idx.data() + t0,
                                 len, post2.data() + t0, x.data(),
                                 a.target.empty() ? nullptr
                                                  : a.target.data() + t0,
                                 a.modPtr(), rule, a.eta, a.lambda, a.rowNorm);
          }
          EXPECT_EQ(tiled.ctx.status, ANIMA_STEP_OK);
          EXPECT_TRUE(bitEqual(y2, y1));
          EXPECT_TRUE(bitEqual(W2, W1));
          EXPECT_EQ(tiled.journalBytes(W2.data()),
                    whole.journalBytes(W1.data()));
          tiled.undo();
          EXPECT_TRUE(bitEqual(W2, a.W));

          // Against the reference.
          std::vector<float> yRef(k);
          ASSERT_TRUE(ref::gather_matvec(a.W.data(), n, d, a.idx.data(), k,
                                         x.data(), yRef.data()));
          std::vector<double> tol;
          for (std::int64_t j = 0; j < k; ++j) {
            double abs = 0;
            for (std::int64_t c = 0; c < d; ++c)
              abs +=
                  std::fabs(static_cast<double>(a.W[a.idx[j] * d + c]) * x[c]);
            tol.push_back(dotTol(d, abs));
          }
          EXPECT_TRUE(withinTol(y1, yRef, tol));
          PlasticArgs withPost = a;
          withPost.post = post1;
          const std::vector<float> want = runReference(withPost, 1.0f);
          if (a.rowNorm > 0.0f)
            EXPECT_TRUE(withinTol(W1, want, rowNormTolerance(a, want)));
          else
            EXPECT_TRUE(bitEqual(W1, want));
        }
      }
    }
  }
}

TEST(UkRowsUpdate, SoftmaxDeltaIsNeverSplitAndWritesNothing) {
  std::mt19937 rng(36);
  PlasticArgs a =
      makeArgs(rng, 8, 5, 3, false, ANIMA_RULE_SOFTMAX_DELTA, false);
  Step step;
  std::vector<float> W = a.W;
  anima_uk_rows_update(&step.ctx, W.data(), a.n, a.d, a.idx.data(), a.k,
                       a.post.data(), a.pre.data(), a.target.data(), nullptr,
                       a.rule, a.eta, a.lambda, a.rowNorm);
  EXPECT_TRUE(bitEqual(W, a.W));
  EXPECT_EQ(step.ctx.journal_used, 0u);
  EXPECT_EQ(step.ctx.status, ANIMA_STEP_OK);
}

TEST(UkRowsUpdate, NullIdxMeansTheFirstKRows) {
  std::mt19937 rng(37);
  PlasticArgs a = makeArgs(rng, 6, 9, 6, true, ANIMA_RULE_HEBB, false);
  a.k = 4;
  a.post.resize(4);
  Step step;
  std::vector<float> W = a.W;
  anima_uk_rows_update(&step.ctx, W.data(), a.n, a.d, nullptr, a.k,
                       a.post.data(), a.pre.data(), nullptr, nullptr, a.rule,
                       a.eta, a.lambda, a.rowNorm);
  PlasticArgs asRef = a;
  asRef.idx = {0, 1, 2, 3};
  EXPECT_TRUE(bitEqual(W, runReference(asRef, 1.0f)));
}
