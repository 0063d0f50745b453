//===- HardeningSupport.h - Shared pieces of the hardening tests -*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// A toy artifact for checkpoint tests (the runtime tests' hand-written toy
// model, fixture/toy_model.c, plus a "big" state tensor so that a checkpoint
// takes long enough to be interrupted), state filled with a pattern that
// identifies its generation, and a way to run a scenario in a forked child
// (kills, mount namespaces, resource limits and uid changes stay there).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_HARDENING_HARDENINGSUPPORT_H
#define ANIMA_TESTS_HARDENING_HARDENINGSUPPORT_H

#include "anima/runtime/anima.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace anima::hardening {

/// Elements of the "big" f32 state tensor of the checkpoint artifact.
constexpr size_t kBigElements = 64 * 1024; // 256 KiB

/// Returns a toy artifact with state W f32[4,3], c f32[1], n i32[1] and
/// big f32[kBigElements] (the code never touches big; the model must not be
/// stepped).
std::vector<uint8_t> checkpointArtifact();

/// Opens `bytes`; returns nullptr and sets `error` on failure.
anima_model_t *openModel(const std::vector<uint8_t> &bytes, std::string *error);

/// Writes generation `g` (>= 0, < 2^20) into every state tensor of a model
/// of checkpointArtifact(): n = g, and every f32 a value derived from (g, i).
/// Returns an error message or "".
std::string fillGeneration(anima_model_t *model, int32_t g);

/// Reads the generation of the model's state and checks that every tensor
/// holds exactly that generation's pattern (a complete checkpoint). Returns
/// the generation, or -1 with `error` set.
int32_t readGeneration(const anima_model_t *model, std::string *error);

/// Returns the message of `status` (freed) prefixed with its code name, or
/// "" for NULL.
std::string describe(anima_status_t status);

/// Runs `body` in a forked child; returns what it returned ("" = success),
/// or a description of how the child died.
std::string inChild(const std::function<std::string()> &body);

/// Returns the names in `dir` that start with `prefix`.
std::vector<std::string> filesWithPrefix(const std::string &dir,
                                         const std::string &prefix);

/// Creates a fresh temporary directory (under TMPDIR or /tmp).
std::string makeTempDir(const char *tag);

/// Removes `dir` and the files in it (not recursive).
void removeDir(const std::string &dir);

} // namespace anima::hardening

#endif // ANIMA_TESTS_HARDENING_HARDENINGSUPPORT_H
