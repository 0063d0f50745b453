//===- Dialect.cpp - C API for the anima dialect --------------------------===//

#include "anima-c/Dialect/Anima.h"

#include "anima/Compiler/Compiler.h"
#include "anima/Dialect/AnimaDialect.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Anima, anima, mlir::anima::AnimaDialect)

void animaRegisterCompilerDialects(MlirDialectRegistry registry) {
  mlir::anima::registerCompilerDialects(*unwrap(registry));
}
