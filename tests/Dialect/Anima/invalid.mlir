// RUN: anima-opt %s -split-input-file -verify-diagnostics

// Every diagnostic of the anima verifiers, type inference and attribute
// verifiers, plus the ODS type constraints that matter. The generic op form
// is used where the custom form cannot express the malformed op.

//===----------------------------------------------------------------------===//
// kwta
//===----------------------------------------------------------------------===//

func.func @kwta_k_zero(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op k must be positive, got 0}}
  %i, %v = anima.kwta %u, k = 0, value : tensor<16xf32>
  return
}

// -----

func.func @kwta_k_negative_generic(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op k must be positive, got -1}}
  %0:2 = "anima.kwta"(%u) <{k = -1 : i64, mode = #anima<kwta_mode value>}> : (tensor<16xf32>) -> (tensor<1xi32>, tensor<1xf32>)
  return
}

// -----

func.func @kwta_missing_k_generic(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op requires attribute 'k'}}
  %0:2 = "anima.kwta"(%u) <{mode = #anima<kwta_mode value>}> : (tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>)
  return
}

// -----

func.func @kwta_missing_mode_generic(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op requires attribute 'mode'}}
  %0:2 = "anima.kwta"(%u) <{k = 4 : i64}> : (tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>)
  return
}

// -----

func.func @kwta_k_exceeds_n(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op k = 17 exceeds the number of units N = 16}}
  %i, %v = anima.kwta %u, k = 17, value : tensor<16xf32>
  return
}

// -----

func.func @kwta_n_exceeds_i32_indices(%u: tensor<3000000000xf32>) {
  // expected-error @+1 {{'anima.kwta' op N = 3000000000 units exceed what i32 indices can address}}
  %i, %v = anima.kwta %u, k = 4, value : tensor<3000000000xf32>
  return
}

// -----

func.func @kwta_wrong_result_types_generic(%u: tensor<16xf32>) {
  // expected-error @+2 {{'anima.kwta' op inferred type(s) 'tensor<4xi32>', 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<4xi32>', 'tensor<5xf32>'}}
  // expected-error @+1 {{'anima.kwta' op failed to infer returned types}}
  %0:2 = "anima.kwta"(%u) <{k = 4 : i64, mode = #anima<kwta_mode value>}> : (tensor<16xf32>) -> (tensor<4xi32>, tensor<5xf32>)
  return
}

// -----

func.func @kwta_missing_duty_result_generic(%u: tensor<16xf32>, %d: tensor<16xf32>) {
  // expected-error @+2 {{'anima.kwta' op inferred type(s) 'tensor<4xi32>', 'tensor<4xf32>', 'tensor<16xf32>' are incompatible with return type(s) of operation 'tensor<4xi32>', 'tensor<4xf32>'}}
  // expected-error @+1 {{'anima.kwta' op failed to infer returned types}}
  %0:2 = "anima.kwta"(%u, %d) <{k = 4 : i64, mode = #anima<kwta_mode value>, period = 10.0 : f32}> : (tensor<16xf32>, tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>)
  return
}

// -----

func.func @kwta_beta_not_finite(%u: tensor<16xf32>, %d: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op beta, tau and period must be finite}}
  %i, %v, %d2 = anima.kwta %u, k = 4, value, duty(%d : tensor<16xf32>) {beta = 0x7F800000 : f32, period = 10.0 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_tau_nan(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op beta, tau and period must be finite}}
  %i, %v = anima.kwta %u, k = 4, softmax {tau = 0x7FC00000 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_period_not_finite(%u: tensor<16xf32>, %d: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op beta, tau and period must be finite}}
  %i, %v, %d2 = anima.kwta %u, k = 4, value, duty(%d : tensor<16xf32>) {period = 0xFF800000 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_softmax_tau_zero(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op softmax temperature tau must be positive, got 0.000000e+00}}
  %i, %v = anima.kwta %u, k = 4, softmax {tau = 0.0 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_softmax_tau_negative(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op softmax temperature tau must be positive, got -5.000000e-01}}
  %i, %v = anima.kwta %u, k = 4, softmax {tau = -0.5 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_beta_without_duty(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op boosting (beta = 1.500000e+00) needs the duty-cycle operand}}
  %i, %v = anima.kwta %u, k = 4, binary {beta = 1.5 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_period_without_duty(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op period is set but there are no duty cycles}}
  %i, %v = anima.kwta %u, k = 4, value {period = 100.0 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_duty_without_period(%u: tensor<16xf32>, %d: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op duty-cycle period must be >= 1, got 0.000000e+00}}
  %i, %v, %d2 = anima.kwta %u, k = 4, value, duty(%d : tensor<16xf32>) : tensor<16xf32>
  return
}

// -----

