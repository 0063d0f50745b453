//===- main.cpp - Fashion-MNIST, learning online in one pass --------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// fashion-online [--train N] [--test N] [--out DIR] [--seed S]
//                [--model PATH] [--data DIR] [--window W] [--no-frozen]
//
// Streams the Fashion-MNIST training images once, in a fixed shuffled order,
// through a compiled living model (model.mlir): every step predicts first,
// then learns from the label (test-then-train), so the accuracy recorded on
// the stream is prequential. Then it measures the test accuracy with
// learning off (plasticity 0). The same model frozen from the start
// (plasticity 0 on every step) runs alongside as the baseline.
//
// Uses only the public runtime API (anima/runtime/anima.hpp), as an
// application would. Writes DIR/curve.csv, DIR/curve.png, DIR/summary.json
// and prints the summary.
//
//===----------------------------------------------------------------------===//

#include "idx.h"
#include "plot.h"

#include "anima/runtime/anima.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <vector>

#ifndef FASHION_DEFAULT_MODEL
#define FASHION_DEFAULT_MODEL "fashion-online.anima"
#endif

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kPixels = 784;
constexpr size_t kClasses = 10;
constexpr size_t kTrainCount = 60000;
constexpr size_t kTestCount = 10000;

struct Options {
  size_t train = kTrainCount;
  size_t test = kTestCount;
  size_t window = 1000;
  uint64_t seed = 0;
  bool frozen = true;
  std::string out = "fashion-online-out";
  std::string model = FASHION_DEFAULT_MODEL;
  std::string data = "/usr/share/datasets/fashion-mnist";
  std::string backend = "cpu";
};

const char kUsage[] =
    "usage: fashion-online [options]\n"
    "  --train N     training samples streamed once (default 60000)\n"
    "  --test N      test samples evaluated with learning off (default "
    "10000)\n"
    "  --out DIR     output folder (default fashion-online-out)\n"
    "  --seed S      seed of the stream order (default 0)\n"
    "  --window W    samples per window of the accuracy curve (default "
    "1000)\n"
    "  --no-frozen   do not run the frozen baseline (plasticity 0 from the "
    "start)\n"
    "  --model PATH  compiled model (default: the one built with the demo)\n"
    "  --data DIR    Fashion-MNIST IDX files (default "
    "/usr/share/datasets/fashion-mnist)\n"
    "  --backend B   cpu (default) or vulkan (the first Vulkan device, or "
    "ANIMA_VULKAN_DEVICE)\n";

/// Prints `message` with the program name and returns exit status 1.
int fail(const std::string &message) {
  std::fprintf(stderr, "fashion-online: %s\n", message.c_str());
  return 1;
}

/// Parses an unsigned decimal `text` into `out`; false if it is not one.
bool parseCount(const char *text, uint64_t *out) {
  if (!*text || *text == '-')
    return false;
  char *end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (*end || errno)
    return false;
  *out = v;
  return true;
}

/// Parses the command line; returns 0 to go on, or the exit status.
int parseOptions(int argc, char **argv, Options *o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return -1;
    }
    if (arg == "--no-frozen") {
      o->frozen = false;
      continue;
    }
    static const char *const kValued[] = {"--train", "--test",  "--window",
                                          "--seed",  "--out",   "--model",
                                          "--data",  "--backend"};
    if (std::none_of(std::begin(kValued), std::end(kValued),
                     [&](const char *o) { return arg == o; })) {
      std::fprintf(stderr, "fashion-online: unknown option %s\n%s",
                   arg.c_str(), kUsage);
      return 2;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "fashion-online: %s needs a value\n%s", arg.c_str(),
                   kUsage);
      return 2;
    }
    const char *value = argv[++i];
    uint64_t n = 0;
    bool ok = true;
    if (arg == "--train") {
      ok = parseCount(value, &n) && n >= 1 && n <= kTrainCount;
      o->train = n;
    } else if (arg == "--test") {
      ok = parseCount(value, &n) && n <= kTestCount;
      o->test = n;
    } else if (arg == "--window") {
      ok = parseCount(value, &n) && n >= 1;
      o->window = n;
    } else if (arg == "--seed") {
      ok = parseCount(value, &n);
      o->seed = n;
    } else if (arg == "--out") {
      o->out = value;
    } else if (arg == "--model") {
      o->model = value;
    } else if (arg == "--backend") {
      o->backend = value;
      ok = o->backend == "cpu" || o->backend == "vulkan";
    } else {
      o->data = value;
    }
    if (!ok) {
      std::fprintf(stderr,
                   "fashion-online: bad value '%s' for %s (--train 1..60000, "
                   "--test 0..10000, --window >= 1, --backend cpu|vulkan)\n",
                   value, arg.c_str());
      return 2;
    }
  }
  return 0;
}

