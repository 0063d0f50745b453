// RUN: not anima-opt %s 2>&1 | FileCheck %s -DFILE=%s

// A syntax error: unbalanced parenthesis in an operand group.

func.func @syntax(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  // CHECK: [[FILE]]:[[@LINE+1]]:62: error: expected ')'
  %W2 = anima.plastic_update hebb %W post(%y : tensor<16xf32> pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}
