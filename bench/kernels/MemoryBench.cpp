//===- MemoryBench.cpp - anima-bench-memory ------------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The associative-memory kernels: S is d x d f32 (d in {128, 512, 1024}),
// written with the delta rule (alpha = 1, beta = 0.5, gamma = 1, decay
// first) and a dense unit-norm key (a new key and value every step).
//
// Benchmarks, for every backend B (ref, uk, uk.<isa>, compiled, vulkan):
//
//   mem_read/B/d=D           o = S q
//   mem_write/B/d=D          S += beta (v - S k) k^T
//   mem_step/B/d=D           fused: o = S k, then the write (one pass)
//   mem_step_unfused/B/d=D   mem_read, then mem_write
//
// and the baselines of the same binary: triad/<d*d*4 bytes> and
// dense/d=D/sgemv (o = S q), dense/d=D/sgemv_sger (retrieval + rank-1 write).
//
// Compulsory bytes per call:
//   mem_read    read S (4d^2) + q (4d), write o (4d)
//   mem_write   read + write S (8d^2) + k, v (8d)
//   mem_step    read + write S (8d^2) + k, v (8d), write o (4d)
// The journal (all of S: a dense key changes every element) is not
// compulsory.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"

#include "anima/abi.h"
#include "anima/kernels/cpu/JournalBytes.h"
#include "anima/kernels/reference/Reference.h"

#include <map>
#include <memory>
#include <string>

using namespace anima::bench;
namespace ref = anima::ref;

