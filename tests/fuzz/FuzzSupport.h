//===- FuzzSupport.h - Shared pieces of the runtime fuzzers -----*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The fuzzers drive the runtime with the hand-written toy model of the
// runtime tests (tests/runtime/fixture/toy_model.c, built here without
// instrumentation as anima_fuzz_toy_model). Committed seeds hold the
// placeholder kToyCodePlaceholder instead of the library's bytes, so the
// corpora are small and host-independent; the artifact fuzzer substitutes the
// real library when it re-seals an input.
//
// Code sections are trusted once their CRC and the artifact id check out
// (docs/artifact-format.md): the runtime dlopen()s them. The fuzzers
// therefore never hand mutated code to the loader -- only the toy library
// itself -- and never step a model whose manifest they mutated (the toy
// code would index buffers the mutated manifest does not declare).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_FUZZ_FUZZSUPPORT_H
#define ANIMA_TESTS_FUZZ_FUZZSUPPORT_H

#include "anima/runtime/anima.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace anima::fuzz {

/// Stands for the toy library's bytes in committed seeds.
constexpr char kToyCodePlaceholder[] = "ANIMA-FUZZ-TOY-CODE";

/// Returns the bytes of the toy model's shared library.
const std::vector<uint8_t> &toyCode();

/// Returns the toy model's manifest. `extraStates` adds state tensors the toy
/// code never touches (a zero-sized one, a second i32 one, a non-ASCII name)
/// for the checkpoint fuzzer; such a model must not be stepped.
std::string toyManifest(bool extraStates = false);

/// Returns the initial-state section matching toyManifest(extraStates).
std::vector<uint8_t> toyInitialState(bool extraStates = false);

/// Returns a valid toy artifact; `code` is the cpu section's content (the
/// library, or the placeholder for seeds).
std::vector<uint8_t> toyArtifact(bool extraStates,
                                 const std::vector<uint8_t> &code);

/// Opens `bytes` on the cpu backend, aborting on failure (setup only).
anima_model_t *openOrDie(const std::vector<uint8_t> &bytes);

/// Returns a copy of every state tensor of `model`.
std::vector<std::vector<uint8_t>> stateBytes(const anima_model_t *model);

/// Returns true iff every f32 state tensor of `model` is finite.
bool stateIsFinite(const anima_model_t *model);

/// Checks that `status` is a well-formed error (known code, non-empty
/// message), frees it and returns its code; NULL returns ANIMA_STATUS_OK.
anima_status_code_t consume(anima_status_t status, const char *call);

/// Reports a broken invariant and aborts (libFuzzer records the input).
[[noreturn]] void fail(const char *format, ...)
    __attribute__((format(printf, 1, 2)));

/// Reads fuzzer bytes as a stream of small values; past the end it yields
/// zeros.
class ByteReader {
public:
  ByteReader(const uint8_t *data, size_t size) : data(data), size(size) {}
  bool empty() const { return pos >= size; }
  size_t remaining() const { return pos < size ? size - pos : 0; }
  uint8_t u8() { return pos < size ? data[pos++] : 0; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= uint32_t(u8()) << (8 * i);
    return v;
  }
  /// A float biased towards the values that break numerics: NaN, +-Inf,
  /// huge, tiny, subnormal, -0, or raw bits.
  float hostileFloat();
  /// Up to `max` bytes as a string.
  std::string string(size_t max);

private:
  const uint8_t *data;
  size_t size;
  size_t pos = 0;
};

} // namespace anima::fuzz

#endif // ANIMA_TESTS_FUZZ_FUZZSUPPORT_H
