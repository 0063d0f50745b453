//===- anima-run.cpp - Run a compiled Anima model -------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// anima-run MODEL.anima --steps N [--backend cpu|vulkan] [--device NAME]
//           [--vulkan-validation] [--entry step] [--input FILE] [--seed S]
//           [--checkpoint PATH] [--plasticity P] [--info]
//
// Opens the artifact, optionally loads a checkpoint, runs N steps (inference
// and learning), saves the checkpoint and prints a summary on stdout.
// Refused steps (NaN/Inf) are counted, not fatal. Any other error prints the
// runtime's message and exits with status 1 (2 for a bad command line).
//
//===----------------------------------------------------------------------===//

#include "anima/runtime/anima.hpp"
#include "inputs.h"
#include "options.h"
#include "report.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sys/stat.h>

using namespace anima;
using namespace anima::run;

namespace {

/// Prints `status` and returns the failure exit code.
int fail(const Status &status) {
  std::fprintf(stderr, "anima-run: %s\n", status.message());
  return 1;
}

/// Prints `message` and returns the failure exit code.
int fail(const std::string &message) {
  std::fprintf(stderr, "anima-run: %s\n", message.c_str());
  return 1;
}

/// Picks the entry point: --entry, else "step", else the first one.
Status chooseEntry(const Model &model, const Options &options, size_t *index) {
  if (!options.entry.empty())
    return model.findEntry(options.entry, index);
  if (model.findEntry("step", index).ok())
    return Status();
  *index = 0;
  return Status();
}

/// Returns true iff a file exists at `path`.
bool exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

/// Runs the steps; returns the process exit code.
int runSteps(Model &model, size_t entry, const Options &options,
             RunStats *stats) {
  anima_entry_info info;
  if (Status s = model.entryInfo(entry, &info); !s.ok())
    return fail(s);
  InputSource inputs;
  std::string error;
  if (!inputs.open(info, options.inputPath, options.steps, options.seed,
                   &error))
    return fail(error);
  std::vector<std::vector<uint8_t>> outputData;
  std::vector<anima_buffer> outputs;
  for (size_t i = 0; i < info.output_count; ++i)
    outputData.emplace_back(size_t(info.outputs[i].bytes));
  for (size_t i = 0; i < info.output_count; ++i)
    outputs.push_back(anima_buffer{info.outputs[i].dtype, outputData[i].data(),
                                   outputData[i].size()});
  Progress progress(options.steps);
  using Clock = std::chrono::steady_clock;
  Clock::duration busy{};
  for (uint64_t n = 0; n < options.steps; ++n) {
    if (!inputs.next(&error)) {
      progress.finish();
      return fail(error);
    }
    auto start = Clock::now();
    Status status = model.step(entry, inputs.buffers(), outputs);
    busy += Clock::now() - start;
    ++stats->steps;
    if (status.code() == ANIMA_STATUS_NONFINITE) {
      ++stats->refused;
    } else if (!status.ok()) {
      progress.finish();
      return fail(status);
    }
    progress.update(n + 1);
  }
  progress.finish();
  stats->seconds = std::chrono::duration<double>(busy).count();
  return 0;
}

/// The body of main; returns the exit code.
int runTool(int argc, char **argv) {
  Options options;
  std::string error;
  if (!parseOptions(argc, argv, &options, &error)) {
    std::fprintf(stderr, "anima-run: %s\n%s", error.c_str(), usage());
    return 2;
  }
  if (options.help) {
    std::fputs(usage(), stdout);
    return 0;
  }
  // --device and --vulkan-validation reach the runtime through the
  // environment variables it reads when the open options leave them unset.
  if (!options.device.empty())
    ::setenv("ANIMA_VULKAN_DEVICE", options.device.c_str(), 1);
  if (options.vulkanValidation)
    ::setenv("ANIMA_VULKAN_VALIDATION", "1", 1);
  Model model;
  if (Status s =
          Model::openFile(options.artifact, &model, options.backend.c_str());
      !s.ok())
    return fail(s);
  if (options.info)
    printInfo(model.get(), stdout);
  if (!options.stepsGiven)
    return 0;
  if (model.entryCount() == 0)
    return fail("the model has no entry points");
  size_t entry = 0;
  if (Status s = chooseEntry(model, options, &entry); !s.ok())
    return fail(s);
  if (options.plasticityGiven)
    if (Status s = model.setPlasticity(options.plasticity); !s.ok())
      return fail(s);
  if (!options.checkpoint.empty() && exists(options.checkpoint))
    if (Status s = model.loadCheckpoint(options.checkpoint); !s.ok())
      return fail(s);
  RunStats stats;
  if (int rc = runSteps(model, entry, options, &stats))
    return rc;
  if (!options.checkpoint.empty())
    if (Status s = model.saveCheckpoint(options.checkpoint); !s.ok())
      return fail(s);
  anima_entry_info info;
  if (Status s = model.entryInfo(entry, &info); !s.ok())
    return fail(s);
  printSummary(model.get(), info.name, stats, stdout);
  if (!options.checkpoint.empty())
    std::printf("checkpoint:   %s\n", options.checkpoint.c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return runTool(argc, argv);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "anima-run: %s\n", e.what());
    return 1;
  }
}
