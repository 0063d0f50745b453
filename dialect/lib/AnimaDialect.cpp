//===- AnimaDialect.cpp - Anima dialect -----------------------------------===//

#include "anima/Dialect/AnimaDialect.h"
#include "anima/Dialect/AnimaAttrs.h"
#include "anima/Dialect/AnimaOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::anima;

#include "anima/Dialect/AnimaDialect.cpp.inc"

void AnimaDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "anima/Dialect/AnimaOps.cpp.inc"
      >();
  registerAttributes();
}

Operation *AnimaDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}
