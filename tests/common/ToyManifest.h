//===- ToyManifest.h - The manifest of the hand-written toy model -*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The toy model (tests/runtime/fixture/toy_model.c) is opened by the runtime
// tests, the hardening tests and the fuzzers. Its manifest's state tensors
// and entry points are written here once; each user adds its producer, any
// extra state tensors and its target triple.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_COMMON_TOYMANIFEST_H
#define ANIMA_TESTS_COMMON_TOYMANIFEST_H

#include <string>

namespace anima::test {

/// The toy model's three state tensors (W, c, n), as manifest JSON entries.
inline const char *toyStateJson() {
  return R"(    {"name": "W", "dtype": "f32", "shape": [4, 3], "bytes": 48,
     "init_offset": 0, "guard": "journal"},
    {"name": "c", "dtype": "f32", "shape": [1], "bytes": 4,
     "init_offset": 64, "guard": "copy"},
    {"name": "n", "dtype": "i32", "shape": [1], "bytes": 4,
     "init_offset": 128, "guard": "copy"})";
}

/// The toy model's manifest: `extraStates` (JSON entries starting with a
/// comma, or "") follows the three states; `triple` names the code section's
/// target ("" = any host).
inline std::string toyManifestJson(const std::string &producer,
                                   const std::string &extraStates,
                                   const std::string &triple) {
  return std::string(R"({
  "format": "anima-artifact",
  "format_version": 1,
  "producer": ")") +
         producer + R"(",
  "model": "toy",
  "state": [
)" + toyStateJson() +
         extraStates + R"(
  ],
  "entry_points": [
    {"name": "step", "symbol": "anima_entry_step",
     "inputs":  [{"name": "x", "dtype": "f32", "shape": [3]}],
     "outputs": [{"name": "y", "dtype": "f32", "shape": [4]}],
     "journal_bytes": 128},
    {"name": "infer",
     "inputs":  [{"name": "x", "dtype": "f32", "shape": [3]}],
     "outputs": [{"name": "y", "dtype": "f32", "shape": [4], "bytes": 16}],
     "journal_bytes": 0},
    {"name": "poke", "symbol": "anima_entry_poke",
     "inputs":  [{"name": "v", "dtype": "f32", "shape": [1]},
                 {"name": "k", "dtype": "i32", "shape": [1]}],
     "outputs": [],
     "journal_bytes": 0},
    {"name": "scribble", "symbol": "anima_entry_scribble",
     "inputs": [], "outputs": [], "journal_bytes": 64}
  ],
  "targets": [
    {"backend": "cpu", "triple": ")" +
         triple + R"(", "section": "cpu.host"}
  ]
})";
}

} // namespace anima::test

#endif // ANIMA_TESTS_COMMON_TOYMANIFEST_H
