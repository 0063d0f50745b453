//===- soak.cpp - anima-soak: a long poisoned stream through a model ------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// anima-soak MODEL.anima [--steps N] [--seed S] [--checkpoint-every K]
//
// Drives the soak model (tests/hardening/models/soak.mlir) with a stream
// that switches, in segments of random length, between normal inputs and
// poison: NaN or Inf anywhere in any input, huge magnitudes (1e6 up to
// FLT_MAX), inputs aligned with one unit's weights so that it wins every
// step, constants, zeros, subnormals, sign-alternating huge values and
// spikes, at plasticity 1, 0.5 or 0. After every step it checks:
//
//  - NaN/Inf inputs are refused (NONFINITE); any other step is accepted or
//    refused as NONFINITE (an update that would overflow), nothing else;
//  - a refused step and a frozen step (plasticity 0) leave every state
//    tensor bit-identical and write no output;
//  - state is finite and learning is bounded: every @proj row norm <=
//    max(1, its initial norm); @duty in [0, 1]; |@readout| <= eta (1 + T) /
//    lambda and ||@memory||_F <= beta V / (1 - alpha), with T and V the
//    largest |target| and ||target|| of an accepted step;
//
// and every K steps (default 10000) saves a checkpoint, loads it back and
// checks the state is unchanged. Memory must not grow with the number of
// steps: the resident set and the heap in use (glibc mallinfo2, not under
// sanitizers) after the first 1000 steps and at the end are compared (at
// most 4 KiB of heap and 512 KiB of resident set may appear, once).
//
// Prints one summary line; exits 0 if every check held, 1 otherwise.
//
//===----------------------------------------------------------------------===//

#include "anima/runtime/anima.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <malloc.h>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define ANIMA_SOAK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ANIMA_SOAK_SANITIZED 1
#endif
#endif

namespace {

// The model's knobs (soak.mlir).
constexpr size_t kUnits = 256, kIn = 32, kClasses = 8, kWinners = 16;
constexpr float kReadoutEta = 0.1f, kReadoutLambda = 0.001f;
constexpr float kMemAlpha = 0.99f, kMemBeta = 0.5f;

enum Kind {
  kNormal,
  kNaN,
  kInf,
  kHuge,
  kOneWinner,
  kConstant,
  kZeros,
  kSubnormal,
  kAlternating,
  kSpike,
  kKinds
};
const char *const kKindNames[kKinds] = {
    "normal", "nan",       "inf",         "huge", "one-winner",
    "constant", "zeros", "subnormal", "alternating", "spike"};

[[noreturn]] void die(const std::string &what) {
  std::fprintf(stderr, "anima-soak: %s\n", what.c_str());
  std::exit(1);
}

std::string take(anima_status_t s) {
  if (!s)
    return "";
  std::string text = std::string(anima_status_code_name(anima_status_code(s))) +
                     ": " + anima_status_message(s);
  anima_status_free(s);
  return text;
}

void check(anima_status_t s, const char *what) {
  std::string e = take(s);
  if (!e.empty())
    die(std::string(what) + ": " + e);
}

size_t stateIndex(anima_model_t *m, const char *name) {
  size_t i = 0;
  check(anima_model_find_state(m, name, &i), name);
  return i;
}

/// Resident set in bytes (/proc/self/statm).
long residentBytes() {
  long pages = 0, resident = 0;
  if (FILE *f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    std::fclose(f);
  }
  return resident * ::sysconf(_SC_PAGESIZE);
}

/// Heap bytes in use (0 under sanitizers, whose allocator glibc cannot see).
long heapBytes() {
#ifdef ANIMA_SOAK_SANITIZED
  return 0;
#else
  struct mallinfo2 mi = ::mallinfo2();
  return long(mi.uordblks + mi.hblkhd);
#endif
}

/// True iff every value is finite (an OR of comparisons: vectorizes).
bool allFinite(const std::vector<float> &v) {
  int bad = 0;
  for (float x : v)
    bad |= !(std::fabs(x) <= std::numeric_limits<float>::max());
  return !bad;
}

/// Sum of squares in 8 independent double lanes (vectorizes; no overflow
/// for any finite float input).
double sumSquares(const float *p, size_t n) {
  double lanes[8] = {};
  const size_t blocks = n / 8;
  for (size_t b = 0; b < blocks; ++b)
    for (size_t l = 0; l < 8; ++l)
      lanes[l] += double(p[8 * b + l]) * p[8 * b + l];
  double s = 0;
  for (size_t j = 8 * blocks; j < n; ++j)
    s += double(p[j]) * p[j];
  for (double l : lanes)
    s += l;
  return s;
}

/// Largest |x| of finite values, through their bits (vectorizes).
float maxAbs(const std::vector<float> &v) {
  uint32_t m = 0;
  for (float x : v) {
    uint32_t bits;
    std::memcpy(&bits, &x, 4);
    m = std::max(m, bits & 0x7fffffffu);
  }
  float r;
  std::memcpy(&r, &m, 4);
  return r;
}

struct Model {
  anima_model_t *m = nullptr;
  size_t proj, duty, readout, memory;
  std::vector<std::vector<float>> state; // indexed by state index
  std::vector<size_t> sizes;             // floats per state

