//===- driver_registry.cpp - Choosing a backend by name -------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "drivers/cpu/cpu_driver.h"
#include "drivers/driver.h"
#include "support/status.h"

#if ANIMA_HAVE_VULKAN_DRIVER
#include "drivers/vulkan/vulkan_driver.h"
#endif

#include <string>

namespace anima::rt {

anima_status_t createDriver(std::string_view name, const DriverOptions &options,
                            std::unique_ptr<Driver> *out) {
  if (name == "cpu") {
    *out = createCpuDriver();
    return nullptr;
  }
  if (name == "vulkan") {
#if ANIMA_HAVE_VULKAN_DRIVER
    *out = createVulkanDriver(options);
    return nullptr;
#else
    return makeStatus(ANIMA_STATUS_UNIMPLEMENTED,
                      "backend 'vulkan': this runtime was built without the "
                      "Vulkan driver (it needs the Vulkan headers and glslc "
                      "at configure time: apt-get install libvulkan-dev "
                      "glslc); use 'cpu'");
#endif
  }
  std::string shown(name.substr(0, 64));
  return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                    "unknown backend '%s' (known: cpu, vulkan)", shown.c_str());
}

} // namespace anima::rt
