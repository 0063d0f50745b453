// RUN: anima-opt %s --anima-spirv-attach-target="profile=mobile" -split-input-file -verify-diagnostics | FileCheck %s
// RUN: not anima-opt %s --anima-spirv-attach-target="profile=watch" -split-input-file 2>&1 | FileCheck %s --check-prefix=PROFILE
// RUN: not anima-opt %s --anima-bufferize="workgroup-size=100" -split-input-file 2>&1 | FileCheck %s --check-prefix=WGSIZE

// A kernel within the mobile profile gets the target environment and its
// entry-point ABI (from known_block_size).
// CHECK: spirv.target_env = #spirv.target_env<#spirv.vce<v1.3, [Shader, GroupNonUniform, GroupNonUniformArithmetic], [SPV_KHR_storage_buffer_storage_class]>, #spirv.resource_limits<max_compute_workgroup_invocations = 256, max_compute_workgroup_size = [256 : i32, 256 : i32, 64 : i32], subgroup_size = 16, min_subgroup_size = 16, max_subgroup_size = 64>
// CHECK: gpu.func @ok(%{{.*}}: memref<4xf32>) kernel attributes {known_block_size = array<i32: 64, 1, 1>, spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [64, 1, 1]>}
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @ok(%a: memref<4xf32>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      gpu.return
    }
  }
}

// -----

// Over the profile's 256 invocations per workgroup: a located error.
module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{kernel 'big' uses 512 invocations per workgroup; the 'mobile' profile allows 256}}
    gpu.func @big(%a: memref<4xf32>) kernel attributes {known_block_size = array<i32: 512, 1, 1>} {
      gpu.return
    }
  }
}

// -----

// Over the profile's 16 KiB of workgroup memory: a located error.
module attributes {gpu.container_module} {
  gpu.module @m {
    // expected-error @+1 {{kernel 'shared' uses 32768 bytes of workgroup memory; the 'mobile' profile allows 16384}}
    gpu.func @shared(%a: memref<4xf32>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %s = memref.alloc() : memref<8192xf32, 3>
      gpu.return
    }
  }
}

// PROFILE: unknown Vulkan profile 'watch' (known: mobile, desktop, lavapipe)
// WGSIZE: anima-bufferize: workgroup-size must be a power of two <= 1024, got 100
