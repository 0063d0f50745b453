//===- BenchSupport.cpp - Shared pieces of the kernel benchmarks ---------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "BenchSupport.h"

#include "anima/kernels/cpu/Isa.h"
#include "anima/runtime/anima.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <random>

extern "C" {
// OpenBLAS (Debian libopenblas-dev); declared here so the benchmark does not
// depend on which cblas.h the alternatives system points at.
enum BenchCblasOrder { BenchRowMajor = 101 };
enum BenchCblasTranspose { BenchNoTrans = 111 };
void cblas_sgemv(int order, int trans, int m, int n, float alpha,
                 const float *a, int lda, const float *x, int incx,
                 float beta, float *y, int incy);
void cblas_sger(int order, int m, int n, float alpha, const float *x,
                int incx, const float *y, int incy, float *a, int lda);
void openblas_set_num_threads(int n);
}

namespace anima::bench {

const std::vector<std::int64_t> &activeCounts() {
  static const std::vector<std::int64_t> ks = {64, 256, 1024, 16384};
  return ks;
}

const std::vector<std::int64_t> &memoryDims() {
  static const std::vector<std::int64_t> ds = {128, 512, 1024};
  return ds;
}

//===----------------------------------------------------------------------===//
// Buffers and inputs
//===----------------------------------------------------------------------===//

Floats::Floats(std::size_t n, float fill) : n_(n) {
  const std::size_t bytes = std::max<std::size_t>(64, (n * 4 + 63) & ~63ull);
  p_.reset(static_cast<float *>(std::aligned_alloc(64, bytes)));
  if (!p_) {
    std::fprintf(stderr, "bench: cannot allocate %zu bytes\n", bytes);
    std::abort();
  }
  std::fill(p_.get(), p_.get() + n, fill);
}

void fillUniform(float *x, std::size_t n, float lo, float hi,
                 std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = dist(rng);
}

void fillUnitVector(float *x, std::size_t n, float norm, std::uint64_t seed) {
  fillUniform(x, n, -1.0f, 1.0f, seed);
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    s += double(x[i]) * x[i];
  const float scale = s > 0.0 ? float(norm / std::sqrt(s)) : 0.0f;
  for (std::size_t i = 0; i < n; ++i)
    x[i] *= scale;
}

const char *rowsName(Rows rows) {
  return rows == Rows::Fresh ? "fresh" : "same";
}

IndexPool::IndexPool(std::int64_t n, std::int64_t k, Rows rows,
                     std::uint64_t seed)
    : k_(k) {
  std::mt19937_64 rng(seed);
  std::vector<std::int32_t> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  const std::int64_t perEpoch = std::max<std::int64_t>(1, n / k);
  // Fresh: 4 epochs (different permutations), at least 8 sets; same: 1 set.
  const std::int64_t epochs =
      rows == Rows::Same ? 1 : std::max<std::int64_t>(4, 8 / perEpoch + 1);
  for (std::int64_t e = 0; e < epochs; ++e) {
    std::shuffle(perm.begin(), perm.end(), rng);
    for (std::int64_t s = 0; s < perEpoch; ++s) {
      auto first = perm.begin() + s * k;
      std::vector<std::int32_t> set(first, first + k);
      std::sort(set.begin(), set.end());
      sets_.insert(sets_.end(), set.begin(), set.end());
      ++count_;
      if (rows == Rows::Same)
        return;
    }
  }
}

StepContext::StepContext(std::uint64_t capacity, float plasticity)
    : storage_(capacity / 8 + 2, 0) {
  ctx_.plasticity = plasticity;
  ctx_.status = ANIMA_STEP_OK;
  ctx_.journal = reinterpret_cast<std::uint8_t *>(storage_.data());
  ctx_.journal_capacity = capacity;
  ctx_.journal_used = 0;
}

bool StepContext::check(benchmark::State &state) const {
  if (ctx_.status == ANIMA_STEP_OK)
    return true;
  state.SkipWithError(ctx_.status == ANIMA_STEP_NONFINITE
                          ? "a step was refused (NaN/Inf guard): not timing "
                            "the real work"
                          : "a step overflowed its journal");
  return false;
}

//===----------------------------------------------------------------------===//
// Reporting
//===----------------------------------------------------------------------===//

void report(benchmark::State &state, double bytes, double items,
            const Compare &compare) {
  const double it = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(it * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(it * items));
  state.counters["compulsory_bytes"] = bytes;
  std::string label;
  auto add = [&](const char *key, const std::string &value) {
    if (value.empty())
      return;
    if (!label.empty())
      label += ' ';
    label += key;
    label += '=';
    label += value;
  };
  add("triad", compare.triad);
  add("dense", compare.dense);
  add("unfused", compare.unfused);
  add("fwd", compare.forward);
  if (!label.empty())
    state.SetLabel(label);
}

std::string triadName(std::uint64_t bytes) {
  char buf[64];
  if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0)
    std::snprintf(buf, sizeof buf, "triad/%lluGiB",
                  static_cast<unsigned long long>(bytes >> 30));
  else if (bytes >= (1ull << 20))
    std::snprintf(buf, sizeof buf, "triad/%lluMiB",
                  static_cast<unsigned long long>(bytes >> 20));
  else
    std::snprintf(buf, sizeof buf, "triad/%lluKiB",
                  static_cast<unsigned long long>(bytes >> 10));
  return buf;
}

