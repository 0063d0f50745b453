//===- UkernelCall.h - emitting microkernel calls ---------------*- C++ -*-===//
//
// Builds a call of a CPU microkernel (kernels/abi/include/anima/abi.h) on raw
// pointers from buffers, passing the step context of the enclosing entry
// function first. Used by the bufferization models and the lowering of the
// upstream ops that have a microkernel.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_PASSES_TRANSFORMS_UKERNELCALL_H
#define ANIMA_PASSES_TRANSFORMS_UKERNELCALL_H

#include "anima/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::anima {

/// Builds the pointer/scalar arguments of one microkernel call.
class UkernelCall {
public:
  UkernelCall(RewriterBase &rewriter, Location loc)
      : rewriter(rewriter), loc(loc),
        ptrType(LLVM::LLVMPointerType::get(rewriter.getContext())) {}

  /// Adds a raw pointer to the first element of `buffer`.
  Value pointer(Value buffer) {
    Value index =
        memref::ExtractAlignedPointerAsIndexOp::create(rewriter, loc, buffer);
    Value address = arith::IndexCastOp::create(rewriter, loc,
                                               rewriter.getI64Type(), index);
    return LLVM::IntToPtrOp::create(rewriter, loc, ptrType, address);
  }
  UkernelCall &ptr(Value buffer) { return add(buffer ? pointer(buffer) : null()); }
  UkernelCall &rawPtr(Value pointer) { return add(pointer); }
  UkernelCall &i64(int64_t value) {
    return add(arith::ConstantOp::create(rewriter, loc,
                                         rewriter.getI64IntegerAttr(value)));
  }
  UkernelCall &i64(Value value) { return add(value); }
  UkernelCall &i32(int32_t value) {
    return add(arith::ConstantOp::create(rewriter, loc,
                                         rewriter.getI32IntegerAttr(value)));
  }
  UkernelCall &f32(APFloat value) {
    return add(arith::ConstantOp::create(
        rewriter, loc, rewriter.getF32FloatAttr(value.convertToFloat())));
  }
  Value null() { return LLVM::ZeroOp::create(rewriter, loc, ptrType); }

  /// Emits `name(context, args...)`, declaring the microkernel if needed.
  LogicalResult emit(Operation *anchor, StringRef name) {
    auto func = anchor->getParentOfType<func::FuncOp>();
    Value context;
    if (func)
      for (BlockArgument arg : func.getArguments())
        if (func.getArgAttr(arg.getArgNumber(), kContextAttrName))
          context = arg;
    if (!context)
      return anchor->emitError("anima op outside an entry function with a "
                               "step context; run anima-externalize-state "
                               "first");
    SmallVector<Value> operands = {context};
    operands.append(args);
    SmallVector<Type> types;
    for (Value operand : operands)
      types.push_back(operand.getType());
    auto module = anchor->getParentOfType<ModuleOp>();
    auto decl = module.lookupSymbol<func::FuncOp>(name);
    auto fnType = rewriter.getFunctionType(types, {});
    if (!decl) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(module.getBody());
      decl = func::FuncOp::create(rewriter, loc, name, fnType);
      decl.setPrivate();
    } else if (decl.getFunctionType() != fnType) {
      return anchor->emitError("microkernel '")
             << name << "' is declared with type " << decl.getFunctionType()
             << ", expected " << fnType;
    }
    func::CallOp::create(rewriter, loc, decl, operands);
    args.clear();
    return success();
  }

private:
  UkernelCall &add(Value value) {
    args.push_back(value);
    return *this;
  }

  RewriterBase &rewriter;
  Location loc;
  Type ptrType;
  SmallVector<Value> args;
};

} // namespace mlir::anima

#endif // ANIMA_PASSES_TRANSFORMS_UKERNELCALL_H
