//===- IsaTest.cpp - Every ISA level computes the same bits --------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The microkernels' hot loops exist once per ISA level (kernels/cpu/lib/isa)
// and must agree bit for bit: same lanes, same order, no FMA. Each test runs
// the same calls at the portable level and at every other level this CPU
// has, and compares outputs, state, journals and step status exactly. (The
// whole suite also runs against the reference at each level: the ctest
// tests anima-kernel-tests-isa-<level>.)
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtil.h"

#include "anima/kernels/cpu/Isa.h"

#include <functional>

using namespace anima::uktest;

namespace {

/// What one run of a scenario produced.
struct Outcome {
  std::vector<float> out, state;
  std::vector<std::uint8_t> journal;
  std::uint32_t status = 0;
};

/// The levels other than the portable one that this CPU runs.
std::vector<int> otherLevels() {
  std::vector<int> out;
  for (int l = 0; l < ANIMA_UK_ISA_COUNT; ++l)
    if (l != ANIMA_UK_ISA_GENERIC && anima_uk_isa_available(l))
      out.push_back(l);
  return out;
}

/// Runs `scenario` at the portable level and at every other level and
/// expects identical outcomes.
void expectSameAtEveryLevel(const std::function<Outcome()> &scenario) {
  const int before = anima_uk_isa_active();
  ASSERT_TRUE(anima_uk_isa_select(ANIMA_UK_ISA_GENERIC));
  const Outcome want = scenario();
  for (int level : otherLevels()) {
    SCOPED_TRACE(std::string("level ") + anima_uk_isa_name(level));
    ASSERT_TRUE(anima_uk_isa_select(level));
    const Outcome got = scenario();
    EXPECT_TRUE(bitEqual(got.out, want.out)) << "outputs";
    EXPECT_TRUE(bitEqual(got.state, want.state)) << "state";
    EXPECT_EQ(got.journal, want.journal) << "journal";
    EXPECT_EQ(got.status, want.status);
  }
  anima_uk_isa_select(before);
}

/// Sizes around every vector width and unroll (4, 8, 16, two rows).
const std::vector<std::int64_t> &dims() {
  static const std::vector<std::int64_t> d = {1,  3,  4,  7,  8,   9,   15,
                                              16, 17, 24, 31, 33,  64,  100,
                                              257, 1000, 1024};
  return d;
}

} // namespace

TEST(UkIsa, TheDispatchPicksAnAvailableLevel) {
  EXPECT_TRUE(anima_uk_isa_available(anima_uk_isa_best()));
  EXPECT_TRUE(anima_uk_isa_available(ANIMA_UK_ISA_GENERIC));
  EXPECT_FALSE(anima_uk_isa_select(ANIMA_UK_ISA_COUNT));
#if defined(__aarch64__)
  EXPECT_EQ(anima_uk_isa_best(), ANIMA_UK_ISA_NEON);
#endif
  if (otherLevels().empty())
    GTEST_SKIP() << "this CPU runs only the portable level";
}

TEST(UkIsa, RowsDotGatherAndMatvecAcc) {
  std::mt19937 rng(1);
  for (std::int64_t d : dims()) {
    for (std::int64_t k : {1, 2, 3, 5, 8, 13}) {
      SCOPED_TRACE("d=" + std::to_string(d) + " k=" + std::to_string(k));
      const std::int64_t n = 16;
      const auto W = uniform(rng, static_cast<std::size_t>(n * d), -2, 2);
      const auto x = uniform(rng, static_cast<std::size_t>(d), -2, 2);
      const auto y0 = uniform(rng, static_cast<std::size_t>(n), -1, 1);
      const auto idx = indexSet(rng, n, k);
      expectSameAtEveryLevel([&] {
        Outcome o;
        Step step;
        std::vector<float> a(static_cast<std::size_t>(k)), b(a), c(a);
        anima_uk_gather_matvec(&step.ctx, W.data(), n, d, idx.data(), k,
                               x.data(), a.data());
        anima_uk_rows_dot(&step.ctx, W.data(), n, d, nullptr, k, x.data(),
                          b.data());
        std::vector<float> y = y0;
        anima_uk_matvec_acc(&step.ctx, W.data(), k, d, x.data(), y.data());
        o.out = a;
        o.out.insert(o.out.end(), b.begin(), b.end());
        o.out.insert(o.out.end(), y.begin(), y.end());
        return o;
      });
    }
  }
}

TEST(UkIsa, SparseMatvec) {
  std::mt19937 rng(2);
  for (std::int64_t d : dims()) {
    for (std::int64_t k : {1, 3, 4, 5, 8, 9, 12, 16}) {
      SCOPED_TRACE("d=" + std::to_string(d) + " k=" + std::to_string(k));
      const std::int64_t n = 20;
      const auto W = uniform(rng, static_cast<std::size_t>(n * d), -2, 2);
      const auto val = uniform(rng, static_cast<std::size_t>(k), -1, 1);
      const auto idx = indexSet(rng, n, k);
      expectSameAtEveryLevel([&] {
        Outcome o;
        Step step;
        o.out.assign(static_cast<std::size_t>(d), NAN);
        anima_uk_sparse_matvec(&step.ctx, W.data(), n, d, idx.data(),
                               val.data(), k, o.out.data());
        return o;
      });
    }
  }
}

