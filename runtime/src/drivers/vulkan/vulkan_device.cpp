//===- vulkan_device.cpp - Instance, device and queue of a model ----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "drivers/vulkan/vulkan_device.h"

#include "support/status.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace anima::rt::vk {
namespace {

std::atomic<uint64_t> messageCount{0};

/// Formats a VK_MAKE_API_VERSION value as "1.3".
std::string versionText(uint32_t v) {
  return std::to_string(VK_API_VERSION_MAJOR(v)) + "." +
         std::to_string(VK_API_VERSION_MINOR(v));
}

/// The debug-utils callback: records the validation layer's warnings and
/// errors. General messages (the loader's own, e.g. about a driver manifest
/// it cannot read) are only printed: they are not findings about this
/// runtime's use of Vulkan, and a failing instance creation is reported by
/// its status anyway.
VKAPI_ATTR VkBool32 VKAPI_CALL
onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
          VkDebugUtilsMessageTypeFlagsEXT types,
          const VkDebugUtilsMessengerCallbackDataEXT *data, void *user) {
  if (!(severity & (VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                    VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT)))
    return VK_FALSE;
  const char *level = severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT
                          ? "error"
                          : "warning";
  const char *text = data && data->pMessage ? data->pMessage : "(no message)";
  if (types & (VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
               VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT))
    static_cast<Diagnostics *>(user)->record(level, text);
  else
    std::fprintf(stderr, "anima: Vulkan %s: %s\n", level, text);
  return VK_FALSE;
}

/// Returns the messenger description used for the instance and after it.
VkDebugUtilsMessengerCreateInfoEXT messengerInfo(Diagnostics *diagnostics) {
  VkDebugUtilsMessengerCreateInfoEXT info = {};
  info.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT;
  info.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                         VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                     VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                     VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
  info.pfnUserCallback = onMessage;
  info.pUserData = diagnostics;
  return info;
}

/// Returns true iff the environment variable `name` is "1".
bool envIsOne(const char *name) {
  const char *value = std::getenv(name);
  return value && std::strcmp(value, "1") == 0;
}

