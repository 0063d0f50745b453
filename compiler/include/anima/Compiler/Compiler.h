//===- Compiler.h - The Anima compiler as a library -------------*- C++ -*-===//
//
// Compiles an anima model (an MLIR module with state in ml_program globals
// and public entry functions) to the bytes of a `.anima` artifact
// (docs/artifact-format.md). animac is a thin command line over this.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_COMPILER_COMPILER_H
#define ANIMA_COMPILER_COMPILER_H

#include "anima/Targets/CpuTarget.h"
#include "anima/Targets/VulkanTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir {
class DialectRegistry;
class MLIRContext;
namespace anima {

/// What to compile and for which target.
struct CompileOptions {
  /// Backends to generate code for: "cpu", "vulkan" or both.
  SmallVector<std::string> targets = {"cpu"};
  /// Fuse forward and update ops touching the same rows or memory.
  bool fusion = true;
  /// The CPU target (triple, CPU, features, microkernel folder).
  CpuTargetOptions cpu;
  /// The Vulkan target (profile, SPIRV-Tools).
  VulkanTargetOptions vulkan;
  /// A safetensors file providing initial values of state globals declared
  /// with `#ml_program.extern` (and overriding inline ones of the same name).
  std::string weightsFile;
  /// Model name recorded in the manifest; empty means "model".
  std::string modelName;
};

/// Registers every dialect, interface and translation the compiler needs.
void registerCompilerDialects(DialectRegistry &registry);

/// Compiles `module` (rewritten in place) to the bytes of an artifact.
/// Diagnostics go to the context's handler; failure means one was emitted.
FailureOr<std::string> compileToArtifact(ModuleOp module,
                                         const CompileOptions &options);

/// Runs the Vulkan pipeline on `module` (rewritten in place) and returns
/// the dispatch schedule (JSON), or with `disassemble` the kernels' SPIR-V as
/// text (spirv-dis).
FailureOr<std::string> compileVulkanSchedule(ModuleOp module,
                                             const CompileOptions &options,
                                             bool disassemble);

/// Compiles `module` (rewritten in place) for the CPU target only and
/// returns the bytes of the linked shared library (no artifact around it).
FailureOr<std::string> compileToSharedLibrary(ModuleOp module,
                                              const CompileOptions &options);

/// Parses `path` (MLIR text or bytecode) into `context` and compiles it.
FailureOr<std::string> compileFile(StringRef path,
                                   const CompileOptions &options,
                                   MLIRContext &context);

} // namespace anima
} // namespace mlir

#endif // ANIMA_COMPILER_COMPILER_H
