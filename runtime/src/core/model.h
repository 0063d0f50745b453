//===- model.h - The objects behind the C API handles -----------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// anima_model_s and anima_snapshot_s, shared by the files that implement the
// C API (model_open, model_info, model_step, model_state,
// model_checkpoint). Everything a step needs is allocated at open, so a step
// allocates nothing.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_CORE_MODEL_H
#define ANIMA_RUNTIME_CORE_MODEL_H

#include "anima/runtime/anima.h"
#include "core/tensor_store.h"
#include "drivers/driver.h"
#include "format/manifest.h"
#include "support/aligned_buffer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace anima::rt {

/// Per-entry-point resources allocated at open.
struct EntryBinding {
  /// Staging buffers: the inputs, then the outputs (64-byte aligned).
  TensorStore io;
  /// The ABI buffer list: state tensors, inputs, outputs.
  std::vector<void *> buffers;
  /// Introspection records of the inputs.
  std::vector<anima_tensor_info> inputInfo;
  /// Introspection records of the outputs.
  std::vector<anima_tensor_info> outputInfo;
};

} // namespace anima::rt

/// A loaded artifact with its resident state (anima_model_t).
struct anima_model_s {
  /// Process-unique identity; snapshots record it.
  uint64_t serial = 0;
  /// The manifest JSON as stored in the artifact.
  std::string manifestText;
  /// The decoded manifest.
  anima::rt::Manifest manifest;
  /// Identity of the artifact; checkpoints record it.
  uint8_t artifactId[16] = {};
  /// The backend name, e.g. "cpu".
  std::string backend;
  /// The live state, the artifact's initial state, and backups of the
  /// copy-guarded tensors (other tensors have size 0 there).
  anima::rt::TensorStore state;
  anima::rt::TensorStore initial;
  anima::rt::TensorStore backup;
  /// Introspection records of the state tensors.
  std::vector<anima_tensor_info> stateInfo;
  /// One binding per entry point, in manifest order.
  std::vector<anima::rt::EntryBinding> bindings;
  /// The undo journal (size: the largest journal_bytes of any entry) and
  /// room for its record offsets.
  anima::rt::AlignedBuffer journal;
  std::vector<uint64_t> journalScratch;
  /// The learning scale passed to every step.
  float plasticity = 1.0f;
  /// The backend that loaded the code.
  std::unique_ptr<anima::rt::Driver> driver;
  /// Declared after the driver so that it is destroyed first.
  std::unique_ptr<anima::rt::Executable> executable;
};

/// A copy of a model's state (anima_snapshot_t).
struct anima_snapshot_s {
  uint64_t modelSerial = 0;     ///< serial of the model it was taken from
  anima::rt::TensorStore state; ///< the copied state tensors
};

#endif // ANIMA_RUNTIME_CORE_MODEL_H
