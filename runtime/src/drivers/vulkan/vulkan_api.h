//===- vulkan_api.h - The Vulkan entry points the driver uses ---*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The runtime never links libvulkan: a CPU-only machine may have no loader.
// loadVulkan() dlopen()s "libvulkan.so.1" once per process and resolves
// vkGetInstanceProcAddr; every other entry point is resolved into a
// VulkanFunctions table (global, then instance, then device level).
// vkCheck() turns a VkResult into a status naming the call and the result.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_API_H
#define ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_API_H

#ifndef VK_NO_PROTOTYPES
#define VK_NO_PROTOTYPES
#endif
#include <vulkan/vulkan.h>

#include "anima/runtime/anima.h"

namespace anima::rt::vk {

/// Global entry points (no instance needed).
#define ANIMA_VK_GLOBAL_FUNCTIONS(X)                                           \
  X(vkEnumerateInstanceVersion)                                                \
  X(vkEnumerateInstanceLayerProperties)                                        \
  X(vkEnumerateInstanceExtensionProperties)                                    \
  X(vkCreateInstance)

/// Instance-level entry points.
#define ANIMA_VK_INSTANCE_FUNCTIONS(X)                                         \
  X(vkDestroyInstance)                                                         \
  X(vkEnumeratePhysicalDevices)                                                \
  X(vkGetPhysicalDeviceProperties)                                             \
  X(vkGetPhysicalDeviceProperties2)                                            \
  X(vkGetPhysicalDeviceFeatures)                                               \
  X(vkGetPhysicalDeviceQueueFamilyProperties)                                  \
  X(vkGetPhysicalDeviceMemoryProperties)                                       \
  X(vkEnumerateDeviceExtensionProperties)                                      \
  X(vkCreateDevice)                                                            \
  X(vkGetDeviceProcAddr)

/// Instance-level entry points of VK_EXT_debug_utils (validation only).
#define ANIMA_VK_DEBUG_FUNCTIONS(X)                                            \
  X(vkCreateDebugUtilsMessengerEXT)                                            \
  X(vkDestroyDebugUtilsMessengerEXT)

/// Device-level entry points.
#define ANIMA_VK_DEVICE_FUNCTIONS(X)                                           \
  X(vkDestroyDevice)                                                           \
  X(vkGetDeviceQueue)                                                          \
  X(vkDeviceWaitIdle)                                                          \
  X(vkCreateBuffer)                                                            \
  X(vkDestroyBuffer)                                                           \
  X(vkGetBufferMemoryRequirements)                                             \
  X(vkAllocateMemory)                                                          \
  X(vkFreeMemory)                                                              \
  X(vkBindBufferMemory)                                                        \
  X(vkMapMemory)                                                               \
  X(vkUnmapMemory)                                                             \
  X(vkCreateShaderModule)                                                      \
  X(vkDestroyShaderModule)                                                     \
  X(vkCreateDescriptorSetLayout)                                               \
  X(vkDestroyDescriptorSetLayout)                                              \
  X(vkCreatePipelineLayout)                                                    \
  X(vkDestroyPipelineLayout)                                                   \
  X(vkCreatePipelineCache)                                                     \
  X(vkDestroyPipelineCache)                                                    \
  X(vkGetPipelineCacheData)                                                    \
  X(vkCreateComputePipelines)                                                  \
  X(vkDestroyPipeline)                                                         \
  X(vkCreateDescriptorPool)                                                    \
  X(vkDestroyDescriptorPool)                                                   \
  X(vkAllocateDescriptorSets)                                                  \
  X(vkUpdateDescriptorSets)                                                    \
  X(vkCreateCommandPool)                                                       \
  X(vkDestroyCommandPool)                                                      \
  X(vkAllocateCommandBuffers)                                                  \
  X(vkBeginCommandBuffer)                                                      \
  X(vkEndCommandBuffer)                                                        \
  X(vkCmdBindPipeline)                                                         \
  X(vkCmdBindDescriptorSets)                                                   \
  X(vkCmdPushConstants)                                                        \
  X(vkCmdDispatch)                                                             \
  X(vkCmdCopyBuffer)                                                           \
  X(vkCmdPipelineBarrier)                                                      \
  X(vkCreateFence)                                                             \
  X(vkDestroyFence)                                                            \
  X(vkResetFences)                                                             \
  X(vkWaitForFences)                                                           \
  X(vkQueueSubmit)

/// The resolved entry points; members are null until resolved.
struct Functions {
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
#define ANIMA_VK_MEMBER(name) PFN_##name name = nullptr;
  ANIMA_VK_GLOBAL_FUNCTIONS(ANIMA_VK_MEMBER)
  ANIMA_VK_INSTANCE_FUNCTIONS(ANIMA_VK_MEMBER)
  ANIMA_VK_DEBUG_FUNCTIONS(ANIMA_VK_MEMBER)
  ANIMA_VK_DEVICE_FUNCTIONS(ANIMA_VK_MEMBER)
#undef ANIMA_VK_MEMBER
};

/// Loads libvulkan.so.1 (once per process; it stays loaded) and resolves
/// the global entry points into `out`. No loader: UNIMPLEMENTED.
[[nodiscard]] anima_status_t loadVulkan(Functions *out);

/// Resolves the instance-level entry points (and the debug-utils ones when
/// `debugUtils`); a missing one is INCOMPATIBLE naming it.
[[nodiscard]] anima_status_t
loadInstanceFunctions(Functions *fns, VkInstance instance, bool debugUtils);

/// Resolves the device-level entry points.
[[nodiscard]] anima_status_t loadDeviceFunctions(Functions *fns,
                                                 VkDevice device);

/// Returns the name of `result`, e.g. "VK_ERROR_DEVICE_LOST".
const char *resultName(VkResult result);

/// Returns NULL for VK_SUCCESS, otherwise a status "`call` failed:
/// VK_ERROR_... (`context`)" whose code follows the result (out of memory:
/// RESOURCE_EXHAUSTED; device lost, unknown: INTERNAL; missing
/// layer/extension/feature, incompatible driver: FAILED_PRECONDITION).
/// `context` is printf-style and may be NULL.
[[nodiscard]] anima_status_t check(VkResult result, const char *call,
                                   const char *context = nullptr, ...)
    __attribute__((format(printf, 3, 4)));

} // namespace anima::rt::vk

#endif // ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_API_H
