// RUN: not anima-opt %s 2>&1 | FileCheck %s -DFILE=%s

// An op the dialect does not define.

func.func @unknown_op(%u: tensor<16xf32>) -> tensor<16xf32> {
  // CHECK: [[FILE]]:[[@LINE+1]]:8: error: custom op 'anima.bogus' is unknown
  %0 = anima.bogus %u : tensor<16xf32>
  return %0 : tensor<16xf32>
}
