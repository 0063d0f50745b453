//===- AnimaBase.td - Anima dialect definition -------------*- tablegen -*-===//
//
// The `anima` dialect: sparse activation, parametric memory and local learning
// rules as value-semantic tensor ops. This file holds the dialect, the base
// op class and the type constraints every op shares.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_DIALECT_ANIMABASE_TD
#define ANIMA_DIALECT_ANIMABASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Anima_Dialect : Dialect {
  let name = "anima";
  let cppNamespace = "::mlir::anima";
  let summary = "Living neural models: sparse activation, memory, local learning";
  let description = [{
    The `anima` dialect expresses models that keep learning on the device in
    the same step that infers. Its ops have value semantics on statically
    shaped `f32` tensors (indices are `i32`): an op that updates state
    (`plastic_update`, `mem_write`, the duty output of `kwta`) returns the
    new state value and never writes memory, so the order "read the old
    state, then learn" is carried by SSA use-def chains and no transformation
    can schedule a read of the old value after the write. Every op is
    therefore `Pure`; persistence across steps goes through `ml_program`
    mutable globals (`ml_program.global_load` / `global_store`, which carry
    the memory effects), and bufferization later turns updates into in-place
    writes.

    Conventions shared by all ops: an active set is a pair of tensors
    `idx : tensor<k x i32>` (distinct row indices in ascending order) and
    `val : tensor<k x f32>`; weight matrices are row-major `tensor<N x D x f32>`.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let extraClassDeclaration = [{
    /// Registers the dialect's attributes (defined in AnimaAttrs.cpp).
    void registerAttributes();
  }];
}

/// Base class of every `anima` op.
class Anima_Op<string mnemonic, list<Trait> traits = []>
    : Op<Anima_Dialect, mnemonic, traits>;

/// Base class of every `anima` attribute.
class Anima_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Anima_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

/// A statically shaped tensor of the given rank and element type.
class Anima_StaticTensorOf<Type elementType, int rank>
    : RankedTensorOf<[elementType], [HasAnyRankOfPred<[rank]>,
                                     HasStaticShapePred],
                     "statically shaped " # rank # "-d tensor">;

def Anima_F32Scalar : Anima_StaticTensorOf<F32, 0>;
def Anima_F32Vector : Anima_StaticTensorOf<F32, 1>;
def Anima_F32Matrix : Anima_StaticTensorOf<F32, 2>;
def Anima_IndexVector : Anima_StaticTensorOf<I32, 1>;

#endif // ANIMA_DIALECT_ANIMABASE_TD