func.func @kwta_period_below_one(%u: tensor<16xf32>, %d: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op duty-cycle period must be >= 1, got 5.000000e-01}}
  %i, %v, %d2 = anima.kwta %u, k = 4, value, duty(%d : tensor<16xf32>) {period = 0.5 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_duty_shape_mismatch(%u: tensor<16xf32>, %d: tensor<8xf32>) {
  // expected-error @+1 {{'anima.kwta' op duty cycles must have the input's type 'tensor<16xf32>', got 'tensor<8xf32>'}}
  %i, %v, %d2 = anima.kwta %u, k = 4, value, duty(%d : tensor<8xf32>) {period = 10.0 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_input_f16(%u: tensor<16xf16>) {
  // expected-error @+1 {{'anima.kwta' op operand #0 must be statically shaped 1-d tensor of 32-bit float values, but got 'tensor<16xf16>'}}
  %i, %v = anima.kwta %u, k = 4, value : tensor<16xf16>
  return
}

// -----

func.func @kwta_input_dynamic(%u: tensor<?xf32>) {
  // expected-error @+1 {{'anima.kwta' op operand #0 must be statically shaped 1-d tensor of 32-bit float values, but got 'tensor<?xf32>'}}
  %i, %v = anima.kwta %u, k = 4, value : tensor<?xf32>
  return
}

// -----

func.func @kwta_input_rank2(%u: tensor<4x4xf32>) {
  // expected-error @+1 {{'anima.kwta' op operand #0 must be statically shaped 1-d tensor of 32-bit float values, but got 'tensor<4x4xf32>'}}
  %i, %v = anima.kwta %u, k = 4, value : tensor<4x4xf32>
  return
}

// -----

func.func @kwta_duty_f64(%u: tensor<16xf32>, %d: tensor<16xf64>) {
  // expected-error @+1 {{'anima.kwta' op operand #1 must be statically shaped 1-d tensor of 32-bit float values, but got 'tensor<16xf64>'}}
  %i, %v, %d2 = anima.kwta %u, k = 4, value, duty(%d : tensor<16xf64>) {period = 10.0 : f32} : tensor<16xf32>
  return
}

// -----

func.func @kwta_indices_i64_generic(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op result #0 must be statically shaped 1-d tensor of 32-bit signless integer values, but got 'tensor<4xi64>'}}
  %0:2 = "anima.kwta"(%u) <{k = 4 : i64, mode = #anima<kwta_mode value>}> : (tensor<16xf32>) -> (tensor<4xi64>, tensor<4xf32>)
  return
}

// -----

func.func @kwta_too_few_results_generic(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op expected 2 or more results}}
  %0 = "anima.kwta"(%u) <{k = 4 : i64, mode = #anima<kwta_mode value>}> : (tensor<16xf32>) -> tensor<4xi32>
  return
}

// -----

func.func @kwta_two_duty_results_generic(%u: tensor<16xf32>, %d: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op result group starting at #2 requires 0 or 1 element, but found 2}}
  %0:4 = "anima.kwta"(%u, %d) <{k = 4 : i64, mode = #anima<kwta_mode value>, period = 2.0 : f32}> : (tensor<16xf32>, tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<16xf32>, tensor<16xf32>)
  return
}

// -----

func.func @kwta_k_i32_generic(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op attribute 'k' failed to satisfy constraint: 64-bit signless integer attribute}}
  %0:2 = "anima.kwta"(%u) <{k = 4 : i32, mode = #anima<kwta_mode value>}> : (tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>)
  return
}

// -----

func.func @kwta_k_huge(%u: tensor<16xf32>) {
  // expected-error @+1 {{'anima.kwta' op k = 9223372036854775807 exceeds the number of units N = 16}}
  %i, %v = anima.kwta %u, k = 9223372036854775807, value : tensor<16xf32>
  return
}

// -----

func.func @kwta_bad_mode_attr_generic(%u: tensor<16xf32>) {
  // expected-error @+1 {{invalid properties {k = 4 : i64, mode = #anima<rule hebb>} for op anima.kwta: Invalid attribute `mode` in property conversion: #anima<rule hebb>}}
  %0:2 = "anima.kwta"(%u) <{k = 4 : i64, mode = #anima<rule hebb>}> : (tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>)
  return
}

// -----

//===----------------------------------------------------------------------===//
// gather_matvec
//===----------------------------------------------------------------------===//

func.func @gather_matvec_input_mismatch(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<7xf32>) {
  // expected-error @+1 {{'anima.gather_matvec' op input has 7 entries but the weight rows have 8}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<7xf32>
  return
}

// -----

func.func @gather_matvec_too_many_rows(%W: tensor<16x8xf32>, %idx: tensor<17xi32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.gather_matvec' op number of active rows k = 17 exceeds the 16 available}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<17xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_index_out_of_range(%W: tensor<16x8xf32>, %x: tensor<8xf32>) {
  %idx = arith.constant dense<[1, 5, 16]> : tensor<3xi32>
  // expected-error @+1 {{'anima.gather_matvec' op row index 16 is out of range [0, 16)}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<3xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_index_negative(%W: tensor<16x8xf32>, %x: tensor<8xf32>) {
  %idx = arith.constant dense<[-1, 5]> : tensor<2xi32>
  // expected-error @+1 {{'anima.gather_matvec' op row index -1 is out of range [0, 16)}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<2xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_indices_not_ascending(%W: tensor<16x8xf32>, %x: tensor<8xf32>) {
  %idx = arith.constant dense<[3, 1, 7]> : tensor<3xi32>
  // expected-error @+1 {{'anima.gather_matvec' op row indices must be strictly ascending, but 1 follows 3}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<3xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_indices_duplicated(%W: tensor<16x8xf32>, %x: tensor<8xf32>) {
  %idx = arith.constant dense<[2, 4, 4]> : tensor<3xi32>
  // expected-error @+1 {{'anima.gather_matvec' op row indices must be strictly ascending, but 4 follows 4}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<3xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_indices_splat_duplicated(%W: tensor<16x8xf32>, %x: tensor<8xf32>) {
  %idx = arith.constant dense<0> : tensor<2xi32>
  // expected-error @+1 {{'anima.gather_matvec' op row indices must be strictly ascending, but 0 follows 0}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<2xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_indices_dynamic(%W: tensor<16x8xf32>, %idx: tensor<?xi32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.gather_matvec' op indices must be a statically shaped 1-d tensor}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<?xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_indices_i64(%W: tensor<16x8xf32>, %idx: tensor<4xi64>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.gather_matvec' op operand #1 must be statically shaped 1-d tensor of 32-bit signless integer values, but got 'tensor<4xi64>'}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<4xi64>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_weights_f16(%W: tensor<16x8xf16>, %idx: tensor<4xi32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.gather_matvec' op operand #0 must be statically shaped 2-d tensor of 32-bit float values, but got 'tensor<16x8xf16>'}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf16>, tensor<4xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_weights_dynamic(%W: tensor<?x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.gather_matvec' op operand #0 must be statically shaped 2-d tensor of 32-bit float values, but got 'tensor<?x8xf32>'}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<?x8xf32>, tensor<4xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_weights_rank1(%W: tensor<16xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.gather_matvec' op operand #0 must be statically shaped 2-d tensor of 32-bit float values, but got 'tensor<16xf32>'}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16xf32>, tensor<4xi32>, tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_input_rank2(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<1x8xf32>) {
  // expected-error @+1 {{'anima.gather_matvec' op operand #2 must be statically shaped 1-d tensor of 32-bit float values, but got 'tensor<1x8xf32>'}}
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<1x8xf32>
  return
}

// -----

func.func @gather_matvec_wrong_result_generic(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) {
  // expected-error @+2 {{'anima.gather_matvec' op failed to infer returned types}}
  // expected-error @+1 {{'anima.gather_matvec' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<8xf32>'}}
  %y = "anima.gather_matvec"(%W, %idx, %x) : (tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @gather_matvec_missing_operand_generic(%W: tensor<16x8xf32>, %idx: tensor<4xi32>) {
  // expected-error @+1 {{'anima.gather_matvec' op expected 3 operands, but found 2}}
  %y = "anima.gather_matvec"(%W, %idx) : (tensor<16x8xf32>, tensor<4xi32>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// sparse_matvec
//===----------------------------------------------------------------------===//

func.func @sparse_matvec_values_mismatch(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %val: tensor<5xf32>) {
  // expected-error @+1 {{'anima.sparse_matvec' op values have 5 entries but there are 4 indices}}
  %y = anima.sparse_matvec %W[%idx], %val : tensor<16x8xf32>, tensor<4xi32>, tensor<5xf32>
  return
}

// -----

func.func @sparse_matvec_too_many_rows(%W: tensor<16x8xf32>, %idx: tensor<20xi32>, %val: tensor<20xf32>) {
  // expected-error @+1 {{'anima.sparse_matvec' op number of active rows k = 20 exceeds the 16 available}}
  %y = anima.sparse_matvec %W[%idx], %val : tensor<16x8xf32>, tensor<20xi32>, tensor<20xf32>
  return
}

// -----

func.func @sparse_matvec_index_out_of_range(%W: tensor<16x8xf32>, %val: tensor<2xf32>) {
  %idx = arith.constant dense<[0, 99]> : tensor<2xi32>
  // expected-error @+1 {{'anima.sparse_matvec' op row index 99 is out of range [0, 16)}}
  %y = anima.sparse_matvec %W[%idx], %val : tensor<16x8xf32>, tensor<2xi32>, tensor<2xf32>
  return
}

// -----

func.func @sparse_matvec_indices_not_ascending(%W: tensor<16x8xf32>, %val: tensor<2xf32>) {
  %idx = arith.constant dense<[9, 2]> : tensor<2xi32>
  // expected-error @+1 {{'anima.sparse_matvec' op row indices must be strictly ascending, but 2 follows 9}}
  %y = anima.sparse_matvec %W[%idx], %val : tensor<16x8xf32>, tensor<2xi32>, tensor<2xf32>
  return
}

// -----

func.func @sparse_matvec_weights_dynamic(%W: tensor<16x?xf32>, %idx: tensor<4xi32>, %val: tensor<4xf32>) {
  // expected-error @+1 {{'anima.sparse_matvec' op weights must be a statically shaped 2-d tensor}}
  %y = anima.sparse_matvec %W[%idx], %val : tensor<16x?xf32>, tensor<4xi32>, tensor<4xf32>
  return
}

// -----

func.func @sparse_matvec_weights_rank3(%W: tensor<2x16x8xf32>, %idx: tensor<4xi32>, %val: tensor<4xf32>) {
  // expected-error @+1 {{'anima.sparse_matvec' op weights must be a statically shaped 2-d tensor}}
  %y = anima.sparse_matvec %W[%idx], %val : tensor<2x16x8xf32>, tensor<4xi32>, tensor<4xf32>
  return
}

// -----

func.func @sparse_matvec_weights_f16(%W: tensor<16x8xf16>, %idx: tensor<4xi32>, %val: tensor<4xf32>) {
  // expected-error @+1 {{'anima.sparse_matvec' op operand #0 must be statically shaped 2-d tensor of 32-bit float values, but got 'tensor<16x8xf16>'}}
  %y = anima.sparse_matvec %W[%idx], %val : tensor<16x8xf16>, tensor<4xi32>, tensor<4xf32>
  return
}

// -----

func.func @sparse_matvec_indices_i64(%W: tensor<16x8xf32>, %idx: tensor<4xi64>, %val: tensor<4xf32>) {
  // expected-error @+1 {{'anima.sparse_matvec' op operand #1 must be statically shaped 1-d tensor of 32-bit signless integer values, but got 'tensor<4xi64>'}}
  %y = anima.sparse_matvec %W[%idx], %val : tensor<16x8xf32>, tensor<4xi64>, tensor<4xf32>
  return
}

// -----

func.func @sparse_matvec_values_f64(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %val: tensor<4xf64>) {
  // expected-error @+1 {{'anima.sparse_matvec' op operand #2 must be statically shaped 1-d tensor of 32-bit float values, but got 'tensor<4xf64>'}}
  %y = anima.sparse_matvec %W[%idx], %val : tensor<16x8xf32>, tensor<4xi32>, tensor<4xf64>
  return
}

// -----

func.func @sparse_matvec_wrong_result_generic(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %val: tensor<4xf32>) {
  // expected-error @+2 {{'anima.sparse_matvec' op failed to infer returned types}}
  // expected-error @+1 {{'anima.sparse_matvec' op inferred type(s) 'tensor<8xf32>' are incompatible with return type(s) of operation 'tensor<16xf32>'}}
  %y = "anima.sparse_matvec"(%W, %idx, %val) : (tensor<16x8xf32>, tensor<4xi32>, tensor<4xf32>) -> tensor<16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// mem_read
//===----------------------------------------------------------------------===//

func.func @mem_read_query_mismatch(%S: tensor<8x16xf32>, %q: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_read' op query has 8 entries but the memory has Dk = 16 columns}}
  %o = anima.mem_read %S, %q : tensor<8x16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_read_sparse_query_mismatch(%S: tensor<8x16xf32>, %qv: tensor<3xf32>, %qi: tensor<4xi32>) {
  // expected-error @+1 {{'anima.mem_read' op sparse query has 3 values but 4 indices}}
  %o = anima.mem_read %S, %qv[%qi : tensor<4xi32>] : tensor<8x16xf32>, tensor<3xf32>
  return
}

// -----

func.func @mem_read_too_many_columns(%S: tensor<8x16xf32>, %qv: tensor<17xf32>, %qi: tensor<17xi32>) {
  // expected-error @+1 {{'anima.mem_read' op number of active columns k = 17 exceeds the 16 available}}
  %o = anima.mem_read %S, %qv[%qi : tensor<17xi32>] : tensor<8x16xf32>, tensor<17xf32>
  return
}

// -----

func.func @mem_read_column_out_of_range(%S: tensor<8x16xf32>, %qv: tensor<2xf32>) {
  %qi = arith.constant dense<[3, 16]> : tensor<2xi32>
  // expected-error @+1 {{'anima.mem_read' op column index 16 is out of range [0, 16)}}
  %o = anima.mem_read %S, %qv[%qi : tensor<2xi32>] : tensor<8x16xf32>, tensor<2xf32>
  return
}

// -----

func.func @mem_read_columns_duplicated(%S: tensor<8x16xf32>, %qv: tensor<2xf32>) {
  %qi = arith.constant dense<[5, 5]> : tensor<2xi32>
  // expected-error @+1 {{'anima.mem_read' op column indices must be strictly ascending, but 5 follows 5}}
  %o = anima.mem_read %S, %qv[%qi : tensor<2xi32>] : tensor<8x16xf32>, tensor<2xf32>
  return
}

// -----

func.func @mem_read_state_dynamic(%S: tensor<?x16xf32>, %q: tensor<16xf32>) {
  // expected-error @+1 {{'anima.mem_read' op state must be a statically shaped 2-d tensor}}
  %o = anima.mem_read %S, %q : tensor<?x16xf32>, tensor<16xf32>
  return
}

// -----

func.func @mem_read_state_f64(%S: tensor<8x16xf64>, %q: tensor<16xf32>) {
  // expected-error @+1 {{'anima.mem_read' op operand #0 must be statically shaped 2-d tensor of 32-bit float values, but got 'tensor<8x16xf64>'}}
  %o = anima.mem_read %S, %q : tensor<8x16xf64>, tensor<16xf32>
  return
}

// -----

func.func @mem_read_query_indices_i64(%S: tensor<8x16xf32>, %qv: tensor<4xf32>, %qi: tensor<4xi64>) {
  // expected-error @+1 {{'anima.mem_read' op operand #2 must be statically shaped 1-d tensor of 32-bit signless integer values, but got 'tensor<4xi64>'}}
  %o = anima.mem_read %S, %qv[%qi : tensor<4xi64>] : tensor<8x16xf32>, tensor<4xf32>
  return
}

// -----

func.func @mem_read_two_index_operands_generic(%S: tensor<8x16xf32>, %qv: tensor<4xf32>, %qi: tensor<4xi32>) {
  // expected-error @+1 {{'anima.mem_read' op operand group starting at #2 requires 0 or 1 element, but found 2}}
  %o = "anima.mem_read"(%S, %qv, %qi, %qi) : (tensor<8x16xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>) -> tensor<8xf32>
  return
}

// -----

func.func @mem_read_wrong_result_generic(%S: tensor<8x16xf32>, %q: tensor<16xf32>) {
  // expected-error @+2 {{'anima.mem_read' op failed to infer returned types}}
  // expected-error @+1 {{'anima.mem_read' op inferred type(s) 'tensor<8xf32>' are incompatible with return type(s) of operation 'tensor<16xf32>'}}
  %o = "anima.mem_read"(%S, %q) : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// mem_write
//===----------------------------------------------------------------------===//

func.func @mem_write_key_mismatch(%S: tensor<8x16xf32>, %k: tensor<15xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op key has 15 entries but the memory has Dk = 16 columns}}
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<15xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_sparse_key_mismatch(%S: tensor<8x16xf32>, %kv: tensor<4xf32>, %ki: tensor<2xi32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op sparse key has 4 values but 2 indices}}
  %S2 = anima.mem_write %S, %kv[%ki : tensor<2xi32>], %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<4xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_too_many_columns(%S: tensor<8x16xf32>, %kv: tensor<32xf32>, %ki: tensor<32xi32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op number of active columns k = 32 exceeds the 16 available}}
  %S2 = anima.mem_write %S, %kv[%ki : tensor<32xi32>], %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<32xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_column_out_of_range(%S: tensor<8x16xf32>, %kv: tensor<2xf32>, %v: tensor<8xf32>) {
  %ki = arith.constant dense<[-3, 2]> : tensor<2xi32>
  // expected-error @+1 {{'anima.mem_write' op column index -3 is out of range [0, 16)}}
  %S2 = anima.mem_write %S, %kv[%ki : tensor<2xi32>], %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<2xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_columns_not_ascending(%S: tensor<8x16xf32>, %kv: tensor<3xf32>, %v: tensor<8xf32>) {
  %ki = arith.constant dense<[1, 9, 8]> : tensor<3xi32>
  // expected-error @+1 {{'anima.mem_write' op column indices must be strictly ascending, but 8 follows 9}}
  %S2 = anima.mem_write %S, %kv[%ki : tensor<3xi32>], %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<3xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_value_mismatch(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<16xf32>) {
  // expected-error @+1 {{'anima.mem_write' op value has 16 entries but the memory has Dv = 8 rows}}
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @mem_write_alpha_above_one(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op decay alpha must be in [0, 1], got 1.500000e+00}}
  %S2 = anima.mem_write %S, %k, %v {alpha = 1.5 : f32, beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_alpha_negative(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op decay alpha must be in [0, 1], got -1.000000e-01}}
  %S2 = anima.mem_write %S, %k, %v {alpha = -0.1 : f32, beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_alpha_nan(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op decay alpha must be in [0, 1], got nan}}
  %S2 = anima.mem_write %S, %k, %v {alpha = 0x7FC00000 : f32, beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_beta_negative(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op write strength beta must be finite and non-negative, got -2.000000e+00}}
  %S2 = anima.mem_write %S, %k, %v {beta = -2.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_beta_infinite(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op write strength beta must be finite and non-negative, got INF}}
  %S2 = anima.mem_write %S, %k, %v {beta = 0x7F800000 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_gamma_above_one(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op retrieval factor gamma must be in [0, 1], got 2.000000e+00}}
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32, gamma = 2.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_gamma_negative(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op retrieval factor gamma must be in [0, 1], got -1.000000e+00}}
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32, gamma = -1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_missing_beta(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op requires attribute 'beta'}}
  %S2 = anima.mem_write %S, %k, %v : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_beta_wrong_type(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op attribute 'beta' failed to satisfy constraint: 32-bit float attribute}}
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f64} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_state_f64(%S: tensor<8x16xf64>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op operand #0 must be statically shaped 2-d tensor of 32-bit float values, but got 'tensor<8x16xf64>'}}
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32} : tensor<8x16xf64>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_state_dynamic(%S: tensor<8x?xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op operand #0 must be statically shaped 2-d tensor of 32-bit float values, but got 'tensor<8x?xf32>'}}
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32} : tensor<8x?xf32>, tensor<16xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_key_indices_i64(%S: tensor<8x16xf32>, %kv: tensor<2xf32>, %ki: tensor<2xi64>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op operand #2 must be statically shaped 1-d tensor of 32-bit signless integer values, but got 'tensor<2xi64>'}}
  %S2 = anima.mem_write %S, %kv[%ki : tensor<2xi64>], %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<2xf32>, tensor<8xf32>
  return
}

// -----

func.func @mem_write_result_mismatch_generic(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'anima.mem_write' op failed to verify that all of {state, result} have same type}}
  %S2 = "anima.mem_write"(%S, %k, %v) <{beta = 1.0 : f32}> : (tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<16x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// plastic_update
//===----------------------------------------------------------------------===//

func.func @plastic_delta_missing_target(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op rule 'delta' needs a target operand}}
  %W2 = anima.plastic_update delta %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_softmax_delta_missing_target(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op rule 'softmax_delta' needs a target operand}}
  %W2 = anima.plastic_update softmax_delta %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_hebb_with_target(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op rule 'hebb' takes no target operand}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) target(%y : tensor<16xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_oja_with_target(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op rule 'oja' takes no target operand}}
  %W2 = anima.plastic_update oja %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) target(%y : tensor<16xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_instar_with_target(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op rule 'instar' takes no target operand}}
  %W2 = anima.plastic_update instar %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) target(%y : tensor<16xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_oja_pre_major(%W: tensor<16x8xf32>, %y: tensor<8xf32>, %x: tensor<16xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op rule 'oja' decays per output unit and needs post-major rows; drop 'pre_major'}}
  %W2 = anima.plastic_update oja %W post(%y : tensor<8xf32>) pre(%x : tensor<16xf32>) {eta = 0.1 : f32, pre_major} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_instar_pre_major(%W: tensor<16x8xf32>, %y: tensor<8xf32>, %x: tensor<16xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op rule 'instar' decays per output unit and needs post-major rows; drop 'pre_major'}}
  %W2 = anima.plastic_update instar %W post(%y : tensor<8xf32>) pre(%x : tensor<16xf32>) {eta = 0.1 : f32, pre_major} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_too_many_rows(%W: tensor<16x8xf32>, %idx: tensor<17xi32>, %y: tensor<17xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op number of active rows k = 17 exceeds the 16 available}}
  %W2 = anima.plastic_update hebb %W[%idx : tensor<17xi32>] post(%y : tensor<17xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_row_out_of_range(%W: tensor<16x8xf32>, %y: tensor<2xf32>, %x: tensor<8xf32>) {
  %idx = arith.constant dense<[4, 20]> : tensor<2xi32>
  // expected-error @+1 {{'anima.plastic_update' op row index 20 is out of range [0, 16)}}
  %W2 = anima.plastic_update hebb %W[%idx : tensor<2xi32>] post(%y : tensor<2xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_rows_not_ascending(%W: tensor<16x8xf32>, %y: tensor<2xf32>, %x: tensor<8xf32>) {
  %idx = arith.constant dense<[7, 3]> : tensor<2xi32>
  // expected-error @+1 {{'anima.plastic_update' op row indices must be strictly ascending, but 3 follows 7}}
  %W2 = anima.plastic_update oja %W[%idx : tensor<2xi32>] post(%y : tensor<2xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_rows_duplicated(%W: tensor<16x8xf32>, %y: tensor<2xf32>, %x: tensor<8xf32>) {
  %idx = arith.constant dense<[3, 3]> : tensor<2xi32>
  // expected-error @+1 {{'anima.plastic_update' op row indices must be strictly ascending, but 3 follows 3}}
  %W2 = anima.plastic_update instar %W[%idx : tensor<2xi32>] post(%y : tensor<2xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_post_mismatch(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op post has 16 entries, expected 4 (one per updated row)}}
  %W2 = anima.plastic_update hebb %W[%idx : tensor<4xi32>] post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_post_mismatch_all_rows(%W: tensor<16x8xf32>, %y: tensor<4xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op post has 4 entries, expected 16 (one per updated row)}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_pre_mismatch(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<16xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op pre has 16 entries, expected 8 (one per weight column)}}
  %W2 = anima.plastic_update oja %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<16xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_target_mismatch(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>, %t: tensor<16xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op target has 16 entries, expected 4 (one per updated row)}}
  %W2 = anima.plastic_update delta %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<16xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

// Square weights: the diagnostic still names the role of the operand.
func.func @plastic_post_mismatch_square(%W: tensor<8x8xf32>, %y: tensor<4xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op post has 4 entries, expected 8 (one per updated row)}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<8x8xf32>
  return
}

// -----

// As many updated rows as weight columns: post still has one per updated row.
func.func @plastic_post_mismatch_k_equals_d(%W: tensor<16x8xf32>, %idx: tensor<8xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op post has 4 entries, expected 8 (one per updated row)}}
  %W2 = anima.plastic_update hebb %W[%idx : tensor<8xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_pre_major_pre_mismatch(%R: tensor<16x10xf32>, %idx: tensor<4xi32>, %y: tensor<10xf32>, %x: tensor<10xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op pre has 10 entries, expected 4 (one per updated row)}}
  %R2 = anima.plastic_update hebb %R[%idx : tensor<4xi32>] post(%y : tensor<10xf32>) pre(%x : tensor<10xf32>) {eta = 0.1 : f32, pre_major} : tensor<16x10xf32>
  return
}

// -----

func.func @plastic_pre_major_post_mismatch(%R: tensor<16x10xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<4xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op post has 4 entries, expected 10 (one per weight column)}}
  %R2 = anima.plastic_update hebb %R[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<4xf32>) {eta = 0.1 : f32, pre_major} : tensor<16x10xf32>
  return
}

