// The Vulkan pipeline, stage by stage, on a k-WTA (softmax, boosted, duty
// cycles) + fused gather/Oja step.
//
// RUN: anima-opt %s --anima-vulkan-prepare --anima-vulkan-bufferize | FileCheck %s --check-prefix=BUF
// RUN: anima-opt %s --anima-vulkan-prepare --anima-vulkan-bufferize --anima-vulkan-kernels | FileCheck %s --check-prefix=KERN
// RUN: anima-opt %s --anima-vulkan-pipeline | FileCheck %s --check-prefix=SPV
// RUN: anima-opt %s --anima-vulkan-pipeline="profile=desktop" | FileCheck %s --check-prefix=DESKTOP
// RUN: anima-opt %s --anima-vulkan-pipeline="fusion=false" | FileCheck %s --check-prefix=UNFUSED
// RUN: not anima-opt %s --anima-vulkan-pipeline="profile=watch" 2>&1 | FileCheck %s --check-prefix=PROFILE

ml_program.global private mutable @w(#anima.random_normal<seed = 3, mean = 0.0, stddev = 0.1>) : tensor<32x8xf32>
ml_program.global private mutable @duty(dense<0.1> : tensor<32xf32>) : tensor<32xf32>

func.func @step(%u: tensor<32xf32>, %x: tensor<8xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %w = ml_program.global_load @w : tensor<32x8xf32>
  %duty = ml_program.global_load @duty : tensor<32xf32>
  %idx, %val, %duty2 = anima.kwta %u, k = 4, softmax, duty(%duty : tensor<32xf32>) {beta = 1.0 : f32, period = 100.0 : f32} : tensor<32xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<32x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32}
      : tensor<32x8xf32>
  ml_program.global_store @w = %w2 : tensor<32x8xf32>
  ml_program.global_store @duty = %duty2 : tensor<32xf32>
  return %idx, %y : tensor<4xi32>, tensor<4xf32>
}

// Stage 2: every anima op is a gpu.launch of its kernel: the k-WTA is one
// workgroup, the fused step one workgroup per active row (4); temporaries
// are device buffers, never stack; the plasticity comes from the context
// global, whose word 1 the kernels raise on a NaN/Inf write; no CPU
// microkernel call is left. The guard's journal: a save kernel before the
// k-WTA (the whole duty vector); the fused step saves its 4 active rows of W
// itself; the matching undo kernels come at the end, newest first.
// BUF:       memref.global "private" @__anima_context : memref<4xi32>
// BUF-LABEL: func.func @step(
// BUF-NOT:   anima_uk_
// BUF-NOT:   memref.alloca
// BUF:       %[[IDX:.+]] = memref.alloc() {alignment = 64 : i64} : memref<4xi32>
// BUF:       %[[DUTYJ:.+]] = memref.alloc() {alignment = 64 : i64} : memref<1x32xf32>
// BUF:       gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c64{{.*}}) function(@anima_save)
// BUF:       memref.get_global @__anima_context : memref<4xi32>
// BUF:       gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c64{{.*}}) function(@anima_kwta)
// BUF:         memref.alloc() : memref<64xi32, 3>
// BUF:         gpu.subgroup_reduce  add {{.*}} : (i32) -> i32
// BUF:         gpu.barrier
// BUF:         gpu.subgroup_reduce  maximumf {{.*}} : (f32) -> f32
// BUF:       %[[ROWSJ:.+]] = memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
// BUF-NOT:   function(@anima_save)
// BUF:       gpu.launch blocks({{.*}}) in ({{.*}} = %c4{{.*}}) threads({{.*}}) in ({{.*}} = %c64{{.*}}) function(@anima_fused_plastic_step)
// BUF:         memref.store %{{.*}}, %[[ROWSJ]]
// BUF:         gpu.subgroup_reduce  add {{.*}} : (f32) -> f32
// BUF:         memref.atomic_rmw ori %{{.*}}, %{{.*}}[%{{.*}}] : (i32, memref<4xi32>) -> i32
// BUF:       gpu.launch blocks({{.*}}) in ({{.*}} = %c4{{.*}}) threads({{.*}}) in ({{.*}} = %c64{{.*}}) function(@anima_undo)
// BUF:         memref.load %[[ROWSJ]]
// BUF:       gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c64{{.*}}) function(@anima_undo)
// BUF:         memref.load %[[DUTYJ]]
// BUF:       memref.copy %[[IDX]], %{{.*}} : memref<4xi32> to memref<4xi32>
// BUF-NOT:   anima_uk_

// Stage 3: kernels outlined (named after their op) with their SPIR-V
// entry-point ABI; launches pass only buffers (constants are sunk into the
// kernels).
// KERN: spirv.target_env = #spirv.target_env<#spirv.vce<v1.3, [Shader, GroupNonUniform, GroupNonUniformArithmetic], [SPV_KHR_storage_buffer_storage_class]>
// KERN: gpu.launch_func  @anima_save::@anima_save blocks in (%c1, %c1, %c1) threads in (%c64, %c1, %c1)  args(
// KERN: gpu.launch_func  @anima_kwta::@anima_kwta blocks in (%c1, %c1, %c1) threads in (%c64, %c1, %c1)  args(%{{[^:]+}} : memref<4xi32>, %{{[^:]+}} : memref<32xf32>, %{{[^:]+}} : memref<32xf32>, %{{[^:]+}} : memref<4xi32>, %{{[^:]+}} : memref<4xf32>)
// KERN: gpu.launch_func  @anima_fused_plastic_step::@anima_fused_plastic_step blocks in (%c4, %c1, %c1) threads in (%c64, %c1, %c1)  args(
// KERN-NOT: : index
// KERN-SAME: )
// KERN: gpu.func @anima_save({{.*}}) kernel attributes {{{.*}}spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [64, 1, 1]>

// Stage 4: one spirv.module per kernel; subgroup reductions are
// OpGroupNonUniform*, barriers also order storage buffers.
// SPV:     spirv.module @__spv__anima_kwta Logical GLSL450
// SPV-DAG:   spirv.GroupNonUniformIAdd <Subgroup> <Reduce>
// SPV-DAG:   spirv.GroupNonUniformFMax <Subgroup> <Reduce>
// SPV-DAG:   spirv.ControlBarrier <Workgroup>, <Workgroup>, <AcquireRelease|UniformMemory|WorkgroupMemory>
// SPV-DAG:   spirv.AtomicOr <Device> <AcquireRelease>
// SPV-DAG:   spirv.ExecutionMode @anima_kwta "LocalSize", 64, 1, 1
// SPV:     spirv.module @__spv__anima_fused_plastic_step Logical GLSL450
// SPV:       spirv.GroupNonUniformFAdd <Subgroup> <Reduce>
// SPV-NOT:   spirv.Group{{[FI]}}Add

// DESKTOP: spirv.ExecutionMode @anima_save "LocalSize", 256, 1, 1

// Without fusion the gather and the update are separate kernels: kwta and
// its save and undo, the gather, the update (saving its rows) and its undo.
// UNFUSED-COUNT-6: gpu.launch_func
// UNFUSED-NOT: gpu.launch_func

// PROFILE: unknown Vulkan profile 'watch' (known: mobile, desktop, lavapipe)
