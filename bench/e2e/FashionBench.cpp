//===- FashionBench.cpp - anima-bench-fashion ----------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Steps the compiled Fashion-MNIST model (examples/fashion-online/model.mlir)
// on the CPU backend at batch 1, one image per step (predict, then learn),
// and prints one JSON object: steps per second over the timed steps, the
// median step time and the prequential accuracy (predictions made before
// learning from each label), so bench/e2e/fashion_vs_torch.py can put it
// next to the same model written in PyTorch.
//
//   anima-bench-fashion [--artifact PATH] [--images RAW --labels RAW]
//                       [--steps N] [--warmup N]
//
// RAW files are the decompressed IDX files (the script writes them); without
// them the inputs are random images. Inputs are matched to the manifest by
// size: 784 floats are the pixels (in [0, 1]), 10 floats the one-hot target.
// A state "mean" of 784 floats is set to the mean of the first 1000 images.
//
//===----------------------------------------------------------------------===//

#include "anima/runtime/anima.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kPixels = 784, kClasses = 10;

bool readFile(const std::string &path, std::vector<std::uint8_t> &out) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return false;
  std::fseek(f, 0, SEEK_END);
  const long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  out.resize(size > 0 ? static_cast<std::size_t>(size) : 0);
  const bool ok = std::fread(out.data(), 1, out.size(), f) == out.size();
  std::fclose(f);
  return ok;
}

/// Images as floats in [0, 1] and labels, from IDX files (header skipped)
/// or random.
struct Data {
  std::vector<float> images;
  std::vector<std::uint8_t> labels;
  std::size_t count = 0;

  bool load(const std::string &imagePath, const std::string &labelPath) {
    std::vector<std::uint8_t> img, lab;
    if (!readFile(imagePath, img) || !readFile(labelPath, lab) ||
        img.size() < 16 || lab.size() < 8)
      return false;
    count = std::min((img.size() - 16) / kPixels, lab.size() - 8);
    images.resize(count * kPixels);
    for (std::size_t i = 0; i < count * kPixels; ++i)
      images[i] = float(img[16 + i]) / 255.0f;
    labels.assign(lab.begin() + 8, lab.begin() + 8 + long(count));
    return count > 0;
  }

  void random(std::size_t n) {
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    count = n;
    images.resize(n * kPixels);
    for (float &x : images)
      x = u(rng);
    labels.resize(n);
    for (auto &l : labels)
      l = static_cast<std::uint8_t>(rng() % kClasses);
  }
};

[[noreturn]] void fail(const char *what, anima_status_t s) {
  std::fprintf(stderr, "anima-bench-fashion: %s: %s\n", what,
               anima_status_message(s));
  anima_status_free(s);
  std::exit(1);
}

} // namespace