// -----

func.func @plastic_pre_major_target_mismatch(%R: tensor<16x10xf32>, %idx: tensor<4xi32>, %y: tensor<10xf32>, %x: tensor<4xf32>, %t: tensor<4xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op target has 4 entries, expected 10 (one per weight column)}}
  %R2 = anima.plastic_update softmax_delta %R[%idx : tensor<4xi32>] post(%y : tensor<10xf32>) pre(%x : tensor<4xf32>) target(%t : tensor<4xf32>) {eta = 0.1 : f32, pre_major} : tensor<16x10xf32>
  return
}

// -----

// Square weights in pre-major layout: post has one entry per weight column.
func.func @plastic_pre_major_post_mismatch_square(%R: tensor<8x8xf32>, %y: tensor<4xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op post has 4 entries, expected 8 (one per weight column)}}
  %R2 = anima.plastic_update hebb %R post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32, pre_major} : tensor<8x8xf32>
  return
}

// -----

func.func @plastic_eta_negative(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op learning rate eta must be finite and non-negative, got -1.000000e-02}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = -0.01 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_eta_nan(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op learning rate eta must be finite and non-negative, got nan}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0x7FC00000 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_eta_infinite(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op learning rate eta must be finite and non-negative, got INF}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0x7F800000 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_missing_eta(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op requires attribute 'eta'}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_lambda_above_one(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op weight decay lambda must be in [0, 1], got 1.100000e+00}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32, lambda = 1.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_lambda_negative(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op weight decay lambda must be in [0, 1], got -1.000000e-03}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32, lambda = -0.001 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_row_norm_negative(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op row_norm must be finite and non-negative, got -1.000000e+00}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32, row_norm = -1.0 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_row_norm_infinite(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op row_norm must be finite and non-negative, got INF}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32, row_norm = 0x7F800000 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_weights_f16(%W: tensor<16x8xf16>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op operand #0 must be statically shaped 2-d tensor of 32-bit float values, but got 'tensor<16x8xf16>'}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf16>
  return
}