  void read() {
    for (size_t i = 0; i < state.size(); ++i)
      check(anima_model_read_state(m, i, state[i].data(), sizes[i] * 4),
            "read_state");
  }
};

struct Stats {
  long steps = 0, accepted = 0, refused = 0, frozen = 0, checkpoints = 0;
  long byKind[kKinds] = {}, refusedByKind[kKinds] = {};
  double maxProjRatio = 0, maxReadout = 0, maxMemory = 0;
  double maxTarget = 0, maxTargetNorm = 0;
};

} // namespace

int main(int argc, char **argv) {
  const char *path = nullptr;
  long steps = 100000, checkpointEvery = 10000;
  unsigned seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--steps" && i + 1 < argc)
      steps = std::atol(argv[++i]);
    else if (a == "--seed" && i + 1 < argc)
      seed = unsigned(std::atol(argv[++i]));
    else if (a == "--checkpoint-every" && i + 1 < argc)
      checkpointEvery = std::atol(argv[++i]);
    else if (!path && a[0] != '-')
      path = argv[i];
    else
      die("usage: anima-soak MODEL.anima [--steps N] [--seed S] "
          "[--checkpoint-every K]");
  }
  if (!path || steps <= 0 || checkpointEvery <= 0)
    die("usage: anima-soak MODEL.anima [--steps N] [--seed S] "
        "[--checkpoint-every K]");

  Model model;
  check(anima_model_open_file(path, nullptr, &model.m), path);
  model.proj = stateIndex(model.m, "proj");
  model.duty = stateIndex(model.m, "duty");
  model.readout = stateIndex(model.m, "readout");
  model.memory = stateIndex(model.m, "memory");
  size_t nStates = anima_model_state_count(model.m);
  model.state.resize(nStates);
  model.sizes.resize(nStates);
  for (size_t i = 0; i < nStates; ++i) {
    anima_tensor_info info;
    check(anima_model_state_info(model.m, i, &info), "state_info");
    model.sizes[i] = info.bytes / 4;
    model.state[i].resize(model.sizes[i]);
  }
  if (model.sizes[model.proj] != kUnits * kIn ||
      model.sizes[model.readout] != kUnits * kClasses ||
      model.sizes[model.memory] != kClasses * kUnits)
    die("the model is not tests/hardening/models/soak.mlir");
  model.read();
  std::vector<double> rowBound(kUnits);
  for (size_t r = 0; r < kUnits; ++r) {
    double s = sumSquares(&model.state[model.proj][r * kIn], kIn);
    rowBound[r] = std::max(1.0, std::sqrt(s)) * (1 + 1e-5);
  }

  char dirTemplate[] = "/tmp/anima-soak-XXXXXX";
  if (!::mkdtemp(dirTemplate))
    die("mkdtemp failed");
  std::string ckpt = std::string(dirTemplate) + "/soak.ckpt";

  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::vector<float> x(kIn), target(kClasses), fixedX(kIn),
      fixedT(kClasses);
  std::vector<float> logits(kClasses), recalled(kClasses);
  std::vector<int32_t> idx(kWinners);
  anima_buffer in[2] = {{ANIMA_DTYPE_F32, x.data(), kIn * 4},
                        {ANIMA_DTYPE_F32, target.data(), kClasses * 4}};
  anima_buffer out[3] = {{ANIMA_DTYPE_F32, logits.data(), kClasses * 4},
                         {ANIMA_DTYPE_F32, recalled.data(), kClasses * 4},
                         {ANIMA_DTYPE_I32, idx.data(), kWinners * 4}};
  std::vector<std::vector<float>> before = model.state;
  Stats st;
  Kind kind = kNormal;
  long segmentLeft = 0;
  float plasticity = 1.0f;
  size_t winner = 0;
  long rss0 = 0, heap0 = 0;
  auto t0 = std::chrono::steady_clock::now();

  for (long step = 0; step < steps; ++step) {
    if (segmentLeft == 0) {
      // Half of the segments are normal, the rest poison of every kind.
      kind = unit(rng) < 0.5f ? kNormal : Kind(1 + rng() % (kKinds - 1));
      segmentLeft = 1 + long(rng() % 200);
      float p = unit(rng);
      plasticity = p < 0.8f ? 1.0f : p < 0.9f ? 0.5f : 0.0f;
      check(anima_model_set_plasticity(model.m, plasticity), "plasticity");
      winner = rng() % kUnits;
      for (size_t i = 0; i < kIn; ++i)
        fixedX[i] = normal(rng);
      std::fill(fixedT.begin(), fixedT.end(), 0.0f);
      fixedT[rng() % kClasses] = 1.0f;
    }
    --segmentLeft;

    // Inputs of this step.
    for (size_t i = 0; i < kIn; ++i)
      x[i] = normal(rng);
    std::fill(target.begin(), target.end(), 0.0f);
    target[rng() % kClasses] = 1.0f;
    bool poisoned = false;
    switch (kind) {
    case kNormal:
      break;
    case kNaN:
    case kInf: {
      float bad = kind == kNaN ? std::numeric_limits<float>::quiet_NaN()
                               : (rng() & 1 ? 1 : -1) *
                                     std::numeric_limits<float>::infinity();
      if (rng() & 1)
        x[rng() % kIn] = bad;
      else
        target[rng() % kClasses] = bad;
      poisoned = true;
      break;
    }
    case kHuge: {
      static const float scales[] = {1e6f, 1e12f, 1e18f, 1e24f, 1e30f,
                                     3.4e38f};
      float s = scales[rng() % 6];
      if (rng() & 1)
        for (float &v : x)
          v = std::fmax(-3.4e38f, std::fmin(3.4e38f, v * s));
      else
        for (float &v : target)
          v = (v + normal(rng)) * (s > 1e30f ? 1e30f : s);
      break;
    }
    case kOneWinner: {
      // x along the winner's current weights: it wins every step.
      const float *row = &model.state[model.proj][winner * kIn];
      double n = 0;
      for (size_t i = 0; i < kIn; ++i)
        n += double(row[i]) * row[i];
      float a = float(10.0 / std::sqrt(n + 1e-30));
      for (size_t i = 0; i < kIn; ++i)
        x[i] = a * row[i];
      target = fixedT;
      break;
    }
    case kConstant:
      x = fixedX;
      target = fixedT;
      break;
    case kZeros:
      std::fill(x.begin(), x.end(), 0.0f);
      std::fill(target.begin(), target.end(), 0.0f);
      break;
    case kSubnormal:
      for (float &v : x)
        v *= std::numeric_limits<float>::denorm_min() * 8;
      break;
    case kAlternating:
      for (size_t i = 0; i < kIn; ++i)
        x[i] = ((step + long(i)) & 1 ? 1e20f : -1e20f);
      break;
    case kSpike:
      std::fill(x.begin(), x.end(), 0.0f);
      x[rng() % kIn] = 1e4f;
      break;
    case kKinds:
      break;
    }
    ++st.byKind[kind];

    std::swap(before, model.state); // model.read() below refills it
    const float sentinel = 12345.0f;
    std::fill(logits.begin(), logits.end(), sentinel);
    std::string e =
        take(anima_model_step(model.m, 0, in, 2, out, 3));
    model.read();
    ++st.steps;
    if (!e.empty()) {
      if (e.rfind("NONFINITE", 0) != 0)
        die("step " + std::to_string(step) + " (" + kKindNames[kind] +
            "): unexpected failure: " + e);
      ++st.refused;
      ++st.refusedByKind[kind];
      if (model.state != before)
        die("step " + std::to_string(step) + ": a refused step changed the "
            "state");
      if (logits[0] != sentinel)
        die("step " + std::to_string(step) + ": a refused step wrote outputs");
    } else {
      if (poisoned)
        die("step " + std::to_string(step) + " (" + kKindNames[kind] +
            "): a NaN/Inf input was accepted");
      ++st.accepted;
      if (plasticity == 0.0f) {
        ++st.frozen;
        if (model.state != before)
          die("step " + std::to_string(step) + ": a frozen step changed "
              "the state");
      }
      double t = 0, tn = 0;
      for (float v : target) {
        t = std::max(t, double(std::fabs(v)));
        tn += double(v) * v;
      }
      st.maxTarget = std::max(st.maxTarget, t);
      st.maxTargetNorm = std::max(st.maxTargetNorm, std::sqrt(tn));
    }

    // Invariants of the state after every step.
    for (size_t i = 0; i < nStates; ++i)
      if (!allFinite(model.state[i]))
        die("step " + std::to_string(step) + ": non-finite state");
    for (size_t r = 0; r < kUnits; ++r) {
      double s = sumSquares(&model.state[model.proj][r * kIn], kIn);
      double ratio = std::sqrt(s) / rowBound[r];
      st.maxProjRatio = std::max(st.maxProjRatio, ratio);
      if (ratio > 1.0)
        die("step " + std::to_string(step) + ": proj row " +
            std::to_string(r) + " norm " + std::to_string(std::sqrt(s)) +
            " exceeds its bound");
    }
    for (float d : model.state[model.duty])
      if (!(d >= 0.0f && d <= 1.0f))
        die("step " + std::to_string(step) + ": duty cycle " +
            std::to_string(d) + " outside [0, 1]");
    double readoutBound =
        double(kReadoutEta) * (1 + st.maxTarget) / kReadoutLambda * 1.001;
    double readoutMax = maxAbs(model.state[model.readout]);
    st.maxReadout = std::max(st.maxReadout, readoutMax);
    if (readoutMax > readoutBound)
      die("step " + std::to_string(step) + ": readout weight " +
          std::to_string(readoutMax) + " exceeds " +
          std::to_string(readoutBound));
    double mem = std::sqrt(sumSquares(model.state[model.memory].data(),
                                      model.state[model.memory].size()));
    st.maxMemory = std::max(st.maxMemory, mem);
    double memBound =
        double(kMemBeta) * st.maxTargetNorm / (1 - kMemAlpha) * 1.001 + 1e-6;
    if (mem > memBound)
      die("step " + std::to_string(step) + ": memory norm " +
          std::to_string(mem) + " exceeds " + std::to_string(memBound));

    if ((step + 1) % checkpointEvery == 0) {
      check(anima_model_save_checkpoint(model.m, ckpt.c_str()), "save");
      check(anima_model_reset(model.m), "reset");
      check(anima_model_load_checkpoint(model.m, ckpt.c_str()), "load");
      before = model.state;
      model.read();
      if (model.state != before)
        die("a checkpoint round trip changed the state");
      ++st.checkpoints;
    }
    if (step + 1 == std::min(steps, 1000L)) {
      rss0 = residentBytes();
      heap0 = heapBytes();
    }
  }
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - t0)
                       .count();
  long rss1 = residentBytes(), heap1 = heapBytes();

  // Opening, stepping and closing the model again and again must not grow
  // the heap either (each model's code has its own microkernel scratch).
  anima_model_close(model.m);
  model.m = nullptr;
  const int kReopens = 200;
  long heapReopen0 = 0;
  for (int i = 0; i < kReopens; ++i) {
    if (i == 10)
      heapReopen0 = heapBytes();
    anima_model_t *again = nullptr;
    check(anima_model_open_file(path, nullptr, &again), path);
    std::fill(target.begin(), target.end(), 0.0f);
    for (size_t j = 0; j < kIn; ++j)
      x[j] = normal(rng);
    check(anima_model_step(again, 0, in, 2, out, 3), "step after reopen");
    anima_model_close(again);
  }
  long reopenGrowth = heapBytes() - heapReopen0;
  ::unlink(ckpt.c_str());
  ::rmdir(dirTemplate);

  std::printf("anima-soak: %ld steps in %.1f s (%.0f steps/s): %ld accepted "
              "(%ld frozen), %ld refused as NONFINITE, %ld checkpoint round "
              "trips\n",
              st.steps, seconds, st.steps / seconds, st.accepted, st.frozen,
              st.refused, st.checkpoints);
  std::printf("  refused/steps by kind:");
  for (int k = 0; k < kKinds; ++k)
    std::printf(" %s %ld/%ld", kKindNames[k], st.refusedByKind[k],
                st.byKind[k]);
  std::printf("\n  bounds: max proj row norm / bound %.6f; max |readout| "
              "%.4g (bound %.4g); max ||memory|| %.4g (bound %.4g)\n",
              st.maxProjRatio, st.maxReadout,
              double(kReadoutEta) * (1 + st.maxTarget) / kReadoutLambda,
              st.maxMemory,
              double(kMemBeta) * st.maxTargetNorm / (1 - kMemAlpha));
  std::printf("  memory: resident %ld KiB after 1000 steps, %ld KiB at the "
              "end; heap in use %ld -> %ld bytes%s\n",
              rss0 / 1024, rss1 / 1024, heap0, heap1,
#ifdef ANIMA_SOAK_SANITIZED
              " (not measured under ASan)"
#else
              ""
#endif
  );
  // A step allocates nothing. mallinfo2 counts chunks parked in glibc's
  // per-thread cache as in use, so the first use of a new allocation size
  // (e.g. the first checkpoint) may show once: allow 4 KiB, far below what a
  // leak per step or per refused step would add over 10^5 steps. The
  // resident set may move by a few pages (stdio, page cache).
  if (heap1 - heap0 > 4096)
    die("the heap grew by " + std::to_string(heap1 - heap0) + " bytes");
#ifndef ANIMA_SOAK_SANITIZED // ASan's quarantine holds freed memory
  if (rss1 - rss0 > 512 * 1024)
    die("the resident set grew by " + std::to_string((rss1 - rss0) / 1024) +
        " KiB");
#endif
  std::printf("  reopen: %d open/step/close cycles, heap %+ld bytes\n",
              kReopens - 10, reopenGrowth);
  // A leak per reopen (the microkernel scratch was one: 4 KiB a time) would
  // show as hundreds of KiB.
  if (reopenGrowth > 16 * 1024)
    die("reopening the model grew the heap by " +
        std::to_string(reopenGrowth) + " bytes");
  return 0;
}
