//===- VulkanTestMain.cpp - main() of anima-vulkan-runtime-tests ----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Points the Vulkan loader at lavapipe (VK_DRIVER_FILES, unless set), keeps
// the pipeline cache inside the build tree (XDG_CACHE_HOME) and fails the
// run if the validation layer printed any message no test asked for.
//
//===----------------------------------------------------------------------===//

#include "VulkanToy.h"

#include "../../common/VulkanTestSupport.h"

#include <cstdlib>

using anima::test::pinLibraryOf;

int main(int argc, char **argv) {
  ::setenv("VK_DRIVER_FILES", ANIMA_VK_LAVAPIPE_ICD, /*overwrite=*/0);
  ::setenv("XDG_CACHE_HOME", ANIMA_VK_TEST_CACHE_DIR, 1);
  ::unsetenv("ANIMA_VULKAN_DEVICE");
  pinLibraryOf(std::getenv("VK_DRIVER_FILES"));
  pinLibraryOf(ANIMA_VK_VALIDATION_LAYER_MANIFEST);
  pinLibraryOf(ANIMA_VK_DEVICE_SELECT_LAYER_MANIFEST);
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new anima::test::NoValidationMessages(
      &anima::test::vulkan::expectedValidationMessages));
  return RUN_ALL_TESTS();
}
