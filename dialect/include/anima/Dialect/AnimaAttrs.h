//===- AnimaAttrs.h - Anima enums and attributes ----------------*- C++ -*-===//

#ifndef ANIMA_DIALECT_ANIMAATTRS_H
#define ANIMA_DIALECT_ANIMAATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "anima/Dialect/AnimaEnums.h.inc"

namespace mlir::anima::detail {
/// Parses a bare float literal as an f32 attribute parameter.
FailureOr<llvm::APFloat> parseFloatParam(AsmParser &parser);
} // namespace mlir::anima::detail

#define GET_ATTRDEF_CLASSES
#include "anima/Dialect/AnimaAttrs.h.inc"

#endif // ANIMA_DIALECT_ANIMAATTRS_H
