//===- vulkan_device.h - Instance, device and queue of a model --*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Creates the VkInstance (with the Khronos validation layer, synchronization
// validation and a debug-utils messenger when asked), picks the physical
// device (anima_open_options.device, $ANIMA_VULKAN_DEVICE, else the first
// with a compute queue), creates the VkDevice with one compute queue and
// reads the limits the schedule is checked against. Validation warnings and
// errors are printed to stderr and kept until takeDiagnostics().
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_DEVICE_H
#define ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_DEVICE_H

#include "drivers/driver.h"
#include "drivers/vulkan/vulkan_api.h"
#include "drivers/vulkan/vulkan_schedule.h"

#include <memory>
#include <mutex>
#include <string>

namespace anima::rt::vk {

/// Validation messages waiting to be reported.
class Diagnostics {
public:
  /// Records (and prints) one message.
  void record(const char *severity, const char *message);
  /// Returns INTERNAL "Vulkan validation: <first message>" and forgets the
  /// pending messages, or NULL when there are none.
  [[nodiscard]] anima_status_t take();

private:
  std::mutex mutex;
  std::string first;
  size_t pending = 0;
};

/// Returns how many validation warnings and errors this process has seen.
uint64_t validationMessageCount();

/// The name of the validation layer.
constexpr const char *kValidationLayer = "VK_LAYER_KHRONOS_validation";

/// One model's instance, device and compute queue.
class Device {
public:
  ~Device();
  Device(const Device &) = delete;
  Device &operator=(const Device &) = delete;

  /// Creates the instance and device. `apiVersion` is the Vulkan version
  /// the artifact needs (VK_MAKE_API_VERSION). No loader: UNIMPLEMENTED; no
  /// driver or device: FAILED_PRECONDITION "no Vulkan device ..."; no match
  /// for the requested device: NOT_FOUND listing the devices; validation
  /// asked for without the layer: FAILED_PRECONDITION.
  [[nodiscard]] static anima_status_t create(const DriverOptions &options,
                                             uint32_t apiVersion,
                                             std::unique_ptr<Device> *out);

  Functions fn; ///< resolved entry points
  VkInstance instance = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger = VK_NULL_HANDLE;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  VkDevice device = VK_NULL_HANDLE;
  VkQueue queue = VK_NULL_HANDLE;
  uint32_t queueFamily = 0;
  VkPhysicalDeviceProperties properties = {};
  VkPhysicalDeviceMemoryProperties memory = {};
  uint8_t deviceUuid[VK_UUID_SIZE] = {};
  DeviceLimits limits;     ///< what the schedule is checked against
  bool validation = false; ///< the validation layer is on
  std::unique_ptr<Diagnostics> diagnostics = std::make_unique<Diagnostics>();

private:
  Device() = default;
  anima_status_t createInstance(uint32_t apiVersion);
  anima_status_t selectPhysical(const std::string &selector,
                                uint32_t apiVersion);
  anima_status_t readLimits();
  anima_status_t createLogical();
};

} // namespace anima::rt::vk

#endif // ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_DEVICE_H
