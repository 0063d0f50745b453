//===- AnimaOps.h - Anima dialect ops ---------------------------*- C++ -*-===//

#ifndef ANIMA_DIALECT_ANIMAOPS_H
#define ANIMA_DIALECT_ANIMAOPS_H

#include "anima/Dialect/AnimaAttrs.h"
#include "anima/Dialect/AnimaDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "anima/Dialect/AnimaOps.h.inc"

#endif // ANIMA_DIALECT_ANIMAOPS_H
