//===- StepTest.cpp - Journal, overflow, NaN guard, plasticity, status ---===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The abi.h rules every state-updating microkernel follows, checked on one
// "model" whose state every kernel updates in a step:
//  * undoing the journal newest first restores the step's initial state
//    exactly, also when several calls update the same rows;
//  * a journal too small by one record byte: JOURNAL_OVERFLOW, nothing
//    written, nothing journaled, outputs still computed;
//  * a value that would not be finite: NONFINITE, the state bit-identical
//    (the call undoes its own partial writes), its records dropped, and every
//    later state-updating call of the step writes nothing while read-only
//    kernels and outputs are still computed;
//  * plasticity 0 writes no state and no journal.
//
//===----------------------------------------------------------------------===//

#include "KernelTestUtil.h"

#include <functional>

using namespace anima::uktest;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

/// One step's worth of state and inputs for every state-updating kernel.
struct Model {
  explicit Model(unsigned seed) {
    std::mt19937 rng(seed);
    u = uniform(rng, kN, -1, 1);
    duty = uniform(rng, kN, 0, 1);
    kIdx.assign(kK, -1);
    kVal.assign(kK, 0);

    W = uniform(rng, kRows * kD, -1, 1);
    wIdx = indexSet(rng, kRows, kSel);
    wPost = uniform(rng, kSel, -1, 1);
    wPre = uniform(rng, kD, -1, 1);
    wTarget = uniform(rng, kSel, 0, 1);

    P = uniform(rng, kRows * kD, -1, 1);
    pIdx = indexSet(rng, kRows, kSel);
    pPre = uniform(rng, kSel, -1, 1);
    pPost = uniform(rng, kD, -1, 1);
    pTarget = uniform(rng, kD, 0, 1);

    H = uniform(rng, 6 * kD, -1, 1);
    hPost = uniform(rng, 6, -1, 1);

    S = uniform(rng, kDv * kDk, -1, 1);
    sKey = uniform(rng, kDk, -1, 1);
    sV = uniform(rng, kDv, -1, 1);
    sO.assign(kDv, 0);

    T = uniform(rng, kDv * kDk2, -1, 1);
    tIdx = {1, 2, 3, 9, 20, 21, 39};
    tKey = uniform(rng, tIdx.size(), 0.1f, 1);
    tV = uniform(rng, kDv, -1, 1);
    tO.assign(kDv, 0);
  }

  static constexpr std::size_t kN = 50, kK = 7;
  static constexpr std::size_t kRows = 30, kD = 17, kSel = 9;
  static constexpr std::size_t kDv = 6, kDk = 11, kDk2 = 40;

  std::vector<float> u, duty, kVal;
  std::vector<std::int32_t> kIdx;
  std::vector<float> W, wPost, wPre, wTarget;
  std::vector<std::int32_t> wIdx;
  std::vector<float> P, pPre, pPost, pTarget;
  std::vector<std::int32_t> pIdx;
  std::vector<float> H, hPost;
  std::vector<float> S, sKey, sV, sO;
  std::vector<float> T, tKey, tV, tO;
  std::vector<std::int32_t> tIdx;

  std::vector<std::vector<float> *> states() {
    return {&duty, &W, &P, &H, &S, &T};
  }
};

/// One state-updating call on a Model.
struct Call {
  std::string name;
  std::function<void(Model &, anima_step_context *)> run;
  /// Outputs the call computes whatever happens to state.
  std::function<std::vector<float>(const Model &)> outputs;
  /// Journal bytes of the call (status OK, p != 0).
  std::uint64_t need;
  /// Makes the call's LAST written value non-finite.
  std::function<void(Model &)> poison;
};

std::vector<float> none(const Model &) { return {}; }

