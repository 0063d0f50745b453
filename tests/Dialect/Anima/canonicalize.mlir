// RUN: anima-opt %s -canonicalize -split-input-file | FileCheck %s

// The folders of the anima ops. Functions named negative_* must not fold.

//===----------------------------------------------------------------------===//
// plastic_update
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @plastic_eta_zero(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[Y:.+]]: tensor<16xf32>, %[[X:.+]]: tensor<8xf32>)
// CHECK-NOT:     anima.plastic_update
// CHECK:         return %[[W]] : tensor<16x8xf32>
func.func @plastic_eta_zero(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

// Explicit lambda = 0 and row_norm = 0 are the defaults: still folds, with
// indices, a target, a modulator and pre-major rows.
// CHECK-LABEL: func.func @plastic_eta_zero_explicit_defaults(
// CHECK-SAME:    %[[R:.+]]: tensor<16x10xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<10xf32>, %[[X:.+]]: tensor<4xf32>, %[[T:.+]]: tensor<10xf32>, %[[M:.+]]: tensor<f32>)
// CHECK-NOT:     anima.plastic_update
// CHECK:         return %[[R]] : tensor<16x10xf32>
func.func @plastic_eta_zero_explicit_defaults(%R: tensor<16x10xf32>, %idx: tensor<4xi32>, %y: tensor<10xf32>, %x: tensor<4xf32>, %t: tensor<10xf32>, %m: tensor<f32>) -> tensor<16x10xf32> {
  %R2 = anima.plastic_update softmax_delta %R[%idx : tensor<4xi32>] post(%y : tensor<10xf32>) pre(%x : tensor<4xf32>) target(%t : tensor<10xf32>) mod(%m : tensor<f32>) {eta = 0.0 : f32, lambda = 0.0 : f32, row_norm = 0.0 : f32, pre_major} : tensor<16x10xf32>
  return %R2 : tensor<16x10xf32>
}

// -----

// Every rule folds.
// CHECK-LABEL: func.func @plastic_eta_zero_every_rule(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<4xf32>, %[[X:.+]]: tensor<8xf32>)
// CHECK-NOT:     anima.plastic_update
// CHECK:         return %[[W]] : tensor<16x8xf32>
func.func @plastic_eta_zero_every_rule(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %0 = anima.plastic_update hebb %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.0 : f32} : tensor<16x8xf32>
  %1 = anima.plastic_update oja %0[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.0 : f32} : tensor<16x8xf32>
  %2 = anima.plastic_update instar %1[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.0 : f32} : tensor<16x8xf32>
  %3 = anima.plastic_update delta %2[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) target(%y : tensor<4xf32>) {eta = 0.0 : f32} : tensor<16x8xf32>
  %4 = anima.plastic_update softmax_delta %3[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) target(%y : tensor<4xf32>) {eta = 0.0 : f32} : tensor<16x8xf32>
  return %4 : tensor<16x8xf32>
}

// -----

