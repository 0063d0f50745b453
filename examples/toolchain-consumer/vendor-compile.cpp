//===- vendor-compile.cpp - The compiler library in a vendor tool ---------===//
//
//   vendor-compile model.mlir model.anima
//
// Compiles a model with the compiler library (anima/Compiler/Compiler.h),
// writes the artifact, opens the bytes with the runtime and runs steps. The
// compiler is linked statically into this program, so it is told where the
// installed microkernels are (ANIMA_UKERNEL_DIR from the CMake package).
//
//===----------------------------------------------------------------------===//

#include "anima/Compiler/Compiler.h"
#include "anima/runtime/anima.h"

#include "run-steps.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    llvm::errs() << "usage: vendor-compile model.mlir model.anima\n";
    return 2;
  }
  mlir::DialectRegistry registry;
  mlir::anima::registerCompilerDialects(registry);
  mlir::MLIRContext context(registry);

  mlir::anima::CompileOptions options;
  options.cpu.ukernelDir = ANIMA_UKERNEL_DIR;
  options.modelName = "consumer";
  mlir::FailureOr<std::string> artifact =
      mlir::anima::compileFile(argv[1], options, context);
  if (mlir::failed(artifact))
    return 1; // The diagnostics were printed.

  std::error_code error;
  llvm::raw_fd_ostream file(argv[2], error, llvm::sys::fs::OF_None);
  if (error) {
    llvm::errs() << "vendor-compile: " << argv[2] << ": " << error.message()
                 << "\n";
    return 1;
  }
  file << *artifact;
  file.close();

  anima_model_t *model = nullptr;
  anima_status_t status = anima_model_open_memory(
      artifact->data(), artifact->size(), nullptr, &model);
  if (status) {
    llvm::errs() << "vendor-compile: " << anima_status_message(status) << "\n";
    anima_status_free(status);
    return 1;
  }
  int rc = runSteps(model, 5);
  anima_model_close(model);
  return rc;
}
