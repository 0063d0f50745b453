//===- vulkan_driver.cpp - The Vulkan backend -----------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Load order: pick the vulkan target, decode and check the schedule against
// the manifest and the SPIR-V (no device needed, so a damaged artifact is
// reported the same everywhere), create the instance and device, check the
// schedule against the device's limits, then build the executable.
//
//===----------------------------------------------------------------------===//

#include "drivers/vulkan/vulkan_driver.h"

#include "drivers/vulkan/vulkan_device.h"
#include "drivers/vulkan/vulkan_executable.h"
#include "drivers/vulkan/vulkan_schedule.h"
#include "support/status.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace anima::rt {
namespace {

/// Reads the Vulkan version a target triple needs: "spirv-vulkan<M>.<m>"
/// or "spirv<X>.<Y>-vulkan<M>.<m>" (a SPIR-V version newer than the Vulkan
/// version implies raises it: SPIR-V 1.4/1.5 need Vulkan 1.2, 1.6 needs
/// 1.3); "" means Vulkan 1.1. Never below 1.1 (subgroup properties).
anima_status_t apiVersionOf(const TargetDesc &target, uint32_t *out) {
  *out = VK_API_VERSION_1_1;
  const std::string &triple = target.triple;
  if (triple.empty())
    return nullptr;
  unsigned spirvMajor = 1, spirvMinor = 0, major = 0, minor = 0;
  int used = 0;
  bool ok = false;
  if (triple.rfind("spirv-vulkan", 0) == 0)
    ok = std::sscanf(triple.c_str(), "spirv-vulkan%u.%u%n", &major, &minor,
                     &used) == 2;
  else
    ok = std::sscanf(triple.c_str(), "spirv%u.%u-vulkan%u.%u%n", &spirvMajor,
                     &spirvMinor, &major, &minor, &used) == 4;
  ok = ok && size_t(used) == triple.size() && major == 1 && minor <= 3 &&
       spirvMajor == 1 && spirvMinor <= 6;
  if (!ok)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "vulkan target triple '%s' is not one this runtime "
                      "runs (spirv-vulkan1.1, spirv1.3-vulkan1.1, ... up to "
                      "Vulkan 1.3 and SPIR-V 1.6)",
                      triple.c_str());
  unsigned needed = spirvMinor >= 6 ? 3 : spirvMinor >= 4 ? 2 : 1;
  minor = std::max(std::max(minor, needed), 1u);
  *out = VK_MAKE_API_VERSION(0, 1, minor, 0);
  return nullptr;
}

/// The Vulkan driver.
class VulkanDriver final : public Driver {
public:
  explicit VulkanDriver(DriverOptions options) : options(std::move(options)) {}

  const char *name() const override { return "vulkan"; }

  anima_status_t load(const ArtifactView &view, const Manifest &manifest,
                      std::unique_ptr<Executable> *out) override {
    const TargetDesc *target = nullptr;
    for (const TargetDesc &t : manifest.targets)
      if (t.backend == "vulkan") {
        target = &t;
        break;
      }
    if (!target)
      return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                        "the artifact has no vulkan target (compile it with "
                        "--target=vulkan)");
    const SectionView *spirv = view.findByName(target->section);
    const SectionView *scheduleSection = view.findByName(target->schedule);
    if (!spirv || !scheduleSection)
      return makeStatus(ANIMA_STATUS_INTERNAL,
                        "vulkan target sections '%s'/'%s' vanished",
                        target->section.c_str(), target->schedule.c_str());
    uint32_t apiVersion = 0;
    if (anima_status_t s = apiVersionOf(*target, &apiVersion))
      return s;
    vk::Schedule schedule;
    std::string_view text(reinterpret_cast<const char *>(scheduleSection->data),
                          scheduleSection->size);
    if (anima_status_t s = vk::parseSchedule(text, scheduleSection->name,
                                             *spirv, manifest, &schedule))
      return s;
    std::unique_ptr<vk::Device> device;
    if (anima_status_t s = vk::Device::create(options, apiVersion, &device))
      return s;
    if (anima_status_t s = vk::checkScheduleLimits(schedule, device->limits))
      return s;
    return vk::loadVulkanExecutable(std::move(device), std::move(schedule),
                                    manifest, view.id, out);
  }

private:
  DriverOptions options;
};

} // namespace

std::unique_ptr<Driver> createVulkanDriver(const DriverOptions &options) {
  return std::make_unique<VulkanDriver>(options);
}

uint64_t vulkanValidationMessageCount() { return vk::validationMessageCount(); }

} // namespace anima::rt
