// RUN: not anima-opt %s 2>&1 | FileCheck %s -DFILE=%s

// A file that ends inside a function body.

// CHECK: [[FILE]]:[[@LINE+2]]:56: error: expected operation name in quotes
func.func @truncated(%u: tensor<16xf32>) {
  %i, %v = anima.kwta %u, k = 4, value : tensor<16xf32>
