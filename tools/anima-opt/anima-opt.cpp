//===- anima-opt.cpp - mlir-opt for the anima dialect ---------------------===//
//
// Registers only what Anima models and pipelines use (anima/InitAnima.h):
// the anima dialect, the upstream dialects the models are written in and
// lowered through, the anima passes and pipelines, and the upstream passes
// the pipelines run.
//
//===----------------------------------------------------------------------===//

#include "anima/InitAnima.h"
#include "anima/SourceNesting.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/SourceMgr.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::anima::registerAnimaPipelineDialects(registry);
  mlir::anima::registerAllAnimaPasses();
  auto [inputFile, outputFile] = mlir::registerAndParseCLIOptions(
      argc, argv, "Anima optimizer driver\n", registry);
  // Input nested deep enough to overflow the parser's stack is refused
  // first (a file; standard input cannot be read twice).
  if (inputFile != "-") {
    std::string error;
    if (auto file = mlir::openInputFile(inputFile, &error)) {
      const llvm::MemoryBuffer &buffer = *file;
      llvm::SourceMgr sourceMgr;
      sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
      mlir::MLIRContext context;
      mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
      if (mlir::failed(mlir::anima::checkSourceNesting(buffer, &context)))
        return 1;
    }
  }
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, inputFile, outputFile, registry));
}
