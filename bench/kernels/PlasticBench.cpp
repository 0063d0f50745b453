//===- PlasticBench.cpp - anima-bench-plastic ----------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The plastic layer kernels at the shape of issue 6: W is 16384 x 1024 f32
// (64 MiB), k active rows per step, fresh rows (a different set every step,
// consecutive sets disjoint) or the same rows every step.
//
// Benchmarks, for every backend B (ref, uk, uk.<isa>, compiled, vulkan):
//
//   kwta/B/k=K                    top-k of N = 16384 scores, value mode
//   kwta_boost/B/k=K              same with duty-cycle boosting and update
//   gather_matvec/B/k=K/R         y_j = W[idx_j] . x
//   sparse_matvec/B/k=K/R         y = sum_j val_j W[idx_j]
//   plastic_update/B/k=K/R        Oja on the k rows (post given)
//   plastic_step/B/k=K/R          fused gather + Oja (one pass over the rows)
//   plastic_step_unfused/B/k=K/R  gather_matvec, then plastic_update
//
// and the baselines of the same binary: triad/<footprint> and dense/sgemv,
// dense/sger, dense/sgemv_sger over the whole 16384 x 1024 layer.
//
// Compulsory bytes per call (what no implementation can avoid moving):
//   kwta            read u (4N), write idx and val (8k); boosting adds
//                   read + write of the duty cycles (8N)
//   gather_matvec   read k rows (4kD) + idx (4k) + x (4D), write y (4k)
//   sparse_matvec   read k rows (4kD) + idx, val (8k), write y (4D)
//   plastic_update  read + write k rows (8kD) + idx, post (8k) + x (4D)
//   plastic_step    read + write k rows (8kD) + idx (4k) + x (4D) + y (4k)
// The undo journal (a copy of the old rows into a buffer that stays in
// cache) is NOT compulsory: it is the price of the guard and shows up as a
// lower fraction of the triad bandwidth.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"

#include "anima/abi.h"
#include "anima/kernels/cpu/JournalBytes.h"
#include "anima/kernels/reference/Reference.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>

using namespace anima::bench;
namespace ref = anima::ref;

