//===- driver.h - The backend interface of the runtime ----------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// A backend is split by object lifetime:
//
//   Driver      one per open model (the Vulkan driver creates its instance
//               and device per model too); turns an artifact's code for
//               this backend into an Executable.
//   Executable  the loaded code of one model (CPU: a dlopen()ed shared
//               object and its resolved entry points; Vulkan: device,
//               pipelines, buffers and recorded command buffers); lives as
//               long as the model and runs one step per call.
//
// Inputs and outputs stay in host memory owned by the model; each run()
// receives them as the ABI's buffer list (abi.h). The state lives either in
// host memory (CPU: run() updates it in place) or, when ownsState() is true,
// on the device (Vulkan): the model's host TensorStore is then only a mirror
// that the core refreshes with pullState() before reading it and publishes
// with pushState() after changing it; run() ignores the state pointers, and
// the backend guards its own state against NaN/Inf (the core's copy guard
// and journal are not used).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_DRIVER_H
#define ANIMA_RUNTIME_DRIVERS_DRIVER_H

#include "anima/abi.h"
#include "anima/runtime/anima.h"
#include "format/artifact_reader.h"
#include "format/manifest.h"

#include <memory>
#include <string>
#include <string_view>

namespace anima::rt {

/// The loaded code of one model on one backend.
class Executable {
public:
  virtual ~Executable() = default;

  /// Runs entry point `entry` (manifest order) once on `buffers` (state,
  /// inputs, outputs; 64-byte aligned). A refused step is reported through
  /// ctx->status; a returned status means the backend itself failed.
  [[nodiscard]] virtual anima_status_t
  run(size_t entry, anima_step_context *ctx, void *const *buffers) = 0;

  /// Returns true iff the state lives on the device (see the file comment).
  virtual bool ownsState() const { return false; }

  /// Copies the device state into `hostState` (one pointer per state tensor,
  /// manifest order and sizes). Only called when ownsState().
  [[nodiscard]] virtual anima_status_t pullState(void *const *hostState) {
    return nullptr;
  }

  /// Replaces the device state with `hostState`. Only called when
  /// ownsState().
  [[nodiscard]] virtual anima_status_t pushState(const void *const *hostState) {
    return nullptr;
  }

  /// Returns (and forgets) a problem the backend noticed outside a call,
  /// e.g. a Vulkan validation message; the core returns it from the next
  /// call on the model. NULL when there is none.
  [[nodiscard]] virtual anima_status_t takeDiagnostics() { return nullptr; }
};

/// What anima_open_options says about the backend.
struct DriverOptions {
  /// The device to run on (Vulkan: "" = $ANIMA_VULKAN_DEVICE, else the
  /// first device with a compute queue; a decimal index or a substring of
  /// the device name otherwise).
  std::string device;
  /// Enables the backend's validation (Vulkan: the Khronos validation
  /// layer, synchronization validation included).
  bool validation = false;
  /// The open's host-memory budget (anima_open_options.max_memory_bytes;
  /// 0 = physical memory); checked by the core before it allocates.
  uint64_t maxMemoryBytes = 0;
};

/// A backend that loads artifacts' code.
class Driver {
public:
  virtual ~Driver() = default;

  /// Returns the backend name ("cpu").
  virtual const char *name() const = 0;

  /// Loads the code of `view` for this backend and resolves every entry
  /// point of `manifest` (INCOMPATIBLE when the code does not fit this host
  /// or ABI).
  [[nodiscard]] virtual anima_status_t
  load(const ArtifactView &view, const Manifest &manifest,
       std::unique_ptr<Executable> *out) = 0;
};

/// Creates the driver for backend `name` ("cpu" or "vulkan"; anything else
/// is INVALID_ARGUMENT).
[[nodiscard]] anima_status_t createDriver(std::string_view name,
                                          const DriverOptions &options,
                                          std::unique_ptr<Driver> *out);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_DRIVERS_DRIVER_H