// -----

func.func @plastic_weights_dynamic(%W: tensor<?x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op operand #0 must be statically shaped 2-d tensor of 32-bit float values, but got 'tensor<?x8xf32>'}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<?x8xf32>
  return
}

// -----

func.func @plastic_indices_i64(%W: tensor<16x8xf32>, %idx: tensor<4xi64>, %y: tensor<4xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op operand #1 must be statically shaped 1-d tensor of 32-bit signless integer values, but got 'tensor<4xi64>'}}
  %W2 = anima.plastic_update hebb %W[%idx : tensor<4xi64>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_post_rank2(%W: tensor<16x8xf32>, %y: tensor<16x1xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op operand #1 must be statically shaped 1-d tensor of 32-bit float values, but got 'tensor<16x1xf32>'}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16x1xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_target_f64(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>, %t: tensor<16xf64>) {
  // expected-error @+1 {{'anima.plastic_update' op operand #3 must be statically shaped 1-d tensor of 32-bit float values, but got 'tensor<16xf64>'}}
  %W2 = anima.plastic_update delta %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<16xf64>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_modulator_not_scalar(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>, %m: tensor<1xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op operand #3 must be statically shaped 0-d tensor of 32-bit float values, but got 'tensor<1xf32>'}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) mod(%m : tensor<1xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_modulator_f64(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>, %m: tensor<f64>) {
  // expected-error @+1 {{'anima.plastic_update' op operand #3 must be statically shaped 0-d tensor of 32-bit float values, but got 'tensor<f64>'}}
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) mod(%m : tensor<f64>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return
}

// -----

func.func @plastic_result_mismatch_generic(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op failed to verify that all of {weights, result} have same type}}
  %W2 = "anima.plastic_update"(%W, %y, %x) <{eta = 1.0e-01 : f32, operandSegmentSizes = array<i32: 1, 0, 1, 1, 0, 0>, rule = #anima<rule hebb>}> : (tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<8x16xf32>
  return
}

// -----

func.func @plastic_bad_segments_generic(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op operand count (3) does not match with the total size (4) specified in attribute 'operandSegmentSizes'}}
  %W2 = "anima.plastic_update"(%W, %y, %x) <{eta = 1.0e-01 : f32, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, rule = #anima<rule hebb>}> : (tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<16x8xf32>
  return
}

// -----

func.func @plastic_missing_segment_sizes_generic(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op operand count (3) does not match with the total size (0) specified in attribute 'operandSegmentSizes'}}
  %W2 = "anima.plastic_update"(%W, %y, %x) <{eta = 1.0e-01 : f32, rule = #anima<rule hebb>}> : (tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<16x8xf32>
  return
}

