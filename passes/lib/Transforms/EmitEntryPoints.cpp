//===- EmitEntryPoints.cpp - exported ABI functions -----------------------===//

#include "anima/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::anima {
#define GEN_PASS_DEF_ANIMAEMITENTRYPOINTSPASS
#include "anima/Transforms/Passes.h.inc"
} // namespace mlir::anima

using namespace mlir;
using namespace mlir::anima;

/// Must equal ANIMA_ABI_VERSION in kernels/abi/include/anima/abi.h.
static constexpr uint32_t kAbiVersion = 1;

namespace {

struct AnimaEmitEntryPointsPass
    : anima::impl::AnimaEmitEntryPointsPassBase<AnimaEmitEntryPointsPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    OpBuilder b(ctx);
    Location loc = module.getLoc();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto voidType = LLVM::LLVMVoidType::get(ctx);
    auto i32 = b.getI32Type();

    SmallVector<LLVM::LLVMFuncOp> entries;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>())
      if (func->hasAttr(kEntryPointAttrName) && !func.isExternal())
        entries.push_back(func);

    b.setInsertionPointToEnd(module.getBody());
    for (LLVM::LLVMFuncOp func : entries) {
      LLVM::LLVMFunctionType type = func.getFunctionType();
      if (type.getNumParams() == 0) {
        func.emitError("entry function '")
            << func.getSymName()
            << "' must take the step context as its first argument";
        return signalPassFailure();
      }
      if (!isa<LLVM::LLVMVoidType>(type.getReturnType())) {
        func.emitError("entry function '")
            << func.getSymName()
            << "' must return nothing after lowering (outputs are "
               "out-parameters), got "
            << type.getReturnType();
        return signalPassFailure();
      }
      for (Type param : type.getParams())
        if (param != ptrType) {
          func.emitError("entry function '")
              << func.getSymName()
              << "' must take only pointers after lowering (bare-pointer "
                 "memrefs), got "
              << param;
          return signalPassFailure();
        }
      auto wrapperType =
          LLVM::LLVMFunctionType::get(voidType, {ptrType, ptrType});
      auto wrapper = LLVM::LLVMFuncOp::create(
          b, loc, ("anima_entry_" + func.getSymName()).str(), wrapperType);
      Block *block = wrapper.addEntryBlock(b);
      OpBuilder body = OpBuilder::atBlockEnd(block);
      SmallVector<Value> args = {block->getArgument(0)};
      Value buffers = block->getArgument(1);
      for (unsigned i = 1, e = type.getNumParams(); i < e; ++i) {
        Value slot = LLVM::GEPOp::create(
            body, loc, ptrType, ptrType, buffers,
            ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i - 1)});
        args.push_back(LLVM::LoadOp::create(body, loc, ptrType, slot));
      }
      LLVM::CallOp::create(body, loc, func, args);
      LLVM::ReturnOp::create(body, loc, ValueRange());
      func.setLinkage(LLVM::Linkage::Internal);
      // The anima argument markers have no meaning in LLVM IR.
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
        func.removeArgAttr(i, StringAttr::get(ctx, kContextAttrName));
        func.removeArgAttr(i, StringAttr::get(ctx, "anima.state"));
        func.removeArgAttr(i, StringAttr::get(ctx, "anima.name"));
      }
    }

    if (!triple.empty())
      module->setAttr(LLVM::LLVMDialect::getTargetTripleAttrName(),
                      b.getStringAttr(triple));
    if (!cpu.empty())
      module->setAttr("anima.target_cpu", b.getStringAttr(cpu));
    if (!features.empty())
      module->setAttr("anima.target_features", b.getStringAttr(features));

    auto versionFn = LLVM::LLVMFuncOp::create(
        b, loc, "anima_abi_version", LLVM::LLVMFunctionType::get(i32, {}));
    Block *block = versionFn.addEntryBlock(b);
    OpBuilder body = OpBuilder::atBlockEnd(block);
    Value version = LLVM::ConstantOp::create(
        body, loc, i32, body.getI32IntegerAttr(kAbiVersion));
    LLVM::ReturnOp::create(body, loc, version);
  }
};

} // namespace
