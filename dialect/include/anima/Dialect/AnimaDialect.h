//===- AnimaDialect.h - Anima dialect ---------------------------*- C++ -*-===//

#ifndef ANIMA_DIALECT_ANIMADIALECT_H
#define ANIMA_DIALECT_ANIMADIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "anima/Dialect/AnimaDialect.h.inc"

#endif // ANIMA_DIALECT_ANIMADIALECT_H
