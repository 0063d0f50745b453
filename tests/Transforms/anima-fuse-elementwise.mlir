// RUN: anima-opt %s --convert-elementwise-to-linalg --anima-fuse-elementwise="max-operands=15" | FileCheck %s --check-prefix=WIDE
// RUN: anima-opt %s --convert-elementwise-to-linalg --anima-fuse-elementwise="max-operands=4" | FileCheck %s --check-prefix=NARROW

// A chain of four additions of five inputs: one kernel of 6 operands when 15
// are allowed; with 4, fusing any two (5 operands) is over budget.
#map = affine_map<(d0) -> (d0)>
func.func @sum(%a: tensor<8xf32>, %b: tensor<8xf32>, %c: tensor<8xf32>, %d: tensor<8xf32>, %e: tensor<8xf32>) -> tensor<8xf32> {
  %0 = arith.addf %a, %b : tensor<8xf32>
  %1 = arith.addf %0, %c : tensor<8xf32>
  %2 = arith.addf %1, %d : tensor<8xf32>
  %3 = arith.addf %2, %e : tensor<8xf32>
  return %3 : tensor<8xf32>
}
// WIDE-COUNT-1: linalg.generic
// WIDE-NOT:     linalg.generic
// NARROW-COUNT-4: linalg.generic {{.*}} ins(%{{[^,]*}}, %{{[^:]*}} : tensor<8xf32>, tensor<8xf32>)
// NARROW-NOT:     linalg.generic
