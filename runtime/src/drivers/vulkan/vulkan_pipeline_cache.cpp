//===- vulkan_pipeline_cache.cpp - Persisted VkPipelineCache data ---------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "drivers/vulkan/vulkan_pipeline_cache.h"

#include "support/bytes.h"
#include "support/crc32c.h"
#include "support/file_io.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>

namespace anima::rt::vk {
namespace {

/// File header: magic, version, payload CRC-32C, payload bytes.
constexpr char kMagic[8] = {'A', 'N', 'I', 'M', 'A', 'V', 'P', 'C'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 24;
/// Largest cache file read.
constexpr uint64_t kMaxCacheBytes = uint64_t(256) << 20;
/// Bytes of the Vulkan pipeline cache header (version one).
constexpr size_t kVulkanHeaderBytes = 16 + VK_UUID_SIZE;

/// Appends `bytes` as lower-case hex to `out`.
void appendHex(std::string &out, const uint8_t *bytes, size_t size) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < size; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
}

/// Returns the cache directory ("" if none).
std::string cacheDirectory() {
  const char *xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && xdg[0] == '/')
    return std::string(xdg) + "/anima";
  const char *home = std::getenv("HOME");
  if (home && home[0] == '/')
    return std::string(home) + "/.cache/anima";
  return "";
}

/// Creates `dir` and its parent if they are missing; returns success.
bool makeDirectories(const std::string &dir) {
  size_t slash = dir.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    std::string parent = dir.substr(0, slash);
    if (::mkdir(parent.c_str(), 0700) != 0 && errno != EEXIST)
      return false;
  }
  return ::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST;
}

} // namespace

std::string pipelineCachePath(const uint8_t artifactId[16],
                              const uint8_t deviceUuid[VK_UUID_SIZE]) {
  std::string dir = cacheDirectory();
  if (dir.empty())
    return "";
  std::string name;
  appendHex(name, artifactId, 16);
  name += '-';
  appendHex(name, deviceUuid, VK_UUID_SIZE);
  return dir + "/" + name + ".vkpipelinecache";
}

std::vector<uint8_t>
readPipelineCache(const std::string &path,
                  const VkPhysicalDeviceProperties &device) {
  if (path.empty())
    return {};
  std::vector<uint8_t> file;
  if (anima_status_t s = readFile(path.c_str(), kMaxCacheBytes, &file)) {
    anima_status_free(s);
    return {};
  }
  if (file.size() < kHeaderBytes ||
      std::memcmp(file.data(), kMagic, sizeof(kMagic)) != 0 ||
      loadU32(file.data() + 8) != kVersion)
    return {};
  uint32_t crc = loadU32(file.data() + 12);
  uint64_t size = loadU64(file.data() + 16);
  if (size != file.size() - kHeaderBytes || size < kVulkanHeaderBytes)
    return {};
  const uint8_t *payload = file.data() + kHeaderBytes;
  if (crc32c(payload, size_t(size)) != crc)
    return {};
  // The Vulkan header (version one): length, version, vendor, device, UUID.
  uint32_t headerLength = loadU32(payload);
  if (headerLength < kVulkanHeaderBytes || headerLength > size ||
      loadU32(payload + 4) != VK_PIPELINE_CACHE_HEADER_VERSION_ONE ||
      loadU32(payload + 8) != device.vendorID ||
      loadU32(payload + 12) != device.deviceID ||
      std::memcmp(payload + 16, device.pipelineCacheUUID, VK_UUID_SIZE) != 0)
    return {};
  return std::vector<uint8_t>(payload, payload + size);
}

void writePipelineCache(const std::string &path,
                        const std::vector<uint8_t> &data) {
  if (path.empty() || data.empty())
    return;
  if (!makeDirectories(path.substr(0, path.rfind('/'))))
    return;
  std::vector<uint8_t> file(kHeaderBytes);
  std::memcpy(file.data(), kMagic, sizeof(kMagic));
  storeU32(file.data() + 8, kVersion);
  storeU32(file.data() + 12, crc32c(data.data(), data.size()));
  storeU64(file.data() + 16, data.size());
  file.insert(file.end(), data.begin(), data.end());
  anima_status_free(writeFileAtomic(path.c_str(), file.data(), file.size()));
}

} // namespace anima::rt::vk
