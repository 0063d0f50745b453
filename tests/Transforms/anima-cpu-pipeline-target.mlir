// The pipeline's target options are recorded on the lowered module for the
// CPU target; without them nothing is recorded (the host is chosen later).
// RUN: anima-opt %s --anima-cpu-pipeline="target-triple=aarch64-linux-gnu target-cpu=cortex-a76 target-features=+neon" | FileCheck %s
// RUN: anima-opt %s --anima-cpu-pipeline | FileCheck %s --check-prefix=HOST

// CHECK: module attributes
// CHECK-SAME: anima.target_cpu = "cortex-a76"
// CHECK-SAME: anima.target_features = "+neon"
// CHECK-SAME: llvm.target_triple = "aarch64-linux-gnu"
// CHECK: llvm.func @anima_entry_step

// HOST-NOT: llvm.target_triple
// HOST-NOT: anima.target_cpu
// HOST: llvm.func @anima_entry_step

func.func @step(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
