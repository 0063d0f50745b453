//===- anima-opt.cpp - mlir-opt for the anima dialect ---------------------===//
//
// Registers only what Anima models and pipelines use (anima/InitAnima.h):
// the anima dialect, the upstream dialects the models are written in and
// lowered through, the anima passes and pipelines, and the upstream passes
// the pipelines run.
//
//===----------------------------------------------------------------------===//

#include "anima/InitAnima.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::anima::registerAnimaPipelineDialects(registry);
  mlir::anima::registerAllAnimaPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Anima optimizer driver\n", registry));
}
