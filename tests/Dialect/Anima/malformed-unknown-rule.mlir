// RUN: not anima-opt %s 2>&1 | FileCheck %s -DFILE=%s

// A learning rule keyword the dialect does not define.

func.func @unknown_rule(%W: tensor<16x8xf32>, %y: tensor<16xf32>, %x: tensor<8xf32>) -> tensor<16x8xf32> {
  // CHECK: [[FILE]]:[[@LINE+1]]:30: error: custom op 'anima.plastic_update' expected ::mlir::anima::Rule to be one of: hebb, oja, instar, delta, softmax_delta
  %W2 = anima.plastic_update bcm %W post(%y : tensor<16xf32>) pre(%x : tensor<8xf32>) {eta = 0.1 : f32} : tensor<16x8xf32>
  return %W2 : tensor<16x8xf32>
}
