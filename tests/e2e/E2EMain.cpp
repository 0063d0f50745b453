//===- E2EMain.cpp - main() of anima-e2e-tests ----------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The conformance suites run on every backend; the Vulkan runs use the
// device ctest names (lavapipe, with the validation layer). In sanitized
// builds the driver's and layers' libraries stay loaded so that
// LeakSanitizer can attribute what they keep until exit; the run fails if
// the validation layer printed anything.
//
//===----------------------------------------------------------------------===//

#include "../common/VulkanTestSupport.h"

#include <cstdlib>

int main(int argc, char **argv) {
  anima::test::pinLibraryOf(std::getenv("VK_DRIVER_FILES"));
  anima::test::pinLibraryOf(
      "/usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json");
  anima::test::pinLibraryOf(
      "/usr/share/vulkan/implicit_layer.d/VkLayer_MESA_device_select.json");
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new anima::test::NoValidationMessages);
  return RUN_ALL_TESTS();
}