std::vector<Call> calls() {
  using M = Model;
  std::vector<Call> c;
  c.push_back({"kwta duty",
               [](M &m, anima_step_context *ctx) {
                 anima_uk_kwta(ctx, m.u.data(), M::kN, m.duty.data(), M::kK,
                               ANIMA_KWTA_SOFTMAX, 1.0f, 0.5f, 10.0f,
                               m.kIdx.data(), m.kVal.data());
               },
               [](const M &m) {
                 std::vector<float> out = m.kVal;
                 for (std::int32_t i : m.kIdx)
                   out.push_back(static_cast<float>(i));
                 return out;
               },
               anima_uk_journal_bytes_kwta(M::kN),
               [](M &m) { m.duty[M::kN - 1] = kNaN; }});
  c.push_back({"plastic oja rows",
               [](M &m, anima_step_context *ctx) {
                 anima_uk_plastic_update(ctx, m.W.data(), M::kRows, M::kD,
                                         m.wIdx.data(), M::kSel, m.wPost.data(),
                                         m.wPre.data(), nullptr, nullptr,
                                         ANIMA_RULE_OJA, 0, 0.1f, 0.01f, 0.0f);
               },
               none, anima_uk_journal_bytes_rows(M::kSel, M::kD),
               [](M &m) { m.wPost[M::kSel - 1] = kInf; }});
  c.push_back({"plastic pre-major softmax_delta",
               [](M &m, anima_step_context *ctx) {
                 anima_uk_plastic_update(
                     ctx, m.P.data(), M::kRows, M::kD, m.pIdx.data(), M::kSel,
                     m.pPost.data(), m.pPre.data(), m.pTarget.data(), nullptr,
                     ANIMA_RULE_SOFTMAX_DELTA, ANIMA_PLASTIC_PRE_MAJOR, 0.2f,
                     0.0f, 1.0f);
               },
               none, anima_uk_journal_bytes_rows(M::kSel, M::kD),
               [](M &m) { m.pPre[M::kSel - 1] = kNaN; }});
  c.push_back({"plastic dense hebb",
               [](M &m, anima_step_context *ctx) {
                 const float mod = 0.5f;
                 anima_uk_plastic_update(ctx, m.H.data(), 6, M::kD, nullptr, 6,
                                         m.hPost.data(), m.wPre.data(), nullptr,
                                         &mod, ANIMA_RULE_HEBB, 0, 0.1f, 0.0f,
                                         0.0f);
               },
               none, anima_uk_journal_bytes_all_rows(6, M::kD),
               [](M &m) { m.hPost[5] = kInf; }});
  c.push_back(
      {"mem_write dense",
       [](M &m, anima_step_context *ctx) {
         anima_uk_mem_write(ctx, m.S.data(), M::kDv, M::kDk, m.sKey.data(),
                            nullptr, M::kDk, m.sV.data(), 0.9f, 0.5f, 1.0f,
                            ANIMA_MEM_NORMALIZE_KEY);
       },
       none,
       anima_uk_journal_bytes_mem_write(M::kDv, M::kDk, nullptr, M::kDk, 0.9f),
       [](M &m) { m.sV[M::kDv - 1] = kNaN; }});
  c.push_back(
      {"mem_write sparse alpha 1",
       [](M &m, anima_step_context *ctx) {
         anima_uk_mem_write(ctx, m.T.data(), M::kDv, M::kDk2, m.tKey.data(),
                            m.tIdx.data(),
                            static_cast<std::int64_t>(m.tIdx.size()),
                            m.tV.data(), 1.0f, 0.7f, 0.5f, 0);
       },
       none,
       anima_uk_journal_bytes_mem_write(
           M::kDv, M::kDk2,
           std::vector<std::int32_t>{1, 2, 3, 9, 20, 21, 39}.data(), 7, 1.0f),
       [](M &m) { m.tV[M::kDv - 1] = kInf; }});
  c.push_back(
      {"mem_write sparse decay",
       [](M &m, anima_step_context *ctx) {
         anima_uk_mem_write(
             ctx, m.T.data(), M::kDv, M::kDk2, m.tKey.data(), m.tIdx.data(),
             static_cast<std::int64_t>(m.tIdx.size()), m.tV.data(), 0.8f, 0.7f,
             1.0f, ANIMA_MEM_READ_FIRST | ANIMA_MEM_NORMALIZE_KEY);
       },
       none,
       anima_uk_journal_bytes_mem_write(M::kDv, M::kDk2, nullptr, 0, 0.8f),
       [](M &m) { m.tV[M::kDv - 1] = kNaN; }});
  c.push_back(
      {"fused dense",
       [](M &m, anima_step_context *ctx) {
         anima_uk_fused_mem_step(ctx, m.S.data(), M::kDv, M::kDk, m.sKey.data(),
                                 nullptr, M::kDk, m.sV.data(), 0.95f, 1.0f,
                                 1.0f, 0, m.sO.data());
       },
       [](const M &m) { return m.sO; },
       anima_uk_journal_bytes_mem_write(M::kDv, M::kDk, nullptr, M::kDk, 0.95f),
       [](M &m) { m.sV[M::kDv - 1] = kInf; }});
  c.push_back(
      {"fused sparse alpha 1",
       [](M &m, anima_step_context *ctx) {
         anima_uk_fused_mem_step(ctx, m.T.data(), M::kDv, M::kDk2,
                                 m.tKey.data(), m.tIdx.data(),
                                 static_cast<std::int64_t>(m.tIdx.size()),
                                 m.tV.data(), 1.0f, 1.0f, 0.0f, 0, m.tO.data());
       },
       [](const M &m) { return m.tO; },
       anima_uk_journal_bytes_mem_write(
           M::kDv, M::kDk2,
           std::vector<std::int32_t>{1, 2, 3, 9, 20, 21, 39}.data(), 7, 1.0f),
       [](M &m) { m.tV[M::kDv - 1] = kNaN; }});
  c.push_back({"rows_update delta",
               [](M &m, anima_step_context *ctx) {
                 anima_uk_rows_update(ctx, m.W.data(), M::kRows, M::kD,
                                      m.wIdx.data(), M::kSel, m.wPost.data(),
                                      m.wPre.data(), m.wTarget.data(), nullptr,
                                      ANIMA_RULE_DELTA, 0.3f, 0.0f, 2.0f);
               },
               none, anima_uk_journal_bytes_rows(M::kSel, M::kD),
               [](M &m) { m.wPost[M::kSel - 1] = kNaN; }});
  return c;
}

