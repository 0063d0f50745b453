//===- driver.h - The backend interface of the runtime ----------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// A backend is split by object lifetime:
//
//   Driver      one per open model for now (a Vulkan driver will share its
//               instance/device across models); turns an artifact's code
//               for this backend into an Executable.
//   Executable  the loaded code of one model (CPU: a dlopen()ed shared
//               object and its resolved entry points); lives as long as the
//               model and runs one step per call.
//
// State, inputs and outputs stay in host memory owned by the model; each
// run() receives them as the ABI's buffer list (abi.h). A backend with device
// memory keeps its own mirror and synchronizes inside run().
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_DRIVER_H
#define ANIMA_RUNTIME_DRIVERS_DRIVER_H

#include "anima/abi.h"
#include "anima/runtime/anima.h"
#include "format/artifact_reader.h"
#include "format/manifest.h"

#include <memory>
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

/// Creates the driver for backend `name` ("cpu"; "vulkan" is UNIMPLEMENTED,
/// anything else INVALID_ARGUMENT).
[[nodiscard]] anima_status_t createDriver(std::string_view name,
                                          std::unique_ptr<Driver> *out);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_DRIVERS_DRIVER_H
