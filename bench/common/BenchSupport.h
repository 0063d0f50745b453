//===- BenchSupport.h - Shared pieces of the kernel benchmarks --*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// What every kernel benchmark binary shares: the shapes of issue 6, aligned
// buffers, pools of active-row index sets ("fresh" rows differ every step,
// "same" rows repeat), a step context with a journal, the baselines measured
// in the same binary (STREAM triad, OpenBLAS sgemv/sger), the optional
// backends (microkernel ISA levels, compiled artifacts through the runtime,
// Vulkan), and report(), which attaches the numbers bench/tools/anima_bench.py
// reads back:
//
//   bytes_per_second   compulsory bytes of one call / time (the counter
//                      Google Benchmark derives from SetBytesProcessed)
//   items_per_second   rows (or elements) per second
//   compulsory_bytes   the compulsory bytes of one call (defined per kernel
//                      next to its benchmark and in bench/README.md)
//   label              "triad=<name> dense=<name> unfused=<name> fwd=<name>":
//                      the benchmarks of the same binary this one is compared
//                      with (absent keys: no such comparison)
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_BENCH_COMMON_BENCHSUPPORT_H
#define ANIMA_BENCH_COMMON_BENCHSUPPORT_H

#include "anima/abi.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct anima_model_s;

namespace anima::bench {

//===----------------------------------------------------------------------===//
// Shapes (issue 6)
//===----------------------------------------------------------------------===//

/// The plastic layer: 16384 x 1024 f32 weights (64 MiB).
constexpr std::int64_t kRows = 16384;
constexpr std::int64_t kDim = 1024;
/// Active rows per step.
const std::vector<std::int64_t> &activeCounts();
/// Memory sizes: S is d x d.
const std::vector<std::int64_t> &memoryDims();

//===----------------------------------------------------------------------===//
// Buffers and inputs
//===----------------------------------------------------------------------===//

/// A 64-byte aligned array of floats, touched at allocation (no page faults
/// inside timed loops).
class Floats {
public:
  Floats() = default;
  explicit Floats(std::size_t n, float fill = 0.0f);
  float *data() { return p_.get(); }
  const float *data() const { return p_.get(); }
  std::size_t size() const { return n_; }
  float &operator[](std::size_t i) { return p_.get()[i]; }

private:
  struct Free {
    void operator()(float *p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> p_;
  std::size_t n_ = 0;
};

/// Fills x with uniform values in [lo, hi) from a fixed seed.
void fillUniform(float *x, std::size_t n, float lo, float hi,
                 std::uint64_t seed);
/// Fills x with a random vector of L2 norm `norm`.
void fillUnitVector(float *x, std::size_t n, float norm, std::uint64_t seed);

/// How active rows change from one step to the next.
enum class Rows {
  /// A different set every step: consecutive sets are disjoint (each epoch
  /// is a random permutation of the rows cut into sets), so a row comes back
  /// only after all others; no set is in L1/L2 when it is used.
  Fresh,
  /// The same set every step (its rows stay in cache when they fit).
  Same,
};
const char *rowsName(Rows rows);

/// Precomputed index sets of k distinct ascending rows of [0, n); next()
/// cycles through them. Drawing happens at construction, not while timing.
class IndexPool {
public:
  IndexPool(std::int64_t n, std::int64_t k, Rows rows, std::uint64_t seed);
  const std::int32_t *next() {
    const std::int32_t *p = sets_.data() + pos_ * k_;
    pos_ = pos_ + 1 == count_ ? 0 : pos_ + 1;
    return p;
  }
  std::int64_t k() const { return k_; }

private:
  std::vector<std::int32_t> sets_;
  std::int64_t k_ = 0, count_ = 0, pos_ = 0;
};

/// A step context with a journal of `capacity` bytes, reset for every step
/// like the runtime does (journal_used = 0, status OK).
class StepContext {
public:
  explicit StepContext(std::uint64_t capacity, float plasticity = 1.0f);
  anima_step_context *begin() {
    ctx_.status = ANIMA_STEP_OK;
    ctx_.journal_used = 0;
    return &ctx_;
  }
  /// Fails the benchmark loudly if a step was refused (the guard fired or
  /// the journal overflowed): the timing would not be of the real work.
  bool check(benchmark::State &state) const;

private:
  anima_step_context ctx_{};
  std::vector<std::uint64_t> storage_;
};

//===----------------------------------------------------------------------===//
// Reporting
//===----------------------------------------------------------------------===//

/// Names of the benchmarks (same binary) this one is compared with.
struct Compare {
  std::string triad;   ///< bandwidth reference (same footprint)
  std::string dense;   ///< dense OpenBLAS equivalent
  std::string unfused; ///< the unfused sparse sequence
  std::string forward; ///< forward-only work of the same step
};

/// Attaches bytes/s (on `bytes` compulsory bytes per iteration), items/s
/// (`items` per iteration), the compulsory_bytes counter and the label.
void report(benchmark::State &state, double bytes, double items,
            const Compare &compare = {});

/// Name of the triad benchmark for a footprint of `bytes` (e.g. "triad/64MiB").
std::string triadName(std::uint64_t bytes);

//===----------------------------------------------------------------------===//
// Baselines
//===----------------------------------------------------------------------===//

/// Registers "triad/<size>": a[i] = b[i] + s c[i] over three arrays whose
/// total is `footprint` bytes; bytes/s counts 3 arrays (STREAM's convention).
void registerTriad(std::uint64_t footprint);

/// Dense OpenBLAS baselines over an n x d row-major matrix: "<prefix>/sgemv"
/// (y = W x, the forward of a dense layer), "<prefix>/sger" (W += eta y x^T,
/// the dense Hebbian update) and "<prefix>/sgemv_sger" (both: dense
/// learning). Compulsory bytes: 4nd per read or write pass of W (sgemv 1,
/// sger 2, both 3) + the vectors.
void registerDense(const std::string &prefix, std::int64_t n, std::int64_t d);

/// True if OpenBLAS runs single-threaded (OPENBLAS_NUM_THREADS=1 is set by
/// main() before the first BLAS call).
void pinBlasToOneThread();

//===----------------------------------------------------------------------===//
// Backends
//===----------------------------------------------------------------------===//

/// A microkernel ISA level this CPU runs (see anima/kernels/cpu/Isa.h):
/// "uk" is whatever the dispatch picks; "uk.<level>" forces one level.
struct UkBackend {
  std::string name; ///< "uk", "uk.generic", "uk.avx2", "uk.neon"
  int level;        ///< ANIMA_UK_ISA_*, or -1 for the dispatch's choice
};
/// Every backend of the microkernels on this CPU: "uk" first.
std::vector<UkBackend> ukBackends();
/// Makes `backend` the active ISA level for the next calls.
void selectUk(const UkBackend &backend);

/// A compiled artifact stepped through the runtime C API.
class CompiledModel {
public:
  /// Opens `path` on `backend` ("cpu", "vulkan"); error() says why not.
  CompiledModel(const std::string &path, const char *backend);
  ~CompiledModel();
  CompiledModel(const CompiledModel &) = delete;
  CompiledModel &operator=(const CompiledModel &) = delete;

