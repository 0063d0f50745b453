//===- Passes.h - Anima transformation passes -------------------*- C++ -*-===//

#ifndef ANIMA_TRANSFORMS_PASSES_H
#define ANIMA_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class DialectRegistry;
class RewritePatternSet;
namespace LLVM {
class LLVMDialect;
} // namespace LLVM
namespace bufferization {
class BufferizationDialect;
} // namespace bufferization
namespace memref {
class MemRefDialect;
} // namespace memref
namespace scf {
class SCFDialect;
} // namespace scf
namespace func {
class FuncDialect;
} // namespace func
namespace arith {
class ArithDialect;
} // namespace arith
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace tensor {
class TensorDialect;
} // namespace tensor
namespace gpu {
class GPUDialect;
} // namespace gpu
namespace math {
class MathDialect;
} // namespace math
namespace spirv {
class SPIRVDialect;
class ModuleOp;
} // namespace spirv

namespace anima {

#define GEN_PASS_DECL
#include "anima/Transforms/Passes.h.inc"

/// Adds the pattern fusing gather_matvec with plastic_update.
void populateFusePlasticStepPatterns(RewritePatternSet &patterns);
/// Adds the pattern fusing mem_read with mem_write.
void populateFuseMemoryStepPatterns(RewritePatternSet &patterns);

/// Registers the BufferizableOpInterface models of the anima ops.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);

/// Bytes of workgroup (shared) memory a GPU kernel allocates (its
/// memref.alloc ops in memory space 3).
int64_t workgroupMemoryBytes(Operation *kernel);

/// Name of the attribute marking the step-context argument.
inline constexpr llvm::StringLiteral kContextAttrName = "anima.context";
/// Name of the module attribute listing the state tensors.
inline constexpr llvm::StringLiteral kStatesAttrName = "anima.states";
/// Name of the function attribute describing an entry point.
inline constexpr llvm::StringLiteral kEntryPointAttrName = "anima.entry_point";

#define GEN_PASS_REGISTRATION
#include "anima/Transforms/Passes.h.inc"

} // namespace anima
} // namespace mlir

#endif // ANIMA_TRANSFORMS_PASSES_H
