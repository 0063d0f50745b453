// W[i] += plasticity * x[i % n]  (bindings: 0 = W state, 1 = x input,
// 2 = the runtime's context buffer).
#version 450
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer W { float w[]; };
layout(std430, binding = 1) readonly buffer X { float x[]; };
layout(std430, binding = 2) readonly buffer Context { float plasticity; uint zero; };
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i >= uint(w.length()))
    return;
  precise float delta = plasticity * x[i % uint(x.length())];
  precise float sum = w[i] + delta;
  w[i] = sum;
}