std::vector<std::vector<float>> snapshot(Model &m) {
  std::vector<std::vector<float>> out;
  for (auto *s : m.states())
    out.push_back(*s);
  return out;
}

::testing::AssertionResult sameState(Model &m,
                                     const std::vector<std::vector<float>> &s) {
  auto states = m.states();
  for (std::size_t i = 0; i < states.size(); ++i) {
    auto r = bitEqual(*states[i], s[i]);
    if (!r)
      return r << " (state " << i << ")";
  }
  return ::testing::AssertionSuccess();
}

/// The outputs of a call in a normal step (state updated, status OK).
std::vector<float> normalOutputs(const Call &call, unsigned seed) {
  Model m(seed);
  Step step(call.need);
  call.run(m, &step.ctx);
  EXPECT_EQ(step.ctx.status, ANIMA_STEP_OK);
  return call.outputs(m);
}

} // namespace

TEST(UkStep, EveryCallChangesStateAndJournalsExactly) {
  for (const Call &call : calls()) {
    SCOPED_TRACE(call.name);
    Model m(1);
    const auto before = snapshot(m);
    Step step(call.need);
    call.run(m, &step.ctx);
    EXPECT_EQ(step.ctx.status, ANIMA_STEP_OK);
    EXPECT_EQ(step.ctx.journal_used, call.need);
    EXPECT_FALSE(sameState(m, before)) << "the call should change state";
    step.undo();
    EXPECT_TRUE(sameState(m, before));
  }
}

