// The runtime's NaN/Inf guard on the Vulkan backend (vulkan_executable.cpp).
// Sets flag = 1 when any of the first `count` f32 elements of `data` is NaN
// or Inf. Element bits are tested (exponent all ones), so no floating-point
// mode of the driver can hide a NaN. Dispatched with
// min(ceil(count / 256), maxComputeWorkGroupCount[0]) groups; each
// invocation strides over the grid.
#version 450

layout(local_size_x = 256) in;

layout(std430, set = 0, binding = 0) readonly buffer Data { uint data[]; };
layout(std430, set = 0, binding = 1) buffer Flag { uint flag; };
layout(push_constant) uniform Push { uint count; } push;

void main() {
  uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
  bool bad = false;
  for (uint i = gl_GlobalInvocationID.x; i < push.count;) {
    bad = bad || (data[i] & 0x7F800000u) == 0x7F800000u;
    if (push.count - i <= stride)
      break; // i + stride would reach count (or wrap around)
    i += stride;
  }
  if (bad)
    atomicOr(flag, 1u);
}
