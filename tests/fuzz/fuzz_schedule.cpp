//===- fuzz_schedule.cpp - libFuzzer target: the Vulkan schedule parser ---===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Each input is the text of a `vulkan.schedule` section (docs/
// artifact-format.md), parsed against the manifest and the SPIR-V section of
// a real artifact compiled by animac for Vulkan (data/vulkan-memory.anima,
// from tests/e2e/models/memory.mlir), then checked against the limits of a
// small device. No Vulkan device is needed: this is the part of the Vulkan
// driver that reads untrusted bytes.
//
// Invariants: no crash, leak or sanitizer report; a refused schedule is a
// status with a known code and a message naming the section; an accepted
// one references only existing kernels and buffers.
//
//===----------------------------------------------------------------------===//

#include "drivers/vulkan/vulkan_schedule.h"
#include "format/artifact_reader.h"
#include "format/manifest.h"
#include "support/file_io.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace anima::rt;

namespace {

struct Fixture {
  std::vector<uint8_t> bytes;
  ArtifactView view;
  Manifest manifest;
  const SectionView *spirv = nullptr;

  Fixture() {
    if (anima_status_t s = readFile(ANIMA_FUZZ_SCHEDULE_ARTIFACT, 1 << 24,
                                    &bytes))
      die("cannot read the artifact", s);
    if (anima_status_t s = readArtifact(bytes.data(), bytes.size(), &view))
      die("bad artifact", s);
    const SectionView *manifestSection = view.findByName("manifest");
    spirv = view.findByName("vulkan.spirv");
    if (!manifestSection || !spirv)
      die("the artifact has no manifest or SPIR-V section", nullptr);
    std::string text(reinterpret_cast<const char *>(manifestSection->data),
                     manifestSection->size);
    if (anima_status_t s = parseManifest(text, &manifest))
      die("bad manifest", s);
  }

  [[noreturn]] static void die(const char *what, anima_status_t s) {
    std::fprintf(stderr, "fuzz_schedule: %s: %s\n", what,
                 s ? anima_status_message(s) : "");
    std::abort();
  }
};

/// A small device: every limit low enough that the checks fire.
vk::DeviceLimits smallDevice() {
  vk::DeviceLimits limits;
  limits.name = "fuzz device";
  for (int d = 0; d < 3; ++d) {
    limits.maxWorkgroupCount[d] = 65535;
    limits.maxWorkgroupSize[d] = 256;
  }
  limits.maxWorkgroupInvocations = 256;
  limits.maxSharedBytes = 16384;
  limits.maxStorageBufferRange = 1 << 24;
  limits.maxStorageBuffersPerStage = 16;
  limits.minSubgroupSize = 16;
  limits.subgroupArithmetic = true;
  return limits;
}

void checkStatus(anima_status_t s) {
  anima_status_code_t code = anima_status_code(s);
  if (code != ANIMA_STATUS_DATA_LOSS && code != ANIMA_STATUS_INCOMPATIBLE &&
      code != ANIMA_STATUS_RESOURCE_EXHAUSTED)
    Fixture::die("unexpected status code", s);
  if (!std::strstr(anima_status_message(s), "vulkan.schedule"))
    Fixture::die("the message does not name the section", s);
  anima_status_free(s);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Fixture fixture;
  std::string_view json(reinterpret_cast<const char *>(data), size);
  vk::Schedule schedule;
  if (anima_status_t s = vk::parseSchedule(json, "vulkan.schedule",
                                           *fixture.spirv, fixture.manifest,
                                           &schedule)) {
    checkStatus(s);
    return 0;
  }
  // Accepted: every reference resolves.
  for (const vk::EntrySchedule &entry : schedule.entries)
    for (const auto *list : {&entry.commands, &entry.undo})
      for (const vk::CommandDesc &c : *list) {
        if (c.op == vk::CommandDesc::Op::Dispatch &&
            (c.kernel >= schedule.kernels.size() ||
             c.bindings.size() != schedule.kernels[c.kernel].bindings))
          Fixture::die("accepted a dispatch with a bad kernel", nullptr);
        for (uint32_t id : c.bindings)
          if (id >= entry.buffers.size())
            Fixture::die("accepted a binding that is not a buffer", nullptr);
      }
  if (anima_status_t s = vk::checkScheduleLimits(schedule, smallDevice()))
    checkStatus(s);
  return 0;
}
