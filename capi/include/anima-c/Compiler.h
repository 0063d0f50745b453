/*===-- anima-c/Compiler.h - C API for the Anima compiler ---------*- C -*-===*
 *
 * Part of the Anima project.
 *
 *===----------------------------------------------------------------------===*
 *
 * The compiler as a library (C++: anima/Compiler/Compiler.h): an anima model,
 * as an MlirModule or a file, to the bytes of a `.anima` artifact
 * (docs/artifact-format.md) that the runtime (anima/runtime/anima.h) opens
 * with anima_model_open_memory or from a file.
 *
 * Errors are reported as MLIR diagnostics on the module's context (attach a
 * handler with mlirContextAttachDiagnosticHandler; without one, errors are
 * printed to stderr) and the call returns null bytes. The context must hold
 * the dialects of animaRegisterCompilerDialects (anima-c/Dialect/Anima.h).
 *
 *===----------------------------------------------------------------------===*/

#ifndef ANIMA_C_COMPILER_H
#define ANIMA_C_COMPILER_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What to compile and for which target (C++: mlir::anima::CompileOptions).
 *  Initialize with animaCompileOptionsInit; empty strings select the
 *  defaults. The strings are only read during the compile call. */
typedef struct AnimaCompileOptions {
  /** Comma-separated backends; empty: "cpu" (the only one today). */
  MlirStringRef targets;
  /** Fuse forward and update ops touching the same rows or memory
   *  (default true). */
  bool fusion;
  /** CPU target triple; empty: the host. */
  MlirStringRef triple;
  /** CPU name; empty: x86-64-v3 on x86-64, generic on aarch64; "native":
   *  the host CPU. */
  MlirStringRef cpu;
  /** Extra target features, e.g. "+avx512f". */
  MlirStringRef features;
  /** LLVM optimization level, 0 to 3 (default 3). */
  unsigned optLevel;
  /** Folder holding <arch>/libanima_ukernels.a; empty: next to the program,
   *  next to libAnimaCAPI.so (<libdir>/anima-ukernels), then the install
   *  folder configured at build time. docs/integrating.md. */
  MlirStringRef ukernelDir;
  /** The linker; empty: ld.lld from LLVM 22 or the PATH. */
  MlirStringRef linker;
  /** safetensors file with initial state values; empty: none. */
  MlirStringRef weightsFile;
  /** Model name recorded in the manifest; empty: "model". */
  MlirStringRef modelName;
} AnimaCompileOptions;

/** Fills `options` with the defaults. */
MLIR_CAPI_EXPORTED void animaCompileOptionsInit(AnimaCompileOptions *options);

/** Bytes the compiler produced; owned by the caller, who releases them with
 *  animaBytesDestroy. Null on failure. */
typedef struct AnimaBytes {
  void *ptr;
} AnimaBytes;

/** Returns true when `bytes` holds nothing (the call failed). */
static inline bool animaBytesIsNull(AnimaBytes bytes) { return !bytes.ptr; }

/** Returns a view of the bytes, valid until animaBytesDestroy. */
MLIR_CAPI_EXPORTED MlirStringRef animaBytesGetData(AnimaBytes bytes);

/** Releases `bytes`; null bytes are a no-op. */
MLIR_CAPI_EXPORTED void animaBytesDestroy(AnimaBytes bytes);

/** Compiles `module` to the bytes of an artifact. The module is rewritten in
 *  place (it holds the lowered LLVM dialect afterwards, also on failure).
 *  `options` may be NULL (defaults). */
MLIR_CAPI_EXPORTED AnimaBytes
animaCompileModule(MlirModule module, const AnimaCompileOptions *options);

/** Parses the model at `path` (MLIR text or bytecode) into `context` and
 *  compiles it to the bytes of an artifact. `options` may be NULL. */
MLIR_CAPI_EXPORTED AnimaBytes
animaCompileFile(MlirContext context, MlirStringRef path,
                 const AnimaCompileOptions *options);

#ifdef __cplusplus
}
#endif

#endif /* ANIMA_C_COMPILER_H */
