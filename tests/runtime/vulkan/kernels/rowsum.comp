// y[r] = sum over c of W[r * C + c], C = |W| / |y|, summed in order
// (bindings: 0 = W, 1 = y).
#version 450
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer W { float w[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
void main() {
  uint r = gl_GlobalInvocationID.x;
  uint rows = uint(y.length());
  if (r >= rows)
    return;
  uint cols = uint(w.length()) / rows;
  precise float sum = 0.0;
  for (uint c = 0; c < cols; ++c)
    sum = sum + w[r * cols + c];
  y[r] = sum;
}
