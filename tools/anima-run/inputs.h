//===- inputs.h - Step inputs of anima-run ----------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TOOLS_ANIMA_RUN_INPUTS_H
#define ANIMA_TOOLS_ANIMA_RUN_INPUTS_H

#include "anima/runtime/anima.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace anima::run {

/// Produces the input buffers of each step: read from a raw file (the
/// buffers of one step after another, in manifest order) or generated
/// (seeded uniform [-1, 1] for f32, 0 for i32).
class InputSource {
public:
  InputSource() = default;
  ~InputSource();
  InputSource(const InputSource &) = delete;
  InputSource &operator=(const InputSource &) = delete;

  /// Prepares inputs for `steps` steps of `entry`; `path` empty means
  /// generated. Fails (with `error`) when the file is missing or holds fewer
  /// or partial steps.
  [[nodiscard]] bool open(const anima_entry_info &entry,
                          const std::string &path, uint64_t steps,
                          uint64_t seed, std::string *error);

  /// Fills the buffers of the next step.
  [[nodiscard]] bool next(std::string *error);

  /// Returns the step's input buffers (valid until the next call).
  const std::vector<anima_buffer> &buffers() const { return views; }

private:
  /// Fills the buffers with generated values.
  void generate();

  std::vector<std::vector<uint8_t>> storage;
  std::vector<anima_buffer> views;
  std::FILE *file = nullptr;
  std::string path;
  uint64_t seed = 0;
  uint64_t counter = 0;
};

} // namespace anima::run

#endif // ANIMA_TOOLS_ANIMA_RUN_INPUTS_H