/// Returns `s` in lower case.
std::string lower(std::string s) {
  for (char &c : s)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Returns true iff `s` is a non-empty decimal number.
bool isDecimal(const std::string &s) {
  if (s.empty() || s.size() > 9)
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

/// Returns the instance extensions (of `layer`, or the implementation's).
std::vector<VkExtensionProperties> instanceExtensions(const Functions &fn,
                                                      const char *layer) {
  uint32_t count = 0;
  if (fn.vkEnumerateInstanceExtensionProperties(layer, &count, nullptr) !=
      VK_SUCCESS)
    return {};
  std::vector<VkExtensionProperties> list(count);
  if (fn.vkEnumerateInstanceExtensionProperties(layer, &count, list.data()) < 0)
    return {};
  list.resize(count);
  return list;
}

/// Returns true iff `name` is in `list`.
bool hasExtension(const std::vector<VkExtensionProperties> &list,
                  const char *name) {
  for (const VkExtensionProperties &e : list)
    if (std::strcmp(e.extensionName, name) == 0)
      return true;
  return false;
}

/// Returns the status for "the machine has no usable Vulkan device".
anima_status_t noDevice(const char *why) {
  return makeStatus(ANIMA_STATUS_FAILED_PRECONDITION,
                    "no Vulkan device: %s (Debian: apt-get install "
                    "mesa-vulkan-drivers gives the lavapipe CPU device; "
                    "VK_DRIVER_FILES selects the driver manifests)",
                    why);
}

} // namespace

void Diagnostics::record(const char *severity, const char *message) {
  messageCount.fetch_add(1);
  std::fprintf(stderr, "anima: Vulkan validation %s: %s\n", severity, message);
  std::lock_guard<std::mutex> lock(mutex);
  if (pending++ == 0)
    first = message;
}

anima_status_t Diagnostics::take() {
  std::lock_guard<std::mutex> lock(mutex);
  if (!pending)
    return nullptr;
  anima_status_t s =
      pending == 1
          ? makeStatus(ANIMA_STATUS_INTERNAL, "Vulkan validation: %s",
                       first.c_str())
          : makeStatus(ANIMA_STATUS_INTERNAL,
                       "Vulkan validation: %s (and %zu more messages on "
                       "stderr)",
                       first.c_str(), pending - 1);
  pending = 0;
  first.clear();
  return s;
}

uint64_t validationMessageCount() { return messageCount.load(); }

Device::~Device() {
  if (device != VK_NULL_HANDLE && fn.vkDestroyDevice) {
    if (fn.vkDeviceWaitIdle)
      fn.vkDeviceWaitIdle(device);
    fn.vkDestroyDevice(device, nullptr);
  }
  if (messenger != VK_NULL_HANDLE && fn.vkDestroyDebugUtilsMessengerEXT)
    fn.vkDestroyDebugUtilsMessengerEXT(instance, messenger, nullptr);
  if (instance != VK_NULL_HANDLE && fn.vkDestroyInstance)
    fn.vkDestroyInstance(instance, nullptr);
}

anima_status_t Device::create(const DriverOptions &options, uint32_t apiVersion,
                              std::unique_ptr<Device> *out) {
  std::unique_ptr<Device> d(new Device());
  if (anima_status_t s = loadVulkan(&d->fn))
    return s;
  d->validation = options.validation || envIsOne("ANIMA_VULKAN_VALIDATION");
  if (anima_status_t s = d->createInstance(apiVersion))
    return s;
  std::string selector = options.device;
  if (selector.empty())
    if (const char *env = std::getenv("ANIMA_VULKAN_DEVICE"))
      selector = env;
  if (anima_status_t s = d->selectPhysical(selector, apiVersion))
    return s;
  if (anima_status_t s = d->readLimits())
    return s;
  if (anima_status_t s = d->createLogical())
    return s;
  *out = std::move(d);
  return nullptr;
}

anima_status_t Device::createInstance(uint32_t apiVersion) {
  uint32_t loaderVersion = VK_API_VERSION_1_0;
  if (fn.vkEnumerateInstanceVersion)
    if (anima_status_t s = check(fn.vkEnumerateInstanceVersion(&loaderVersion),
                                 "vkEnumerateInstanceVersion"))
      return s;
  if (loaderVersion < apiVersion)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "the Vulkan loader implements Vulkan %s, the artifact "
                      "needs Vulkan %s",
                      versionText(loaderVersion).c_str(),
                      versionText(apiVersion).c_str());
  std::vector<const char *> layers, extensions;
  VkValidationFeatureEnableEXT enables[] = {
      VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
  VkValidationFeaturesEXT features = {};
  VkDebugUtilsMessengerCreateInfoEXT debug = messengerInfo(diagnostics.get());
  const void *chain = nullptr;
  if (validation) {
    uint32_t count = 0;
    std::vector<VkLayerProperties> available;
    if (fn.vkEnumerateInstanceLayerProperties(&count, nullptr) == VK_SUCCESS) {
      available.resize(count);
      if (fn.vkEnumerateInstanceLayerProperties(&count, available.data()) < 0)
        available.clear();
      available.resize(std::min<size_t>(count, available.size()));
    }
    bool found = false;
    for (const VkLayerProperties &layer : available)
      found |= std::strcmp(layer.layerName, kValidationLayer) == 0;
    if (!found)
      return makeStatus(ANIMA_STATUS_FAILED_PRECONDITION,
                        "Vulkan validation was requested but the layer %s is "
                        "not installed (Debian: apt-get install "
                        "vulkan-validationlayers)",
                        kValidationLayer);
    std::vector<VkExtensionProperties> layerExtensions =
        instanceExtensions(fn, kValidationLayer);
    std::vector<VkExtensionProperties> loaderExtensions =
        instanceExtensions(fn, nullptr);
    for (const char *name : {VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME,
                             VK_EXT_DEBUG_UTILS_EXTENSION_NAME})
      if (!hasExtension(layerExtensions, name) &&
          !hasExtension(loaderExtensions, name))
        return makeStatus(ANIMA_STATUS_FAILED_PRECONDITION,
                          "Vulkan validation was requested but neither the "
                          "loader nor %s provides %s (Debian: apt-get install "
                          "vulkan-validationlayers)",
                          kValidationLayer, name);
    layers.push_back(kValidationLayer);
    extensions.push_back(VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
    extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    features.sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT;
    features.enabledValidationFeatureCount = 1;
    features.pEnabledValidationFeatures = enables;
    features.pNext = &debug;
    chain = &features;
  }
  VkApplicationInfo app = {};
  app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  app.pApplicationName = "anima";
  app.pEngineName = "anima-runtime";
  app.apiVersion = apiVersion;
  VkInstanceCreateInfo info = {};
  info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  info.pNext = chain;
  info.pApplicationInfo = &app;
  info.enabledLayerCount = uint32_t(layers.size());
  info.ppEnabledLayerNames = layers.data();
  info.enabledExtensionCount = uint32_t(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  VkResult result = fn.vkCreateInstance(&info, nullptr, &instance);
  if (result == VK_ERROR_INCOMPATIBLE_DRIVER) {
    instance = VK_NULL_HANDLE;
    return noDevice("vkCreateInstance failed: VK_ERROR_INCOMPATIBLE_DRIVER "
                    "(the loader found no Vulkan driver)");
  }
  if (result != VK_SUCCESS) {
    instance = VK_NULL_HANDLE;
    return check(result, "vkCreateInstance", "Vulkan %s%s",
                 versionText(apiVersion).c_str(),
                 validation ? ", validation layer on" : "");
  }
  if (anima_status_t s = loadInstanceFunctions(&fn, instance, validation))
    return s;
  if (validation)
    if (anima_status_t s = check(fn.vkCreateDebugUtilsMessengerEXT(
                                     instance, &debug, nullptr, &messenger),
                                 "vkCreateDebugUtilsMessengerEXT")) {
      messenger = VK_NULL_HANDLE;
      return s;
    }
  return nullptr;
}

anima_status_t Device::selectPhysical(const std::string &selector,
                                      uint32_t apiVersion) {
  uint32_t count = 0;
  VkResult result = fn.vkEnumeratePhysicalDevices(instance, &count, nullptr);
  if (result == VK_ERROR_INITIALIZATION_FAILED)
    return noDevice("vkEnumeratePhysicalDevices failed: "
                    "VK_ERROR_INITIALIZATION_FAILED");
  if (anima_status_t s = check(result, "vkEnumeratePhysicalDevices"))
    return s;
  std::vector<VkPhysicalDevice> devices(count);
  result = fn.vkEnumeratePhysicalDevices(instance, &count, devices.data());
  if (result != VK_INCOMPLETE)
    if (anima_status_t s = check(result, "vkEnumeratePhysicalDevices"))
      return s;
  devices.resize(count);
  if (devices.empty())
    return noDevice("the Vulkan loader found no physical device");
  std::vector<std::string> names;
  std::vector<bool> compute;
  std::vector<uint32_t> families;
  std::string listing;
  for (size_t i = 0; i < devices.size(); ++i) {
    VkPhysicalDeviceProperties p;
    fn.vkGetPhysicalDeviceProperties(devices[i], &p);
    names.push_back(p.deviceName);
    uint32_t familyCount = 0;
    fn.vkGetPhysicalDeviceQueueFamilyProperties(devices[i], &familyCount,
                                                nullptr);
    std::vector<VkQueueFamilyProperties> queues(familyCount);
    fn.vkGetPhysicalDeviceQueueFamilyProperties(devices[i], &familyCount,
                                                queues.data());
    bool has = false;
    uint32_t family = 0;
    for (uint32_t q = 0; q < familyCount && !has; ++q)
      if (queues[q].queueFlags & VK_QUEUE_COMPUTE_BIT && queues[q].queueCount) {
        has = true;
        family = q;
      }
    compute.push_back(has);
    families.push_back(family);
    listing += (i ? ", " : "") + std::to_string(i) + ": " + names.back() +
               (has ? "" : " (no compute queue)");
  }
  int64_t chosen = -1;
  if (selector.empty()) {
    for (size_t i = 0; i < devices.size() && chosen < 0; ++i)
      if (compute[i])
        chosen = int64_t(i);
    if (chosen < 0)
      return noDevice(
          ("no device has a compute queue (devices: " + listing + ")").c_str());
  } else if (isDecimal(selector)) {
    size_t index = size_t(std::strtoul(selector.c_str(), nullptr, 10));
    if (index < devices.size() && compute[index])
      chosen = int64_t(index);
  } else {
    std::string needle = lower(selector);
    for (size_t i = 0; i < devices.size() && chosen < 0; ++i)
      if (compute[i] && lower(names[i]).find(needle) != std::string::npos)
        chosen = int64_t(i);
  }
  if (chosen < 0)
    return makeStatus(ANIMA_STATUS_NOT_FOUND,
                      "no Vulkan device with a compute queue matches '%s' "
                      "(devices: %s)",
                      selector.substr(0, 128).c_str(), listing.c_str());
  physical = devices[size_t(chosen)];
  queueFamily = families[size_t(chosen)];
  fn.vkGetPhysicalDeviceProperties(physical, &properties);
  fn.vkGetPhysicalDeviceMemoryProperties(physical, &memory);
  if (properties.apiVersion < apiVersion)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "the Vulkan device '%s' implements Vulkan %s, the "
                      "artifact needs Vulkan %s",
                      properties.deviceName,
                      versionText(properties.apiVersion).c_str(),
                      versionText(apiVersion).c_str());
  return nullptr;
}

anima_status_t Device::readLimits() {
  uint32_t count = 0;
  std::vector<VkExtensionProperties> extensions;
  if (fn.vkEnumerateDeviceExtensionProperties(physical, nullptr, &count,
                                              nullptr) == VK_SUCCESS) {
    extensions.resize(count);
    if (fn.vkEnumerateDeviceExtensionProperties(physical, nullptr, &count,
                                                extensions.data()) < 0)
      extensions.clear();
    extensions.resize(std::min<size_t>(count, extensions.size()));
  }
  VkPhysicalDeviceSubgroupSizeControlPropertiesEXT sizeControl = {};
  sizeControl.sType =
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_SIZE_CONTROL_PROPERTIES_EXT;
  VkPhysicalDeviceSubgroupProperties subgroup = {};
  subgroup.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES;
  VkPhysicalDeviceIDProperties id = {};
  id.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES;
  id.pNext = &subgroup;
  bool hasSizeControl =
      hasExtension(extensions, VK_EXT_SUBGROUP_SIZE_CONTROL_EXTENSION_NAME);
  if (hasSizeControl)
    subgroup.pNext = &sizeControl;
  VkPhysicalDeviceProperties2 props2 = {};
  props2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
  props2.pNext = &id;
  fn.vkGetPhysicalDeviceProperties2(physical, &props2);
  std::memcpy(deviceUuid, id.deviceUUID, sizeof(deviceUuid));
  const VkPhysicalDeviceLimits &l = properties.limits;
  limits.name = properties.deviceName;
  for (int d = 0; d < 3; ++d) {
    limits.maxWorkgroupCount[d] = l.maxComputeWorkGroupCount[d];
    limits.maxWorkgroupSize[d] = l.maxComputeWorkGroupSize[d];
  }
  limits.maxWorkgroupInvocations = l.maxComputeWorkGroupInvocations;
  limits.maxSharedBytes = l.maxComputeSharedMemorySize;
  limits.maxStorageBufferRange = l.maxStorageBufferRange;
  limits.maxStorageBuffersPerStage = l.maxPerStageDescriptorStorageBuffers;
  limits.minSubgroupSize = subgroup.subgroupSize;
  if (hasSizeControl && sizeControl.minSubgroupSize)
    limits.minSubgroupSize = sizeControl.minSubgroupSize;
  limits.subgroupArithmetic =
      (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
      (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT);
  return nullptr;
}

anima_status_t Device::createLogical() {
  VkPhysicalDeviceFeatures supported;
  fn.vkGetPhysicalDeviceFeatures(physical, &supported);
  // Integer and double widths compiled kernels may declare; nothing else
  // (robustBufferAccess would cost performance).
  VkPhysicalDeviceFeatures enabled = {};
  enabled.shaderInt64 = supported.shaderInt64;
  enabled.shaderInt16 = supported.shaderInt16;
  enabled.shaderFloat64 = supported.shaderFloat64;
  float priority = 1.0f;
  VkDeviceQueueCreateInfo queueInfo = {};
  queueInfo.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  queueInfo.queueFamilyIndex = queueFamily;
  queueInfo.queueCount = 1;
  queueInfo.pQueuePriorities = &priority;
  VkDeviceCreateInfo info = {};
  info.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queueInfo;
  info.pEnabledFeatures = &enabled;
  if (anima_status_t s =
          check(fn.vkCreateDevice(physical, &info, nullptr, &device),
                "vkCreateDevice", "'%s'", properties.deviceName)) {
    device = VK_NULL_HANDLE;
    return s;
  }
  if (anima_status_t s = loadDeviceFunctions(&fn, device)) {
    // vkDestroyDevice may be among the missing ones: leak rather than crash.
    if (!fn.vkDestroyDevice || !fn.vkDeviceWaitIdle)
      device = VK_NULL_HANDLE;
    return s;
  }
  fn.vkGetDeviceQueue(device, queueFamily, 0, &queue);
  return nullptr;
}

} // namespace anima::rt::vk