//===----------------------------------------------------------------------===//
// Baselines
//===----------------------------------------------------------------------===//

namespace {

#if defined(__x86_64__) && defined(__GNUC__)
#define ANIMA_BENCH_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ANIMA_BENCH_CLONES
#endif

/// The STREAM triad, vectorized for the widest ISA the CPU has.
ANIMA_BENCH_CLONES __attribute__((noinline)) void
triad(float *__restrict a, const float *__restrict b,
      const float *__restrict c, float s, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i)
    a[i] = b[i] + s * c[i];
}

} // namespace

void registerTriad(std::uint64_t footprint) {
  benchmark::RegisterBenchmark(
      triadName(footprint).c_str(),
      [footprint](benchmark::State &state) {
        const std::size_t n = footprint / 12;
        Floats a(n), b(n, 1.0f), c(n, 2.0f);
        for (auto _ : state) {
          triad(a.data(), b.data(), c.data(), 0.5f,
                static_cast<std::int64_t>(n));
          benchmark::DoNotOptimize(a.data());
          benchmark::ClobberMemory();
        }
        report(state, 12.0 * double(n), double(n));
      })
      ->Apply(configure);
}

void registerDense(const std::string &prefix, std::int64_t n, std::int64_t d) {
  enum Mode { Gemv, Ger, GemvGer };
  for (Mode mode : {Gemv, Ger, GemvGer}) {
    const char *suffix =
        mode == Gemv ? "/sgemv" : mode == Ger ? "/sger" : "/sgemv_sger";
    benchmark::RegisterBenchmark(
        (prefix + suffix).c_str(),
        [n, d, mode](benchmark::State &state) {
          Floats W(static_cast<std::size_t>(n * d)), x(d), y(n);
          fillUniform(W.data(), W.size(), -0.03f, 0.03f, 11);
          fillUniform(y.data(), y.size(), -0.5f, 0.5f, 13);
          fillUnitVector(x.data(), x.size(), 1.0f, 12);
          for (auto _ : state) {
            if (mode != Ger) // y = W x: the dense forward
              cblas_sgemv(BenchRowMajor, BenchNoTrans, int(n), int(d), 1.0f,
                          W.data(), int(d), x.data(), 1, 0.0f, y.data(), 1);
            if (mode != Gemv) // W += eta y x^T: the dense Hebbian update
              cblas_sger(BenchRowMajor, int(n), int(d), 1e-6f, y.data(), 1,
                         x.data(), 1, W.data(), int(d));
            benchmark::DoNotOptimize(y.data());
            benchmark::DoNotOptimize(W.data());
            benchmark::ClobberMemory();
          }
          const double matrix = 4.0 * double(n) * double(d);
          const double passes = mode == Gemv ? 1.0 : mode == Ger ? 2.0 : 3.0;
          report(state, passes * matrix + 4.0 * double(n + d), double(n));
        })
        ->Apply(configure);
  }
}

void pinBlasToOneThread() {
  setenv("OPENBLAS_NUM_THREADS", "1", 1);
  openblas_set_num_threads(1);
}

//===----------------------------------------------------------------------===//
// Backends
//===----------------------------------------------------------------------===//

