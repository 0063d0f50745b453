//===- options.h - Command line of anima-run --------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TOOLS_ANIMA_RUN_OPTIONS_H
#define ANIMA_TOOLS_ANIMA_RUN_OPTIONS_H

#include <cstdint>
#include <string>

namespace anima::run {

/// The parsed command line.
struct Options {
  std::string artifact;
  std::string backend = "cpu";
  std::string device;            ///< --device ("" = the runtime's default)
  bool vulkanValidation = false; ///< --vulkan-validation
  std::string entry;
  std::string inputPath;
  std::string checkpoint;
  uint64_t steps = 0;
  bool stepsGiven = false;
  float plasticity = 1.0f;
  bool plasticityGiven = false;
  uint64_t seed = 0;
  bool info = false;
  bool help = false;
};

/// Returns the usage text.
const char *usage();

/// Parses `argv`; on failure returns false with `error` set.
[[nodiscard]] bool parseOptions(int argc, char **argv, Options *out,
                                std::string *error);

} // namespace anima::run

#endif // ANIMA_TOOLS_ANIMA_RUN_OPTIONS_H
