// RUN: anima-opt %s | anima-opt | FileCheck %s
// RUN: anima-opt %s --mlir-print-op-generic | anima-opt | FileCheck %s
// RUN: anima-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// Round trip of every anima op in the custom form, with every combination of
// optional operands and attributes. Attributes equal to their default value
// are elided when printed; a check that ends in {{$}} makes sure of it.

//===----------------------------------------------------------------------===//
// kwta
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @kwta_value(
// CHECK-SAME:    %[[U:.+]]: tensor<16xf32>)
// CHECK:         %[[IDX:.+]], %[[VAL:.+]] = anima.kwta %[[U]], k = 4, value : tensor<16xf32>{{$}}
// CHECK:         return %[[IDX]], %[[VAL]] : tensor<4xi32>, tensor<4xf32>
// GENERIC-LABEL: sym_name = "kwta_value"
// GENERIC:       %[[R:.+]]:2 = "anima.kwta"(%[[U:.+]]) <{beta = 0.000000e+00 : f32, k = 4 : i64, mode = #anima<kwta_mode value>, period = 0.000000e+00 : f32, tau = 1.000000e+00 : f32}> : (tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>)
// GENERIC:       "func.return"(%[[R]]#0, %[[R]]#1)
func.func @kwta_value(%u: tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %idx, %val = anima.kwta %u, k = 4, value : tensor<16xf32>
  return %idx, %val : tensor<4xi32>, tensor<4xf32>
}

// Explicit default values are elided when printed.
// CHECK-LABEL: func.func @kwta_value_defaults(
// CHECK:         anima.kwta %{{.+}}, k = 1, value : tensor<16xf32>{{$}}
func.func @kwta_value_defaults(%u: tensor<16xf32>) -> (tensor<1xi32>, tensor<1xf32>) {
  %idx, %val = anima.kwta %u, k = 1, value {beta = 0.0 : f32, tau = 1.0 : f32, period = 0.0 : f32} : tensor<16xf32>
  return %idx, %val : tensor<1xi32>, tensor<1xf32>
}

// k = N is a valid selection (every unit wins).
// CHECK-LABEL: func.func @kwta_all_units(
// CHECK:         anima.kwta %{{.+}}, k = 16, value : tensor<16xf32>{{$}}
func.func @kwta_all_units(%u: tensor<16xf32>) -> (tensor<16xi32>, tensor<16xf32>) {
  %idx, %val = anima.kwta %u, k = 16, value : tensor<16xf32>
  return %idx, %val : tensor<16xi32>, tensor<16xf32>
}

// CHECK-LABEL: func.func @kwta_binary(
// CHECK-SAME:    %[[U:.+]]: tensor<16xf32>)
// CHECK:         %[[IDX:.+]], %[[VAL:.+]] = anima.kwta %[[U]], k = 3, binary : tensor<16xf32>{{$}}
// CHECK:         return %[[IDX]], %[[VAL]] : tensor<3xi32>, tensor<3xf32>
// GENERIC-LABEL: sym_name = "kwta_binary"
// GENERIC:       "anima.kwta"(%{{.+}}) <{{{.*}}mode = #anima<kwta_mode binary>{{.*}}}> : (tensor<16xf32>) -> (tensor<3xi32>, tensor<3xf32>)
func.func @kwta_binary(%u: tensor<16xf32>) -> (tensor<3xi32>, tensor<3xf32>) {
  %idx, %val = anima.kwta %u, k = 3, binary : tensor<16xf32>
  return %idx, %val : tensor<3xi32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @kwta_softmax(
// CHECK:         anima.kwta %{{.+}}, k = 4, softmax : tensor<16xf32>{{$}}
func.func @kwta_softmax(%u: tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %idx, %val = anima.kwta %u, k = 4, softmax : tensor<16xf32>
  return %idx, %val : tensor<4xi32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @kwta_softmax_tau(
// CHECK:         anima.kwta %{{.+}}, k = 4, softmax {tau = 5.000000e-01 : f32} : tensor<16xf32>{{$}}
func.func @kwta_softmax_tau(%u: tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %idx, %val = anima.kwta %u, k = 4, softmax {tau = 0.5 : f32} : tensor<16xf32>
  return %idx, %val : tensor<4xi32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @kwta_value_duty(
// CHECK-SAME:    %[[U:.+]]: tensor<16xf32>, %[[D:.+]]: tensor<16xf32>)
// CHECK:         %[[IDX:.+]], %[[VAL:.+]], %[[ND:.+]] = anima.kwta %[[U]], k = 4, value, duty(%[[D]] : tensor<16xf32>) {period = 1.000000e+03 : f32} : tensor<16xf32>{{$}}
// CHECK:         return %[[IDX]], %[[VAL]], %[[ND]] : tensor<4xi32>, tensor<4xf32>, tensor<16xf32>
// GENERIC-LABEL: sym_name = "kwta_value_duty"
// GENERIC:       "anima.kwta"(%{{.+}}, %{{.+}}) <{beta = 0.000000e+00 : f32, k = 4 : i64, mode = #anima<kwta_mode value>, period = 1.000000e+03 : f32, tau = 1.000000e+00 : f32}> : (tensor<16xf32>, tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<16xf32>)
func.func @kwta_value_duty(%u: tensor<16xf32>, %d: tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<16xf32>) {
  %idx, %val, %nd = anima.kwta %u, k = 4, value, duty(%d : tensor<16xf32>) {period = 1000.0 : f32} : tensor<16xf32>
  return %idx, %val, %nd : tensor<4xi32>, tensor<4xf32>, tensor<16xf32>
}

// The smallest period is 1.
// CHECK-LABEL: func.func @kwta_binary_duty_beta(
// CHECK-SAME:    %[[U:.+]]: tensor<16xf32>, %[[D:.+]]: tensor<16xf32>)
// CHECK:         anima.kwta %[[U]], k = 4, binary, duty(%[[D]] : tensor<16xf32>) {beta = 2.000000e+00 : f32, period = 1.000000e+00 : f32} : tensor<16xf32>{{$}}
func.func @kwta_binary_duty_beta(%u: tensor<16xf32>, %d: tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<16xf32>) {
  %idx, %val, %nd = anima.kwta %u, k = 4, binary, duty(%d : tensor<16xf32>) {beta = 2.0 : f32, period = 1.0 : f32} : tensor<16xf32>
  return %idx, %val, %nd : tensor<4xi32>, tensor<4xf32>, tensor<16xf32>
}

// A negative beta is accepted (anti-boosting).
// CHECK-LABEL: func.func @kwta_softmax_duty_all_attrs(
// CHECK-SAME:    %[[U:.+]]: tensor<16xf32>, %[[D:.+]]: tensor<16xf32>)
// CHECK:         anima.kwta %[[U]], k = 16, softmax, duty(%[[D]] : tensor<16xf32>) {beta = -5.000000e-01 : f32, period = 1.000000e+02 : f32, tau = 2.500000e-01 : f32} : tensor<16xf32>{{$}}
func.func @kwta_softmax_duty_all_attrs(%u: tensor<16xf32>, %d: tensor<16xf32>) -> (tensor<16xi32>, tensor<16xf32>, tensor<16xf32>) {
  %idx, %val, %nd = anima.kwta %u, k = 16, softmax, duty(%d : tensor<16xf32>) {beta = -0.5 : f32, tau = 0.25 : f32, period = 100.0 : f32} : tensor<16xf32>
  return %idx, %val, %nd : tensor<16xi32>, tensor<16xf32>, tensor<16xf32>
}

//===----------------------------------------------------------------------===//
// gather_matvec / sparse_matvec
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @gather_matvec(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[X:.+]]: tensor<8xf32>)
// CHECK:         %[[Y:.+]] = anima.gather_matvec %[[W]][%[[IDX]]], %[[X]] : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<4xf32>
// GENERIC-LABEL: sym_name = "gather_matvec"
// GENERIC:       ^bb0(%[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[X:.+]]: tensor<8xf32>):
// GENERIC:       "anima.gather_matvec"(%[[W]], %[[IDX]], %[[X]]) : (tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>) -> tensor<4xf32>
func.func @gather_matvec(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<4xf32> {
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  return %y : tensor<4xf32>
}

// Constant indices that are in range and strictly ascending verify; so does
// an empty active set.
// CHECK-LABEL: func.func @gather_matvec_constant_indices(
// CHECK:         %[[IDX:.+]] = arith.constant dense<[0, 7, 15]> : tensor<3xi32>
// CHECK:         anima.gather_matvec %{{.+}}[%[[IDX]]], %{{.+}} : tensor<16x8xf32>, tensor<3xi32>, tensor<8xf32>
// CHECK:         anima.gather_matvec %{{.+}}[%{{.+}}], %{{.+}} : tensor<16x8xf32>, tensor<0xi32>, tensor<8xf32>
func.func @gather_matvec_constant_indices(%W: tensor<16x8xf32>, %x: tensor<8xf32>, %none: tensor<0xi32>) -> (tensor<3xf32>, tensor<0xf32>) {
  %idx = arith.constant dense<[0, 7, 15]> : tensor<3xi32>
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<3xi32>, tensor<8xf32>
  %z = anima.gather_matvec %W[%none], %x : tensor<16x8xf32>, tensor<0xi32>, tensor<8xf32>
  return %y, %z : tensor<3xf32>, tensor<0xf32>
}

// CHECK-LABEL: func.func @sparse_matvec(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[V:.+]]: tensor<4xf32>)
// CHECK:         %[[Y:.+]] = anima.sparse_matvec %[[W]][%[[IDX]]], %[[V]] : tensor<16x8xf32>, tensor<4xi32>, tensor<4xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<8xf32>
// GENERIC-LABEL: sym_name = "sparse_matvec"
// GENERIC:       "anima.sparse_matvec"(%{{.+}}, %{{.+}}, %{{.+}}) : (tensor<16x8xf32>, tensor<4xi32>, tensor<4xf32>) -> tensor<8xf32>
func.func @sparse_matvec(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %v: tensor<4xf32>) -> tensor<8xf32> {
  %y = anima.sparse_matvec %W[%idx], %v : tensor<16x8xf32>, tensor<4xi32>, tensor<4xf32>
  return %y : tensor<8xf32>
}

// CHECK-LABEL: func.func @sparse_matvec_constant_indices(
// CHECK:         %[[IDX:.+]] = arith.constant dense<[2, 3]> : tensor<2xi32>
// CHECK:         anima.sparse_matvec %{{.+}}[%[[IDX]]], %{{.+}} : tensor<16x8xf32>, tensor<2xi32>, tensor<2xf32>
func.func @sparse_matvec_constant_indices(%W: tensor<16x8xf32>, %v: tensor<2xf32>) -> tensor<8xf32> {
  %idx = arith.constant dense<[2, 3]> : tensor<2xi32>
  %y = anima.sparse_matvec %W[%idx], %v : tensor<16x8xf32>, tensor<2xi32>, tensor<2xf32>
  return %y : tensor<8xf32>
}

//===----------------------------------------------------------------------===//
// mem_read
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @mem_read_dense(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[Q:.+]]: tensor<16xf32>)
// CHECK:         %[[O:.+]] = anima.mem_read %[[S]], %[[Q]] : tensor<8x16xf32>, tensor<16xf32>{{$}}
// CHECK:         return %[[O]] : tensor<8xf32>
// GENERIC-LABEL: sym_name = "mem_read_dense"
// GENERIC:       "anima.mem_read"(%{{.+}}, %{{.+}}) : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8xf32>
func.func @mem_read_dense(%S: tensor<8x16xf32>, %q: tensor<16xf32>) -> tensor<8xf32> {
  %o = anima.mem_read %S, %q : tensor<8x16xf32>, tensor<16xf32>
  return %o : tensor<8xf32>
}

// CHECK-LABEL: func.func @mem_read_sparse(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[QV:.+]]: tensor<4xf32>, %[[QI:.+]]: tensor<4xi32>)
// CHECK:         %[[O:.+]] = anima.mem_read %[[S]], %[[QV]][%[[QI]] : tensor<4xi32>] : tensor<8x16xf32>, tensor<4xf32>{{$}}
// CHECK:         return %[[O]] : tensor<8xf32>
// GENERIC-LABEL: sym_name = "mem_read_sparse"
// GENERIC:       ^bb0(%[[S:.+]]: tensor<8x16xf32>, %[[QV:.+]]: tensor<4xf32>, %[[QI:.+]]: tensor<4xi32>):
// GENERIC:       "anima.mem_read"(%[[S]], %[[QV]], %[[QI]]) : (tensor<8x16xf32>, tensor<4xf32>, tensor<4xi32>) -> tensor<8xf32>
func.func @mem_read_sparse(%S: tensor<8x16xf32>, %qv: tensor<4xf32>, %qi: tensor<4xi32>) -> tensor<8xf32> {
  %o = anima.mem_read %S, %qv[%qi : tensor<4xi32>] : tensor<8x16xf32>, tensor<4xf32>
  return %o : tensor<8xf32>
}

//===----------------------------------------------------------------------===//
// mem_write
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @mem_write_dense(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[K:.+]]: tensor<16xf32>, %[[V:.+]]: tensor<8xf32>)
// CHECK:         %[[S2:.+]] = anima.mem_write %[[S]], %[[K]], %[[V]] {beta = 5.000000e-01 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>{{$}}
// CHECK:         return %[[S2]] : tensor<8x16xf32>
// GENERIC-LABEL: sym_name = "mem_write_dense"
// GENERIC:       "anima.mem_write"(%{{.+}}, %{{.+}}, %{{.+}}) <{alpha = 1.000000e+00 : f32, beta = 5.000000e-01 : f32, decay_order = #anima.decay_order<decay_first>, gamma = 1.000000e+00 : f32}> : (tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<8x16xf32>
func.func @mem_write_dense(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %k, %v {beta = 0.5 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// Defaults (alpha = 1, gamma = 1, decay_first) are elided.
// CHECK-LABEL: func.func @mem_write_dense_defaults(
// CHECK:         anima.mem_write %{{.+}}, %{{.+}}, %{{.+}} {beta = 1.000000e+00 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>{{$}}
func.func @mem_write_dense_defaults(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %k, %v {alpha = 1.0 : f32, beta = 1.0 : f32, gamma = 1.0 : f32, decay_order = #anima.decay_order<decay_first>} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// Hebbian write with forgetting: gamma = 0, alpha < 1, key normalized.
// CHECK-LABEL: func.func @mem_write_dense_all_attrs(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[K:.+]]: tensor<16xf32>, %[[V:.+]]: tensor<8xf32>)
// CHECK:         anima.mem_write %[[S]], %[[K]], %[[V]] {alpha = 7.500000e-01 : f32, beta = 2.500000e-01 : f32, gamma = 0.000000e+00 : f32, normalize_key} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>{{$}}
// GENERIC-LABEL: sym_name = "mem_write_dense_all_attrs"
// GENERIC:       "anima.mem_write"(%{{.+}}, %{{.+}}, %{{.+}}) <{alpha = 7.500000e-01 : f32, beta = 2.500000e-01 : f32, decay_order = #anima.decay_order<decay_first>, gamma = 0.000000e+00 : f32, normalize_key}>
func.func @mem_write_dense_all_attrs(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %k, %v {alpha = 0.75 : f32, beta = 0.25 : f32, gamma = 0.0 : f32, normalize_key} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// CHECK-LABEL: func.func @mem_write_read_first(
// CHECK:         anima.mem_write %{{.+}}, %{{.+}}, %{{.+}} {alpha = 5.000000e-01 : f32, beta = 1.000000e+00 : f32, decay_order = #anima.decay_order<read_first>} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>{{$}}
// GENERIC-LABEL: sym_name = "mem_write_read_first"
// GENERIC:       "anima.mem_write"({{.*}}decay_order = #anima.decay_order<read_first>
func.func @mem_write_read_first(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %k, %v {alpha = 0.5 : f32, beta = 1.0 : f32, decay_order = #anima.decay_order<read_first>} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// CHECK-LABEL: func.func @mem_write_sparse(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[KV:.+]]: tensor<4xf32>, %[[KI:.+]]: tensor<4xi32>, %[[V:.+]]: tensor<8xf32>)
// CHECK:         %[[S2:.+]] = anima.mem_write %[[S]], %[[KV]][%[[KI]] : tensor<4xi32>], %[[V]] {beta = 1.000000e+00 : f32} : tensor<8x16xf32>, tensor<4xf32>, tensor<8xf32>{{$}}
// CHECK:         return %[[S2]] : tensor<8x16xf32>
// GENERIC-LABEL: sym_name = "mem_write_sparse"
// GENERIC:       ^bb0(%[[S:.+]]: tensor<8x16xf32>, %[[KV:.+]]: tensor<4xf32>, %[[KI:.+]]: tensor<4xi32>, %[[V:.+]]: tensor<8xf32>):
// GENERIC:       "anima.mem_write"(%[[S]], %[[KV]], %[[KI]], %[[V]]) <{{{.*}}}> : (tensor<8x16xf32>, tensor<4xf32>, tensor<4xi32>, tensor<8xf32>) -> tensor<8x16xf32>
func.func @mem_write_sparse(%S: tensor<8x16xf32>, %kv: tensor<4xf32>, %ki: tensor<4xi32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %kv[%ki : tensor<4xi32>], %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<4xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// CHECK-LABEL: func.func @mem_write_sparse_all_attrs(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[KV:.+]]: tensor<4xf32>, %[[KI:.+]]: tensor<4xi32>, %[[V:.+]]: tensor<8xf32>)
// CHECK:         anima.mem_write %[[S]], %[[KV]][%[[KI]] : tensor<4xi32>], %[[V]] {alpha = 0.000000e+00 : f32, beta = 0.000000e+00 : f32, decay_order = #anima.decay_order<read_first>, gamma = 5.000000e-01 : f32, normalize_key} : tensor<8x16xf32>, tensor<4xf32>, tensor<8xf32>{{$}}
func.func @mem_write_sparse_all_attrs(%S: tensor<8x16xf32>, %kv: tensor<4xf32>, %ki: tensor<4xi32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %kv[%ki : tensor<4xi32>], %v {alpha = 0.0 : f32, beta = 0.0 : f32, gamma = 0.5 : f32, decay_order = #anima.decay_order<read_first>, normalize_key} : tensor<8x16xf32>, tensor<4xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

//===----------------------------------------------------------------------===//
// plastic_update
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @plastic_hebb(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[Y:.+]]: tensor<16xf32>, %[[X:.+]]: tensor<8xf32>)
// CHECK:         %[[W2:.+]] = anima.plastic_update hebb %[[W]] post(%[[Y]] : tensor<16xf32>) pre(%[[X]] : tensor<8xf32>) {eta = 1.250000e-01 : f32} : tensor<16x8xf32>{{$}}
// CHECK:         return %[[W2]] : tensor<16x8xf32>
// GENERIC-LABEL: sym_name = "plastic_hebb"
// GENERIC:       "anima.plastic_update"(%{{.+}}, %{{.+}}, %{{.+}}) <{eta = 1.250000e-01 : f32, lambda = 0.000000e+00 : f32, operandSegmentSizes = array<i32: 1, 0, 1, 1, 0, 0>, row_norm = 0.000000e+00 : f32, rule = #anima<rule hebb>}> : (tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<16x8xf32>
func.func @plastic_hebb(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.125 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @plastic_hebb_indices(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<4xf32>, %[[X:.+]]: tensor<8xf32>)
// CHECK:         anima.plastic_update hebb %[[W]][%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<4xf32>) pre(%[[X]] : tensor<8xf32>) {eta = 1.250000e-01 : f32} : tensor<16x8xf32>{{$}}
func.func @plastic_hebb_indices(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update hebb %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.125 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @plastic_hebb_mod_lambda_row_norm(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<4xf32>, %[[X:.+]]: tensor<8xf32>, %[[M:.+]]: tensor<f32>)
// CHECK:         anima.plastic_update hebb %[[W]][%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<4xf32>) pre(%[[X]] : tensor<8xf32>) mod(%[[M]] : tensor<f32>) {eta = 1.250000e-01 : f32, lambda = 2.500000e-01 : f32, row_norm = 1.000000e+00 : f32} : tensor<16x8xf32>{{$}}
// GENERIC-LABEL: sym_name = "plastic_hebb_mod_lambda_row_norm"
// GENERIC:       "anima.plastic_update"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) <{eta = 1.250000e-01 : f32, lambda = 2.500000e-01 : f32, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1>, row_norm = 1.000000e+00 : f32, rule = #anima<rule hebb>}> : (tensor<16x8xf32>, tensor<4xi32>, tensor<4xf32>, tensor<8xf32>, tensor<f32>) -> tensor<16x8xf32>
func.func @plastic_hebb_mod_lambda_row_norm(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>, %m: tensor<f32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update hebb %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) mod(%m : tensor<f32>) {eta = 0.125 : f32, lambda = 0.25 : f32, row_norm = 1.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// Pre-major: pre has one entry per updated row, post has D.
// CHECK-LABEL: func.func @plastic_hebb_pre_major(
// CHECK-SAME:    %[[R:.+]]: tensor<16x10xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<10xf32>, %[[X:.+]]: tensor<4xf32>)
// CHECK:         anima.plastic_update hebb %[[R]][%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<10xf32>) pre(%[[X]] : tensor<4xf32>) {eta = 1.250000e-01 : f32, pre_major} : tensor<16x10xf32>{{$}}
// GENERIC-LABEL: sym_name = "plastic_hebb_pre_major"
// GENERIC:       "anima.plastic_update"({{.*}}) <{eta = 1.250000e-01 : f32, lambda = 0.000000e+00 : f32, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>, pre_major, row_norm = 0.000000e+00 : f32, rule = #anima<rule hebb>}>
func.func @plastic_hebb_pre_major(%R: tensor<16x10xf32>, %idx: tensor<4xi32>, %y: tensor<10xf32>, %x: tensor<4xf32>) -> tensor<16x10xf32> {
  %R2 = anima.plastic_update hebb %R[%idx : tensor<4xi32>] post(%y : tensor<10xf32>) pre(%x : tensor<4xf32>) {eta = 0.125 : f32, pre_major} : tensor<16x10xf32>
  return %R2 : tensor<16x10xf32>
}

// CHECK-LABEL: func.func @plastic_hebb_pre_major_all_rows(
// CHECK:         anima.plastic_update hebb %{{.+}} post(%{{.+}} : tensor<10xf32>) pre(%{{.+}} : tensor<16xf32>) {eta = 1.250000e-01 : f32, pre_major} : tensor<16x10xf32>{{$}}
func.func @plastic_hebb_pre_major_all_rows(%R: tensor<16x10xf32>, %y: tensor<10xf32>, %x: tensor<16xf32>) -> tensor<16x10xf32> {
  %R2 = anima.plastic_update hebb %R post(%y : tensor<10xf32>) pre(%x : tensor<16xf32>) {eta = 0.125 : f32, pre_major} : tensor<16x10xf32>
  return %R2 : tensor<16x10xf32>
}

// CHECK-LABEL: func.func @plastic_oja(
// CHECK:         anima.plastic_update oja %{{.+}} post(%{{.+}} : tensor<16xf32>) pre(%{{.+}} : tensor<8xf32>) {eta = 0.00999999977 : f32} : tensor<16x8xf32>{{$}}
// GENERIC-LABEL: sym_name = "plastic_oja"
// GENERIC:       "anima.plastic_update"({{.*}}rule = #anima<rule oja>}>
func.func @plastic_oja(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update oja %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @plastic_oja_indices_mod(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<4xf32>, %[[X:.+]]: tensor<8xf32>, %[[M:.+]]: tensor<f32>)
// CHECK:         anima.plastic_update oja %[[W]][%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<4xf32>) pre(%[[X]] : tensor<8xf32>) mod(%[[M]] : tensor<f32>) {eta = 0.00999999977 : f32, lambda = 1.000000e+00 : f32, row_norm = 2.000000e+00 : f32} : tensor<16x8xf32>{{$}}
func.func @plastic_oja_indices_mod(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>, %m: tensor<f32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update oja %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) mod(%m : tensor<f32>) {eta = 0.01 : f32, lambda = 1.0 : f32, row_norm = 2.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @plastic_instar(
// CHECK:         anima.plastic_update instar %{{.+}} post(%{{.+}} : tensor<16xf32>) pre(%{{.+}} : tensor<8xf32>) {eta = 5.000000e-01 : f32} : tensor<16x8xf32>{{$}}
// GENERIC-LABEL: sym_name = "plastic_instar"
// GENERIC:       "anima.plastic_update"({{.*}}rule = #anima<rule instar>}>
func.func @plastic_instar(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update instar %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @plastic_instar_indices_mod(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<4xf32>, %[[X:.+]]: tensor<8xf32>, %[[M:.+]]: tensor<f32>)
// CHECK:         anima.plastic_update instar %[[W]][%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<4xf32>) pre(%[[X]] : tensor<8xf32>) mod(%[[M]] : tensor<f32>) {eta = 5.000000e-01 : f32, row_norm = 1.000000e+00 : f32} : tensor<16x8xf32>{{$}}
func.func @plastic_instar_indices_mod(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>, %m: tensor<f32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update instar %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) mod(%m : tensor<f32>) {eta = 0.5 : f32, row_norm = 1.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @plastic_delta(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[Y:.+]]: tensor<16xf32>, %[[X:.+]]: tensor<8xf32>, %[[T:.+]]: tensor<16xf32>)
// CHECK:         anima.plastic_update delta %[[W]] post(%[[Y]] : tensor<16xf32>) pre(%[[X]] : tensor<8xf32>) target(%[[T]] : tensor<16xf32>) {eta = 2.500000e-01 : f32} : tensor<16x8xf32>{{$}}
// GENERIC-LABEL: sym_name = "plastic_delta"
// GENERIC:       "anima.plastic_update"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) <{eta = 2.500000e-01 : f32, lambda = 0.000000e+00 : f32, operandSegmentSizes = array<i32: 1, 0, 1, 1, 1, 0>, row_norm = 0.000000e+00 : f32, rule = #anima<rule delta>}>
func.func @plastic_delta(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>, %t: tensor<16xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update delta %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<16xf32>) {eta = 0.25 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @plastic_delta_indices_mod(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<4xf32>, %[[X:.+]]: tensor<8xf32>, %[[T:.+]]: tensor<4xf32>, %[[M:.+]]: tensor<f32>)
// CHECK:         anima.plastic_update delta %[[W]][%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<4xf32>) pre(%[[X]] : tensor<8xf32>) target(%[[T]] : tensor<4xf32>) mod(%[[M]] : tensor<f32>) {eta = 2.500000e-01 : f32, lambda = 5.000000e-01 : f32} : tensor<16x8xf32>{{$}}
// GENERIC-LABEL: sym_name = "plastic_delta_indices_mod"
// GENERIC:       operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1>
func.func @plastic_delta_indices_mod(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>, %t: tensor<4xf32>, %m: tensor<f32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update delta %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<4xf32>) mod(%m : tensor<f32>) {eta = 0.25 : f32, lambda = 0.5 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @plastic_delta_pre_major(
// CHECK-SAME:    %[[R:.+]]: tensor<16x10xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<10xf32>, %[[X:.+]]: tensor<4xf32>, %[[T:.+]]: tensor<10xf32>)
// CHECK:         anima.plastic_update delta %[[R]][%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<10xf32>) pre(%[[X]] : tensor<4xf32>) target(%[[T]] : tensor<10xf32>) {eta = 2.500000e-01 : f32, pre_major} : tensor<16x10xf32>{{$}}
func.func @plastic_delta_pre_major(%R: tensor<16x10xf32>, %idx: tensor<4xi32>, %y: tensor<10xf32>, %x: tensor<4xf32>, %t: tensor<10xf32>) -> tensor<16x10xf32> {
  %R2 = anima.plastic_update delta %R[%idx : tensor<4xi32>] post(%y : tensor<10xf32>) pre(%x : tensor<4xf32>) target(%t : tensor<10xf32>) {eta = 0.25 : f32, pre_major} : tensor<16x10xf32>
  return %R2 : tensor<16x10xf32>
}

// CHECK-LABEL: func.func @plastic_softmax_delta(
// CHECK:         anima.plastic_update softmax_delta %{{.+}} post(%{{.+}} : tensor<16xf32>) pre(%{{.+}} : tensor<8xf32>) target(%{{.+}} : tensor<16xf32>) {eta = 5.000000e-01 : f32} : tensor<16x8xf32>{{$}}
// GENERIC-LABEL: sym_name = "plastic_softmax_delta"
// GENERIC:       "anima.plastic_update"({{.*}}rule = #anima<rule softmax_delta>}>
func.func @plastic_softmax_delta(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>, %t: tensor<16xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update softmax_delta %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<16xf32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @plastic_softmax_delta_indices_mod(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<4xf32>, %[[X:.+]]: tensor<8xf32>, %[[T:.+]]: tensor<4xf32>, %[[M:.+]]: tensor<f32>)
// CHECK:         anima.plastic_update softmax_delta %[[W]][%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<4xf32>) pre(%[[X]] : tensor<8xf32>) target(%[[T]] : tensor<4xf32>) mod(%[[M]] : tensor<f32>) {eta = 5.000000e-01 : f32, lambda = 1.250000e-01 : f32, row_norm = 3.000000e+00 : f32} : tensor<16x8xf32>{{$}}
func.func @plastic_softmax_delta_indices_mod(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>, %t: tensor<4xf32>, %m: tensor<f32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update softmax_delta %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<4xf32>) mod(%m : tensor<f32>) {eta = 0.5 : f32, lambda = 0.125 : f32, row_norm = 3.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// The readout of the dialect description: a sparse code drives a pre-major
// softmax-delta update with a modulator.
// CHECK-LABEL: func.func @plastic_softmax_delta_pre_major(
// CHECK-SAME:    %[[R:.+]]: tensor<4096x10xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[LOGITS:.+]]: tensor<10xf32>, %[[VAL:.+]]: tensor<4xf32>, %[[ONEHOT:.+]]: tensor<10xf32>, %[[M:.+]]: tensor<f32>)
// CHECK:         anima.plastic_update softmax_delta %[[R]][%[[IDX]] : tensor<4xi32>] post(%[[LOGITS]] : tensor<10xf32>) pre(%[[VAL]] : tensor<4xf32>) target(%[[ONEHOT]] : tensor<10xf32>) mod(%[[M]] : tensor<f32>) {eta = 5.000000e-01 : f32, pre_major} : tensor<4096x10xf32>{{$}}
// GENERIC-LABEL: sym_name = "plastic_softmax_delta_pre_major"
// GENERIC:       "anima.plastic_update"({{.*}}operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1>, pre_major, row_norm = 0.000000e+00 : f32, rule = #anima<rule softmax_delta>}> : (tensor<4096x10xf32>, tensor<4xi32>, tensor<10xf32>, tensor<4xf32>, tensor<10xf32>, tensor<f32>) -> tensor<4096x10xf32>
func.func @plastic_softmax_delta_pre_major(%R: tensor<4096x10xf32>, %idx: tensor<4xi32>, %logits: tensor<10xf32>, %val: tensor<4xf32>, %onehot: tensor<10xf32>, %m: tensor<f32>) -> tensor<4096x10xf32> {
  %R2 = anima.plastic_update softmax_delta %R[%idx : tensor<4xi32>] post(%logits : tensor<10xf32>) pre(%val : tensor<4xf32>) target(%onehot : tensor<10xf32>) mod(%m : tensor<f32>) {eta = 0.5 : f32, pre_major} : tensor<4096x10xf32>
  return %R2 : tensor<4096x10xf32>
}

// A zero learning rate and explicit default lambda / row_norm round-trip
// (the defaults are elided); canonicalization is what folds it.
// CHECK-LABEL: func.func @plastic_eta_zero(
// CHECK:         anima.plastic_update hebb %{{.+}} post(%{{.+}} : tensor<16xf32>) pre(%{{.+}} : tensor<8xf32>) {eta = 0.000000e+00 : f32} : tensor<16x8xf32>{{$}}
func.func @plastic_eta_zero(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.0 : f32, lambda = 0.0 : f32, row_norm = 0.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

//===----------------------------------------------------------------------===//
// A learning step: read old state, then learn (SSA carries the order).
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @step(
// CHECK:         %[[IDX:.+]], %[[VAL:.+]], %[[DUTY:.+]] = anima.kwta
// CHECK:         %[[Y:.+]] = anima.gather_matvec %{{.+}}[%[[IDX]]]
// CHECK:         %[[O:.+]] = anima.sparse_matvec %[[R:.+]][%[[IDX]]], %[[VAL]]
// CHECK:         anima.plastic_update softmax_delta %[[R]][%[[IDX]] : tensor<4xi32>] post(%[[O]] : tensor<10xf32>) pre(%[[VAL]] : tensor<4xf32>)
// CHECK:         anima.plastic_update oja %{{.+}}[%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<4xf32>)
func.func @step(%W: tensor<64x8xf32>, %R: tensor<64x10xf32>, %x: tensor<8xf32>, %u: tensor<64xf32>, %duty: tensor<64xf32>, %t: tensor<10xf32>) -> (tensor<64x8xf32>, tensor<64x10xf32>, tensor<64xf32>) {
  %idx, %val, %duty2 = anima.kwta %u, k = 4, binary, duty(%duty : tensor<64xf32>) {beta = 1.0 : f32, period = 1000.0 : f32} : tensor<64xf32>
  %y = anima.gather_matvec %W[%idx], %x : tensor<64x8xf32>, tensor<4xi32>, tensor<8xf32>
  %o = anima.sparse_matvec %R[%idx], %val : tensor<64x10xf32>, tensor<4xi32>, tensor<4xf32>
  %R2 = anima.plastic_update softmax_delta %R[%idx : tensor<4xi32>] post(%o : tensor<10xf32>) pre(%val : tensor<4xf32>) target(%t : tensor<10xf32>) {eta = 0.5 : f32, pre_major} : tensor<64x10xf32>
  %W2 = anima.plastic_update oja %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<64x8xf32>
  return %W2, %R2, %duty2 : tensor<64x8xf32>, tensor<64x10xf32>, tensor<64xf32>
}
