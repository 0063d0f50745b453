// RUN: anima-opt %s --anima-fuse-memory-step -split-input-file | FileCheck %s

// mem_read + mem_write of the same memory with the same key ->
// fused_mem_step, which reads before it writes; every attribute of the write
// carries over.

// CHECK-LABEL: func.func @dense_key(
// CHECK-SAME:    %[[S:[^:]+]]: tensor<8x16xf32>, %[[K:[^:]+]]: tensor<16xf32>, %[[V:[^:]+]]: tensor<8xf32>)
// CHECK-NOT:     anima.mem_read
// CHECK:         %[[O:.+]], %[[S2:.+]] = anima.fused_mem_step %[[S]], %[[K]], %[[V]] {alpha = 5.000000e-01 : f32, beta = 2.500000e-01 : f32, decay_order = #anima.decay_order<read_first>, gamma = 7.500000e-01 : f32, normalize_key} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>{{$}}
// CHECK-NOT:     anima.mem_write
// CHECK:         return %[[O]], %[[S2]] : tensor<8xf32>, tensor<8x16xf32>
func.func @dense_key(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x16xf32>) {
  %o = anima.mem_read %S, %k : tensor<8x16xf32>, tensor<16xf32>
  %S2 = anima.mem_write %S, %k, %v {alpha = 0.5 : f32, beta = 0.25 : f32, gamma = 0.75 : f32, decay_order = #anima.decay_order<read_first>, normalize_key} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %o, %S2 : tensor<8xf32>, tensor<8x16xf32>
}

// CHECK-LABEL: func.func @sparse_key(
// CHECK-SAME:    %[[S:[^:]+]]: tensor<8x16xf32>, %[[K:[^:]+]]: tensor<4xf32>, %[[KI:[^:]+]]: tensor<4xi32>, %[[V:[^:]+]]: tensor<8xf32>)
// CHECK-NOT:     anima.mem_read
// CHECK:         %[[O:.+]], %[[S2:.+]] = anima.fused_mem_step %[[S]], %[[K]][%[[KI]] : tensor<4xi32>], %[[V]] {beta = 1.000000e+00 : f32} : tensor<8x16xf32>, tensor<4xf32>, tensor<8xf32>{{$}}
// CHECK-NOT:     anima.mem_write
// CHECK:         return %[[O]], %[[S2]] : tensor<8xf32>, tensor<8x16xf32>
func.func @sparse_key(%S: tensor<8x16xf32>, %k: tensor<4xf32>, %ki: tensor<4xi32>, %v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x16xf32>) {
  %o = anima.mem_read %S, %k[%ki : tensor<4xi32>] : tensor<8x16xf32>, tensor<4xf32>
  %S2 = anima.mem_write %S, %k[%ki : tensor<4xi32>], %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<4xf32>, tensor<8xf32>
  return %o, %S2 : tensor<8xf32>, tensor<8x16xf32>
}

// Both read the old memory whatever their order: the fused op goes where
// the first of the two was (here the write, before the value's other use).
// CHECK-LABEL: func.func @write_first(
// CHECK-SAME:    %[[S:[^:]+]]: tensor<8x16xf32>, %[[K:[^:]+]]: tensor<16xf32>, %[[V:[^:]+]]: tensor<8xf32>)
// CHECK-NEXT:    %[[O:.+]], %[[S2:.+]] = anima.fused_mem_step %[[S]], %[[K]], %[[V]] {alpha = 0.899999976 : f32, beta = 1.000000e+00 : f32}
// CHECK-NEXT:    %[[R:.+]] = anima.mem_read %[[S2]], %[[K]]
// CHECK-NEXT:    %[[SUM:.+]] = arith.addf %[[O]], %[[R]]
// CHECK-NEXT:    return %[[SUM]], %[[S2]]
func.func @write_first(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x16xf32>) {
  %S2 = anima.mem_write %S, %k, %v {alpha = 0.9 : f32, beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  %r = anima.mem_read %S2, %k : tensor<8x16xf32>, tensor<16xf32>
  %o = anima.mem_read %S, %k : tensor<8x16xf32>, tensor<16xf32>
  %sum = arith.addf %o, %r : tensor<8xf32>
  return %sum, %S2 : tensor<8xf32>, tensor<8x16xf32>
}

// -----

// Negative cases: the pair stays as it is.

// CHECK-LABEL: func.func @negative_other_key(
// CHECK:         anima.mem_read
// CHECK:         anima.mem_write
// CHECK-NOT:     anima.fused_mem_step
func.func @negative_other_key(%S: tensor<8x16xf32>, %q: tensor<16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x16xf32>) {
  %o = anima.mem_read %S, %q : tensor<8x16xf32>, tensor<16xf32>
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %o, %S2 : tensor<8xf32>, tensor<8x16xf32>
}

// CHECK-LABEL: func.func @negative_other_state(
// CHECK:         anima.mem_read
// CHECK:         anima.mem_write
// CHECK-NOT:     anima.fused_mem_step
func.func @negative_other_state(%S: tensor<8x16xf32>, %T: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x16xf32>) {
  %o = anima.mem_read %T, %k : tensor<8x16xf32>, tensor<16xf32>
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %o, %S2 : tensor<8xf32>, tensor<8x16xf32>
}

// The read sees the written memory, not the memory the write updates.
// CHECK-LABEL: func.func @negative_read_after_write(
// CHECK:         anima.mem_write
// CHECK:         anima.mem_read
// CHECK-NOT:     anima.fused_mem_step
func.func @negative_read_after_write(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x16xf32>) {
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  %o = anima.mem_read %S2, %k : tensor<8x16xf32>, tensor<16xf32>
  return %o, %S2 : tensor<8xf32>, tensor<8x16xf32>
}

// Same key values, different sparse index sets.
// CHECK-LABEL: func.func @negative_other_key_indices(
// CHECK:         anima.mem_read
// CHECK:         anima.mem_write
// CHECK-NOT:     anima.fused_mem_step
func.func @negative_other_key_indices(%S: tensor<8x16xf32>, %k: tensor<4xf32>, %qi: tensor<4xi32>, %ki: tensor<4xi32>, %v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x16xf32>) {
  %o = anima.mem_read %S, %k[%qi : tensor<4xi32>] : tensor<8x16xf32>, tensor<4xf32>
  %S2 = anima.mem_write %S, %k[%ki : tensor<4xi32>], %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<4xf32>, tensor<8xf32>
  return %o, %S2 : tensor<8xf32>, tensor<8x16xf32>
}

// A dense read and a sparse write of the same key vector (16 = dk entries).
// CHECK-LABEL: func.func @negative_dense_read_sparse_write(
// CHECK:         anima.mem_read
// CHECK:         anima.mem_write
// CHECK-NOT:     anima.fused_mem_step
func.func @negative_dense_read_sparse_write(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %ki: tensor<16xi32>, %v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x16xf32>) {
  %o = anima.mem_read %S, %k : tensor<8x16xf32>, tensor<16xf32>
  %S2 = anima.mem_write %S, %k[%ki : tensor<16xi32>], %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %o, %S2 : tensor<8xf32>, tensor<8x16xf32>
}

// The written value is computed after the read: the fused op would have to
// go where the read is, before the value exists.
// CHECK-LABEL: func.func @negative_value_after_read(
// CHECK:         %[[O:.+]] = anima.mem_read
// CHECK:         %[[V:.+]] = arith.addf %[[O]], %{{.+}}
// CHECK:         anima.mem_write %{{.+}}, %{{.+}}, %[[V]]
// CHECK-NOT:     anima.fused_mem_step
func.func @negative_value_after_read(%S: tensor<8x16xf32>, %k: tensor<16xf32>, %target: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x16xf32>) {
  %o = anima.mem_read %S, %k : tensor<8x16xf32>, tensor<16xf32>
  %v = arith.addf %o, %target : tensor<8xf32>
  %S2 = anima.mem_write %S, %k, %v {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %o, %S2 : tensor<8xf32>, tensor<8x16xf32>
}
