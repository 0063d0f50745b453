//===- vulkan_driver.h - The Vulkan backend ---------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_DRIVER_H
#define ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_DRIVER_H

#include "drivers/driver.h"

#include <cstdint>

namespace anima::rt {

/// Creates the Vulkan driver: it runs the artifact's "vulkan" target (SPIR-V
/// kernels and dispatch schedule, docs/artifact-format.md) on the device
/// `options` selects, with the state resident on the device.
std::unique_ptr<Driver> createVulkanDriver(const DriverOptions &options);

/// Returns how many Vulkan validation warnings and errors this process has
/// seen (tests assert it stays 0).
uint64_t vulkanValidationMessageCount();

} // namespace anima::rt

#endif // ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_DRIVER_H
