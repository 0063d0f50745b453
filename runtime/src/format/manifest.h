//===- manifest.h - The decoded artifact manifest ---------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The manifest (docs/artifact-format.md, "Manifest") decoded into plain
// structs, with every field checked: types, names, dtypes, shapes, byte
// sizes and limits. References into other sections are checked by
// checkManifestReferences (format/references.h).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_FORMAT_MANIFEST_H
#define ANIMA_RUNTIME_FORMAT_MANIFEST_H

#include "anima/runtime/anima.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace anima::rt {

/// Largest input, output or state tensor the runtime accepts (bytes).
constexpr uint64_t kMaxTensorBytes = uint64_t(1) << 34;
/// Largest journal one step may declare (bytes).
constexpr uint64_t kMaxJournalBytes = uint64_t(1) << 34;
/// Highest tensor rank the runtime accepts.
constexpr size_t kMaxRank = 16;

/// How the NaN/Inf guard protects a state tensor.
enum class Guard {
  Journal, ///< compiled code journals every write
  Copy,    ///< the runtime copies the tensor before each step
};

/// A tensor's name, element type and static shape.
struct TensorDesc {
  std::string name;                      ///< non-empty, no control characters
  anima_dtype_t dtype = ANIMA_DTYPE_F32; ///< element type
  std::vector<int64_t> shape;            ///< static dimensions, >= 0
  uint64_t bytes = 0;                    ///< element size times the shape
  /// Inputs only: an i32 input the step uses as row or column indices. Every
  /// entry must lie in [0, indexBound) and the entries must be strictly
  /// ascending (checked before the step runs); 0: not an index input.
  uint64_t indexBound = 0;
};

/// One state tensor.
struct StateDesc {
  TensorDesc tensor;            ///< name, dtype, shape, bytes
  uint64_t initOffset = 0;      ///< offset in the initial-state section
  Guard guard = Guard::Journal; ///< how refused steps are undone
};

/// One entry point.
struct EntryDesc {
  std::string name;                ///< a C identifier, e.g. "step"
  std::string symbol;              ///< exported symbol (anima_entry_<name>)
  std::vector<TensorDesc> inputs;  ///< in buffer order
  std::vector<TensorDesc> outputs; ///< in buffer order
  uint64_t journalBytes = 0;       ///< most journal bytes one step writes
};

/// One compiled target and the section holding its code.
struct TargetDesc {
  std::string backend;  ///< "cpu", "vulkan"
  std::string triple;   ///< e.g. "x86_64-unknown-linux-gnu" (may be empty)
  std::string section;  ///< name of the section holding the code
  std::string schedule; ///< vulkan: the dispatch schedule section ("" if none)
};

/// The decoded manifest.
struct Manifest {
  std::string model;               ///< "model" ("" when absent)
  std::string producer;            ///< "producer" ("" when absent)
  std::vector<StateDesc> states;   ///< in buffer order
  std::vector<EntryDesc> entries;  ///< in manifest order
  std::vector<TargetDesc> targets; ///< compiled targets
};

/// Returns the size in bytes of one element of `dtype` (0 if unknown).
size_t dtypeSize(anima_dtype_t dtype);

/// Decodes and checks the manifest JSON `text`. Malformed JSON or fields:
/// DATA_LOSS; an unknown format, version, dtype or guard: INCOMPATIBLE; a
/// tensor or journal over the runtime's limits: RESOURCE_EXHAUSTED. The
/// message names the offending field, e.g. `state[1] ("W"): "bytes" is 48,
/// the shape [4, 3] of f32 needs 48`.
[[nodiscard]] anima_status_t parseManifest(std::string_view text,
                                           Manifest *out);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_FORMAT_MANIFEST_H
