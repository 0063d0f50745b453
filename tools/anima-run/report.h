//===- report.h - What anima-run prints -------------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TOOLS_ANIMA_RUN_REPORT_H
#define ANIMA_TOOLS_ANIMA_RUN_REPORT_H

#include "anima/runtime/anima.h"

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace anima::run {

/// Prints the manifest summary: model, artifact id, state tensors and entry
/// points with their inputs and outputs.
void printInfo(const anima_model_t *model, std::FILE *out);

/// A progress bar on stderr, drawn only when stderr is a terminal.
class Progress {
public:
  /// Prepares a bar for `total` steps.
  explicit Progress(uint64_t total);
  /// Redraws the bar after `done` steps (at most every 100 ms).
  void update(uint64_t done);
  /// Erases the bar.
  void finish();

private:
  uint64_t total;
  bool enabled;
  std::chrono::steady_clock::time_point lastDraw;
};

/// Totals of a run.
struct RunStats {
  uint64_t steps = 0;
  uint64_t refused = 0;
  double seconds = 0;
};

/// Prints the summary: steps, steps/s, mean time per step, the L2 norm of
/// every state tensor and the refused steps.
void printSummary(const anima_model_t *model, const char *entry,
                  const RunStats &stats, std::FILE *out);

} // namespace anima::run

#endif // ANIMA_TOOLS_ANIMA_RUN_REPORT_H
