//===- VulkanTarget.h - SPIR-V modules and the dispatch schedule -*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Turns a module lowered by the Vulkan pipeline (anima-vulkan-pipeline: host
// functions of gpu.launch_func/memref.copy/memref.alloc, plus one
// spirv.module per kernel) into what the artifact stores for the "vulkan"
// backend (docs/artifact-format.md):
//
//   spirv      the kernels' SPIR-V binaries, concatenated; each one is
//              serialized, checked by spirv-val, optimized by spirv-opt
//              (-O, the profile's target environment) and checked again;
//   schedule   JSON: the kernels (offset, size, entry point, workgroup size,
//              binding count), and per entry point its buffer table (state,
//              input, output, temp, context) and its commands (dispatch,
//              copy) in order, with the bindings each dispatch writes.
//
// spirv-val and spirv-opt come from the SPIRV-Tools executables (Debian
// package spirv-tools), found on the PATH unless the options name them.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TARGETS_VULKANTARGET_H
#define ANIMA_TARGETS_VULKANTARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir::anima {

struct VulkanTargetOptions {
  /// Target profile (anima/Pipelines/Pipelines.h): mobile, desktop, lavapipe.
  std::string profile = "mobile";
  /// Run spirv-opt on every kernel.
  bool optimize = true;
  /// The SPIRV-Tools executables; empty means spirv-val / spirv-opt on the
  /// PATH.
  std::string spirvVal;
  std::string spirvOpt;
};

/// What the artifact stores for the vulkan backend.
struct VulkanCode {
  std::string spirv;    ///< concatenated SPIR-V binaries
  std::string schedule; ///< the dispatch schedule (JSON)
};

/// Serializes, validates and optimizes the kernels of `module` (lowered by
/// anima-vulkan-pipeline) and builds the dispatch schedule of its entry
/// functions. Unsupported host operations are located errors.
FailureOr<VulkanCode> emitVulkanCode(ModuleOp module,
                                     const VulkanTargetOptions &options);

/// Validates (and with `optimize`, optimizes) one SPIR-V binary with the
/// SPIRV-Tools executables; `what` names it in errors.
FailureOr<std::string> validateAndOptimizeSpirv(StringRef binary,
                                                const VulkanTargetOptions &options,
                                                StringRef what, Location loc);

/// Disassembles the kernels of a `spirv` blob described by `schedule` with
/// spirv-dis (for animac --emit spirv).
FailureOr<std::string> disassembleVulkanCode(const VulkanCode &code,
                                             const VulkanTargetOptions &options,
                                             Location loc);

} // namespace mlir::anima

#endif // ANIMA_TARGETS_VULKANTARGET_H