  bool ok() const { return model_ != nullptr; }
  const std::string &error() const { return error_; }
  /// Index of entry point `name`, or -1 (error() says why).
  long entry(const std::string &name);
  /// Overwrites state `name` with `data` (bytes must match).
  bool writeState(const std::string &name, const void *data,
                  std::size_t bytes);
  /// One step of entry `index`; inputs and outputs as anima_buffer arrays
  /// built from (pointer, bytes) pairs; dtypes come from the manifest.
  bool step(long index, const std::vector<std::pair<const void *, std::size_t>>
                            &inputs,
            const std::vector<std::pair<void *, std::size_t>> &outputs);

private:
  anima_model_s *model_ = nullptr;
  std::string error_;
};

/// Directory of the artifacts compiled at build time (ANIMA_BENCH_ARTIFACTS).
std::string artifactPath(const std::string &file);

/// --quick (the binary's own flag): register a small subset (the smoke run).
bool quickMode();
void setQuickMode(bool quick);

/// Applies the suite's settings to a registered benchmark: microseconds, and
/// the clock: process CPU time by default (on a shared machine a kernel that
/// is descheduled does not look slower), wall time with --real-time (for an
/// otherwise idle device the two agree). The Vulkan rows always use wall
/// time: their work runs on the GPU, not in this process.
void configure(benchmark::internal::Benchmark *b);

/// Main of every kernel benchmark binary: pins BLAS to one thread, handles
/// --quick and --real-time, calls `registerAll`, runs the benchmarks.
int benchMain(int argc, char **argv, const std::function<void()> &registerAll);

} // namespace anima::bench

#endif // ANIMA_BENCH_COMMON_BENCHSUPPORT_H
