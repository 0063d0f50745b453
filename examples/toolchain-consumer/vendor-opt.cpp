//===- vendor-opt.cpp - A vendor's mlir-opt with Anima registered ---------===//
//
//   vendor-opt model.mlir --anima-cpu-pipeline
//
// The vendor's own optimizer driver: its dialects and passes (here upstream
// func/arith/math and canonicalize stand in for them), plus Anima, registered
// through anima/InitAnima.h.
//
//===----------------------------------------------------------------------===//

#include "anima/InitAnima.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  // What the vendor's toolchain registers anyway.
  registry.insert<mlir::arith::ArithDialect, mlir::func::FuncDialect,
                  mlir::math::MathDialect>();
  mlir::registerCanonicalizerPass();
  // Anima: the dialect, what its pipelines need, its passes and pipelines.
  mlir::anima::registerAnimaPipelineDialects(registry);
  mlir::anima::registerAllAnimaPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "vendor optimizer driver\n", registry));
}
