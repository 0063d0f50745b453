// RUN: not anima-opt %s -split-input-file 2>&1 | FileCheck %s -DFILE=%s

// Malformed input gives an error located at file:line:col and a non-zero
// exit, never a crash (`not` fails on a crash). Each case is one chunk; the
// single-case files malformed-*.mlir check the exit status case by case.

func.func @syntax_missing_equal(%u: tensor<16xf32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:28: error: expected '='
  %i, %v = anima.kwta %u, k 4, value : tensor<16xf32>
  return
}

// -----

func.func @unknown_custom_op() {
  // CHECK: [[FILE]]:[[@LINE+1]]:3: error: custom op 'anima.bogus' is unknown
  anima.bogus
  return
}

// -----

func.func @unknown_generic_op() {
  // CHECK: [[FILE]]:[[@LINE+1]]:3: error: unregistered operation 'anima.bogus' found in dialect ('anima') that does not allow unknown operations
  "anima.bogus"() : () -> ()
  return
}

// -----

func.func @unknown_rule(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  // CHECK: [[FILE]]:[[@LINE+2]]:30: error: custom op 'anima.plastic_update' expected ::mlir::anima::Rule to be one of: hebb, oja, instar, delta, softmax_delta
  // CHECK: [[FILE]]:[[@LINE+1]]:38: error: custom op 'anima.plastic_update' failed to parse Anima_RuleAttr parameter 'value'
  %W2 = anima.plastic_update hebbian %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

func.func @unknown_kwta_mode(%u: tensor<16xf32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:34: error: custom op 'anima.kwta' expected ::mlir::anima::KwtaMode to be one of: value, binary, softmax
  %i, %v = anima.kwta %u, k = 4, winner : tensor<16xf32>
  return
}

// -----

func.func @unknown_kwta_mode_generic(%u: tensor<16xf32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:66: error: expected ::mlir::anima::KwtaMode to be one of: value, binary, softmax
  %0:2 = "anima.kwta"(%u) <{k = 4 : i64, mode = #anima<kwta_mode valu>}> : (tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>)
  return
}

// -----

func.func @unknown_decay_order(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  // CHECK: [[FILE]]:[[@LINE+1]]:88: error: expected ::mlir::anima::DecayOrder to be one of: decay_first, read_first
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32, decay_order = #anima.decay_order<write_first>} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// -----

// CHECK: [[FILE]]:[[@LINE+1]]:37: error: unknown attribute `bogus` in dialect `anima`
ml_program.global private @g(#anima.bogus<1>) : tensor<4xf32>

// -----

// CHECK: [[FILE]]:[[@LINE+1]]:50: error: unbalanced '<' character in pretty dialect name
ml_program.global private @g(#anima.random_normal<seed = 1, mean = 0.0, stddev = 1.0) : tensor<4xf32>

// -----

// CHECK: [[FILE]]:[[@LINE+1]]:58: error: integer value too large
ml_program.global private @g(#anima.random_normal<seed = 18446744073709551616, mean = 0.0, stddev = 1.0>) : tensor<4xf32>

// -----

func.func @missing_operand(%W: tensor<16x8xf32>, %idx: tensor<4xi32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:36: error: expected ','
  %y = anima.gather_matvec %W[%idx] : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  return
}

// -----

func.func @undefined_operand(%W: tensor<16x8xf32>, %idx: tensor<4xi32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:38: error: use of undeclared SSA value name
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  return
}

// -----

func.func @missing_post_clause(%W: tensor<16x8xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  // CHECK: [[FILE]]:[[@LINE+1]]:38: error: custom op 'anima.plastic_update' expected 'post'
  %W2 = anima.plastic_update hebb %W pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

func.func @missing_k(%u: tensor<16xf32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:27: error: custom op 'anima.kwta' expected 'k'
  %i, %v = anima.kwta %u, value : tensor<16xf32>
  return
}

// -----

func.func @k_not_integer(%u: tensor<16xf32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:34: error: floating point value not valid for specified type
  %i, %v = anima.kwta %u, k = 4.0, value : tensor<16xf32>
  return
}

// -----

func.func @k_out_of_range(%u: tensor<16xf32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:31: error: integer constant out of range for attribute
  %i, %v = anima.kwta %u, k = 99999999999999999999, value : tensor<16xf32>
  return
}

// -----

func.func @too_few_result_names(%u: tensor<16xf32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:3: error: operation defines 2 results but was provided 1 to bind
  %i = anima.kwta %u, k = 4, value : tensor<16xf32>
  return
}

// -----

func.func @missing_type(%S: tensor<8x16xf32>, %q: tensor<16xf32>) -> tensor<8xf32> {
  // CHECK: [[FILE]]:[[@LINE+1]]:29: error: expected ':'
  %o = anima.mem_read %S, %q
  return %o : tensor<8xf32>
}

// -----

func.func @sparse_query_without_type(%S: tensor<8x16xf32>, %qv: tensor<4xf32>, %qi: tensor<4xi32>) -> tensor<8xf32> {
  // CHECK: [[FILE]]:[[@LINE+1]]:34: error: expected ':'
  %o = anima.mem_read %S, %qv[%qi] : tensor<8x16xf32>, tensor<4xf32>
  return %o : tensor<8xf32>
}

// -----

func.func @duplicate_attribute(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  // CHECK: [[FILE]]:[[@LINE+1]]:55: error: duplicate key 'beta' in dictionary attribute
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32, beta = 2.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// -----

func.func @unterminated_type(%u: tensor<16xf32>) {
  // CHECK: [[FILE]]:[[@LINE+1]]:55: error: expected '>' in tensor type
  %i, %v = anima.kwta %u, k = 4, value : tensor<16xf32
  return
}

