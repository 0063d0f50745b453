//===- vulkan_api.cpp - The Vulkan entry points the driver uses -----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "drivers/vulkan/vulkan_api.h"

#include "support/status.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <string>

namespace anima::rt::vk {
namespace {

/// The process-wide loader: dlopen()ed once, never unloaded (drivers and
/// layers it loads may keep threads or atexit handlers).
struct Loader {
  void *library = nullptr;
  PFN_vkGetInstanceProcAddr getInstanceProcAddr = nullptr;
  std::string error;
};

const Loader &loader() {
  static Loader instance;
  static std::once_flag once;
  std::call_once(once, [] {
    ::dlerror();
    void *library = ::dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char *error = ::dlerror();
      instance.error = error ? error : "dlopen failed";
      return;
    }
    void *address = ::dlsym(library, "vkGetInstanceProcAddr");
    if (!address) {
      instance.error = "libvulkan.so.1 does not export vkGetInstanceProcAddr";
      return;
    }
    instance.library = library;
    std::memcpy(&instance.getInstanceProcAddr, &address, sizeof(address));
  });
  return instance;
}

} // namespace

anima_status_t loadVulkan(Functions *out) {
  const Loader &l = loader();
  if (!l.getInstanceProcAddr)
    return makeStatus(ANIMA_STATUS_UNIMPLEMENTED,
                      "no Vulkan loader (libvulkan.so.1): %s (Debian: "
                      "apt-get install libvulkan1 mesa-vulkan-drivers)",
                      l.error.c_str());
  Functions fns;
  fns.vkGetInstanceProcAddr = l.getInstanceProcAddr;
#define ANIMA_VK_LOAD(name)                                                    \
  fns.name = reinterpret_cast<PFN_##name>(                                     \
      fns.vkGetInstanceProcAddr(VK_NULL_HANDLE, #name));
  ANIMA_VK_GLOBAL_FUNCTIONS(ANIMA_VK_LOAD)
#undef ANIMA_VK_LOAD
  if (!fns.vkCreateInstance || !fns.vkEnumerateInstanceLayerProperties ||
      !fns.vkEnumerateInstanceExtensionProperties)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "the Vulkan loader (libvulkan.so.1) lacks "
                      "vkCreateInstance or the enumeration functions");
  // vkEnumerateInstanceVersion is absent from Vulkan 1.0 loaders: 1.0.
  *out = fns;
  return nullptr;
}

anima_status_t loadInstanceFunctions(Functions *fns, VkInstance instance,
                                     bool debugUtils) {
#define ANIMA_VK_LOAD(name)                                                    \
  fns->name = reinterpret_cast<PFN_##name>(                                    \
      fns->vkGetInstanceProcAddr(instance, #name));                            \
  if (!fns->name)                                                              \
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,                               \
                      "the Vulkan loader does not provide %s", #name);
  ANIMA_VK_INSTANCE_FUNCTIONS(ANIMA_VK_LOAD)
  if (debugUtils) {
    ANIMA_VK_DEBUG_FUNCTIONS(ANIMA_VK_LOAD)
  }
#undef ANIMA_VK_LOAD
  return nullptr;
}

anima_status_t loadDeviceFunctions(Functions *fns, VkDevice device) {
#define ANIMA_VK_LOAD(name)                                                    \
  fns->name =                                                                  \
      reinterpret_cast<PFN_##name>(fns->vkGetDeviceProcAddr(device, #name));   \
  if (!fns->name)                                                              \
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,                               \
                      "the Vulkan device does not provide %s", #name);
  ANIMA_VK_DEVICE_FUNCTIONS(ANIMA_VK_LOAD)
#undef ANIMA_VK_LOAD
  return nullptr;
}

const char *resultName(VkResult result) {
  switch (result) {
#define ANIMA_VK_RESULT(name)                                                  \
  case name:                                                                   \
    return #name;
    ANIMA_VK_RESULT(VK_SUCCESS)
    ANIMA_VK_RESULT(VK_NOT_READY)
    ANIMA_VK_RESULT(VK_TIMEOUT)
    ANIMA_VK_RESULT(VK_EVENT_SET)
    ANIMA_VK_RESULT(VK_EVENT_RESET)
    ANIMA_VK_RESULT(VK_INCOMPLETE)
    ANIMA_VK_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
    ANIMA_VK_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    ANIMA_VK_RESULT(VK_ERROR_INITIALIZATION_FAILED)
    ANIMA_VK_RESULT(VK_ERROR_DEVICE_LOST)
    ANIMA_VK_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
    ANIMA_VK_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
    ANIMA_VK_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
    ANIMA_VK_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
    ANIMA_VK_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
    ANIMA_VK_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
    ANIMA_VK_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED)
    ANIMA_VK_RESULT(VK_ERROR_FRAGMENTED_POOL)
    ANIMA_VK_RESULT(VK_ERROR_UNKNOWN)
    ANIMA_VK_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
    ANIMA_VK_RESULT(VK_ERROR_INVALID_EXTERNAL_HANDLE)
    ANIMA_VK_RESULT(VK_ERROR_FRAGMENTATION)
    ANIMA_VK_RESULT(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
    ANIMA_VK_RESULT(VK_PIPELINE_COMPILE_REQUIRED)
    ANIMA_VK_RESULT(VK_ERROR_VALIDATION_FAILED_EXT)
#undef ANIMA_VK_RESULT
  default:
    return "VK_RESULT_UNKNOWN";
  }
}

anima_status_t check(VkResult result, const char *call, const char *context,
                     ...) {
  if (result == VK_SUCCESS)
    return nullptr;
  anima_status_code_t code = ANIMA_STATUS_INTERNAL;
  switch (result) {
  case VK_ERROR_OUT_OF_HOST_MEMORY:
  case VK_ERROR_OUT_OF_DEVICE_MEMORY:
  case VK_ERROR_OUT_OF_POOL_MEMORY:
  case VK_ERROR_FRAGMENTED_POOL:
  case VK_ERROR_FRAGMENTATION:
  case VK_ERROR_TOO_MANY_OBJECTS:
  case VK_ERROR_MEMORY_MAP_FAILED:
    code = ANIMA_STATUS_RESOURCE_EXHAUSTED;
    break;
  case VK_ERROR_LAYER_NOT_PRESENT:
  case VK_ERROR_EXTENSION_NOT_PRESENT:
  case VK_ERROR_FEATURE_NOT_PRESENT:
  case VK_ERROR_INCOMPATIBLE_DRIVER:
  case VK_ERROR_INITIALIZATION_FAILED:
    code = ANIMA_STATUS_FAILED_PRECONDITION;
    break;
  default:
    break;
  }
  if (!context)
    return makeStatus(code, "%s failed: %s", call, resultName(result));
  char detail[512];
  va_list args;
  va_start(args, context);
  std::vsnprintf(detail, sizeof(detail), context, args);
  va_end(args);
  return makeStatus(code, "%s failed: %s (%s)", call, resultName(result),
                    detail);
}

} // namespace anima::rt::vk