// A constant zero modulator switches learning off whatever eta is.
// CHECK-LABEL: func.func @plastic_modulator_zero(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[Y:.+]]: tensor<16xf32>, %[[X:.+]]: tensor<8xf32>)
// CHECK-NOT:     anima.plastic_update
// CHECK-NOT:     arith.constant
// CHECK:         return %[[W]] : tensor<16x8xf32>
func.func @plastic_modulator_zero(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %W2 = anima.plastic_update oja %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) mod(%zero : tensor<f32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

// CHECK-LABEL: func.func @plastic_modulator_negative_zero(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[IDX:.+]]: tensor<4xi32>, %[[Y:.+]]: tensor<4xf32>, %[[X:.+]]: tensor<8xf32>, %[[T:.+]]: tensor<4xf32>)
// CHECK-NOT:     anima.plastic_update
// CHECK:         return %[[W]] : tensor<16x8xf32>
func.func @plastic_modulator_negative_zero(%W: tensor<16x8xf32>, %idx: tensor<4xi32>, %y: tensor<4xf32>, %x: tensor<8xf32>, %t: tensor<4xf32>) -> tensor<16x8xf32> {
  %zero = arith.constant dense<-0.0> : tensor<f32>
  %W2 = anima.plastic_update delta %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<4xf32>) mod(%zero : tensor<f32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

// Weight decay still changes the weights when eta = 0.
// CHECK-LABEL: func.func @negative_plastic_eta_zero_lambda(
// CHECK:         %[[W2:.+]] = anima.plastic_update hebb %{{.+}} post(%{{.+}} : tensor<16xf32>) pre(%{{.+}} : tensor<8xf32>) {eta = 0.000000e+00 : f32, lambda = 5.000000e-01 : f32} : tensor<16x8xf32>
// CHECK:         return %[[W2]] : tensor<16x8xf32>
func.func @negative_plastic_eta_zero_lambda(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.0 : f32, lambda = 0.5 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

// Renormalization still changes the rows when eta = 0.
// CHECK-LABEL: func.func @negative_plastic_eta_zero_row_norm(
// CHECK:         %[[W2:.+]] = anima.plastic_update instar %{{.+}} post(%{{.+}} : tensor<16xf32>) pre(%{{.+}} : tensor<8xf32>) {eta = 0.000000e+00 : f32, row_norm = 1.000000e+00 : f32} : tensor<16x8xf32>
// CHECK:         return %[[W2]] : tensor<16x8xf32>
func.func @negative_plastic_eta_zero_row_norm(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update instar %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.0 : f32, row_norm = 1.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_plastic_modulator_zero_lambda(
// CHECK:         %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : tensor<f32>
// CHECK:         %[[W2:.+]] = anima.plastic_update oja %{{.+}} post(%{{.+}} : tensor<16xf32>) pre(%{{.+}} : tensor<8xf32>) mod(%[[ZERO]] : tensor<f32>) {eta = 5.000000e-01 : f32, lambda = 1.000000e+00 : f32} : tensor<16x8xf32>
// CHECK:         return %[[W2]] : tensor<16x8xf32>
func.func @negative_plastic_modulator_zero_lambda(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %W2 = anima.plastic_update oja %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) mod(%zero : tensor<f32>) {eta = 0.5 : f32, lambda = 1.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_plastic_modulator_zero_row_norm(
// CHECK:         %[[W2:.+]] = anima.plastic_update hebb {{.+}} mod(%{{.+}} : tensor<f32>) {eta = 5.000000e-01 : f32, row_norm = 2.000000e+00 : f32} : tensor<16x8xf32>
// CHECK:         return %[[W2]] : tensor<16x8xf32>
func.func @negative_plastic_modulator_zero_row_norm(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) mod(%zero : tensor<f32>) {eta = 0.5 : f32, row_norm = 2.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_plastic_modulator_nonzero(
// CHECK:         %[[ONE:.+]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK:         %[[W2:.+]] = anima.plastic_update hebb {{.+}} mod(%[[ONE]] : tensor<f32>) {eta = 5.000000e-01 : f32} : tensor<16x8xf32>
// CHECK:         return %[[W2]] : tensor<16x8xf32>
func.func @negative_plastic_modulator_nonzero(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %one = arith.constant dense<1.0> : tensor<f32>
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) mod(%one : tensor<f32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

// A modulator that is not a constant says nothing.
// CHECK-LABEL: func.func @negative_plastic_modulator_argument(
// CHECK-SAME:    %[[W:.+]]: tensor<16x8xf32>, %[[Y:.+]]: tensor<16xf32>, %[[X:.+]]: tensor<8xf32>, %[[M:.+]]: tensor<f32>)
// CHECK:         %[[W2:.+]] = anima.plastic_update hebb %[[W]] post(%[[Y]] : tensor<16xf32>) pre(%[[X]] : tensor<8xf32>) mod(%[[M]] : tensor<f32>) {eta = 5.000000e-01 : f32} : tensor<16x8xf32>
// CHECK:         return %[[W2]] : tensor<16x8xf32>
func.func @negative_plastic_modulator_argument(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>, %m: tensor<f32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) mod(%m : tensor<f32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_plastic_eta_nonzero(
// CHECK:         %[[W2:.+]] = anima.plastic_update delta {{.+}} {eta = 1.000000e+00 : f32} : tensor<16x8xf32>
// CHECK:         return %[[W2]] : tensor<16x8xf32>
func.func @negative_plastic_eta_nonzero(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>, %t: tensor<16xf32>) -> tensor<16x8xf32> {
  %W2 = anima.plastic_update delta %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<16xf32>) {eta = 1.0 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// mem_write
//===----------------------------------------------------------------------===//

// alpha = 1 (the default) and beta = 0: nothing decays, nothing is written.
// CHECK-LABEL: func.func @mem_write_noop(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[K:.+]]: tensor<16xf32>, %[[V:.+]]: tensor<8xf32>)
// CHECK-NOT:     anima.mem_write
// CHECK:         return %[[S]] : tensor<8x16xf32>
func.func @mem_write_noop(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %k, %v {beta = 0.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// -----

// Explicit alpha = 1; gamma, decay order and key normalization do not matter.
// CHECK-LABEL: func.func @mem_write_noop_sparse_all_attrs(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[KV:.+]]: tensor<4xf32>, %[[KI:.+]]: tensor<4xi32>, %[[V:.+]]: tensor<8xf32>)
// CHECK-NOT:     anima.mem_write
// CHECK:         return %[[S]] : tensor<8x16xf32>
func.func @mem_write_noop_sparse_all_attrs(%S: tensor<8x16xf32>, %kv: tensor<4xf32>, %ki: tensor<4xi32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %kv[%ki : tensor<4xi32>], %v {alpha = 1.0 : f32, beta = 0.0 : f32, gamma = 0.0 : f32, decay_order = #anima.decay_order<read_first>, normalize_key} : tensor<8x16xf32>, tensor<4xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// -----

// A chain of no-op writes folds away entirely.
// CHECK-LABEL: func.func @mem_write_noop_chain(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[K:.+]]: tensor<16xf32>, %[[V:.+]]: tensor<8xf32>)
// CHECK-NOT:     anima.mem_write
// CHECK:         return %[[S]] : tensor<8x16xf32>
func.func @mem_write_noop_chain(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S1 = anima.mem_write %S, %k, %v {beta = 0.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  %S2 = anima.mem_write %S1, %k, %v {beta = 0.0 : f32, gamma = 0.5 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// -----

// Decay alone (alpha < 1, beta = 0) changes the memory.
// CHECK-LABEL: func.func @negative_mem_write_decay(
// CHECK:         %[[S2:.+]] = anima.mem_write %{{.+}}, %{{.+}}, %{{.+}} {alpha = 5.000000e-01 : f32, beta = 0.000000e+00 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
// CHECK:         return %[[S2]] : tensor<8x16xf32>
func.func @negative_mem_write_decay(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %k, %v {alpha = 0.5 : f32, beta = 0.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// -----

// CHECK-LABEL: func.func @negative_mem_write_alpha_zero(
// CHECK:         %[[S2:.+]] = anima.mem_write %{{.+}}, %{{.+}}, %{{.+}} {alpha = 0.000000e+00 : f32, beta = 0.000000e+00 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
// CHECK:         return %[[S2]] : tensor<8x16xf32>
func.func @negative_mem_write_alpha_zero(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %k, %v {alpha = 0.0 : f32, beta = 0.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// -----

// CHECK-LABEL: func.func @negative_mem_write_beta_nonzero(
// CHECK-SAME:    %[[S:.+]]: tensor<8x16xf32>, %[[K:.+]]: tensor<16xf32>, %[[V:.+]]: tensor<8xf32>)
// CHECK:         %[[S2:.+]] = anima.mem_write %[[S]], %[[K]], %[[V]] {beta = 1.000000e+00 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
// CHECK:         return %[[S2]] : tensor<8x16xf32>
func.func @negative_mem_write_beta_nonzero(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> tensor<8x16xf32> {
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}

// -----

//===----------------------------------------------------------------------===//
// kwta
//===----------------------------------------------------------------------===//

// k = N without duty cycles in value mode: every unit wins, in index order,
// with its own value.
// CHECK-LABEL: func.func @kwta_all_value(
// CHECK-SAME:    %[[U:.+]]: tensor<8xf32>)
// CHECK:         %[[IOTA:.+]] = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7]> : tensor<8xi32>
// CHECK-NOT:     anima.kwta
// CHECK:         return %[[IOTA]], %[[U]] : tensor<8xi32>, tensor<8xf32>
func.func @kwta_all_value(%u: tensor<8xf32>) -> (tensor<8xi32>, tensor<8xf32>) {
  %idx, %val = anima.kwta %u, k = 8, value : tensor<8xf32>
  return %idx, %val : tensor<8xi32>, tensor<8xf32>
}

// -----

// Binary mode: every winner gets 1/sqrt(N) = 0.25 for N = 16.
// CHECK-LABEL: func.func @kwta_all_binary(
// CHECK-SAME:    %[[U:.+]]: tensor<16xf32>)
// CHECK-DAG:     %[[IOTA:.+]] = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]> : tensor<16xi32>
// CHECK-DAG:     %[[VAL:.+]] = arith.constant dense<2.500000e-01> : tensor<16xf32>
// CHECK-NOT:     anima.kwta
// CHECK:         return %[[IOTA]], %[[VAL]] : tensor<16xi32>, tensor<16xf32>
func.func @kwta_all_binary(%u: tensor<16xf32>) -> (tensor<16xi32>, tensor<16xf32>) {
  %idx, %val = anima.kwta %u, k = 16, binary : tensor<16xf32>
  return %idx, %val : tensor<16xi32>, tensor<16xf32>
}

// -----

// 1/sqrt(2) in f32, and a single unit (k = N = 1) in value mode.
// CHECK-LABEL: func.func @kwta_all_small(
// CHECK-SAME:    %[[A:.+]]: tensor<2xf32>, %[[B:.+]]: tensor<1xf32>)
// CHECK-DAG:     %[[IOTA2:.+]] = arith.constant dense<[0, 1]> : tensor<2xi32>
// CHECK-DAG:     %[[VAL2:.+]] = arith.constant dense<0.707106769> : tensor<2xf32>
// CHECK-DAG:     %[[IOTA1:.+]] = arith.constant dense<0> : tensor<1xi32>
// CHECK-NOT:     anima.kwta
// CHECK:         return %[[IOTA2]], %[[VAL2]], %[[IOTA1]], %[[B]] : tensor<2xi32>, tensor<2xf32>, tensor<1xi32>, tensor<1xf32>
func.func @kwta_all_small(%a: tensor<2xf32>, %b: tensor<1xf32>) -> (tensor<2xi32>, tensor<2xf32>, tensor<1xi32>, tensor<1xf32>) {
  %i2, %v2 = anima.kwta %a, k = 2, binary : tensor<2xf32>
  %i1, %v1 = anima.kwta %b, k = 1, value : tensor<1xf32>
  return %i2, %v2, %i1, %v1 : tensor<2xi32>, tensor<2xf32>, tensor<1xi32>, tensor<1xf32>
}

// -----

// The folded indices feed the ops that use them.
// CHECK-LABEL: func.func @kwta_all_feeds_gather(
// CHECK-SAME:    %[[W:.+]]: tensor<4x8xf32>, %[[U:.+]]: tensor<4xf32>, %[[X:.+]]: tensor<8xf32>)
// CHECK:         %[[IOTA:.+]] = arith.constant dense<[0, 1, 2, 3]> : tensor<4xi32>
// CHECK:         %[[Y:.+]] = anima.gather_matvec %[[W]][%[[IOTA]]], %[[X]]
// CHECK:         %[[O:.+]] = anima.sparse_matvec %[[W]][%[[IOTA]]], %[[U]]
// CHECK:         return %[[Y]], %[[O]]
func.func @kwta_all_feeds_gather(%W: tensor<4x8xf32>, %u: tensor<4xf32>, %x: tensor<8xf32>) -> (tensor<4xf32>, tensor<8xf32>) {
  %idx, %val = anima.kwta %u, k = 4, value : tensor<4xf32>
  %y = anima.gather_matvec %W[%idx], %x : tensor<4x8xf32>, tensor<4xi32>, tensor<8xf32>
  %o = anima.sparse_matvec %W[%idx], %val : tensor<4x8xf32>, tensor<4xi32>, tensor<4xf32>
  return %y, %o : tensor<4xf32>, tensor<8xf32>
}

// -----

// Softmax values depend on the input.
// CHECK-LABEL: func.func @negative_kwta_all_softmax(
// CHECK-SAME:    %[[U:.+]]: tensor<8xf32>)
// CHECK:         %[[IDX:.+]], %[[VAL:.+]] = anima.kwta %[[U]], k = 8, softmax : tensor<8xf32>
// CHECK:         return %[[IDX]], %[[VAL]] : tensor<8xi32>, tensor<8xf32>
func.func @negative_kwta_all_softmax(%u: tensor<8xf32>) -> (tensor<8xi32>, tensor<8xf32>) {
  %idx, %val = anima.kwta %u, k = 8, softmax : tensor<8xf32>
  return %idx, %val : tensor<8xi32>, tensor<8xf32>
}

// -----

// Duty cycles must still be updated.
// CHECK-LABEL: func.func @negative_kwta_all_duty(
// CHECK-SAME:    %[[U:.+]]: tensor<8xf32>, %[[D:.+]]: tensor<8xf32>)
// CHECK:         %[[IDX:.+]], %[[VAL:.+]], %[[ND:.+]] = anima.kwta %[[U]], k = 8, value, duty(%[[D]] : tensor<8xf32>) {period = 1.000000e+01 : f32} : tensor<8xf32>
// CHECK:         return %[[IDX]], %[[VAL]], %[[ND]] : tensor<8xi32>, tensor<8xf32>, tensor<8xf32>
func.func @negative_kwta_all_duty(%u: tensor<8xf32>, %d: tensor<8xf32>) -> (tensor<8xi32>, tensor<8xf32>, tensor<8xf32>) {
  %idx, %val, %nd = anima.kwta %u, k = 8, value, duty(%d : tensor<8xf32>) {period = 10.0 : f32} : tensor<8xf32>
  return %idx, %val, %nd : tensor<8xi32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_kwta_all_binary_duty(
// CHECK:         anima.kwta %{{.+}}, k = 8, binary, duty(%{{.+}} : tensor<8xf32>) {beta = 1.000000e+00 : f32, period = 1.000000e+01 : f32} : tensor<8xf32>
func.func @negative_kwta_all_binary_duty(%u: tensor<8xf32>, %d: tensor<8xf32>) -> (tensor<8xi32>, tensor<8xf32>, tensor<8xf32>) {
  %idx, %val, %nd = anima.kwta %u, k = 8, binary, duty(%d : tensor<8xf32>) {beta = 1.0 : f32, period = 10.0 : f32} : tensor<8xf32>
  return %idx, %val, %nd : tensor<8xi32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @negative_kwta_value_k_less_than_n(
// CHECK-SAME:    %[[U:.+]]: tensor<8xf32>)
// CHECK:         %[[IDX:.+]], %[[VAL:.+]] = anima.kwta %[[U]], k = 7, value : tensor<8xf32>
// CHECK:         return %[[IDX]], %[[VAL]] : tensor<7xi32>, tensor<7xf32>
func.func @negative_kwta_value_k_less_than_n(%u: tensor<8xf32>) -> (tensor<7xi32>, tensor<7xf32>) {
  %idx, %val = anima.kwta %u, k = 7, value : tensor<8xf32>
  return %idx, %val : tensor<7xi32>, tensor<7xf32>
}

// -----

// CHECK-LABEL: func.func @negative_kwta_binary_k_less_than_n(
// CHECK:         %[[IDX:.+]], %[[VAL:.+]] = anima.kwta %{{.+}}, k = 4, binary : tensor<16xf32>
// CHECK:         return %[[IDX]], %[[VAL]] : tensor<4xi32>, tensor<4xf32>
func.func @negative_kwta_binary_k_less_than_n(%u: tensor<16xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %idx, %val = anima.kwta %u, k = 4, binary : tensor<16xf32>
  return %idx, %val : tensor<4xi32>, tensor<4xf32>
}

// -----

// Pure ops whose results are unused are erased.
// CHECK-LABEL: func.func @dead_ops(
// CHECK-NEXT:    return
func.func @dead_ops(%W: tensor<16x8xf32>, %u: tensor<16xf32>, %x: tensor<8xf32>, %S: tensor<8x16xf32>) {
  %idx, %val = anima.kwta %u, k = 4, softmax : tensor<16xf32>
  %y = anima.gather_matvec %W[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %o = anima.mem_read %S, %u : tensor<8x16xf32>, tensor<16xf32>
  %S2 = anima.mem_write %S, %u, %x {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  %W2 = anima.plastic_update hebb %W[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  return
}
