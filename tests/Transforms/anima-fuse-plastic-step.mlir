// RUN: anima-opt %s --anima-fuse-plastic-step -split-input-file | FileCheck %s

// gather_matvec + plastic_update of the same rows -> fused_plastic_step. The
// region applies the elementwise function that leads from the dot products
// to the post activity (the identity when the update uses them directly).

// CHECK-LABEL: func.func @oja_identity(
// CHECK-SAME:    %[[W:[^:]+]]: tensor<16x8xf32>, %[[IDX:[^:]+]]: tensor<4xi32>, %[[X:[^:]+]]: tensor<8xf32>)
// CHECK-NOT:     anima.gather_matvec
// CHECK:         %[[DOTS:.+]], %[[W2:.+]] = anima.fused_plastic_step oja %[[W]][%[[IDX]] : tensor<4xi32>], %[[X]] pre(%[[X]] : tensor<8xf32>) {eta = 0.00999999977 : f32} : tensor<16x8xf32>, tensor<8xf32> -> tensor<4xf32> {
// CHECK-NEXT:    ^bb0(%[[D:.+]]: f32):
// CHECK-NEXT:      anima.yield %[[D]] : f32
// CHECK-NEXT:    }
// CHECK-NOT:     anima.plastic_update
// CHECK:         return %[[DOTS]], %[[W2]] : tensor<4xf32>, tensor<16x8xf32>
func.func @oja_identity(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> (tensor<4xf32>, tensor<16x8xf32>) {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %y, %w2 : tensor<4xf32>, tensor<16x8xf32>
}

// The rows' pre activity may differ from the gather's input; the other uses
// of the dot products read the fused op's.
// CHECK-LABEL: func.func @hebb_other_pre(
// CHECK-SAME:    %[[W:[^:]+]]: tensor<16x8xf32>, %[[IDX:[^:]+]]: tensor<4xi32>, %[[X:[^:]+]]: tensor<8xf32>, %[[PRE:[^:]+]]: tensor<8xf32>)
// CHECK:         %[[DOTS:.+]], %[[W2:.+]] = anima.fused_plastic_step hebb %[[W]][%[[IDX]] : tensor<4xi32>], %[[X]] pre(%[[PRE]] : tensor<8xf32>) {eta = 5.000000e-01 : f32}
// CHECK-NEXT:    ^bb0(%[[D:.+]]: f32):
// CHECK-NEXT:      anima.yield %[[D]] : f32
// CHECK:         %[[S:.+]] = arith.addf %[[DOTS]], %[[DOTS]] : tensor<4xf32>
// CHECK:         return %[[S]], %[[W2]]
func.func @hebb_other_pre(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>, %pre: tensor<8xf32>) -> (tensor<4xf32>, tensor<16x8xf32>) {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %s = arith.addf %y, %y : tensor<4xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%pre : tensor<8xf32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  return %s, %w2 : tensor<4xf32>, tensor<16x8xf32>
}

// CHECK-LABEL: func.func @instar(
// CHECK:         anima.fused_plastic_step instar
// CHECK-NOT:     anima.plastic_update
func.func @instar(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update instar %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// Target, modulator and the decay/normalization attributes carry over.
// CHECK-LABEL: func.func @delta_target_mod(
// CHECK-SAME:    %[[W:[^:]+]]: tensor<16x8xf32>, %[[IDX:[^:]+]]: tensor<4xi32>, %[[X:[^:]+]]: tensor<8xf32>, %[[T:[^:]+]]: tensor<4xf32>, %[[M:[^:]+]]: tensor<f32>)
// CHECK:         %{{.+}}, %[[W2:.+]] = anima.fused_plastic_step delta %[[W]][%[[IDX]] : tensor<4xi32>], %[[X]] pre(%[[X]] : tensor<8xf32>) target(%[[T]] : tensor<4xf32>) mod(%[[M]] : tensor<f32>) {eta = 2.500000e-01 : f32, lambda = 1.000000e-03 : f32, row_norm = 1.000000e+00 : f32}
// CHECK-NOT:     anima.plastic_update
// CHECK:         return %[[W2]]
func.func @delta_target_mod(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>, %t: tensor<4xf32>, %m: tensor<f32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update delta %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<4xf32>) mod(%m : tensor<f32>) {eta = 0.25 : f32, lambda = 0.001 : f32, row_norm = 1.0 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// -----

// Elementwise work between the gather and the update moves into the region
// as scalar ops (splat constants become scalar constants).

// CHECK-LABEL: func.func @scale(
// CHECK-SAME:    %[[W:[^:]+]]: tensor<16x8xf32>, %[[IDX:[^:]+]]: tensor<4xi32>, %[[X:[^:]+]]: tensor<8xf32>)
// CHECK-DAG:     %[[TWO:.+]] = arith.constant 2.000000e+00 : f32
// CHECK:         %[[DOTS:.+]], %[[W2:.+]] = anima.fused_plastic_step oja %[[W]][%[[IDX]] : tensor<4xi32>], %[[X]] pre(%[[X]] : tensor<8xf32>)
// CHECK-NEXT:    ^bb0(%[[D:.+]]: f32):
// CHECK-NEXT:      %[[P:.+]] = arith.mulf %[[D]], %[[TWO]] : f32
// CHECK-NEXT:      anima.yield %[[P]] : f32
// CHECK-NEXT:    }
// CHECK-NOT:     arith.mulf
// CHECK:         return %[[DOTS]], %[[W2]]
func.func @scale(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> (tensor<4xf32>, tensor<16x8xf32>) {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %two = arith.constant dense<2.0> : tensor<4xf32>
  %p = arith.mulf %y, %two : tensor<4xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<4xi32>] post(%p : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %y, %w2 : tensor<4xf32>, tensor<16x8xf32>
}

// CHECK-LABEL: func.func @tanh(
// CHECK:         anima.fused_plastic_step hebb
// CHECK-NEXT:    ^bb0(%[[D:.+]]: f32):
// CHECK-NEXT:      %[[P:.+]] = math.tanh %[[D]] : f32
// CHECK-NEXT:      anima.yield %[[P]] : f32
// CHECK-NOT:     math.tanh
// CHECK:         return
func.func @tanh(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %p = math.tanh %y : tensor<4xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%p : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// A chain of two ops, in order; the chain's value, still used elsewhere,
// stays as tensor ops on the fused op's dot products.
// CHECK-LABEL: func.func @chain(
// CHECK-DAG:     %[[HALF:.+]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG:     %[[HALF_T:.+]] = arith.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK:         %[[DOTS:.+]], %[[W2:.+]] = anima.fused_plastic_step instar
// CHECK-NEXT:    ^bb0(%[[D:.+]]: f32):
// CHECK-NEXT:      %[[T:.+]] = math.tanh %[[D]] : f32
// CHECK-NEXT:      %[[P:.+]] = arith.addf %[[T]], %[[HALF]] : f32
// CHECK-NEXT:      anima.yield %[[P]] : f32
// CHECK-NEXT:    }
// CHECK:         %[[TT:.+]] = math.tanh %[[DOTS]] : tensor<4xf32>
// CHECK:         %[[PT:.+]] = arith.addf %[[TT]], %[[HALF_T]] : tensor<4xf32>
// CHECK:         return %[[PT]], %[[W2]]
func.func @chain(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> (tensor<4xf32>, tensor<16x8xf32>) {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %t = math.tanh %y : tensor<4xf32>
  %half = arith.constant dense<0.5> : tensor<4xf32>
  %p = arith.addf %t, %half : tensor<4xf32>
  %w2 = anima.plastic_update instar %w[%idx : tensor<4xi32>] post(%p : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %p, %w2 : tensor<4xf32>, tensor<16x8xf32>
}

// relu: maximumf with a splat zero.
// CHECK-LABEL: func.func @relu(
// CHECK-DAG:     %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         anima.fused_plastic_step oja
// CHECK-NEXT:    ^bb0(%[[D:.+]]: f32):
// CHECK-NEXT:      %[[P:.+]] = arith.maximumf %[[D]], %[[ZERO]] : f32
// CHECK-NEXT:      anima.yield %[[P]] : f32
// CHECK-NOT:     anima.plastic_update
func.func @relu(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %p = arith.maximumf %y, %zero : tensor<4xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<4xi32>] post(%p : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// Both operands from the dot products (y * y): each op is built once.
// CHECK-LABEL: func.func @square(
// CHECK:         anima.fused_plastic_step hebb
// CHECK-NEXT:    ^bb0(%[[D:.+]]: f32):
// CHECK-NEXT:      %[[P:.+]] = arith.mulf %[[D]], %[[D]] : f32
// CHECK-NEXT:      anima.yield %[[P]] : f32
func.func @square(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %p = arith.mulf %y, %y : tensor<4xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%p : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// -----

// Negative cases: the pair stays as it is.

// softmax_delta normalizes over all rows before any update.
// CHECK-LABEL: func.func @negative_softmax_delta(
// CHECK:         anima.gather_matvec
// CHECK:         anima.plastic_update softmax_delta
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_softmax_delta(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>, %t: tensor<4xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update softmax_delta %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<4xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// Pre-major rows are input units: not the rows the gather read.
// CHECK-LABEL: func.func @negative_pre_major(
// CHECK:         anima.gather_matvec
// CHECK:         anima.plastic_update hebb {{.*}}pre_major
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_pre_major(%w: tensor<16x4xf32>, %idx: tensor<4xi32>, %x: tensor<4xf32>) -> tensor<16x4xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x4xf32>, tensor<4xi32>, tensor<4xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<4xf32>) {eta = 0.01 : f32, pre_major} : tensor<16x4xf32>
  return %w2 : tensor<16x4xf32>
}

// A dense update touches every row.
// CHECK-LABEL: func.func @negative_dense(
// CHECK:         anima.gather_matvec
// CHECK:         anima.plastic_update oja
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_dense(%w: tensor<4x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<4x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update oja %w post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<4x8xf32>
  return %w2 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @negative_other_indices(
// CHECK:         anima.gather_matvec
// CHECK:         anima.plastic_update oja
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_other_indices(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %idx2: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update oja %w[%idx2 : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @negative_other_weights(
// CHECK:         anima.gather_matvec
// CHECK:         anima.plastic_update oja
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_other_weights(%w: tensor<16x8xf32>, %v: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %v2 = anima.plastic_update oja %v[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %v2 : tensor<16x8xf32>
}

// The post activity does not come from the gathered dot products.
// CHECK-LABEL: func.func @negative_post_not_from_gather(
// CHECK:         anima.gather_matvec
// CHECK:         anima.plastic_update hebb
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_post_not_from_gather(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>, %post: tensor<4xf32>) -> (tensor<4xf32>, tensor<16x8xf32>) {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%post : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %y, %w2 : tensor<4xf32>, tensor<16x8xf32>
}

// The elementwise function reads a tensor that is not a splat constant.
// CHECK-LABEL: func.func @negative_non_splat_operand(
// CHECK:         anima.gather_matvec
// CHECK:         arith.mulf
// CHECK:         anima.plastic_update oja
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_non_splat_operand(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>, %gain: tensor<4xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %p = arith.mulf %y, %gain : tensor<4xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<4xi32>] post(%p : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// A constant that is not a splat is not a per-element scalar either.
// CHECK-LABEL: func.func @negative_non_splat_constant(
// CHECK:         anima.gather_matvec
// CHECK:         arith.mulf
// CHECK:         anima.plastic_update oja
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_non_splat_constant(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %gain = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %p = arith.mulf %y, %gain : tensor<4xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<4xi32>] post(%p : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// The fused op would take the gather's place, before the target exists.
// CHECK-LABEL: func.func @negative_target_after_gather(
// CHECK:         anima.gather_matvec
// CHECK:         arith.subf
// CHECK:         anima.plastic_update delta
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_target_after_gather(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %t = arith.subf %a, %b : tensor<4xf32>
  %w2 = anima.plastic_update delta %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) target(%t : tensor<4xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// Likewise for a pre activity computed after the gather.
// CHECK-LABEL: func.func @negative_pre_after_gather(
// CHECK:         anima.gather_matvec
// CHECK:         anima.plastic_update hebb
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_pre_after_gather(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %pre = math.tanh %x : tensor<8xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%pre : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  return %w2 : tensor<16x8xf32>
}

// The gather reads the updated weights: it comes after the update.
// CHECK-LABEL: func.func @negative_gather_after_update(
// CHECK:         anima.plastic_update hebb
// CHECK:         anima.gather_matvec
// CHECK-NOT:     anima.fused_plastic_step
func.func @negative_gather_after_update(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>, %post: tensor<4xf32>) -> (tensor<4xf32>, tensor<16x8xf32>) {
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%post : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  %y = anima.gather_matvec %w2[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  return %y, %w2 : tensor<4xf32>, tensor<16x8xf32>
}
