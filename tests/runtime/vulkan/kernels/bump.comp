// n[0] = 0x7F800000, the bit pattern of +Inf as an f32: the guard must not
// check i32 states (binding 0 = an i32 state).
#version 450
layout(local_size_x = 1) in;
layout(std430, binding = 0) buffer N { int n[]; };
void main() { n[0] = 0x7F800000; }
