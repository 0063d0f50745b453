// RUN: anima-opt %s --anima-materialize-constants | FileCheck %s

// Splats become fills, 1-D arithmetic sequences a generic over the index;
// other constants stay.
// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<4xf32>, tensor<8xi32>, tensor<3xf32>, tensor<3xf32>) {
  // CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
  // CHECK: linalg.fill ins(%[[ONE]] : f32) outs(%{{.+}} : tensor<4xf32>)
  %splat = arith.constant dense<1.0> : tensor<4xf32>
  // CHECK: %[[A:.+]] = arith.constant 0 : i32
  // CHECK: %[[B:.+]] = arith.constant 1 : i32
  // CHECK: linalg.generic
  // CHECK:   %[[I:.+]] = linalg.index 0 : index
  // CHECK:   %[[I32:.+]] = arith.index_cast %[[I]] : index to i32
  // CHECK:   %[[BI:.+]] = arith.muli %[[B]], %[[I32]] : i32
  // CHECK:   arith.addi %[[A]], %[[BI]] : i32
  %iota = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7]> : tensor<8xi32>
  // CHECK: arith.constant 5.000000e-01 : f32
  // CHECK: arith.constant -2.500000e-01 : f32
  // CHECK: arith.sitofp
  %down = arith.constant dense<[0.5, 0.25, 0.0]> : tensor<3xf32>
  // CHECK: arith.constant dense<[1.000000e+00, 5.000000e+00, 2.000000e+00]> : tensor<3xf32>
  %other = arith.constant dense<[1.0, 5.0, 2.0]> : tensor<3xf32>
  return %splat, %iota, %down, %other : tensor<4xf32>, tensor<8xi32>, tensor<3xf32>, tensor<3xf32>
}
