//===- AnimaAttrs.td - Anima enums and attributes ----------*- tablegen -*-===//

#ifndef ANIMA_DIALECT_ANIMAATTRS_TD
#define ANIMA_DIALECT_ANIMAATTRS_TD

include "anima/Dialect/AnimaBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Anima_KwtaMode : I32EnumAttr<"KwtaMode", "values produced for the k winners", [
    I32EnumAttrCase<"value", 0>,
    I32EnumAttrCase<"binary", 1>,
    I32EnumAttrCase<"softmax", 2>]> {
  let cppNamespace = "::mlir::anima";
  let genSpecializedAttr = 0;
}
def Anima_KwtaModeAttr : EnumAttr<Anima_Dialect, Anima_KwtaMode, "kwta_mode">;

def Anima_Rule : I32EnumAttr<"Rule", "local learning rule", [
    I32EnumAttrCase<"hebb", 0>,
    I32EnumAttrCase<"oja", 1>,
    I32EnumAttrCase<"instar", 2>,
    I32EnumAttrCase<"delta", 3>,
    I32EnumAttrCase<"softmax_delta", 4>]> {
  let cppNamespace = "::mlir::anima";
  let genSpecializedAttr = 0;
}
def Anima_RuleAttr : EnumAttr<Anima_Dialect, Anima_Rule, "rule">;

def Anima_DecayOrder : I32EnumAttr<"DecayOrder",
    "whether a memory write retrieves from the decayed or the original state", [
    I32EnumAttrCase<"decay_first", 0>,
    I32EnumAttrCase<"read_first", 1>]> {
  let cppNamespace = "::mlir::anima";
  let genSpecializedAttr = 0;
}
def Anima_DecayOrderAttr : EnumAttr<Anima_Dialect, Anima_DecayOrder, "decay_order"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// State initializers
//===----------------------------------------------------------------------===//

/// An f32 attribute parameter written as a bare float literal.
def Anima_FloatParam : APFloatParameter<"f32 value"> {
  let parser = [{ ::mlir::anima::detail::parseFloatParam($_parser) }];
  let printer = [{ $_printer.printFloat($_self) }];
}

def Anima_RandomNormalAttr : Anima_Attr<"RandomNormal", "random_normal"> {
  let summary = "seeded Gaussian initial value of a state tensor";
  let description = [{
    Initial value for an `ml_program.global` holding model state, so that a
    model needs no weight file: element `i` (row-major) is
    `mean + stddev * n_i`, where `n` is the standard-normal stream of the
    generator documented in `docs/architecture.md` seeded with `seed`. The
    compiler materializes it into the artifact's initial state.

    ```mlir
    ml_program.global private mutable @W(#anima.random_normal<seed = 7, mean = 0.0, stddev = 0.05>) : tensor<4096x784xf32>
    ```
  }];
  let parameters = (ins "uint64_t":$seed, Anima_FloatParam:$mean,
                        Anima_FloatParam:$stddev);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Anima_RandomUniformAttr : Anima_Attr<"RandomUniform", "random_uniform"> {
  let summary = "seeded uniform initial value of a state tensor";
  let description = [{
    Initial value for a state global: element `i` is
    `low + (high - low) * u_i` with `u` the uniform [0, 1) stream of the
    documented generator seeded with `seed`.

    ```mlir
    ml_program.global private mutable @M(#anima.random_uniform<seed = 1, low = -0.1, high = 0.1>) : tensor<64x64xf32>
    ```
  }];
  let parameters = (ins "uint64_t":$seed, Anima_FloatParam:$low,
                        Anima_FloatParam:$high);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // ANIMA_DIALECT_ANIMAATTRS_TD