int main(int argc, char **argv) {
  std::string artifact = std::string(ANIMA_BENCH_ARTIFACT_DIR) + "/fashion.anima";
  std::string images, labels;
  long steps = 5000, warmup = 500;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "anima-bench-fashion: %s needs a value\n",
                     a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--artifact")
      artifact = value();
    else if (a == "--images")
      images = value();
    else if (a == "--labels")
      labels = value();
    else if (a == "--steps")
      steps = std::atol(value().c_str());
    else if (a == "--warmup")
      warmup = std::atol(value().c_str());
    else {
      std::fprintf(stderr,
                   "usage: anima-bench-fashion [--artifact PATH] [--images RAW "
                   "--labels RAW] [--steps N] [--warmup N]\n");
      return 2;
    }
  }

  Data data;
  const bool real = !images.empty() && data.load(images, labels);
  if (!real)
    data.random(static_cast<std::size_t>(steps + warmup));

  anima_model_t *model = nullptr;
  if (anima_status_t s = anima_model_open_file(artifact.c_str(), nullptr, &model))
    fail("open", s);
  size_t entry = 0;
  if (anima_status_t s = anima_model_find_entry(model, "step", &entry))
    fail("entry 'step'", s);
  anima_entry_info info;
  if (anima_status_t s = anima_model_entry_info(model, entry, &info))
    fail("entry info", s);

  // Input centring, as the demo driver does.
  size_t meanIndex = 0;
  if (anima_status_t s = anima_model_find_state(model, "mean", &meanIndex)) {
    anima_status_free(s);
  } else {
    std::vector<float> mean(kPixels, 0.0f);
    const std::size_t n = std::min<std::size_t>(1000, data.count);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t p = 0; p < kPixels; ++p)
        mean[p] += data.images[i * kPixels + p] / float(n);
    if (anima_status_t s = anima_model_write_state(
            model, meanIndex, mean.data(), mean.size() * sizeof(float)))
      fail("write mean", s);
  }

  std::vector<float> target(kClasses);
  std::vector<std::vector<std::uint8_t>> outStorage(info.output_count);
  std::vector<anima_buffer> in(info.input_count), out(info.output_count);
  long pixelInput = -1, targetInput = -1;
  std::vector<std::vector<std::uint8_t>> inStorage(info.input_count);
  for (size_t i = 0; i < info.input_count; ++i) {
    const anima_tensor_info &t = info.inputs[i];
    in[i].dtype = t.dtype;
    in[i].bytes = t.bytes;
    if (t.dtype == ANIMA_DTYPE_F32 && t.bytes == kPixels * 4 && pixelInput < 0)
      pixelInput = long(i);
    else if (t.dtype == ANIMA_DTYPE_F32 && t.bytes == kClasses * 4 &&
             targetInput < 0)
      targetInput = long(i);
    inStorage[i].assign(t.bytes, 0);
    in[i].data = inStorage[i].data();
  }
  long logitsOutput = -1;
  for (size_t i = 0; i < info.output_count; ++i) {
    const anima_tensor_info &t = info.outputs[i];
    outStorage[i].assign(t.bytes, 0);
    out[i] = {t.dtype, outStorage[i].data(), t.bytes};
    if (t.dtype == ANIMA_DTYPE_F32 && t.bytes == kClasses * 4 &&
        logitsOutput < 0)
      logitsOutput = long(i);
  }
  if (pixelInput < 0) {
    std::fprintf(stderr, "anima-bench-fashion: no 784-float input in %s\n",
                 artifact.c_str());
    return 1;
  }

  using Clock = std::chrono::steady_clock;
  std::vector<double> stepUs;
  stepUs.reserve(static_cast<std::size_t>(steps));
  long correct = 0, judged = 0;
  Clock::time_point start;
  for (long s = 0; s < warmup + steps; ++s) {
    if (s == warmup)
      start = Clock::now();
    const std::size_t sample = static_cast<std::size_t>(s) % data.count;
    const std::uint8_t label = data.labels[sample];
    in[static_cast<std::size_t>(pixelInput)].data =
        data.images.data() + sample * kPixels;
    if (targetInput >= 0) {
      std::fill(target.begin(), target.end(), 0.0f);
      target[label] = 1.0f;
      in[static_cast<std::size_t>(targetInput)].data = target.data();
    }
    const Clock::time_point t0 = Clock::now();
    if (anima_status_t st = anima_model_step(model, entry, in.data(), in.size(),
                                             out.data(), out.size()))
      fail("step", st);
    if (s >= warmup)
      stepUs.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    if (logitsOutput >= 0) {
      const float *logits = static_cast<const float *>(
          out[static_cast<std::size_t>(logitsOutput)].data);
      const long guess = long(std::max_element(logits, logits + kClasses) - logits);
      correct += guess == label;
      ++judged;
    }
  }
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(stepUs.begin(), stepUs.end());
  const double median = stepUs.empty() ? 0.0 : stepUs[stepUs.size() / 2];
  std::printf("{\"backend\": \"anima-cpu\", \"artifact\": \"%s\", \"data\": "
              "\"%s\", \"steps\": %ld, \"steps_per_second\": %.1f, "
              "\"median_step_us\": %.2f, \"accuracy\": %.4f}\n",
              artifact.c_str(), real ? "fashion-mnist" : "random", steps,
              double(steps) / seconds, median,
              judged ? double(correct) / double(judged) : 0.0);
  anima_model_close(model);
  return 0;
}
