//===- vulkan_executable.h - One model loaded on a Vulkan device -*- C++
//-*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Everything a model needs on the device, created at load: buffers (state
// device-local, inputs/outputs/context host-visible, temps and the NaN/Inf
// shadows device-local), one pipeline per kernel (through a persisted
// VkPipelineCache), descriptor sets written once, and command buffers
// recorded once (one step and one restore per entry point, one state pull
// and one state push) and resubmitted. A step is one vkQueueSubmit and one
// fence wait; only outputs are read back, the state stays on the device
// (ownsState()).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_EXECUTABLE_H
#define ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_EXECUTABLE_H

#include "drivers/driver.h"
#include "drivers/vulkan/vulkan_device.h"
#include "drivers/vulkan/vulkan_schedule.h"

namespace anima::rt::vk {

/// Creates the executable of `schedule` (checked against `manifest`) on the
/// device `device`; `artifactId` keys the pipeline cache.
[[nodiscard]] anima_status_t
loadVulkanExecutable(std::unique_ptr<Device> device, Schedule schedule,
                     const Manifest &manifest, const uint8_t artifactId[16],
                     std::unique_ptr<Executable> *out);

} // namespace anima::rt::vk

#endif // ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_EXECUTABLE_H