namespace {

constexpr float kAlpha = 1.0f, kBeta = 0.5f, kGamma = 1.0f;

/// The memory of size d, shared by every direct-call benchmark of that size.
Floats &memory(std::int64_t d) {
  static std::map<std::int64_t, std::unique_ptr<Floats>> all;
  auto &slot = all[d];
  if (!slot) {
    slot = std::make_unique<Floats>(static_cast<std::size_t>(d * d));
    fillUniform(slot->data(), slot->size(), -0.01f, 0.01f,
                static_cast<std::uint64_t>(d));
  }
  return *slot;
}

/// Keys (unit norm) and values, a new pair every step.
struct Inputs {
  static constexpr int kCount = 16;
  std::int64_t d;
  Floats keys, values, o;
  int pos = 0;
  explicit Inputs(std::int64_t d)
      : d(d), keys(static_cast<std::size_t>(d * kCount)),
        values(static_cast<std::size_t>(d * kCount)),
        o(static_cast<std::size_t>(d)) {
    for (int i = 0; i < kCount; ++i)
      fillUnitVector(keys.data() + i * d, static_cast<std::size_t>(d), 1.0f,
                     1000 + static_cast<std::uint64_t>(i));
    fillUniform(values.data(), values.size(), -1.0f, 1.0f, 7);
  }
  void next(const float *&k, const float *&v) {
    k = keys.data() + pos * d;
    v = values.data() + pos * d;
    pos = (pos + 1) % kCount;
  }
};

enum class Op { Read, Write, Step, Unfused };

const char *opName(Op op) {
  switch (op) {
  case Op::Read:
    return "mem_read";
  case Op::Write:
    return "mem_write";
  case Op::Step:
    return "mem_step";
  case Op::Unfused:
    return "mem_step_unfused";
  }
  return "?";
}

std::string name(Op op, const std::string &backend, std::int64_t d) {
  return std::string(opName(op)) + "/" + backend + "/d=" + std::to_string(d);
}

double opBytes(Op op, std::int64_t d) {
  const double s = 4.0 * double(d) * double(d), v = 4.0 * double(d);
  switch (op) {
  case Op::Read:
    return s + 2 * v;
  case Op::Write:
    return 2 * s + 2 * v;
  case Op::Step:
  case Op::Unfused:
    return 2 * s + 3 * v;
  }
  return 0;
}

std::string denseName(std::int64_t d, bool learn) {
  return "dense/d=" + std::to_string(d) + (learn ? "/sgemv_sger" : "/sgemv");
}

Compare compareFor(Op op, const std::string &backend, std::int64_t d) {
  Compare c;
  c.triad = triadName(std::uint64_t(d * d * 4));
  c.dense = denseName(d, op != Op::Read);
  if (op == Op::Step) {
    c.unfused = name(Op::Unfused, backend, d);
    c.forward = name(Op::Read, backend, d);
  }
  return c;
}

ref::MemWriteParams refParams() {
  ref::MemWriteParams p;
  p.alpha = kAlpha;
  p.beta = kBeta;
  p.gamma = kGamma;
  return p;
}

void runRef(benchmark::State &state, Op op, std::int64_t d) {
  float *S = memory(d).data(); // created before timing starts
  Inputs in(d);
  const ref::MemWriteParams params = refParams();
  bool ok = true;
  for (auto _ : state) {
    const float *k, *v;
    in.next(k, v);
    if (op != Op::Write)
      ok &= ref::mem_read(S, d, d, k, in.o.data());
    if (op != Op::Read)
      ok &= ref::mem_write(S, d, d, k, v, params);
    benchmark::DoNotOptimize(in.o.data());
    benchmark::ClobberMemory();
  }
  if (!ok) {
    state.SkipWithError("a reference kernel rejected its arguments");
    return;
  }
  report(state, opBytes(op, d), double(d), compareFor(op, "ref", d));
}

void runUk(benchmark::State &state, Op op, std::int64_t d,
           const std::string &backend) {
  float *S = memory(d).data();
  Inputs in(d);
  StepContext ctx(anima_uk_journal_bytes_mem_write(d, d, nullptr, 0, kAlpha));
  for (auto _ : state) {
    const float *k, *v;
    in.next(k, v);
    anima_step_context *c = ctx.begin();
    switch (op) {
    case Op::Read:
      anima_uk_mem_read(c, S, d, d, k, nullptr, 0, in.o.data());
      break;
    case Op::Write:
      anima_uk_mem_write(c, S, d, d, k, nullptr, 0, v, kAlpha, kBeta, kGamma,
                         0);
      break;
    case Op::Step:
      anima_uk_fused_mem_step(c, S, d, d, k, nullptr, 0, v, kAlpha, kBeta,
                              kGamma, 0, in.o.data());
      break;
    case Op::Unfused:
      anima_uk_mem_read(c, S, d, d, k, nullptr, 0, in.o.data());
      anima_uk_mem_write(c, S, d, d, k, nullptr, 0, v, kAlpha, kBeta, kGamma,
                         0);
      break;
    }
    benchmark::DoNotOptimize(in.o.data());
    benchmark::ClobberMemory();
  }
  if (!ctx.check(state))
    return;
  report(state, opBytes(op, d), double(d), compareFor(op, backend, d));
}

CompiledModel &compiledModel(const char *backend) {
  static std::map<std::string, std::unique_ptr<CompiledModel>> models;
  auto &slot = models[backend];
  if (!slot)
    slot = std::make_unique<CompiledModel>(artifactPath("memory.anima"),
                                           backend);
  return *slot;
}

void runCompiled(benchmark::State &state, const char *backend, Op op,
                 std::int64_t d, const std::string &backendName) {
  CompiledModel &model = compiledModel(backend);
  if (!model.ok()) {
    state.SkipWithError(model.error().c_str());
    return;
  }
  const std::string ds = std::to_string(d);
  const long read = model.entry("read_d" + ds);
  const long write = model.entry("write_d" + ds);
  const long step = model.entry("step_d" + ds);
  if (read < 0 || write < 0 || step < 0) {
    state.SkipWithError(("memory.anima: " + model.error()).c_str());
    return;
  }
  Inputs in(d);
  const std::size_t vb = static_cast<std::size_t>(d) * 4;
  bool ok = true;
  auto once = [&] {
    const float *k, *v;
    in.next(k, v);
    switch (op) {
    case Op::Read:
      ok &= model.step(read, {{k, vb}}, {{in.o.data(), vb}});
      break;
    case Op::Write:
      ok &= model.step(write, {{k, vb}, {v, vb}}, {});
      break;
    case Op::Step:
      ok &= model.step(step, {{k, vb}, {v, vb}}, {{in.o.data(), vb}});
      break;
    case Op::Unfused:
      ok &= model.step(read, {{k, vb}}, {{in.o.data(), vb}});
      ok &= model.step(write, {{k, vb}, {v, vb}}, {});
      break;
    }
  };
  // One untimed step: first-use costs (a Vulkan driver compiles its
  // pipelines' machine code lazily) are not the kernel's.
  once();
  for (auto _ : state) {
    once();
    benchmark::DoNotOptimize(in.o.data());
    benchmark::ClobberMemory();
  }
  if (!ok) {
    state.SkipWithError(("step failed: " + model.error()).c_str());
    return;
  }
  report(state, opBytes(op, d), double(d), compareFor(op, backendName, d));
}

template <class F> void add(const std::string &n, F f) {
  benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(n.c_str(), f);
  b->Apply(configure);
  // The Vulkan rows run on another device: wall time is what they cost.
  if (n.find("/vulkan") != std::string::npos)
    b->UseRealTime();
}

void registerAll() {
  const bool quick = quickMode();
  std::vector<std::int64_t> ds =
      quick ? std::vector<std::int64_t>{512} : memoryDims();
  std::vector<UkBackend> uks = ukBackends();
  if (quick)
    uks.resize(1);
  for (std::int64_t d : ds) {
    registerTriad(std::uint64_t(d * d * 4));
    registerDense("dense/d=" + std::to_string(d), d, d);
    for (Op op : {Op::Read, Op::Write, Op::Step, Op::Unfused}) {
      if (!quick)
        add(name(op, "ref", d),
            [op, d](benchmark::State &s) { runRef(s, op, d); });
      for (const UkBackend &b : uks)
        add(name(op, b.name, d), [op, d, b](benchmark::State &s) {
          selectUk(b);
          runUk(s, op, d, b.name);
          selectUk({"uk", -1});
        });
      add(name(op, "compiled", d), [op, d](benchmark::State &s) {
        runCompiled(s, "cpu", op, d, "compiled");
      });
      if (!quick)
        add(name(op, "vulkan", d), [op, d](benchmark::State &s) {
          runCompiled(s, "vulkan", op, d, "vulkan");
        });
    }
  }
}

} // namespace

int main(int argc, char **argv) { return benchMain(argc, argv, registerAll); }
