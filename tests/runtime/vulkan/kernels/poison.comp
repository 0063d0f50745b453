// W[i] += k * k: Inf for a large k (bindings: 0 = W, 1 = k input).
#version 450
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer W { float w[]; };
layout(std430, binding = 1) readonly buffer K { float k[]; };
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i >= uint(w.length()))
    return;
  precise float square = k[0] * k[0];
  w[i] = w[i] + square;
}
