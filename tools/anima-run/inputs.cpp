//===- inputs.cpp - Step inputs of anima-run ------------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "inputs.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace anima::run {
namespace {

/// The splitmix64 generator of docs/architecture.md ("Seeded
/// initializers"), mapped to [0, 1).
double uniform(uint64_t seed, uint64_t counter) {
  uint64_t z = seed + (counter + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z = z ^ (z >> 31);
  return double(z >> 11) * 0x1.0p-53;
}

} // namespace

InputSource::~InputSource() {
  if (file)
    std::fclose(file);
}

bool InputSource::open(const anima_entry_info &entry,
                       const std::string &inputPath, uint64_t steps,
                       uint64_t generatorSeed, std::string *error) {
  uint64_t perStep = 0;
  for (size_t i = 0; i < entry.input_count; ++i) {
    const anima_tensor_info &t = entry.inputs[i];
    storage.emplace_back(size_t(t.bytes));
    views.push_back(
        anima_buffer{t.dtype, storage.back().data(), size_t(t.bytes)});
    perStep += t.bytes;
  }
  seed = generatorSeed;
  path = inputPath;
  if (path.empty())
    return true;
  file = std::fopen(path.c_str(), "rb");
  if (!file) {
    *error = "--input '" + path + "': " + std::strerror(errno);
    return false;
  }
  struct stat st;
  if (::fstat(fileno(file), &st) != 0 || !S_ISREG(st.st_mode)) {
    *error = "--input '" + path + "' is not a regular file";
    return false;
  }
  uint64_t size = uint64_t(st.st_size);
  uint64_t needed = 0;
  if (__builtin_mul_overflow(perStep, steps, &needed))
    needed = UINT64_MAX;
  if ((perStep && size % perStep) || (!perStep && size)) {
    *error = "--input '" + path + "' is " + std::to_string(size) +
             " bytes, not a whole number of " + std::to_string(perStep) +
             "-byte steps of entry '" + entry.name + "'";
    return false;
  }
  if (size < needed) {
    *error = "--input '" + path + "' holds " +
             std::to_string(perStep ? size / perStep : 0) + " steps of " +
             std::to_string(perStep) + " bytes; --steps " +
             std::to_string(steps) + " needs " + std::to_string(needed) +
             " bytes";
    return false;
  }
  return true;
}

void InputSource::generate() {
  for (anima_buffer &b : views) {
    if (b.dtype != ANIMA_DTYPE_F32) {
      std::memset(b.data, 0, b.bytes);
      continue;
    }
    auto *values = static_cast<float *>(b.data);
    for (size_t i = 0; i < b.bytes / sizeof(float); ++i)
      values[i] = float(-1.0 + 2.0 * uniform(seed, counter++));
  }
}

bool InputSource::next(std::string *error) {
  if (!file) {
    generate();
    return true;
  }
  for (anima_buffer &b : views) {
    if (b.bytes && std::fread(b.data, 1, b.bytes, file) != b.bytes) {
      *error = "--input '" + path + "': read failed";
      return false;
    }
  }
  return true;
}

} // namespace anima::run
