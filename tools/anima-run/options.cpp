//===- options.cpp - Command line of anima-run ----------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace anima::run {
namespace {

/// Parses a decimal unsigned integer that fills all of `text`.
bool parseCount(const std::string &text, uint64_t *out) {
  if (text.empty() || text[0] < '0' || text[0] > '9')
    return false;
  errno = 0;
  char *end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (errno || *end)
    return false;
  *out = v;
  return true;
}

/// Parses a finite, non-negative float that fills all of `text`.
bool parsePlasticity(const std::string &text, float *out) {
  if (text.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  float v = std::strtof(text.c_str(), &end);
  if (errno || *end || !std::isfinite(v) || v < 0)
    return false;
  *out = v;
  return true;
}

} // namespace

const char *usage() {
  return "usage: anima-run MODEL.anima [options]\n"
         "  --backend NAME      backend to run on: cpu (default) or vulkan\n"
         "  --device NAME       vulkan: device index or name substring\n"
         "                      (default: $ANIMA_VULKAN_DEVICE, else the "
         "first)\n"
         "  --vulkan-validation vulkan: run under the Khronos validation "
         "layer\n"
         "  --steps N           number of steps to run\n"
         "  --entry NAME        entry point (default: step, else the first)\n"
         "  --input FILE        raw little-endian inputs, one step after "
         "another\n"
         "                      (each step: its input buffers in manifest "
         "order);\n"
         "                      default: seeded uniform [-1, 1] for f32, 0 "
         "for i32\n"
         "  --seed S            seed of the generated inputs (default: 0)\n"
         "  --checkpoint PATH   load PATH if it exists, save it at the end\n"
         "  --plasticity P      learning scale, >= 0 (default: 1)\n"
         "  --info              print the manifest summary\n"
         "  --help              print this text\n";
}

bool parseOptions(int argc, char **argv, Options *out, std::string *error) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool hasValue = false;
    size_t eq = arg.find('=');
    if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      hasValue = true;
    }
    auto takeValue = [&](std::string *dst) {
      if (!hasValue) {
        if (i + 1 >= argc) {
          *error = arg + " needs a value";
          return false;
        }
        value = argv[++i];
      }
      *dst = value;
      return true;
    };
    std::string text;
    bool isFlag = arg == "--help" || arg == "-h" || arg == "--info" ||
                  arg == "--vulkan-validation";
    if (isFlag && hasValue) {
      *error = arg + " takes no value";
      return false;
    }
    if (arg == "--help" || arg == "-h") {
      o.help = true;
    } else if (arg == "--info") {
      o.info = true;
    } else if (arg == "--vulkan-validation") {
      o.vulkanValidation = true;
    } else if (arg == "--backend") {
      if (!takeValue(&o.backend))
        return false;
    } else if (arg == "--device") {
      if (!takeValue(&o.device))
        return false;
    } else if (arg == "--entry") {
      if (!takeValue(&o.entry))
        return false;
    } else if (arg == "--input") {
      if (!takeValue(&o.inputPath))
        return false;
    } else if (arg == "--checkpoint") {
      if (!takeValue(&o.checkpoint))
        return false;
    } else if (arg == "--steps") {
      if (!takeValue(&text))
        return false;
      if (!parseCount(text, &o.steps)) {
        *error = "--steps needs a non-negative integer, got '" + text + "'";
        return false;
      }
      o.stepsGiven = true;
    } else if (arg == "--seed") {
      if (!takeValue(&text))
        return false;
      if (!parseCount(text, &o.seed)) {
        *error = "--seed needs a non-negative integer, got '" + text + "'";
        return false;
      }
    } else if (arg == "--plasticity") {
      if (!takeValue(&text))
        return false;
      if (!parsePlasticity(text, &o.plasticity)) {
        *error = "--plasticity needs a finite number >= 0, got '" + text + "'";
        return false;
      }
      o.plasticityGiven = true;
    } else if (arg.rfind("-", 0) == 0 && arg != "-") {
      *error = "unknown option '" + arg + "'";
      return false;
    } else if (o.artifact.empty()) {
      o.artifact = arg;
    } else {
      *error = "unexpected argument '" + arg + "' (one artifact only)";
      return false;
    }
  }
  if (!o.help && o.artifact.empty()) {
    *error = "no artifact given";
    return false;
  }
  if (!o.help && !o.info && !o.stepsGiven) {
    *error = "--steps N is required (or --info)";
    return false;
  }
  *out = std::move(o);
  return true;
}

} // namespace anima::run