TEST(UkIsa, PlasticUpdatesEveryRuleAndLayout) {
  std::mt19937 rng(3);
  const std::int64_t n = 12;
  for (std::int64_t d : dims()) {
    for (std::int32_t rule : {ANIMA_RULE_HEBB, ANIMA_RULE_OJA,
                              ANIMA_RULE_INSTAR, ANIMA_RULE_DELTA,
                              ANIMA_RULE_SOFTMAX_DELTA}) {
      for (bool preMajor : {false, true}) {
        if (preMajor && (rule == ANIMA_RULE_OJA || rule == ANIMA_RULE_INSTAR))
          continue;
        for (float rowNorm : {0.0f, 1.5f}) {
          SCOPED_TRACE("d=" + std::to_string(d) + " rule=" +
                       std::to_string(rule) + (preMajor ? " pre" : " post") +
                       " norm=" + std::to_string(rowNorm));
          const std::int64_t k = 5;
          const auto W0 = uniform(rng, static_cast<std::size_t>(n * d), -1, 1);
          const auto idx = indexSet(rng, n, k);
          const std::size_t postLen = static_cast<std::size_t>(preMajor ? d : k);
          const std::size_t preLen = static_cast<std::size_t>(preMajor ? k : d);
          const auto post = uniform(rng, postLen, -1, 1);
          const auto pre = uniform(rng, preLen, -1, 1);
          const auto target = uniform(rng, postLen, 0, 1);
          expectSameAtEveryLevel([&] {
            Outcome o;
            Step step(anima_uk_journal_bytes_rows(n, d) * 2, 0.75f);
            o.state = W0;
            anima_uk_plastic_update(&step.ctx, o.state.data(), n, d,
                                    idx.data(), k, post.data(), pre.data(),
                                    target.data(), nullptr, rule,
                                    preMajor ? ANIMA_PLASTIC_PRE_MAJOR : 0,
                                    0.1f, 0.01f, rowNorm);
            if (!preMajor && rule != ANIMA_RULE_SOFTMAX_DELTA)
              anima_uk_rows_update(&step.ctx, o.state.data(), n, d,
                                   idx.data(), k, post.data(), pre.data(),
                                   target.data(), nullptr, rule, 0.05f, 0.0f,
                                   rowNorm);
            o.journal = step.journalBytes(o.state.data());
            o.status = step.ctx.status;
            return o;
          });
        }
      }
    }
  }
}

TEST(UkIsa, PlasticGuardRefusesAtEveryLevel) {
  // Rows near FLT_MAX overflow under the update: every level refuses, and
  // restores the same bytes.
  for (std::int64_t d : {7, 16, 33, 1024}) {
    SCOPED_TRACE("d=" + std::to_string(d));
    const std::int64_t n = 4, k = 2;
    std::vector<float> W0(static_cast<std::size_t>(n * d), 3e38f);
    const std::vector<std::int32_t> idx = {1, 3};
    const std::vector<float> post = {2.0f, -2.0f};
    const std::vector<float> pre(static_cast<std::size_t>(d), 3e38f);
    expectSameAtEveryLevel([&] {
      Outcome o;
      Step step(anima_uk_journal_bytes_rows(k, d));
      o.state = W0;
      anima_uk_plastic_update(&step.ctx, o.state.data(), n, d, idx.data(), k,
                              post.data(), pre.data(), nullptr, nullptr,
                              ANIMA_RULE_HEBB, 0, 1.0f, 0.0f, 0.0f);
      o.status = step.ctx.status;
      o.journal = step.journalBytes(o.state.data());
      return o;
    });
  }
}

TEST(UkIsa, MemoryReadWriteAndFusedStep) {
  std::mt19937 rng(4);
  for (std::int64_t dk : dims()) {
    for (float alpha : {1.0f, 0.9f}) {
      for (float gamma : {0.0f, 1.0f}) {
        for (std::int32_t flags :
             {0, ANIMA_MEM_READ_FIRST, ANIMA_MEM_NORMALIZE_KEY}) {
          SCOPED_TRACE("dk=" + std::to_string(dk) + " alpha=" +
                       std::to_string(alpha) + " gamma=" +
                       std::to_string(gamma) + " flags=" +
                       std::to_string(flags));
          const std::int64_t dv = 9;
          const auto S0 = uniform(rng, static_cast<std::size_t>(dv * dk), -1, 1);
          const auto key = uniform(rng, static_cast<std::size_t>(dk), -1, 1);
          const auto v = uniform(rng, static_cast<std::size_t>(dv), -1, 1);
          expectSameAtEveryLevel([&] {
            Outcome o;
            Step step(anima_uk_journal_bytes_mem_write(dv, dk, nullptr, 0,
                                                       0.0f) *
                      3);
            o.state = S0;
            std::vector<float> read(static_cast<std::size_t>(dv)), fused(read);
            anima_uk_mem_read(&step.ctx, o.state.data(), dv, dk, key.data(),
                              nullptr, 0, read.data());
            anima_uk_mem_write(&step.ctx, o.state.data(), dv, dk, key.data(),
                               nullptr, 0, v.data(), alpha, 0.5f, gamma,
                               flags);
            anima_uk_fused_mem_step(&step.ctx, o.state.data(), dv, dk,
                                    key.data(), nullptr, 0, v.data(), alpha,
                                    0.5f, gamma, flags, fused.data());
            o.out = read;
            o.out.insert(o.out.end(), fused.begin(), fused.end());
            o.journal = step.journalBytes(o.state.data());
            o.status = step.ctx.status;
            return o;
          });
        }
      }
    }
  }
}
