//===- report.cpp - What anima-run prints ---------------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "report.h"

#include <cmath>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace anima::run {
namespace {

/// Formats a tensor type as "f32[4, 3]".
std::string typeText(const anima_tensor_info &t) {
  std::string s = std::string(anima_dtype_name(t.dtype)) + "[";
  for (uint32_t i = 0; i < t.rank; ++i)
    s += (i ? ", " : "") + std::to_string(t.shape[i]);
  return s + "]";
}

/// Returns the L2 norm of state `index` (0 if it cannot be read).
double stateNorm(const anima_model_t *model, size_t index,
                 const anima_tensor_info &info) {
  std::vector<uint8_t> bytes(size_t(info.bytes));
  anima_status_t status =
      anima_model_read_state(model, index, bytes.data(), bytes.size());
  if (status) {
    anima_status_free(status);
    return 0;
  }
  double sum = 0;
  for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
    double v;
    if (info.dtype == ANIMA_DTYPE_F32) {
      float f;
      std::memcpy(&f, bytes.data() + i, 4);
      v = f;
    } else {
      int32_t n;
      std::memcpy(&n, bytes.data() + i, 4);
      v = n;
    }
    sum += v * v;
  }
  return std::sqrt(sum);
}

} // namespace

void printInfo(const anima_model_t *model, std::FILE *out) {
  uint8_t id[16];
  anima_model_artifact_id(model, id);
  std::fprintf(out, "model:        %s\n", anima_model_name(model));
  std::fprintf(out, "artifact id:  ");
  for (uint8_t b : id)
    std::fprintf(out, "%02x", b);
  std::fprintf(out, "\nbackend:      %s\n", anima_model_backend(model));
  size_t states = anima_model_state_count(model);
  std::fprintf(out, "state tensors (%zu):\n", states);
  for (size_t i = 0; i < states; ++i) {
    anima_tensor_info t;
    if (anima_status_t s = anima_model_state_info(model, i, &t)) {
      anima_status_free(s);
      continue;
    }
    std::fprintf(out, "  %-16s %-16s %llu bytes\n", t.name, typeText(t).c_str(),
                 (unsigned long long)t.bytes);
  }
  size_t entries = anima_model_entry_count(model);
  std::fprintf(out, "entry points (%zu):\n", entries);
  for (size_t i = 0; i < entries; ++i) {
    anima_entry_info e;
    if (anima_status_t s = anima_model_entry_info(model, i, &e)) {
      anima_status_free(s);
      continue;
    }
    std::fprintf(out, "  %s (journal %llu bytes)\n", e.name,
                 (unsigned long long)e.journal_bytes);
    for (size_t j = 0; j < e.input_count; ++j)
      std::fprintf(out, "    in   %-16s %s\n", e.inputs[j].name,
                   typeText(e.inputs[j]).c_str());
    for (size_t j = 0; j < e.output_count; ++j)
      std::fprintf(out, "    out  %-16s %s\n", e.outputs[j].name,
                   typeText(e.outputs[j]).c_str());
  }
}

Progress::Progress(uint64_t total)
    : total(total), enabled(::isatty(STDERR_FILENO) == 1) {}

void Progress::update(uint64_t done) {
  if (!enabled || total == 0)
    return;
  auto now = std::chrono::steady_clock::now();
  if (done != total && now - lastDraw < std::chrono::milliseconds(100))
    return;
  lastDraw = now;
  constexpr int kWidth = 40;
  int filled = int(double(done) / double(total) * kWidth);
  std::string bar(size_t(filled), '#');
  bar.resize(kWidth, ' ');
  std::fprintf(stderr, "\r[%s] %llu/%llu", bar.c_str(),
               (unsigned long long)done, (unsigned long long)total);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled || total == 0)
    return;
  std::fprintf(stderr, "\r%*s\r", 70, "");
  std::fflush(stderr);
}

void printSummary(const anima_model_t *model, const char *entry,
                  const RunStats &stats, std::FILE *out) {
  double perSecond =
      stats.seconds > 0 ? double(stats.steps) / stats.seconds : 0;
  double meanUs = stats.steps ? stats.seconds * 1e6 / double(stats.steps) : 0;
  std::fprintf(out, "entry:        %s\n", entry);
  std::fprintf(out, "steps:        %llu\n", (unsigned long long)stats.steps);
  std::fprintf(out, "refused:      %llu\n", (unsigned long long)stats.refused);
  std::fprintf(out, "steps/s:      %.1f\n", perSecond);
  std::fprintf(out, "mean step:    %.3f us\n", meanUs);
  std::fprintf(out, "state L2 norms:\n");
  for (size_t i = 0; i < anima_model_state_count(model); ++i) {
    anima_tensor_info t;
    if (anima_status_t s = anima_model_state_info(model, i, &t)) {
      anima_status_free(s);
      continue;
    }
    std::fprintf(out, "  %-16s %-16s %.9g\n", t.name, typeText(t).c_str(),
                 stateNorm(model, i, t));
  }
}

} // namespace anima::run
