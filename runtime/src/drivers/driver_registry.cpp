//===- driver_registry.cpp - Choosing a backend by name -------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "drivers/cpu/cpu_driver.h"
#include "drivers/driver.h"
#include "support/status.h"

#include <string>

namespace anima::rt {

anima_status_t createDriver(std::string_view name,
                            std::unique_ptr<Driver> *out) {
  if (name == "cpu") {
    *out = createCpuDriver();
    return nullptr;
  }
  std::string shown(name.substr(0, 64));
  if (name == "vulkan")
    return makeStatus(ANIMA_STATUS_UNIMPLEMENTED,
                      "backend 'vulkan' is not implemented yet (issue 4); "
                      "use 'cpu'");
  return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                    "unknown backend '%s' (known: cpu, vulkan)", shown.c_str());
}

} // namespace anima::rt
