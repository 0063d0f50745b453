// B[i] += plasticity (bindings: 0 = B, 1 = context); many workgroups.
#version 450
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer B { float b[]; };
layout(std430, binding = 1) readonly buffer Context { float plasticity; uint zero; };
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i >= uint(b.length()))
    return;
  precise float sum = b[i] + plasticity;
  b[i] = sum;
}
