//===- CpuTarget.h - LLVM dialect to a shared library -----------*- C++ -*-===//
//
// The CPU target: turns the LLVM-dialect module that anima-cpu-pipeline
// produces into an object file for a target triple, and links it with the
// microkernels (kernels/cpu) into a self-contained shared library.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TARGETS_CPUTARGET_H
#define ANIMA_TARGETS_CPUTARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir {
class DialectRegistry;
namespace anima {

/// Options of the CPU target.
struct CpuTargetOptions {
  /// Target triple; empty means the host.
  std::string triple;
  /// CPU name; empty means x86-64-v3 (AVX2, FMA) on x86-64 and generic
  /// (NEON) on aarch64; "native" means the host CPU.
  std::string cpu;
  /// Extra target features, e.g. "+avx512f".
  std::string features;
  /// LLVM optimization level, 0 to 3.
  unsigned optLevel = 3;
  /// Folder holding <arch>/libanima_ukernels.a; empty means the first of
  /// defaultUkernelDirs() that holds the target's archive.
  std::string ukernelDir;
  /// The linker; empty means ld.lld from LLVM 22 or the PATH.
  std::string linker;
};

/// Returns the triple the options name (the host's when empty).
std::string resolveTriple(const CpuTargetOptions &options);

/// Returns the short architecture name of a triple ("x86_64", "aarch64").
std::string archName(StringRef triple);

/// Returns the folders searched, in order, for <arch>/libanima_ukernels.a
/// when CpuTargetOptions::ukernelDir is empty: next to the running program
/// (<bin>/../lib/anima-ukernels: animac, anima-opt), next to the shared
/// library holding the compiler (<lib>/anima-ukernels: libAnimaCAPI.so),
/// and the install folder configured at build time
/// (<CMAKE_INSTALL_PREFIX>/lib/anima-ukernels). A program that links the
/// compiler statically and is installed elsewhere sets the folder itself
/// (the CMake package's ANIMA_UKERNEL_DIR).
SmallVector<std::string> defaultUkernelDirs();

/// Registers the translations from MLIR's LLVM dialect to LLVM IR.
void registerCpuTargetTranslations(DialectRegistry &registry);

/// Translates an LLVM-dialect module to an optimized object file for the
/// options' target. Errors are emitted on the module.
FailureOr<std::string> emitObjectFile(ModuleOp module,
                                      const CpuTargetOptions &options);

/// Links `object` with the target's microkernel archive into a shared
/// library and returns its bytes. Errors are emitted at `loc`.
FailureOr<std::string> linkSharedLibrary(StringRef object,
                                         const CpuTargetOptions &options,
                                         Location loc);

} // namespace anima
} // namespace mlir

#endif // ANIMA_TARGETS_CPUTARGET_H