TEST(UkStep, UndoingTheJournalNewestFirstRestoresTheStep) {
  // Every call twice, so later records save values earlier calls wrote.
  Model m(2);
  const auto before = snapshot(m);
  Step step(1u << 20);
  std::uint64_t need = 0;
  for (int round = 0; round < 2; ++round)
    for (const Call &call : calls()) {
      call.run(m, &step.ctx);
      need += call.need;
    }
  EXPECT_EQ(step.ctx.status, ANIMA_STEP_OK);
  EXPECT_EQ(step.ctx.journal_used, need);
  step.undo();
  EXPECT_TRUE(sameState(m, before));
}

TEST(UkStep, JournalOverflowWritesNothing) {
  for (const Call &call : calls()) {
    SCOPED_TRACE(call.name);
    for (std::uint64_t offset : {0u, 24u}) {
      Model m(3);
      const auto before = snapshot(m);
      // Room for everything but the last byte.
      Step step(offset + call.need - 1);
      step.ctx.journal_used = offset;
      call.run(m, &step.ctx);
      EXPECT_EQ(step.ctx.status, ANIMA_STEP_JOURNAL_OVERFLOW);
      EXPECT_EQ(step.ctx.journal_used, offset);
      EXPECT_TRUE(sameState(m, before));
      EXPECT_TRUE(bitEqual(call.outputs(m), normalOutputs(call, 3)));
      // Exactly enough room: fine.
      Model m2(3);
      Step exact(offset + call.need);
      exact.ctx.journal_used = offset;
      call.run(m2, &exact.ctx);
      EXPECT_EQ(exact.ctx.status, ANIMA_STEP_OK);
      EXPECT_EQ(exact.ctx.journal_used, offset + call.need);
    }
  }
}

TEST(UkStep, NoJournalAtAllOverflows) {
  for (const Call &call : calls()) {
    SCOPED_TRACE(call.name);
    Model m(4);
    const auto before = snapshot(m);
    anima_step_context ctx{};
    ctx.plasticity = 1.0f;
    call.run(m, &ctx);
    EXPECT_EQ(ctx.status, ANIMA_STEP_JOURNAL_OVERFLOW);
    EXPECT_TRUE(sameState(m, before));
  }
}

TEST(UkStep, FrozenOrRefusedStepsWriteNoStateButComputeOutputs) {
  for (const Call &call : calls()) {
    SCOPED_TRACE(call.name);
    for (std::uint32_t status :
         {ANIMA_STEP_OK, ANIMA_STEP_NONFINITE, ANIMA_STEP_JOURNAL_OVERFLOW}) {
      Model m(5);
      const auto before = snapshot(m);
      // Status OK with plasticity 0, or plasticity 1 with a refused step.
      Step step(call.need, status == ANIMA_STEP_OK ? 0.0f : 1.0f);
      step.ctx.status = status;
      call.run(m, &step.ctx);
      EXPECT_EQ(step.ctx.status, status);
      EXPECT_EQ(step.ctx.journal_used, 0u);
      EXPECT_TRUE(sameState(m, before));
      EXPECT_TRUE(bitEqual(call.outputs(m), normalOutputs(call, 5)));
    }
  }
}