std::vector<UkBackend> ukBackends() {
  std::vector<UkBackend> out = {{"uk", -1}};
  for (int level = 0; level < ANIMA_UK_ISA_COUNT; ++level)
    if (anima_uk_isa_available(level))
      out.push_back({std::string("uk.") + anima_uk_isa_name(level), level});
  return out;
}

void selectUk(const UkBackend &backend) {
  anima_uk_isa_select(backend.level);
}

CompiledModel::CompiledModel(const std::string &path, const char *backend) {
  anima_open_options options;
  anima_open_options_init(&options);
  options.backend = backend;
  anima_model_t *model = nullptr;
  if (anima_status_t s = anima_model_open_file(path.c_str(), &options, &model)) {
    error_ = std::string(backend) + " backend: " + anima_status_message(s);
    anima_status_free(s);
    return;
  }
  model_ = model;
}

CompiledModel::~CompiledModel() { anima_model_close(model_); }

long CompiledModel::entry(const std::string &name) {
  size_t index = 0;
  if (anima_status_t s = anima_model_find_entry(model_, name.c_str(), &index)) {
    error_ = anima_status_message(s);
    anima_status_free(s);
    return -1;
  }
  return static_cast<long>(index);
}

bool CompiledModel::writeState(const std::string &name, const void *data,
                               std::size_t bytes) {
  size_t index = 0;
  anima_status_t s = anima_model_find_state(model_, name.c_str(), &index);
  if (!s)
    s = anima_model_write_state(model_, index, data, bytes);
  if (s) {
    error_ = anima_status_message(s);
    anima_status_free(s);
    return false;
  }
  return true;
}

bool CompiledModel::step(
    long index, const std::vector<std::pair<const void *, std::size_t>> &inputs,
    const std::vector<std::pair<void *, std::size_t>> &outputs) {
  anima_entry_info info;
  if (anima_status_t s =
          anima_model_entry_info(model_, static_cast<size_t>(index), &info)) {
    error_ = anima_status_message(s);
    anima_status_free(s);
    return false;
  }
  anima_buffer in[8], out[8];
  if (inputs.size() > 8 || outputs.size() > 8)
    return false;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    in[i] = {i < info.input_count ? info.inputs[i].dtype : ANIMA_DTYPE_F32,
             const_cast<void *>(inputs[i].first), inputs[i].second};
  for (std::size_t i = 0; i < outputs.size(); ++i)
    out[i] = {i < info.output_count ? info.outputs[i].dtype : ANIMA_DTYPE_F32,
              outputs[i].first, outputs[i].second};
  if (anima_status_t s =
          anima_model_step(model_, static_cast<size_t>(index), in,
                           inputs.size(), out, outputs.size())) {
    error_ = anima_status_message(s);
    anima_status_free(s);
    return false;
  }
  return true;
}

std::string artifactPath(const std::string &file) {
  const char *dir = std::getenv("ANIMA_BENCH_ARTIFACTS");
  return std::string(dir && *dir ? dir : ANIMA_BENCH_ARTIFACT_DIR) + "/" + file;
}

namespace {
bool gQuick = false;
bool gRealTime = false;
} // namespace

bool quickMode() { return gQuick; }
void setQuickMode(bool quick) { gQuick = quick; }

void configure(benchmark::internal::Benchmark *b) {
  b->Unit(benchmark::kMicrosecond);
  if (gRealTime)
    b->UseRealTime();
}

int benchMain(int argc, char **argv,
              const std::function<void()> &registerAll) {
  pinBlasToOneThread();
  // Our own flag first; Google Benchmark rejects flags it does not know.
  std::vector<char *> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      setQuickMode(true);
      continue;
    }
    if (std::strcmp(argv[i], "--real-time") == 0) {
      gRealTime = true;
      continue;
    }
    args.push_back(argv[i]);
  }
  int n = static_cast<int>(args.size());
  benchmark::AddCustomContext("anima_uk_isa",
                              anima_uk_isa_name(anima_uk_isa_best()));
  benchmark::AddCustomContext("anima_mode", quickMode() ? "quick" : "full");
  benchmark::AddCustomContext("anima_clock", gRealTime ? "real" : "cpu");
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data()))
    return 1;
  registerAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

} // namespace anima::bench
