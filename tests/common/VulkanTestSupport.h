//===- VulkanTestSupport.h - Test mains that run Vulkan on lavapipe -*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Shared by the test mains that open models on the Vulkan backend: keeps the
// driver's and the layers' libraries loaded in sanitized builds, and fails
// the run if the validation layer said anything.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_COMMON_VULKANTESTSUPPORT_H
#define ANIMA_TESTS_COMMON_VULKANTESTSUPPORT_H

#include "drivers/vulkan/vulkan_driver.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <dlfcn.h>
#include <fstream>
#include <iterator>
#include <string>

namespace anima::test {

/// Loads the library a Vulkan driver or layer manifest names, for good: the
/// loader unloads drivers and layers with each instance, and LeakSanitizer
/// then cannot name the module of what they leak at exit (lsan.supp
/// suppresses those by module). Only in sanitized builds.
inline void pinLibraryOf(const char *manifest) {
#if defined(__SANITIZE_ADDRESS__)
  if (!manifest || !*manifest)
    return;
  std::ifstream in(manifest);
  std::string text(std::istreambuf_iterator<char>(in), {});
  size_t key = text.find("\"library_path\"");
  if (key == std::string::npos)
    return;
  size_t open = text.find('"', text.find(':', key) + 1);
  size_t close = text.find('"', open + 1);
  if (open == std::string::npos || close == std::string::npos)
    return;
  std::string library = text.substr(open + 1, close - open - 1);
  ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
#else
  (void)manifest;
#endif
}

/// Fails the run when the validation layer reported more messages than
/// `expected` (tests that provoke messages on purpose raise it).
class NoValidationMessages : public ::testing::Environment {
public:
  explicit NoValidationMessages(const uint64_t *expected = nullptr)
      : expected(expected) {}
  void TearDown() override {
    EXPECT_EQ(anima::rt::vulkanValidationMessageCount(),
              expected ? *expected : 0)
        << "the Vulkan validation layer reported problems (see stderr)";
  }

private:
  const uint64_t *expected;
};

} // namespace anima::test

#endif // ANIMA_TESTS_COMMON_VULKANTESTSUPPORT_H
