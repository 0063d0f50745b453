// Declares the Float16 capability, whose device feature (shaderFloat16) the
// runtime does not enable: the validation layer reports it when the
// pipeline is created (VulkanValidationReport test; binding 0 = W).
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
layout(local_size_x = 1) in;
layout(std430, binding = 0) buffer W { float w[]; };
void main() {
  float16_t h = float16_t(w[0]);
  h = h * h;
  w[0] = float(h);
}
