//===- ToyModel.h - Artifacts of the hand-written toy model -----*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Builds `.anima` artifacts around fixture/toy_model.c (see its header for
// the model) with the runtime's own ArtifactWriter, plus helpers shared by
// the runtime tests: status assertions, temporary directories, state dumps.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_RUNTIME_TOYMODEL_H
#define ANIMA_TESTS_RUNTIME_TOYMODEL_H

#include "anima/abi.h"
#include "anima/runtime/anima.h"
#include "anima/runtime/artifact_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace anima::test {

/// Indices of the toy model's state tensors, in manifest order.
enum ToyState : size_t { kStateW = 0, kStateC = 1, kStateN = 2 };
/// Indices of the toy model's entry points, in manifest order.
enum ToyEntry : size_t {
  kEntryStep = 0,
  kEntryInfer = 1,
  kEntryPoke = 2,
  kEntryScribble = 3
};

/// Returns the bytes of the toy model's shared library.
const std::vector<uint8_t> &toyCode();
/// Returns the toy library built with anima_abi_version() == 99.
const std::vector<uint8_t> &toyCodeAbi99();

/// Returns the initial W (4 x 3, row-major).
std::vector<float> toyInitialW();

/// Returns this host's triple, e.g. "x86_64-unknown-linux-gnu".
std::string hostTriple();

/// Returns the default manifest JSON of the toy model.
std::string toyManifest();

/// Returns an initial-state section: W at 0, c at 64, n at 128.
std::vector<uint8_t> toyInitialState(const std::vector<float> &W,
                                     float c = 0.0f, int32_t n = 0);

/// The pieces an artifact is built from; defaults give a valid toy artifact.
struct ArtifactParts {
  ArtifactParts();
  std::string manifest;
  bool withManifest = true;
  std::vector<uint8_t> code;
  std::string codeSection;
  std::vector<uint8_t> init;
  uint32_t abiVersion = ANIMA_ABI_VERSION;
};

/// Serializes `parts` with the ArtifactWriter (fails the test on error).
std::vector<uint8_t> buildArtifact(const ArtifactParts &parts = {});

/// Returns `text` with the first `from` replaced by `to` (fails the test if
/// `from` is absent).
std::string replaced(std::string text, const std::string &from,
                     const std::string &to);

/// Opens `bytes` on the cpu backend.
[[nodiscard]] anima_status_t openBytes(const std::vector<uint8_t> &bytes,
                                       anima_model_t **out);

/// Checks (and frees) `status`: its code is `code` and its message contains
/// `text`.
::testing::AssertionResult hasStatus(anima_status_t status,
                                     anima_status_code_t code,
                                     const std::string &text = "");

/// Checks (and frees) `status`: it is OK.
::testing::AssertionResult isOk(anima_status_t status);

/// Returns a copy of every state tensor of `model`.
std::vector<std::vector<uint8_t>> stateBytes(const anima_model_t *model);

/// Reads state tensor `index` as floats.
std::vector<float> readFloats(const anima_model_t *model, size_t index);

/// Recomputes the header CRC after a test patched the header.
void fixHeaderCrc(std::vector<uint8_t> &artifact);
/// Recomputes table and header CRCs after a test patched the table.
void fixTableCrc(std::vector<uint8_t> &artifact);

/// A temporary directory removed (with its files) at destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  /// Returns the directory path.
  const std::string &path() const { return dir; }
  /// Returns path() + "/" + name.
  std::string file(const std::string &name) const;
  /// Returns the names of the files in the directory.
  std::vector<std::string> list() const;

private:
  std::string dir;
};

/// Writes `bytes` to `path` (fails the test on error).
void writeFileBytes(const std::string &path, const std::vector<uint8_t> &bytes);
/// Reads the file at `path`.
std::vector<uint8_t> readFileBytes(const std::string &path);

/// A toy model opened from the default artifact, closed at destruction.
class ToyModelTest : public ::testing::Test {
protected:
  void SetUp() override;
  void TearDown() override;

  /// Runs `step` on x, returning the status; y receives the output.
  anima_status_t step(const float x[3], float y[4], size_t entry = kEntryStep);

  anima_model_t *model = nullptr;
};

} // namespace anima::test

#endif // ANIMA_TESTS_RUNTIME_TOYMODEL_H
