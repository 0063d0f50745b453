//===- TraitTypeIDs.cpp - One TypeID per MLIR trait across compilers ------===//
//
// MLIR names the TypeID of a trait after the trait's type as the compiler
// spells it (llvm::getTypeName), and GCC, which builds Anima, spells a
// trait's placeholder argument differently from clang, which built
// libMLIR.so and the C API archives in libAnimaMLIRCAPI.so. Anima's code and
// libMLIR.so share one copy of each such TypeID, named by whichever computes
// it first; libAnimaMLIRCAPI.so holds private copies named the clang way.
// So that all agree, libMLIR.so computes the shared ones first, when this
// library is loaded, for the traits those archives test: IsTerminator,
// SymbolTable, IsIsolatedFromAbove.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;

namespace {
/// Queries the traits from libMLIR.so's code on a module holding a module.
struct ComputeTraitTypeIDsInLibMLIR {
  ComputeTraitTypeIDsInLibMLIR() {
    MLIRContext context(MLIRContext::Threading::DISABLED);
    Location loc = UnknownLoc::get(&context);
    OwningOpRef<ModuleOp> outer = ModuleOp::create(loc);
    OpBuilder builder = OpBuilder::atBlockEnd(outer->getBody());
    ModuleOp inner = ModuleOp::create(builder, loc);
    (void)SymbolTable::getNearestSymbolTable(inner); // SymbolTable
    (void)outer->getBody()->mightHaveTerminator();   // IsTerminator
    (void)verify(*outer);                            // IsIsolatedFromAbove
  }
};
const ComputeTraitTypeIDsInLibMLIR computeTraitTypeIDs;
} // namespace
