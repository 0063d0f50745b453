// z[i] = W[i] * k * k, the state is only read (bindings: 0 = W, 1 = k
// input, 2 = z output).
#version 450
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer W { float w[]; };
layout(std430, binding = 1) readonly buffer K { float k[]; };
layout(std430, binding = 2) writeonly buffer Z { float z[]; };
void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i >= uint(z.length()))
    return;
  precise float v = w[i] * k[0];
  z[i] = v * k[0];
}
