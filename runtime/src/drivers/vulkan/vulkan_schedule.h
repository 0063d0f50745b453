//===- vulkan_schedule.h - The Vulkan dispatch schedule ---------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The "vulkan.schedule" section (kind 5, docs/artifact-format.md) decoded
// and checked against the manifest and the SPIR-V section (kind 4):
// kernels, each entry point's buffer table and its commands. The checks
// that need no device are in parseSchedule (DATA_LOSS, or INCOMPATIBLE for
// an unknown format, version, op or buffer kind); the ones against a
// device's limits are in checkScheduleLimits (INCOMPATIBLE). Messages start
// with the section name and name the field, e.g.
//   vulkan.schedule: entry_points[0].commands[3].bindings[1] = 9 is not a
//   buffer (the entry has 5)
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_SCHEDULE_H
#define ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_SCHEDULE_H

#include "format/artifact_reader.h"
#include "format/manifest.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace anima::rt::vk {

/// Bytes of the context buffer (f32 plasticity at 0, u32 0 at 4, zeros).
constexpr uint64_t kContextBytes = 16;

/// One compute kernel: a SPIR-V module and its entry point.
struct KernelDesc {
  std::string name;                      ///< "name"
  std::string entry;                     ///< SPIR-V entry point name
  std::vector<uint32_t> code;            ///< the module's words
  std::array<uint32_t, 3> workgroupSize; ///< "workgroup_size"
  uint32_t bindings = 0; ///< storage buffers at set 0, bindings 0..n-1
};

/// What a buffer-table entry refers to.
enum class BufferKind { State, Input, Output, Temp, Context };

/// One buffer of an entry point's buffer table.
struct BufferDesc {
  BufferKind kind = BufferKind::Temp;
  uint64_t index = 0; ///< state / input / output index (manifest order)
  uint64_t bytes = 0; ///< size (from the manifest, "bytes" for temp, 16)
  bool f32 = false;   ///< the tensor's dtype is f32 (state/output)
};

/// One command of an entry point.
struct CommandDesc {
  enum class Op { Dispatch, Copy } op = Op::Dispatch;
  // dispatch
  uint32_t kernel = 0;                 ///< index into Schedule::kernels
  std::array<uint32_t, 3> groups = {}; ///< workgroup counts
  std::vector<uint32_t> bindings;      ///< buffer-table ids, binding order
  std::vector<uint32_t> writes;        ///< binding positions written
  // copy
  uint32_t src = 0, dst = 0; ///< buffer-table ids
  uint64_t bytes = 0;        ///< bytes copied from offset 0
};

/// One entry point (same order and names as the manifest's).
struct EntrySchedule {
  std::string name;
  std::vector<BufferDesc> buffers;
  std::vector<CommandDesc> commands;
  /// "undo" (optional): commands that restore what the step's journaling
  /// kernels overwrote, run (in order) only when the step is refused.
  std::vector<CommandDesc> undo;
  /// "journaled_states" (optional): states written only by kernels that
  /// journal them and raise the context's non-finite flag; the runtime
  /// neither copies nor checks them.
  std::vector<uint32_t> journaledStates;
};

/// What the schedule requires of the device ("requires").
struct Requirements {
  bool subgroupArithmetic = false;
  uint64_t maxWorkgroupInvocations = 0;
  uint64_t maxSharedBytes = 0;
  uint64_t minSubgroupSize = 0;
};

/// The decoded schedule.
struct Schedule {
  std::string section; ///< the schedule section's name, for messages
  std::string profile; ///< "profile" ("" when absent)
  Requirements requirements;
  std::vector<KernelDesc> kernels;
  std::vector<EntrySchedule> entries;
};

/// The device properties the schedule is checked against.
struct DeviceLimits {
  std::string name;                       ///< deviceName, for messages
  uint32_t maxWorkgroupCount[3] = {};     ///< maxComputeWorkGroupCount
  uint32_t maxWorkgroupSize[3] = {};      ///< maxComputeWorkGroupSize
  uint32_t maxWorkgroupInvocations = 0;   ///< maxComputeWorkGroupInvocations
  uint32_t maxSharedBytes = 0;            ///< maxComputeSharedMemorySize
  uint32_t maxStorageBufferRange = 0;     ///< maxStorageBufferRange
  uint32_t maxStorageBuffersPerStage = 0; ///< maxPerStageDescriptor...
  uint32_t minSubgroupSize = 0;           ///< smallest subgroup size
  bool subgroupArithmetic = false;        ///< arithmetic ops in compute shaders
};

/// Decodes `json` (the schedule section named `sectionName`) against
/// `manifest` and the SPIR-V section `spirv`.
[[nodiscard]] anima_status_t parseSchedule(std::string_view json,
                                           const std::string &sectionName,
                                           const SectionView &spirv,
                                           const Manifest &manifest,
                                           Schedule *out);

/// Checks `schedule` against the limits of the device (INCOMPATIBLE).
[[nodiscard]] anima_status_t checkScheduleLimits(const Schedule &schedule,
                                                 const DeviceLimits &limits);

} // namespace anima::rt::vk

#endif // ANIMA_RUNTIME_DRIVERS_VULKAN_VULKAN_SCHEDULE_H