/// splitmix64: the stream order must not depend on the C++ library.
uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Returns a permutation of [0, n) from a Fisher-Yates shuffle seeded with
/// `seed`.
std::vector<uint32_t> shuffledOrder(size_t n, uint64_t seed) {
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i)
    order[i] = uint32_t(i);
  uint64_t state = seed;
  for (size_t i = n; i > 1; --i) {
    // Lemire's multiply-shift reduction of a 64-bit draw to [0, i).
    size_t j = size_t((unsigned __int128)splitmix64(&state) * i >> 64);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

/// Returns the index of the largest of `n` values (the first on ties).
size_t argmax(const float *v, size_t n) {
  return size_t(std::max_element(v, v + n) - v);
}

/// Checks that `model`'s entry `step` takes (f32[784], f32[10]) and returns
/// f32[10], and sets `entry`; otherwise sets `error` and returns false.
bool checkSignature(const anima::Model &model, size_t *entry,
                    std::string *error) {
  if (anima::Status s = model.findEntry("step", entry); !s.ok()) {
    *error = "the model has no entry point 'step': " + s.toString();
    return false;
  }
  anima_entry_info info{};
  if (anima::Status s = model.entryInfo(*entry, &info); !s.ok()) {
    *error = s.toString();
    return false;
  }
  auto isVector = [](const anima_tensor_info &t, int64_t n) {
    return t.dtype == ANIMA_DTYPE_F32 && t.rank == 1 && t.shape[0] == n;
  };
  if (info.input_count == 2 && isVector(info.inputs[0], kPixels) &&
      isVector(info.inputs[1], kClasses) && info.output_count == 1 &&
      isVector(info.outputs[0], kClasses))
    return true;
  *error = "entry 'step' must take (f32[784] pixels, f32[10] one-hot "
           "target) and return f32[10] logits";
  return false;
}

/// Returns the CPU time of the calling thread, in seconds.
double threadCpuSeconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

/// A model being streamed, with its accuracy record.
struct Runner {
  explicit Runner(const char *name) : name(name) {}

  const char *name;
  anima::Model model;
  size_t entry = 0;
  std::vector<uint8_t> correct; ///< per stream sample
  double stepSeconds = 0;       ///< wall time inside anima_model_step
  double stepCpuSeconds = 0;    ///< CPU time of this thread inside it
  std::vector<float> logits = std::vector<float>(kClasses);

  /// Runs one step; returns false (and sets `error`) on failure.
  bool step(const std::vector<float> &pixels, const std::vector<float> &target,
            size_t label, bool *hit, std::string *error) {
    anima_buffer inputs[2] = {anima::f32Buffer(pixels.data(), kPixels),
                              anima::f32Buffer(target.data(), kClasses)};
    anima_buffer outputs[1] = {anima::f32Buffer(logits.data(), kClasses)};
    Clock::time_point t0 = Clock::now();
    double cpu0 = threadCpuSeconds();
    anima::Status status = model.step(entry, inputs, 2, outputs, 1);
    stepCpuSeconds += threadCpuSeconds() - cpu0;
    stepSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
    if (!status.ok()) {
      *error = std::string(name) + " model: " + status.toString();
      return false;
    }
    *hit = argmax(logits.data(), kClasses) == label;
    return true;
  }
};

/// Opens the model at `path` for `runner` and checks its signature.
bool openRunner(const std::string &path, const std::string &backend,
                Runner *runner, std::string *error) {
  anima::Status status =
      anima::Model::openFile(path, &runner->model, backend.c_str());
  if (!status.ok()) {
    *error = "cannot open the model " + path + " on " + backend + ": " +
             status.toString();
    return false;
  }
  return checkSignature(runner->model, &runner->entry, error);
}

/// Converts image `i` of `split` to floats in [0, 1].
void toFloats(const fashion::Split &split, size_t i, std::vector<float> *out) {
  const uint8_t *image = split.image(i);
  for (size_t p = 0; p < kPixels; ++p)
    (*out)[p] = float(image[p]) * (1.0f / 255.0f);
}

/// Draws a progress bar on stderr: `done` of `total` samples since
/// `since`, the accuracy so far and the living model's steps/s.
void progress(const char *phase, size_t done, size_t total, double accuracy,
              double rate, Clock::time_point since) {
  const int width = 30;
  int filled = int(double(done) / double(total) * width);
  double elapsed = std::chrono::duration<double>(Clock::now() - since).count();
  double left = elapsed / double(done) * double(total - done);
  std::fprintf(stderr,
               "\r%-5s [%.*s%*s] %5zu/%zu  acc %5.1f%%  %4.0f steps/s  "
               "%3.0f s left ",
               phase, filled, "##############################",
               width - filled, "", done, total, 100.0 * accuracy, rate, left);
  std::fflush(stderr);
}

/// Returns the fraction of ones in `v[begin, end)`.
double fraction(const std::vector<uint8_t> &v, size_t begin, size_t end) {
  size_t n = 0;
  for (size_t i = begin; i < end; ++i)
    n += v[i];
  return end > begin ? double(n) / double(end - begin) : 0.0;
}

/// Returns the CPU time (user + system) this process has used, in seconds.
double cpuSeconds() {
  struct rusage usage;
  if (::getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  auto seconds = [](const timeval &t) { return t.tv_sec + t.tv_usec * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// Creates `dir` if needed.
bool makeDir(const std::string &dir, std::string *error) {
  if (::mkdir(dir.c_str(), 0777) == 0 || errno == EEXIST)
    return true;
  *error = "cannot create " + dir + ": " + std::strerror(errno);
  return false;
}

/// What a run measured. Frozen values are meaningful only with
/// Options::frozen, test values only with Options::test > 0.
struct Results {
  double prequential = 0, prequentialFrozen = 0;
  double lastWindow = 0, lastWindowFrozen = 0;
  double testLiving = 0, testFrozen = 0;
  double livingRate = 0, livingCpuRate = 0, frozenRate = 0, testRate = 0;
  double wall = 0, cpu = 0;
};

/// Streams the first opt.train samples of `order` through both models:
/// predict, record, learn.
bool runStream(const Options &opt, const fashion::Split &train,
               const std::vector<uint32_t> &order, Runner *living,
               Runner *frozen, bool tty, std::string *error) {
  std::vector<float> pixels(kPixels), target(kClasses, 0.0f);
  Clock::time_point start = Clock::now();
  size_t hits = 0;
  for (size_t s = 0; s < opt.train; ++s) {
    size_t label = train.labels[order[s]];
    toFloats(train, order[s], &pixels);
    target[label] = 1.0f;
    bool hit = false;
    if (!living->step(pixels, target, label, &hit, error))
      return false;
    living->correct.push_back(hit);
    hits += hit;
    if (opt.frozen) {
      if (!frozen->step(pixels, target, label, &hit, error))
        return false;
      frozen->correct.push_back(hit);
    }
    target[label] = 0.0f;
    if (tty && ((s + 1) % 250 == 0 || s + 1 == opt.train))
      progress("train", s + 1, opt.train, double(hits) / double(s + 1),
               double(s + 1) / living->stepSeconds, start);
  }
  if (tty)
    std::fputc('\n', stderr);
  return true;
}

/// Scores both models on the first opt.test test images (their plasticity
/// must be 0); sets the test accuracies and rate in `results`.
bool runTest(const Options &opt, const fashion::Split &test, Runner *living,
             Runner *frozen, bool tty, Results *results, std::string *error) {
  std::vector<float> pixels(kPixels), target(kClasses, 0.0f);
  Clock::time_point start = Clock::now();
  double seconds0 = living->stepSeconds;
  size_t hits[2] = {0, 0};
  for (size_t i = 0; i < opt.test; ++i) {
    size_t label = test.labels[i];
    toFloats(test, i, &pixels);
    bool hit = false;
    if (!living->step(pixels, target, label, &hit, error))
      return false;
    hits[0] += hit;
    if (opt.frozen) {
      if (!frozen->step(pixels, target, label, &hit, error))
        return false;
      hits[1] += hit;
    }
    if (tty && ((i + 1) % 250 == 0 || i + 1 == opt.test))
      progress("test", i + 1, opt.test, double(hits[0]) / double(i + 1),
               double(i + 1) / (living->stepSeconds - seconds0), start);
  }
  if (tty && opt.test)
    std::fputc('\n', stderr);
  if (opt.test) {
    results->testLiving = double(hits[0]) / double(opt.test);
    results->testFrozen = double(hits[1]) / double(opt.test);
    results->testRate = double(opt.test) / (living->stepSeconds - seconds0);
  }
  return true;
}

/// Writes `csvPath` (accuracy per window and cumulative) and `pngPath` (the
/// chart of it).
bool writeCurve(const Options &opt, const Runner &living, const Runner &frozen,
                const Results &results, const std::string &csvPath,
                const std::string &pngPath, std::string *error) {
  FILE *csv = std::fopen(csvPath.c_str(), "w");
  if (!csv) {
    *error = "cannot write " + csvPath + ": " + std::strerror(errno);
    return false;
  }
  std::fprintf(csv, "samples,living_window,living_cumulative%s\n",
               opt.frozen ? ",frozen_window,frozen_cumulative" : "");
  fashion::Series window{"living, window of " + std::to_string(opt.window),
                         {31, 119, 180},
                         {}};
  fashion::Series cumulative{"living, cumulative", {255, 127, 14}, {}};
  fashion::Series frozenCumulative{"frozen, cumulative", {127, 127, 127}, {}};
  for (size_t end = std::min(opt.window, opt.train);;
       end = std::min(end + opt.window, opt.train)) {
    size_t begin = end - std::min(opt.window, end);
    double w = fraction(living.correct, begin, end);
    double c = fraction(living.correct, 0, end);
    std::fprintf(csv, "%zu,%.4f,%.4f", end, w, c);
    window.points.push_back({double(end), 100 * w});
    cumulative.points.push_back({double(end), 100 * c});
    if (opt.frozen) {
      double fc = fraction(frozen.correct, 0, end);
      std::fprintf(csv, ",%.4f,%.4f", fraction(frozen.correct, begin, end),
                   fc);
      frozenCumulative.points.push_back({double(end), 100 * fc});
    }
    std::fputc('\n', csv);
    if (end == opt.train)
      break;
  }
  if (std::fclose(csv) != 0) {
    *error = "cannot write " + csvPath + ": " + std::strerror(errno);
    return false;
  }

  fashion::Chart chart;
  chart.title = "FASHION-MNIST, ONE PASS, TEST-THEN-TRAIN";
  chart.xLabel = "TRAINING SAMPLES SEEN (THOUSANDS)";
  chart.yLabel = "PREQUENTIAL ACCURACY (%)";
  chart.xMax = double(opt.train);
  chart.xTick = opt.train >= 20000 ? 10000 : opt.train >= 5000 ? 1000 : 500;
  chart.xTickScale = 0.001;
  chart.yMin = 0;
  chart.yMax = 100;
  chart.yTick = 10;
  chart.series = {window, cumulative};
  if (opt.frozen)
    chart.series.push_back(frozenCumulative);
  if (opt.test) {
    char label[64];
    std::snprintf(label, sizeof(label), "test after the pass: %.1f%%",
                  100 * results.testLiving);
    double y = 100 * results.testLiving;
    chart.series.push_back(
        {label, {44, 160, 44}, {{0.0, y}, {double(opt.train), y}}, true});
  }
  return fashion::writeChartPng(chart, 960, 600, pngPath, error);
}

/// Formats `v` with `format`, or "null" when it was not measured.
std::string jsonNumber(bool measured, double v, const char *format) {
  char buffer[32] = "null";
  if (measured)
    std::snprintf(buffer, sizeof(buffer), format, v);
  return buffer;
}

/// Writes the results as JSON to `path`.
bool writeSummary(const Options &opt, const Results &r,
                  const std::string &path, std::string *error) {
  FILE *json = std::fopen(path.c_str(), "w");
  if (!json) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  bool test = opt.test > 0;
  std::fprintf(
      json,
      "{\n"
      "  \"train_samples\": %zu,\n"
      "  \"test_samples\": %zu,\n"
      "  \"seed\": %" PRIu64 ",\n"
      "  \"prequential_living\": %s,\n"
      "  \"prequential_frozen\": %s,\n"
      "  \"last_window_living\": %s,\n"
      "  \"test_living\": %s,\n"
      "  \"test_frozen\": %s,\n"
      "  \"living_steps_per_s\": %s,\n"
      "  \"living_steps_per_cpu_s\": %s,\n"
      "  \"frozen_steps_per_s\": %s,\n"
      "  \"test_steps_per_s\": %s,\n"
      "  \"wall_s\": %.2f,\n"
      "  \"cpu_s\": %.2f\n"
      "}\n",
      opt.train, opt.test, opt.seed,
      jsonNumber(true, r.prequential, "%.4f").c_str(),
      jsonNumber(opt.frozen, r.prequentialFrozen, "%.4f").c_str(),
      jsonNumber(true, r.lastWindow, "%.4f").c_str(),
      jsonNumber(test, r.testLiving, "%.4f").c_str(),
      jsonNumber(test && opt.frozen, r.testFrozen, "%.4f").c_str(),
      jsonNumber(true, r.livingRate, "%.1f").c_str(),
      jsonNumber(true, r.livingCpuRate, "%.1f").c_str(),
      jsonNumber(opt.frozen, r.frozenRate, "%.1f").c_str(),
      jsonNumber(test, r.testRate, "%.1f").c_str(), r.wall, r.cpu);
  if (std::fclose(json) != 0) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

/// Formats an accuracy as a percentage, or "-" when it was not measured.
std::string percent(bool measured, double v) {
  char buffer[16] = "     -";
  if (measured)
    std::snprintf(buffer, sizeof(buffer), "%5.1f%%", 100 * v);
  return buffer;
}

/// Prints the results table on stdout.
void printSummary(const Options &opt, const Results &r) {
  std::printf("                        living   frozen (plasticity 0)\n");
  std::printf("prequential accuracy    %s   %s   (%zu stream samples, "
              "predicted before learning)\n",
              percent(true, r.prequential).c_str(),
              percent(opt.frozen, r.prequentialFrozen).c_str(), opt.train);
  std::string last =
      "last " + std::to_string(std::min(opt.window, opt.train)) + " samples";
  std::printf("%-24s%s   %s\n", last.c_str(),
              percent(true, r.lastWindow).c_str(),
              percent(opt.frozen, r.lastWindowFrozen).c_str());
  if (opt.test)
    std::printf("test accuracy           %s   %s   (%zu test images, "
                "learning off)\n",
                percent(true, r.testLiving).c_str(),
                percent(opt.frozen, r.testFrozen).c_str(), opt.test);
  std::string frozenRate =
      opt.frozen ? jsonNumber(true, r.frozenRate, "%6.0f") : "     -";
  std::printf("steps/s (stream)        %6.0f   %s   (living: %.0f per CPU "
              "second)\n",
              r.livingRate, frozenRate.c_str(), r.livingCpuRate);
  if (opt.test)
    std::printf("steps/s (test)          %6.0f\n", r.testRate);
  std::printf("wall time               %.1f s (CPU time %.1f s)\n", r.wall,
              r.cpu);
}

} // namespace

int main(int argc, char **argv) {
  Options opt;
  if (int rc = parseOptions(argc, argv, &opt))
    return rc < 0 ? 0 : rc;
  Clock::time_point start = Clock::now();
  const bool tty = ::isatty(STDERR_FILENO);
  std::string error;

  fashion::Split train, test;
  if (!fashion::loadSplit(opt.data, "train", kTrainCount, &train, &error) ||
      !fashion::loadSplit(opt.data, "t10k", kTestCount, &test, &error))
    return fail(error);
  if (!makeDir(opt.out, &error))
    return fail(error);
  std::vector<uint32_t> order = shuffledOrder(kTrainCount, opt.seed);

  Runner living("living"), frozen("frozen");
  if (!openRunner(opt.model, opt.backend, &living, &error))
    return fail(error);
  if (opt.frozen) {
    if (!openRunner(opt.model, opt.backend, &frozen, &error))
      return fail(error);
    if (anima::Status s = frozen.model.setPlasticity(0.0f); !s.ok())
      return fail("frozen model: " + s.toString());
  }
  std::printf("fashion-online: %s, %zu training samples (seed %" PRIu64
              "), %zu test samples\n",
              opt.model.c_str(), opt.train, opt.seed, opt.test);
  std::fflush(stdout);

  // One pass, test-then-train; then the test set with learning off.
  if (!runStream(opt, train, order, &living, &frozen, tty, &error))
    return fail(error);
  Results r;
  r.livingRate = double(opt.train) / living.stepSeconds;
  r.livingCpuRate = double(opt.train) / living.stepCpuSeconds;
  if (opt.frozen)
    r.frozenRate = double(opt.train) / frozen.stepSeconds;
  if (anima::Status s = living.model.setPlasticity(0.0f); !s.ok())
    return fail("living model: " + s.toString());
  if (!runTest(opt, test, &living, &frozen, tty, &r, &error))
    return fail(error);

  size_t lastBegin = opt.train - std::min(opt.window, opt.train);
  r.prequential = fraction(living.correct, 0, opt.train);
  r.lastWindow = fraction(living.correct, lastBegin, opt.train);
  if (opt.frozen) {
    r.prequentialFrozen = fraction(frozen.correct, 0, opt.train);
    r.lastWindowFrozen = fraction(frozen.correct, lastBegin, opt.train);
  }

  std::string csvPath = opt.out + "/curve.csv";
  std::string pngPath = opt.out + "/curve.png";
  std::string jsonPath = opt.out + "/summary.json";
  if (!writeCurve(opt, living, frozen, r, csvPath, pngPath, &error))
    return fail(error);
  r.wall = std::chrono::duration<double>(Clock::now() - start).count();
  r.cpu = cpuSeconds();
  if (!writeSummary(opt, r, jsonPath, &error))
    return fail(error);
  printSummary(opt, r);
  std::printf("wrote %s, %s, %s\n", csvPath.c_str(), pngPath.c_str(),
              jsonPath.c_str());
  return 0;
}
