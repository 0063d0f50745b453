//===- VulkanToy.h - Artifacts of the Vulkan toy model ----------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// A toy model "compiled" for the vulkan backend by hand: GLSL kernels
// (kernels/*.comp, compiled by glslc at build time), a dispatch schedule and
// a manifest, packed by the runtime's own ArtifactWriter.
//
//   state  W f32[4,3]      step learns it: W[i] += p * x[i % 3]
//          n i32[1]        step counts (bump writes the bits of +Inf)
//          M f32[1000]     written by no entry (host round trips)
//          B f32[100000]   grow adds p to every element (1563 groups)
//   entry  step(x f32[3]) -> y f32[4]  update W, y = row sums of W (via a
//                                      temp and a copy), n += 1
//          poison(k f32[1])            W[i] += k * k
//          probe(k f32[1]) -> z f32[4] z[i] = W[i] * k * k (reads W)
//          bump()                      n = 0x7F800000
//          grow()                      B[i] += p
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_RUNTIME_VULKAN_VULKANTOY_H
#define ANIMA_TESTS_RUNTIME_VULKAN_VULKANTOY_H

#include "anima/runtime/anima.h"

#include <cstdint>
#include <string>
#include <vector>

namespace anima::test::vulkan {

/// Entry points, in manifest order.
enum Entry : size_t { kStep, kPoison, kProbe, kBump, kGrow };
/// State tensors, in manifest order.
enum State : size_t { kW, kN, kM, kB };
/// Elements of B.
constexpr size_t kBElements = 100000;

/// Returns the bytes of the kernel compiled from kernels/`name`.comp.
const std::vector<uint8_t> &kernelCode(const std::string &name);

/// Returns the initial W (4 x 3).
std::vector<float> initialW();
/// Returns the initial M.
std::vector<float> initialM();

/// The pieces of a Vulkan toy artifact; the defaults are valid.
struct VulkanParts {
  VulkanParts();
  std::string manifest;
  std::string schedule;
  std::vector<uint8_t> spirv;
  std::vector<uint8_t> init;
  std::string spirvName = "vulkan.spirv";
  std::string scheduleName = "vulkan.schedule";
  uint32_t spirvKind = 4;
  uint32_t scheduleKind = 5;
};

/// Returns the default schedule JSON; with `dropLastEntry` the last entry
/// point is left out.
std::string defaultSchedule(bool dropLastEntry = false);

/// Serializes `parts` (fails the test on error).
std::vector<uint8_t> buildVulkanArtifact(const VulkanParts &parts = {});

/// Opens `bytes` on the vulkan backend with validation on; `device` may be
/// NULL (the default device).
[[nodiscard]] anima_status_t openVulkan(const std::vector<uint8_t> &bytes,
                                        anima_model_t **out,
                                        const char *device = nullptr);

/// The C++ recomputation of the toy model's W, n and step outputs.
struct Reference {
  std::vector<float> W = initialW();
  int32_t n = 0;
  /// One step: W[i] += p * x[i % 3]; y = row sums; n += 1.
  void step(const float x[3], float plasticity, float y[4]);
};

/// Number of validation messages the test process expects (tests that
/// provoke validation messages on purpose add theirs).
extern uint64_t expectedValidationMessages;

} // namespace anima::test::vulkan

#endif // ANIMA_TESTS_RUNTIME_VULKAN_VULKANTOY_H
