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
  /// copy-guarded tensors (other tensors have size 0 there). When the
  /// executable owns the state (executable->ownsState()), `state` is only a
  /// host mirror of the device state, refreshed on demand (stateStale), and
  /// `backup` is empty.
  mutable anima::rt::TensorStore state;
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
  /// True when the device state changed since `state` was last pulled
  /// (only when the executable owns the state).
  mutable bool stateStale = false;
  /// The learning scale passed to every step.
  float plasticity = 1.0f;
  /// The backend that loaded the code.
  std::unique_ptr<anima::rt::Driver> driver;
  /// Declared after the driver so that it is destroyed first.
  std::unique_ptr<anima::rt::Executable> executable;
};

namespace anima::rt {

/// Returns the backend's pending diagnostic (e.g. a Vulkan validation
/// message) as a status, or NULL. Every call on a model starts with it.
[[nodiscard]] anima_status_t checkBackend(const anima_model_t *m);

/// checkBackend(), then makes `m->state` current: pulls the device state
/// into the host mirror when a step changed it. Every read of the state
/// goes through here.
[[nodiscard]] anima_status_t syncStateToHost(const anima_model_t *m);

/// Publishes `m->state` to a backend that owns the state after a host-side
/// change (write, reset, rollback, checkpoint load). On failure the device
/// keeps its state, and the mirror is marked stale so that it is pulled
/// back before the next read.
[[nodiscard]] anima_status_t publishState(anima_model_t *m);

} // namespace anima::rt

/// A copy of a model's state (anima_snapshot_t).
struct anima_snapshot_s {
  uint64_t modelSerial = 0;     ///< serial of the model it was taken from
  anima::rt::TensorStore state; ///< the copied state tensors
};

#endif // ANIMA_RUNTIME_CORE_MODEL_H