namespace {

constexpr std::int64_t N = kRows, D = kDim;
constexpr float kEta = 1e-3f;

/// The layer's weights, shared by every benchmark of the binary that calls
/// kernels directly (the compiled models hold their own copy).
Floats &weights() {
  static Floats W = [] {
    Floats w(static_cast<std::size_t>(N * D));
    fillUniform(w.data(), w.size(), -0.03f, 0.03f, 1);
    return w;
  }();
  return W;
}

/// Inputs of one step.
struct Inputs {
  Floats x{static_cast<std::size_t>(D)};
  Floats vals{static_cast<std::size_t>(N)};
  Floats post{static_cast<std::size_t>(N)};
  Inputs() {
    fillUnitVector(x.data(), x.size(), 1.0f, 2);
    fillUniform(vals.data(), vals.size(), 0.0f, 0.1f, 3);
    fillUniform(post.data(), post.size(), -0.5f, 0.5f, 4);
  }
};

std::string triadFor(Rows rows, std::int64_t k) {
  return triadName(rows == Rows::Fresh ? std::uint64_t(N * D * 4)
                                       : std::uint64_t(k * D * 4));
}

std::string name(const char *kernel, const std::string &backend,
                 std::int64_t k, Rows rows) {
  return std::string(kernel) + "/" + backend + "/k=" + std::to_string(k) +
         "/" + rowsName(rows);
}

double gatherBytes(std::int64_t k) { return 4.0 * (k * D + 2 * k + D); }
double sparseBytes(std::int64_t k) { return 4.0 * (k * D + 2 * k + D); }
double updateBytes(std::int64_t k) { return 4.0 * (2 * k * D + 2 * k + D); }
double stepBytes(std::int64_t k) { return 4.0 * (2 * k * D + 2 * k + D); }

//===----------------------------------------------------------------------===//
// Direct calls: reference and microkernels
//===----------------------------------------------------------------------===//

/// The kernels of one step, called directly.
struct Direct {
  virtual ~Direct() = default;
  virtual void gather(const std::int32_t *idx, std::int64_t k, const float *x,
                      float *y) = 0;
  virtual void sparse(const std::int32_t *idx, const float *val,
                      std::int64_t k, float *y) = 0;
  virtual void update(const std::int32_t *idx, std::int64_t k,
                      const float *post, const float *x) = 0;
  /// The fused step (for the reference: the same two calls).
  virtual void step(const std::int32_t *idx, std::int64_t k, const float *x,
                    float *y) = 0;
  virtual bool check(benchmark::State &state) = 0;
};

struct RefDirect : Direct {
  bool ok = true;
  void gather(const std::int32_t *idx, std::int64_t k, const float *x,
              float *y) override {
    ok &= ref::gather_matvec(weights().data(), N, D, idx, k, x, y);
  }
  void sparse(const std::int32_t *idx, const float *val, std::int64_t k,
              float *y) override {
    ok &= ref::sparse_matvec(weights().data(), N, D, idx, val, k, y);
  }
  void update(const std::int32_t *idx, std::int64_t k, const float *post,
              const float *x) override {
    ref::PlasticParams p;
    p.eta = kEta;
    ok &= ref::plastic_update(weights().data(), N, D, idx, k,
                              ref::PlasticRule::Oja, p, post, x, nullptr);
  }
  void step(const std::int32_t *idx, std::int64_t k, const float *x,
            float *y) override {
    gather(idx, k, x, y);
    update(idx, k, y, x);
  }
  bool check(benchmark::State &state) override {
    if (!ok)
      state.SkipWithError("a reference kernel rejected its arguments");
    return ok;
  }
};

struct UkDirect : Direct {
  StepContext ctx;
  explicit UkDirect(std::int64_t k)
      : ctx(anima_uk_journal_bytes_rows(k, D)) {}
  void gather(const std::int32_t *idx, std::int64_t k, const float *x,
              float *y) override {
    anima_uk_gather_matvec(ctx.begin(), weights().data(), N, D, idx, k, x, y);
  }
  void sparse(const std::int32_t *idx, const float *val, std::int64_t k,
              float *y) override {
    anima_uk_sparse_matvec(ctx.begin(), weights().data(), N, D, idx, val, k,
                           y);
  }
  void update(const std::int32_t *idx, std::int64_t k, const float *post,
              const float *x) override {
    anima_uk_plastic_update(ctx.begin(), weights().data(), N, D, idx, k, post,
                            x, nullptr, nullptr, ANIMA_RULE_OJA, 0, kEta, 0.0f,
                            0.0f);
  }
  /// What the compiler generates for anima.fused_plastic_step: tiles of
  /// rows that fit in 32 KiB, rows_dot then rows_update per tile.
  void step(const std::int32_t *idx, std::int64_t k, const float *x,
            float *y) override {
    anima_step_context *c = ctx.begin();
    const std::int64_t tile = std::max<std::int64_t>(1, 32768 / (4 * D));
    float *W = weights().data();
    for (std::int64_t t = 0; t < k; t += tile) {
      const std::int64_t count = std::min(tile, k - t);
      anima_uk_rows_dot(c, W, N, D, idx + t, count, x, y + t);
      anima_uk_rows_update(c, W, N, D, idx + t, count, y + t, x, nullptr,
                           nullptr, ANIMA_RULE_OJA, kEta, 0.0f, 0.0f);
    }
  }
  bool check(benchmark::State &state) override { return ctx.check(state); }
};

enum class Op { Gather, Sparse, Update, Step, Unfused };

const char *opName(Op op) {
  switch (op) {
  case Op::Gather:
    return "gather_matvec";
  case Op::Sparse:
    return "sparse_matvec";
  case Op::Update:
    return "plastic_update";
  case Op::Step:
    return "plastic_step";
  case Op::Unfused:
    return "plastic_step_unfused";
  }
  return "?";
}

double opBytes(Op op, std::int64_t k) {
  switch (op) {
  case Op::Gather:
    return gatherBytes(k);
  case Op::Sparse:
    return sparseBytes(k);
  case Op::Update:
    return updateBytes(k);
  case Op::Step:
  case Op::Unfused:
    return stepBytes(k);
  }
  return 0;
}

Compare compareFor(Op op, const std::string &backend, std::int64_t k,
                   Rows rows) {
  Compare c;
  c.triad = triadFor(rows, k);
  switch (op) {
  case Op::Gather:
  case Op::Sparse:
    c.dense = "dense/sgemv";
    break;
  case Op::Update:
    c.dense = "dense/sger";
    break;
  case Op::Step:
    c.dense = "dense/sgemv_sger";
    c.unfused = name(opName(Op::Unfused), backend, k, rows);
    c.forward = name(opName(Op::Gather), backend, k, rows);
    break;
  case Op::Unfused:
    c.dense = "dense/sgemv_sger";
    break;
  }
  return c;
}

/// Runs `op` through `direct` over the rows of `pool`.
void runDirect(benchmark::State &state, Direct &direct, Op op, std::int64_t k,
               Rows rows, const std::string &backend) {
  weights(); // created (64 MiB) before timing starts
  Inputs in;
  IndexPool pool(N, k, rows, 100 + static_cast<std::uint64_t>(k));
  Floats y(static_cast<std::size_t>(std::max(k, D)));
  for (auto _ : state) {
    const std::int32_t *idx = pool.next();
    switch (op) {
    case Op::Gather:
      direct.gather(idx, k, in.x.data(), y.data());
      break;
    case Op::Sparse:
      direct.sparse(idx, in.vals.data(), k, y.data());
      break;
    case Op::Update:
      direct.update(idx, k, in.post.data(), in.x.data());
      break;
    case Op::Step:
      direct.step(idx, k, in.x.data(), y.data());
      break;
    case Op::Unfused:
      direct.gather(idx, k, in.x.data(), y.data());
      direct.update(idx, k, y.data(), in.x.data());
      break;
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  if (!direct.check(state))
    return;
  report(state, opBytes(op, k), double(k), compareFor(op, backend, k, rows));
}

//===----------------------------------------------------------------------===//
// kwta
//===----------------------------------------------------------------------===//

/// A few score vectors (a new one every step).
struct Scores {
  static constexpr int kCount = 8;
  Floats u{static_cast<std::size_t>(N * kCount)};
  int pos = 0;
  Scores() { fillUniform(u.data(), u.size(), -1.0f, 1.0f, 5); }
  const float *next() {
    const float *p = u.data() + pos * N;
    pos = (pos + 1) % kCount;
    return p;
  }
};

double kwtaBytes(std::int64_t k, bool boost) {
  return 4.0 * N + 8.0 * k + (boost ? 8.0 * N : 0.0);
}

/// kwta reads 64 KiB of scores (plus 64 KiB of duty cycles): its bandwidth
/// reference is the triad at 256 KiB (L2).
Compare kwtaCompare() {
  Compare c;
  c.triad = triadName(256u << 10);
  return c;
}

void kwtaRef(benchmark::State &state, std::int64_t k, bool boost) {
  Scores scores;
  Floats duty(static_cast<std::size_t>(N), float(k) / float(N));
  std::vector<std::int32_t> idx(static_cast<std::size_t>(k));
  Floats val(static_cast<std::size_t>(k));
  ref::KwtaParams p;
  p.k = k;
  if (boost) {
    p.beta = 2.0f;
    p.period = 1000.0f;
  }
  bool ok = true;
  for (auto _ : state) {
    ok &= ref::kwta(scores.next(), N, boost ? duty.data() : nullptr, p,
                    idx.data(), val.data(), boost ? duty.data() : nullptr);
    benchmark::DoNotOptimize(idx.data());
    benchmark::ClobberMemory();
  }
  if (!ok) {
    state.SkipWithError("reference kwta rejected its arguments");
    return;
  }
  report(state, kwtaBytes(k, boost), double(N), kwtaCompare());
}

void kwtaUk(benchmark::State &state, std::int64_t k, bool boost) {
  Scores scores;
  Floats duty(static_cast<std::size_t>(N), float(k) / float(N));
  std::vector<std::int32_t> idx(static_cast<std::size_t>(k));
  Floats val(static_cast<std::size_t>(k));
  StepContext ctx(anima_uk_journal_bytes_kwta(N));
  for (auto _ : state) {
    anima_uk_kwta(ctx.begin(), scores.next(), N, boost ? duty.data() : nullptr,
                  k, ANIMA_KWTA_VALUE, boost ? 2.0f : 0.0f, 1.0f,
                  boost ? 1000.0f : 0.0f, idx.data(), val.data());
    benchmark::DoNotOptimize(idx.data());
    benchmark::ClobberMemory();
  }
  if (!ctx.check(state))
    return;
  report(state, kwtaBytes(k, boost), double(N), kwtaCompare());
}

//===----------------------------------------------------------------------===//
// Compiled artifacts (bench/models/plastic.mlir) through the runtime
//===----------------------------------------------------------------------===//

/// The compiled plastic model on `backend`, opened once per binary.
CompiledModel &compiledModel(const char *backend) {
  static std::map<std::string, std::unique_ptr<CompiledModel>> models;
  auto &slot = models[backend];
  if (!slot)
    slot = std::make_unique<CompiledModel>(artifactPath("plastic.anima"),
                                           backend);
  return *slot;
}

void runCompiled(benchmark::State &state, const char *backend, Op op,
                 std::int64_t k, Rows rows, const std::string &backendName) {
  CompiledModel &model = compiledModel(backend);
  if (!model.ok()) {
    state.SkipWithError(model.error().c_str());
    return;
  }
  const std::string ks = std::to_string(k);
  const long gather = model.entry("gather_k" + ks);
  const long sparse = model.entry("sparse_k" + ks);
  const long update = model.entry("update_k" + ks);
  const long step = model.entry("step_k" + ks);
  if (gather < 0 || sparse < 0 || update < 0 || step < 0) {
    state.SkipWithError(("plastic.anima: " + model.error()).c_str());
    return;
  }
  Inputs in;
  IndexPool pool(N, k, rows, 100 + static_cast<std::uint64_t>(k));
  Floats y(static_cast<std::size_t>(std::max(k, D)));
  const std::size_t kb = static_cast<std::size_t>(k) * 4;
  const std::size_t db = static_cast<std::size_t>(D) * 4;
  bool ok = true;
  auto once = [&] {
    const std::int32_t *idx = pool.next();
    switch (op) {
    case Op::Gather:
      ok &= model.step(gather, {{idx, kb}, {in.x.data(), db}},
                       {{y.data(), kb}});
      break;
    case Op::Sparse:
      ok &= model.step(sparse, {{idx, kb}, {in.vals.data(), kb}},
                       {{y.data(), db}});
      break;
    case Op::Update:
      ok &= model.step(update, {{idx, kb}, {in.post.data(), kb},
                                {in.x.data(), db}},
                       {});
      break;
    case Op::Step:
      ok &= model.step(step, {{idx, kb}, {in.x.data(), db}}, {{y.data(), kb}});
      break;
    case Op::Unfused:
      ok &= model.step(gather, {{idx, kb}, {in.x.data(), db}},
                       {{y.data(), kb}});
      ok &= model.step(update, {{idx, kb}, {y.data(), kb}, {in.x.data(), db}},
                       {});
      break;
    }
  };
  // One untimed step: first-use costs (a Vulkan driver compiles its
  // pipelines' machine code lazily) are not the kernel's.
  once();
  for (auto _ : state) {
    once();
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  if (!ok) {
    state.SkipWithError(("step failed: " + model.error()).c_str());
    return;
  }
  report(state, opBytes(op, k), double(k),
         compareFor(op, backendName, k, rows));
}

void runCompiledKwta(benchmark::State &state, const char *backend,
                     std::int64_t k, bool boost) {
  CompiledModel &model = compiledModel(backend);
  if (!model.ok()) {
    state.SkipWithError(model.error().c_str());
    return;
  }
  const long entry =
      model.entry((boost ? "kwta_boost_k" : "kwta_k") + std::to_string(k));
  if (entry < 0) {
    state.SkipWithError(("plastic.anima: " + model.error()).c_str());
    return;
  }
  Scores scores;
  std::vector<std::int32_t> idx(static_cast<std::size_t>(k));
  Floats val(static_cast<std::size_t>(k));
  const std::size_t kb = static_cast<std::size_t>(k) * 4;
  bool ok = model.step(entry, {{scores.next(), std::size_t(N) * 4}},
                       {{idx.data(), kb}, {val.data(), kb}}); // warm-up
  for (auto _ : state) {
    ok &= model.step(entry, {{scores.next(), std::size_t(N) * 4}},
                     {{idx.data(), kb}, {val.data(), kb}});
    benchmark::DoNotOptimize(idx.data());
    benchmark::ClobberMemory();
  }
  if (!ok) {
    state.SkipWithError(("step failed: " + model.error()).c_str());
    return;
  }
  report(state, kwtaBytes(k, boost), double(N), kwtaCompare());
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

template <class F> void add(const std::string &n, F f) {
  benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(n.c_str(), f);
  b->Apply(configure);
  // The Vulkan rows run on another device: wall time is what they cost.
  if (n.find("/vulkan") != std::string::npos)
    b->UseRealTime();
}

void registerAll() {
  const bool quick = quickMode();
  // Baselines.
  registerTriad(std::uint64_t(N * D * 4));
  if (!quick) {
    for (std::uint64_t f : {256ull << 10, 1ull << 20, 4ull << 20})
      registerTriad(f);
    registerTriad(1ull << 30); // a DRAM reference: far beyond any L3
  }
  registerDense("dense", N, D);

  std::vector<std::int64_t> ks = quick ? std::vector<std::int64_t>{256}
                                       : activeCounts();
  std::vector<Rows> rowKinds = quick ? std::vector<Rows>{Rows::Fresh}
                                     : std::vector<Rows>{Rows::Fresh,
                                                         Rows::Same};
  const Op ops[] = {Op::Gather, Op::Sparse, Op::Update, Op::Step, Op::Unfused};
  std::vector<UkBackend> uks = ukBackends();
  if (quick)
    uks.resize(1);

  for (std::int64_t k : ks) {
    for (bool boost : {false, true}) {
      if (quick && boost)
        continue;
      const char *kernel = boost ? "kwta_boost" : "kwta";
      const std::string suffix = "/k=" + std::to_string(k);
      if (!quick)
        add(std::string(kernel) + "/ref" + suffix,
            [k, boost](benchmark::State &s) { kwtaRef(s, k, boost); });
      for (const UkBackend &b : uks)
        add(std::string(kernel) + "/" + b.name + suffix,
            [k, boost, b](benchmark::State &s) {
              selectUk(b);
              kwtaUk(s, k, boost);
              selectUk({"uk", -1});
            });
      add(std::string(kernel) + "/compiled" + suffix,
          [k, boost](benchmark::State &s) {
            runCompiledKwta(s, "cpu", k, boost);
          });
      if (!quick)
        add(std::string(kernel) + "/vulkan" + suffix,
            [k, boost](benchmark::State &s) {
              runCompiledKwta(s, "vulkan", k, boost);
            });
    }
    for (Rows rows : rowKinds) {
      if (k == N && rows == Rows::Same)
        continue; // every row: fresh and same are the same thing
      for (Op op : ops) {
        if (quick && op == Op::Sparse)
          continue;
        // The reference takes ~50 ms per call at k = 16384.
        if (!quick && k < N)
          add(name(opName(op), "ref", k, rows),
              [op, k, rows](benchmark::State &s) {
                RefDirect direct;
                runDirect(s, direct, op, k, rows, "ref");
              });
        for (const UkBackend &b : uks)
          add(name(opName(op), b.name, k, rows),
              [op, k, rows, b](benchmark::State &s) {
                selectUk(b);
                UkDirect direct(k);
                runDirect(s, direct, op, k, rows, b.name);
                selectUk({"uk", -1});
              });
        add(name(opName(op), "compiled", k, rows),
            [op, k, rows](benchmark::State &s) {
              runCompiled(s, "cpu", op, k, rows, "compiled");
            });
        if (!quick)
          add(name(opName(op), "vulkan", k, rows),
              [op, k, rows](benchmark::State &s) {
                runCompiled(s, "vulkan", op, k, rows, "vulkan");
              });
      }
    }
  }
}

} // namespace

int main(int argc, char **argv) { return benchMain(argc, argv, registerAll); }
