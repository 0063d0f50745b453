// n[0] += 1 (binding 0 = an i32 state).
#version 450
layout(local_size_x = 1) in;
layout(std430, binding = 0) buffer N { int n[]; };
void main() { n[0] = n[0] + 1; }
