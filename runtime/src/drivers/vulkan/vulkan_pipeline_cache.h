//===- vulkan_pipeline_cache.h - Persisted VkPipelineCache data -*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The pipeline cache of a model is kept in
//   $XDG_CACHE_HOME/anima/<artifact id>-<device UUID>.vkpipelinecache
// ($XDG_CACHE_HOME defaults to ~/.cache). The file wraps the driver's
// vkGetPipelineCacheData bytes in a small header with a CRC-32C; a file
// that is missing, truncated, corrupt or from another driver is ignored
// (the cache starts empty), and a directory that cannot be written leaves
// the cache in memory only. Nothing here fails a load.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_PIPELINE_CACHE_H
#define ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_PIPELINE_CACHE_H

#include "drivers/vulkan/vulkan_api.h"

#include <cstdint>
#include <string>
#include <vector>

namespace anima::rt::vk {

/// Returns the cache file of (artifact, device), or "" when there is no
/// cache directory ($XDG_CACHE_HOME and $HOME unset or relative).
std::string pipelineCachePath(const uint8_t artifactId[16],
                              const uint8_t deviceUuid[VK_UUID_SIZE]);

/// Reads the cache file at `path` and returns the driver data it holds, or
/// nothing when the file is absent, damaged or made by another driver
/// (`device` gives vendor, device and pipelineCacheUUID).
std::vector<uint8_t>
readPipelineCache(const std::string &path,
                  const VkPhysicalDeviceProperties &device);

/// Writes `data` to the cache file at `path` (creating the directory);
/// silently does nothing when that fails.
void writePipelineCache(const std::string &path,
                        const std::vector<uint8_t> &data);

} // namespace anima::rt::vk

#endif // ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_PIPELINE_CACHE_H