// -----

func.func @plastic_two_targets_generic(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) {
  // expected-error @+1 {{'anima.plastic_update' op operand group starting at #3 requires 0 or 1 element, but found 2}}
  %W2 = "anima.plastic_update"(%W, %y, %x, %y, %y) <{eta = 1.0e-01 : f32, operandSegmentSizes = array<i32: 1, 0, 1, 1, 2, 0>, rule = #anima<rule delta>}> : (tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<16x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Initializer attributes
//===----------------------------------------------------------------------===//

// expected-error @+1 {{random_normal stddev must be non-negative, got -5.000000e-02}}
ml_program.global private mutable @normal_negative_stddev(#anima.random_normal<seed = 7, mean = 0.0, stddev = -0.05>) : tensor<16x8xf32>

// -----

// expected-error @+1 {{random_normal mean and stddev must be finite}}
ml_program.global private mutable @normal_infinite_mean(#anima.random_normal<seed = 7, mean = 0x7F800000, stddev = 1.0>) : tensor<16x8xf32>

// -----

// expected-error @+1 {{random_normal mean and stddev must be finite}}
ml_program.global private mutable @normal_nan_stddev(#anima.random_normal<seed = 7, mean = 0.0, stddev = 0x7FC00000>) : tensor<16x8xf32>

// -----

// A decimal literal beyond the f32 range rounds to infinity.
// expected-error @+1 {{random_normal mean and stddev must be finite}}
ml_program.global private mutable @normal_mean_overflows_f32(#anima.random_normal<seed = 7, mean = 1.0e39, stddev = 1.0>) : tensor<16x8xf32>

// -----

// expected-error @+1 {{random_uniform needs low < high, got [1.000000e+00, 1.000000e+00)}}
ml_program.global private mutable @uniform_empty(#anima.random_uniform<seed = 1, low = 1.0, high = 1.0>) : tensor<8x16xf32>

// -----

// expected-error @+1 {{random_uniform needs low < high, got [5.000000e-01, -5.000000e-01)}}
ml_program.global private mutable @uniform_reversed(#anima.random_uniform<seed = 1, low = 0.5, high = -0.5>) : tensor<8x16xf32>

// -----

// expected-error @+1 {{random_uniform bounds must be finite}}
ml_program.global private mutable @uniform_infinite_high(#anima.random_uniform<seed = 1, low = 0.0, high = 0x7F800000>) : tensor<8x16xf32>

// -----

// expected-error @+1 {{random_uniform bounds must be finite}}
ml_program.global private mutable @uniform_nan_low(#anima.random_uniform<seed = 1, low = 0xFFC00000, high = 1.0>) : tensor<8x16xf32>

// -----

// Parameters are f32: an f64 bit pattern does not fit.
// expected-error @+2 {{hexadecimal float constant out of range for type}}
// expected-error @+1 {{failed to parse Anima_RandomNormalAttr parameter 'stddev'}}
ml_program.global private mutable @normal_hex_f64(#anima.random_normal<seed = 7, mean = 0.0, stddev = 0x3FF0000000000000>) : tensor<16x8xf32>

// -----

// expected-error @+3 {{unexpected decimal integer literal for a floating point value}}
// expected-note @+2 {{add a trailing dot to make the literal a float}}
// expected-error @+1 {{failed to parse Anima_RandomUniformAttr parameter 'high'}}
ml_program.global private mutable @uniform_integer_bound(#anima.random_uniform<seed = 1, low = 0.0, high = 1>) : tensor<8x16xf32>

// -----

// expected-error @+1 {{expected ','}}
ml_program.global private mutable @normal_missing_param(#anima.random_normal<seed = 7, mean = 0.0>) : tensor<16x8xf32>

// -----

// expected-error @+1 {{duplicate or unknown struct parameter name: sigma}}
ml_program.global private mutable @normal_unknown_param(#anima.random_normal<seed = 7, mean = 0.0, sigma = 1.0>) : tensor<16x8xf32>
