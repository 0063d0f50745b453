// RUN: not anima-opt %s 2>&1 | FileCheck %s -DFILE=%s

// mem_write without its value operand.

func.func @missing_operand(%S: tensor<8x16xf32>, %k: tensor<16xf32>) -> tensor<8x16xf32> {
  // CHECK: [[FILE]]:[[@LINE+1]]:31: error: expected ','
  %S2 = anima.mem_write %S, %k {beta = 1.0 : f32} : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
  return %S2 : tensor<8x16xf32>
}