TEST(UkStep, NonFiniteUpdateIsRefusedAndLaterCallsWriteNothing) {
  const std::vector<Call> all = calls();
  for (std::size_t bad = 0; bad < all.size(); ++bad) {
    SCOPED_TRACE(all[bad].name);
    Model m(6);
    all[bad].poison(m);
    Step step(1u << 20);
    // An earlier call of the step succeeds and journals (not the same state
    // as the poisoned call unless unavoidable).
    const Call &first = all[bad == 3 ? 0 : 3];
    first.run(m, &step.ctx);
    ASSERT_EQ(step.ctx.status, ANIMA_STEP_OK);
    const std::uint64_t used = step.ctx.journal_used;
    const auto before = snapshot(m);

    all[bad].run(m, &step.ctx);
    EXPECT_EQ(step.ctx.status, ANIMA_STEP_NONFINITE);
    EXPECT_EQ(step.ctx.journal_used, used) << "records of the refused call";
    EXPECT_TRUE(sameState(m, before)) << "the refused call wrote state";

    // Its outputs are still computed: equal to those of the same call on the
    // same inputs in a frozen step (the earlier call touches other state).
    {
      Model frozen(6);
      all[bad].poison(frozen);
      Step p0(0, 0.0f);
      all[bad].run(frozen, &p0.ctx);
      EXPECT_TRUE(bitEqual(all[bad].outputs(m), all[bad].outputs(frozen)));
    }

    // Every later state-updating call writes nothing.
    for (const Call &later : all) {
      later.run(m, &step.ctx);
      EXPECT_EQ(step.ctx.status, ANIMA_STEP_NONFINITE) << later.name;
      EXPECT_EQ(step.ctx.journal_used, used) << later.name;
    }
    EXPECT_TRUE(sameState(m, before));

    // Read-only kernels still compute.
    std::vector<float> y(Model::kSel, NAN);
    anima_uk_gather_matvec(&step.ctx, m.W.data(), Model::kRows, Model::kD,
                           m.wIdx.data(), Model::kSel, m.wPre.data(), y.data());
    for (float v : y)
      EXPECT_FALSE(std::isnan(v));

    // The runtime's undo then gives back the state before the step.
    step.undo();
    Model fresh(6);
    all[bad].poison(fresh);
    EXPECT_TRUE(sameState(m, snapshot(fresh)));
  }
}

TEST(UkStep, OverflowToInfinityFromFiniteValuesIsRefused) {
  // Finite weights, inputs and rates whose update overflows f32.
  std::vector<float> W = {3e38f, 1.0f, 2.0f, 3e38f};
  const std::vector<float> before = W;
  const std::vector<float> post = {1e30f, 1e30f};
  const std::vector<float> pre = {1e30f, 1.0f};
  Step step;
  anima_uk_plastic_update(&step.ctx, W.data(), 2, 2, nullptr, 2, post.data(),
                          pre.data(), nullptr, nullptr, ANIMA_RULE_HEBB, 0,
                          1.0f, 0.0f, 0.0f);
  EXPECT_EQ(step.ctx.status, ANIMA_STEP_NONFINITE);
  EXPECT_EQ(step.ctx.journal_used, 0u);
  EXPECT_TRUE(bitEqual(W, before));

  // Rescaling to a huge (finite) norm is fine...
  const std::vector<float> zero = {0.0f};
  const std::vector<float> x = {0.0f, 0.0f};
  std::vector<float> R = {1.0f, 1.0f};
  Step step2;
  anima_uk_plastic_update(&step2.ctx, R.data(), 1, 2, nullptr, 1, zero.data(),
                          x.data(), nullptr, nullptr, ANIMA_RULE_HEBB, 0, 0.1f,
                          0.0f, 3e38f);
  EXPECT_EQ(step2.ctx.status, ANIMA_STEP_OK);
  EXPECT_TRUE(std::isfinite(R[0]) && R[0] > 2e38f);
  // ...but a tiny row's scale 3e38 / 1e-22 overflows: only the rescaled
  // values are non-finite, and the row is restored.
  std::vector<float> tiny = {1e-22f, 0.0f};
  Step step3;
  anima_uk_plastic_update(&step3.ctx, tiny.data(), 1, 2, nullptr, 1,
                          zero.data(), x.data(), nullptr, nullptr,
                          ANIMA_RULE_HEBB, 0, 0.1f, 0.0f, 3e38f);
  EXPECT_EQ(step3.ctx.status, ANIMA_STEP_NONFINITE);
  EXPECT_EQ(tiny[0], 1e-22f);
  EXPECT_EQ(step3.ctx.journal_used, 0u);
}
