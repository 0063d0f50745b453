//===- VulkanEnvironmentTest.cpp - Vulkan missing or misconfigured --------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Cases that need their own process, because the Vulkan loader caches its
// drivers and layers (tests/runtime/vulkan/CMakeLists.txt runs each through
// its own ctest with the environment it needs):
//
//   VulkanNoDevice          VK_DRIVER_FILES names no driver
//   VulkanNoLayer           VK_LAYER_PATH hides the validation layer
//   VulkanValidationReport  a kernel the validation layer objects to
//
// Run without that environment, the first two skip.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"
#include "VulkanToy.h"

#include "drivers/vulkan/vulkan_driver.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <sys/stat.h>

namespace anima::test::vulkan {
namespace {

/// Returns true iff $name is set and names no existing file.
bool namesNothing(const char *name) {
  const char *value = std::getenv(name);
  struct stat st;
  return value && ::stat(value, &st) != 0;
}

TEST(VulkanNoDevice, OpenFailsWithAClearStatus) {
  if (!namesNothing("VK_DRIVER_FILES"))
    GTEST_SKIP() << "run through ctest anima-vulkan-no-device "
                    "(VK_DRIVER_FILES=/nonexistent/...)";
  std::vector<uint8_t> bytes = buildVulkanArtifact();
  for (uint32_t flags : {0u, uint32_t(ANIMA_OPEN_VULKAN_VALIDATION)}) {
    anima_open_options options;
    anima_open_options_init(&options);
    options.backend = "vulkan";
    options.flags = flags;
    anima_model_t *model = nullptr;
    EXPECT_TRUE(hasStatus(
        anima_model_open_memory(bytes.data(), bytes.size(), &options, &model),
        ANIMA_STATUS_FAILED_PRECONDITION, "no Vulkan device"));
  }
  // The cpu backend is unaffected.
  anima_model_t *model = nullptr;
  ASSERT_TRUE(isOk(openBytes(buildArtifact(), &model)));
  anima_model_close(model);
}

TEST(VulkanNoLayer, ValidationNeedsTheLayer) {
  if (!namesNothing("VK_LAYER_PATH"))
    GTEST_SKIP() << "run through ctest anima-vulkan-no-layer "
                    "(VK_LAYER_PATH=/nonexistent)";
  std::vector<uint8_t> bytes = buildVulkanArtifact();
  anima_model_t *model = nullptr;
  EXPECT_TRUE(hasStatus(openVulkan(bytes, &model),
                        ANIMA_STATUS_FAILED_PRECONDITION,
                        "VK_LAYER_KHRONOS_validation"));
  EXPECT_TRUE(hasStatus(openVulkan(bytes, &model),
                        ANIMA_STATUS_FAILED_PRECONDITION,
                        "vulkan-validationlayers"));
  // Without validation the model runs.
  anima_open_options options;
  anima_open_options_init(&options);
  options.backend = "vulkan";
  ASSERT_TRUE(isOk(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model)));
  float x[3] = {1, 2, 3}, y[4], expected[4];
  Reference ref;
  ref.step(x, 1.0f, expected);
  anima_buffer in{ANIMA_DTYPE_F32, x, 12}, out{ANIMA_DTYPE_F32, y, 16};
  EXPECT_TRUE(isOk(anima_model_step(model, kStep, &in, 1, &out, 1)));
  EXPECT_EQ(std::memcmp(y, expected, sizeof(y)), 0);
  anima_model_close(model);
}

TEST(VulkanValidationReport, MessagesFailTheOpen) {
  // Kernel 2 ("counter", binding 0 = n) replaced by one that declares the
  // Float16 capability without the device feature enabled.
  VulkanParts parts;
  const std::vector<uint8_t> &half = kernelCode("half");
  size_t offset = parts.spirv.size();
  parts.spirv.insert(parts.spirv.end(), half.begin(), half.end());
  std::string schedule = parts.schedule;
  size_t at = schedule.find("{\"name\": \"counter\"");
  ASSERT_NE(at, std::string::npos);
  size_t end = schedule.find('}', at);
  schedule.replace(at, end + 1 - at,
                   "{\"name\": \"counter\", \"entry\": \"main\", "
                   "\"spirv_offset\": " +
                       std::to_string(offset) +
                       ", \"spirv_bytes\": " + std::to_string(half.size()) +
                       ", \"workgroup_size\": [1, 1, 1], \"bindings\": 1}");
  parts.schedule = schedule;
  uint64_t before = rt::vulkanValidationMessageCount();
  anima_model_t *model = nullptr;
  EXPECT_TRUE(hasStatus(openVulkan(buildVulkanArtifact(parts), &model),
                        ANIMA_STATUS_INTERNAL, "Vulkan validation: "));
  uint64_t after = rt::vulkanValidationMessageCount();
  EXPECT_GT(after, before);
  expectedValidationMessages += after - before;
}

} // namespace
} // namespace anima::test::vulkan
