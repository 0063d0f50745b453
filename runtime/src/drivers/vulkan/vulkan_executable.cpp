//===- vulkan_executable.cpp - One model loaded on a Vulkan device --------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// A step's command buffer (recorded once per entry point):
//
//   barrier
//   copy every state the entry writes, except the journaled ones, into its
//   shadow buffer
//   barrier
//   the schedule's commands, a barrier between each two
//   barrier
//   the NaN/Inf check kernel over the shadowed f32 states and the f32
//   outputs (one dispatch each, barriers between), setting a host-visible
//   flag
//   barrier (to the host)
//
// Journaled states (the schedule's "journaled_states") are guarded by the
// compiled kernels themselves: each saves the rows it overwrites into a
// per-step buffer and raises the context's non-finite flag (word 1) when it
// writes NaN/Inf; the schedule's "undo" commands put the rows back. So the
// guard costs what the active rows cost, not a copy of every state.
//
// Every barrier is a full compute/transfer memory barrier: simple, and
// correct for any schedule. After the fence, a set flag (either one)
// submits the entry's restore command buffer (the undo commands, then
// shadow -> state) and refuses the step.
//
//===----------------------------------------------------------------------===//

#include "drivers/vulkan/vulkan_executable.h"

#include "drivers/vulkan/vulkan_pipeline_cache.h"
#include "support/status.h"

#include <algorithm>
#include <cstring>

namespace anima::rt::vk {
namespace {

using ull = unsigned long long;

/// The NaN/Inf check kernel (shaders/nonfinite_check.comp, glslc output).
const uint32_t kCheckShader[] = {
#include "nonfinite_check.spv.inc"
};

/// Workgroup size of the check kernel.
constexpr uint32_t kCheckWorkgroup = 256;
/// How long one submission may take before the device counts as hung.
constexpr uint64_t kFenceTimeoutNs = uint64_t(600) * 1000 * 1000 * 1000;
/// Alignment of the tensors inside the staging buffer.
constexpr uint64_t kStagingAlign = 64;

/// A buffer and its memory; `mapped` is set for host-visible ones.
struct Buffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  void *mapped = nullptr;
  uint64_t bytes = 0; ///< logical size (the VkBuffer may be larger)
};

/// One NaN/Inf check dispatch.
struct Check {
  VkBuffer buffer = VK_NULL_HANDLE;
  uint32_t count = 0; ///< f32 elements
  VkDescriptorSet set = VK_NULL_HANDLE;
};

/// The device resources of one entry point.
struct EntryResources {
  std::string name;
  std::vector<Buffer> inputs;  ///< per manifest input (unused: empty)
  std::vector<Buffer> outputs; ///< per manifest output (unused: empty)
  std::vector<uint64_t> inputBytes, outputBytes;
  std::vector<Buffer> temps;         ///< the entry's temp buffers
  std::vector<VkBuffer> table;       ///< buffer-table id -> buffer
  std::vector<VkDescriptorSet> sets; ///< per command (dispatches only)
  std::vector<VkDescriptorSet> undoSets; ///< per undo command
  std::vector<uint32_t> shadowed; ///< written states not journaled
  std::vector<Check> checks;
  VkCommandBuffer step = VK_NULL_HANDLE;
  VkCommandBuffer restore = VK_NULL_HANDLE;
};

/// A pipeline and its layouts.
struct Pipeline {
  VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VkPipeline pipeline = VK_NULL_HANDLE;
};

/// Records a full compute/transfer memory barrier (and makes the writes
/// visible to the host when `toHost`).
void barrier(const Functions &fn, VkCommandBuffer cb, bool toHost = false) {
  VkMemoryBarrier b = {};
  b.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER;
  b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
                    VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  VkPipelineStageFlags stages =
      VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
  VkPipelineStageFlags dst = stages;
  if (toHost) {
    b.dstAccessMask |= VK_ACCESS_HOST_READ_BIT;
    dst |= VK_PIPELINE_STAGE_HOST_BIT;
  }
  fn.vkCmdPipelineBarrier(cb, stages, dst, 0, 1, &b, 0, nullptr, 0, nullptr);
}

/// Records a copy of `bytes` bytes (from offset 0 unless given).
void copy(const Functions &fn, VkCommandBuffer cb, VkBuffer src, VkBuffer dst,
          uint64_t bytes, uint64_t srcOffset = 0, uint64_t dstOffset = 0) {
  VkBufferCopy region = {srcOffset, dstOffset, bytes};
  fn.vkCmdCopyBuffer(cb, src, dst, 1, &region);
}

/// The loaded model.
class VulkanExecutable final : public Executable {
public:
  explicit VulkanExecutable(std::unique_ptr<Device> device)
      : dev(std::move(device)), fn(dev->fn) {}
  ~VulkanExecutable() override;

  /// Creates everything (see the file comment).
  anima_status_t build(Schedule schedule, const Manifest &manifest,
                       const uint8_t artifactId[16]);

  anima_status_t run(size_t entry, anima_step_context *ctx,
                     void *const *buffers) override;
  bool ownsState() const override { return true; }
  anima_status_t pullState(void *const *hostState) override;
  anima_status_t pushState(const void *const *hostState) override;
  anima_status_t takeDiagnostics() override { return dev->diagnostics->take(); }

private:
  anima_status_t createBuffer(uint64_t bytes, bool hostVisible,
                              const std::string &what, Buffer *out);
  void destroyBuffer(Buffer &b);
  anima_status_t createBuffers(const Schedule &schedule,
                               const Manifest &manifest);
  anima_status_t createPipeline(const std::vector<uint32_t> &code,
                                const char *entry, uint32_t bindings,
                                uint32_t pushBytes, const std::string &what,
                                Pipeline *out);
  anima_status_t createPipelines(const Schedule &schedule,
                                 const uint8_t artifactId[16]);
  anima_status_t createDescriptors(const Schedule &schedule);
  anima_status_t recordCommands(const Schedule &schedule);
  anima_status_t recordStep(const Schedule &schedule, size_t e);
  void recordCommandList(VkCommandBuffer cb, const EntryResources &r,
                         const std::vector<CommandDesc> &commands,
                         const std::vector<VkDescriptorSet> &sets);
  anima_status_t begin(VkCommandBuffer *cb);
  anima_status_t submit(VkCommandBuffer cb, const char *what);

  std::unique_ptr<Device> dev; ///< destroyed last
  const Functions &fn;
  bool broken = false; ///< a submission timed out or the device was lost
  std::vector<std::string> stateNames;
  std::vector<Buffer> states;  ///< device-local, per manifest state
  std::vector<Buffer> shadows; ///< per state (empty if never written)
  Buffer staging;              ///< host-visible, every state
  std::vector<uint64_t> stagingOffsets;
  Buffer context; ///< host-visible, 16 bytes
  Buffer flag;    ///< host-visible u32
  std::vector<EntryResources> entries;
  std::vector<Pipeline> kernels;
  Pipeline checker; ///< the NaN/Inf check kernel
  VkPipelineCache cache = VK_NULL_HANDLE;
  VkDescriptorPool descriptorPool = VK_NULL_HANDLE;
  VkCommandPool commandPool = VK_NULL_HANDLE;
  VkCommandBuffer pull = VK_NULL_HANDLE, push = VK_NULL_HANDLE;
  VkFence fence = VK_NULL_HANDLE;
};

VulkanExecutable::~VulkanExecutable() {
  VkDevice d = dev->device;
  fn.vkDeviceWaitIdle(d);
  if (fence)
    fn.vkDestroyFence(d, fence, nullptr);
  if (commandPool)
    fn.vkDestroyCommandPool(d, commandPool, nullptr);
  if (descriptorPool)
    fn.vkDestroyDescriptorPool(d, descriptorPool, nullptr);
  auto destroyPipeline = [&](Pipeline &p) {
    if (p.pipeline)
      fn.vkDestroyPipeline(d, p.pipeline, nullptr);
    if (p.layout)
      fn.vkDestroyPipelineLayout(d, p.layout, nullptr);
    if (p.setLayout)
      fn.vkDestroyDescriptorSetLayout(d, p.setLayout, nullptr);
  };
  for (Pipeline &p : kernels)
    destroyPipeline(p);
  destroyPipeline(checker);
  if (cache)
    fn.vkDestroyPipelineCache(d, cache, nullptr);
  for (EntryResources &e : entries) {
    for (Buffer &b : e.inputs)
      destroyBuffer(b);
    for (Buffer &b : e.outputs)
      destroyBuffer(b);
    for (Buffer &b : e.temps)
      destroyBuffer(b);
  }
  for (Buffer &b : states)
    destroyBuffer(b);
  for (Buffer &b : shadows)
    destroyBuffer(b);
  destroyBuffer(staging);
  destroyBuffer(context);
  destroyBuffer(flag);
}

void VulkanExecutable::destroyBuffer(Buffer &b) {
  if (b.buffer)
    fn.vkDestroyBuffer(dev->device, b.buffer, nullptr);
  if (b.memory)
    fn.vkFreeMemory(dev->device, b.memory, nullptr); // unmaps too
  b = Buffer();
}

anima_status_t VulkanExecutable::createBuffer(uint64_t bytes, bool hostVisible,
                                              const std::string &what,
                                              Buffer *out) {
  const char *name = what.c_str();
  // Vulkan has no empty buffers; storage buffers are read in 4-byte words.
  uint64_t size = std::max<uint64_t>((bytes + 3) & ~uint64_t(3), 4);
  VkBufferCreateInfo info = {};
  info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  info.size = size;
  info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
               VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
               VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  Buffer b;
  b.bytes = bytes;
  if (anima_status_t s =
          check(fn.vkCreateBuffer(dev->device, &info, nullptr, &b.buffer),
                "vkCreateBuffer", "%s, %llu bytes", name, ull(bytes)))
    return s;
  VkMemoryRequirements req;
  fn.vkGetBufferMemoryRequirements(dev->device, b.buffer, &req);
  const VkPhysicalDeviceMemoryProperties &mem = dev->memory;
  VkMemoryPropertyFlags required =
      hostVisible ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                        VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
                  : 0;
  VkMemoryPropertyFlags preferred =
      required | (hostVisible ? VK_MEMORY_PROPERTY_HOST_CACHED_BIT
                              : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  int64_t type = -1;
  for (VkMemoryPropertyFlags want : {preferred, required}) {
    for (uint32_t t = 0; t < mem.memoryTypeCount && type < 0; ++t)
      if ((req.memoryTypeBits & (1u << t)) &&
          (mem.memoryTypes[t].propertyFlags & want) == want)
        type = t;
    if (type >= 0)
      break;
  }
  if (type < 0) {
    destroyBuffer(b);
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "the Vulkan device '%s' has no %s memory type for %s",
                      dev->properties.deviceName,
                      hostVisible ? "host-visible coherent" : "usable", name);
  }
  VkMemoryAllocateInfo alloc = {};
  alloc.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = uint32_t(type);
  if (anima_status_t s =
          check(fn.vkAllocateMemory(dev->device, &alloc, nullptr, &b.memory),
                "vkAllocateMemory", "%s, %llu bytes", name, ull(bytes))) {
    b.memory = VK_NULL_HANDLE;
    destroyBuffer(b);
    return s;
  }
  anima_status_t s =
      check(fn.vkBindBufferMemory(dev->device, b.buffer, b.memory, 0),
            "vkBindBufferMemory", "%s", name);
  if (!s && hostVisible) {
    s = check(
        fn.vkMapMemory(dev->device, b.memory, 0, VK_WHOLE_SIZE, 0, &b.mapped),
        "vkMapMemory", "%s, %llu bytes", name, ull(bytes));
    if (!s)
      std::memset(b.mapped, 0, size_t(size));
  }
  if (s) {
    destroyBuffer(b);
    return s;
  }
  *out = b;
  return nullptr;
}

anima_status_t VulkanExecutable::createBuffers(const Schedule &schedule,
                                               const Manifest &manifest) {
  size_t stateCount = manifest.states.size();
  states.resize(stateCount);
  shadows.resize(stateCount);
  uint64_t stagingBytes = 0;
  for (size_t i = 0; i < stateCount; ++i) {
    const TensorDesc &t = manifest.states[i].tensor;
    stateNames.push_back(t.name);
    if (anima_status_t s =
            createBuffer(t.bytes, false, "state '" + t.name + "'", &states[i]))
      return s;
    stagingOffsets.push_back(stagingBytes);
    stagingBytes += (t.bytes + kStagingAlign - 1) & ~(kStagingAlign - 1);
  }
  if (anima_status_t s = createBuffer(stagingBytes, true,
                                      "the state staging buffer", &staging))
    return s;
  if (anima_status_t s =
          createBuffer(kContextBytes, true, "the context buffer", &context))
    return s;
  if (anima_status_t s = createBuffer(4, true, "the NaN/Inf flag", &flag))
    return s;
  for (size_t e = 0; e < schedule.entries.size(); ++e) {
    const EntrySchedule &es = schedule.entries[e];
    const EntryDesc &desc = manifest.entries[e];
    EntryResources r;
    r.name = desc.name;
    r.inputs.resize(desc.inputs.size());
    r.outputs.resize(desc.outputs.size());
    for (const TensorDesc &t : desc.inputs)
      r.inputBytes.push_back(t.bytes);
    for (const TensorDesc &t : desc.outputs)
      r.outputBytes.push_back(t.bytes);
    std::vector<bool> written(stateCount, false);
    for (size_t id = 0; id < es.buffers.size(); ++id) {
      const BufferDesc &b = es.buffers[id];
      Buffer *target = nullptr;
      std::string what;
      switch (b.kind) {
      case BufferKind::State:
        r.table.push_back(states[b.index].buffer);
        continue;
      case BufferKind::Context:
        r.table.push_back(context.buffer);
        continue;
      case BufferKind::Input:
        target = &r.inputs[b.index];
        what = "input '" + desc.inputs[b.index].name + "'";
        break;
      case BufferKind::Output:
        target = &r.outputs[b.index];
        what = "output '" + desc.outputs[b.index].name + "'";
        break;
      case BufferKind::Temp:
        r.temps.emplace_back();
        target = &r.temps.back();
        what = "temp buffer " + std::to_string(id);
        break;
      }
      if (!target->buffer) {
        bool host = b.kind != BufferKind::Temp;
        if (anima_status_t s = createBuffer(
                b.bytes, host, what + " of entry '" + desc.name + "'", target))
          return s;
      }
      r.table.push_back(target->buffer);
    }
    // The states this entry writes, and what the guard checks.
    auto markWritten = [&](uint32_t id) {
      if (es.buffers[id].kind == BufferKind::State)
        written[es.buffers[id].index] = true;
    };
    for (const CommandDesc &c : es.commands) {
      if (c.op == CommandDesc::Op::Copy)
        markWritten(c.dst);
      else
        for (uint32_t position : c.writes)
          markWritten(c.bindings[position]);
    }
    for (uint32_t i : es.journaledStates)
      if (i < stateCount)
        written[i] = false; // guarded by the kernels' journal and flag
    for (size_t i = 0; i < stateCount; ++i) {
      if (!written[i])
        continue;
      r.shadowed.push_back(uint32_t(i));
      const TensorDesc &t = manifest.states[i].tensor;
      if (t.dtype == ANIMA_DTYPE_F32 && t.bytes)
        r.checks.push_back({states[i].buffer, uint32_t(t.bytes / 4), nullptr});
      if (!shadows[i].buffer && t.bytes)
        if (anima_status_t s = createBuffer(
                t.bytes, false, "the shadow of state '" + t.name + "'",
                &shadows[i]))
          return s;
    }
    for (size_t o = 0; o < desc.outputs.size(); ++o)
      if (r.outputs[o].buffer && desc.outputs[o].dtype == ANIMA_DTYPE_F32 &&
          desc.outputs[o].bytes)
        r.checks.push_back({r.outputs[o].buffer,
                            uint32_t(desc.outputs[o].bytes / 4), nullptr});
    entries.push_back(std::move(r));
  }
  return nullptr;
}

anima_status_t VulkanExecutable::createPipeline(
    const std::vector<uint32_t> &code, const char *entry, uint32_t bindings,
    uint32_t pushBytes, const std::string &what, Pipeline *out) {
  VkDevice d = dev->device;
  const char *name = what.c_str();
  std::vector<VkDescriptorSetLayoutBinding> slots(bindings);
  for (uint32_t i = 0; i < bindings; ++i) {
    slots[i] = {};
    slots[i].binding = i;
    slots[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    slots[i].descriptorCount = 1;
    slots[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
  }
  VkDescriptorSetLayoutCreateInfo setInfo = {};
  setInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO;
  setInfo.bindingCount = bindings;
  setInfo.pBindings = slots.data();
  if (anima_status_t s = check(
          fn.vkCreateDescriptorSetLayout(d, &setInfo, nullptr, &out->setLayout),
          "vkCreateDescriptorSetLayout", "%s", name))
    return s;
  VkPushConstantRange range = {VK_SHADER_STAGE_COMPUTE_BIT, 0, pushBytes};
  VkPipelineLayoutCreateInfo layoutInfo = {};
  layoutInfo.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
  layoutInfo.setLayoutCount = 1;
  layoutInfo.pSetLayouts = &out->setLayout;
  layoutInfo.pushConstantRangeCount = pushBytes ? 1 : 0;
  layoutInfo.pPushConstantRanges = pushBytes ? &range : nullptr;
  if (anima_status_t s = check(
          fn.vkCreatePipelineLayout(d, &layoutInfo, nullptr, &out->layout),
          "vkCreatePipelineLayout", "%s", name))
    return s;
  VkShaderModuleCreateInfo moduleInfo = {};
  moduleInfo.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
  moduleInfo.codeSize = code.size() * sizeof(uint32_t);
  moduleInfo.pCode = code.data();
  VkShaderModule module = VK_NULL_HANDLE;
  if (anima_status_t s =
          check(fn.vkCreateShaderModule(d, &moduleInfo, nullptr, &module),
                "vkCreateShaderModule", "%s, %zu bytes of SPIR-V", name,
                code.size() * 4))
    return s;
  VkComputePipelineCreateInfo info = {};
  info.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
  info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  info.stage.module = module;
  info.stage.pName = entry;
  info.layout = out->layout;
  VkResult result =
      fn.vkCreateComputePipelines(d, cache, 1, &info, nullptr, &out->pipeline);
  fn.vkDestroyShaderModule(d, module, nullptr);
  if (result != VK_SUCCESS)
    out->pipeline = VK_NULL_HANDLE;
  return check(result, "vkCreateComputePipelines", "%s, entry point '%s'", name,
               entry);
}

anima_status_t VulkanExecutable::createPipelines(const Schedule &schedule,
                                                 const uint8_t artifactId[16]) {
  std::string path = pipelineCachePath(artifactId, dev->deviceUuid);
  std::vector<uint8_t> initial = readPipelineCache(path, dev->properties);
  VkPipelineCacheCreateInfo cacheInfo = {};
  cacheInfo.sType = VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO;
  cacheInfo.initialDataSize = initial.size();
  cacheInfo.pInitialData = initial.empty() ? nullptr : initial.data();
  if (anima_status_t s = check(
          fn.vkCreatePipelineCache(dev->device, &cacheInfo, nullptr, &cache),
          "vkCreatePipelineCache"))
    return s;
  kernels.resize(schedule.kernels.size());
  for (size_t k = 0; k < schedule.kernels.size(); ++k) {
    const KernelDesc &kernel = schedule.kernels[k];
    if (anima_status_t s = createPipeline(
            kernel.code, kernel.entry.c_str(), kernel.bindings, 0,
            "kernel " + std::to_string(k) + " ('" + kernel.name + "')",
            &kernels[k]))
      return s;
  }
  std::vector<uint32_t> checkCode(std::begin(kCheckShader),
                                  std::end(kCheckShader));
  if (anima_status_t s = createPipeline(checkCode, "main", 2, sizeof(uint32_t),
                                        "the NaN/Inf check kernel", &checker))
    return s;
  // Persist the cache when it changed (best effort, never an error).
  size_t size = 0;
  if (fn.vkGetPipelineCacheData(dev->device, cache, &size, nullptr) ==
          VK_SUCCESS &&
      size) {
    std::vector<uint8_t> data(size);
    if (fn.vkGetPipelineCacheData(dev->device, cache, &size, data.data()) ==
        VK_SUCCESS) {
      data.resize(size);
      if (data != initial)
        writePipelineCache(path, data);
    }
  }
  return nullptr;
}

anima_status_t VulkanExecutable::createDescriptors(const Schedule &schedule) {
  uint32_t sets = 0, descriptors = 0;
  for (size_t e = 0; e < entries.size(); ++e) {
    for (const CommandDesc &c : schedule.entries[e].commands)
      if (c.op == CommandDesc::Op::Dispatch) {
        ++sets;
        descriptors += uint32_t(c.bindings.size());
      }
    sets += uint32_t(entries[e].checks.size());
    descriptors += 2 * uint32_t(entries[e].checks.size());
  }
  if (!sets)
    return nullptr;
  VkDescriptorPoolSize poolSize = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                   std::max<uint32_t>(descriptors, 1)};
  VkDescriptorPoolCreateInfo poolInfo = {};
  poolInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO;
  poolInfo.maxSets = sets;
  poolInfo.poolSizeCount = 1;
  poolInfo.pPoolSizes = &poolSize;
  if (anima_status_t s =
          check(fn.vkCreateDescriptorPool(dev->device, &poolInfo, nullptr,
                                          &descriptorPool),
                "vkCreateDescriptorPool", "%u sets", sets))
    return s;
  auto allocate = [&](VkDescriptorSetLayout layout,
                      const std::vector<VkBuffer> &buffers,
                      VkDescriptorSet *out) -> anima_status_t {
    VkDescriptorSetAllocateInfo info = {};
    info.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO;
    info.descriptorPool = descriptorPool;
    info.descriptorSetCount = 1;
    info.pSetLayouts = &layout;
    if (anima_status_t s =
            check(fn.vkAllocateDescriptorSets(dev->device, &info, out),
                  "vkAllocateDescriptorSets"))
      return s;
    std::vector<VkDescriptorBufferInfo> infos(buffers.size());
    std::vector<VkWriteDescriptorSet> writes(buffers.size());
    for (size_t i = 0; i < buffers.size(); ++i) {
      infos[i] = {buffers[i], 0, VK_WHOLE_SIZE};
      writes[i] = {};
      writes[i].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
      writes[i].dstSet = *out;
      writes[i].dstBinding = uint32_t(i);
      writes[i].descriptorCount = 1;
      writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      writes[i].pBufferInfo = &infos[i];
    }
    if (!writes.empty())
      fn.vkUpdateDescriptorSets(dev->device, uint32_t(writes.size()),
                                writes.data(), 0, nullptr);
    return nullptr;
  };
  // One descriptor set per dispatch of `commands`, bound to the entry's
  // buffers.
  auto allocateSets = [&](const EntryResources &r,
                          const std::vector<CommandDesc> &commands,
                          std::vector<VkDescriptorSet> *sets) -> anima_status_t {
    sets->assign(commands.size(), VK_NULL_HANDLE);
    for (size_t c = 0; c < commands.size(); ++c) {
      const CommandDesc &command = commands[c];
      if (command.op != CommandDesc::Op::Dispatch)
        continue;
      std::vector<VkBuffer> buffers;
      for (uint32_t id : command.bindings)
        buffers.push_back(r.table[id]);
      if (anima_status_t s = allocate(kernels[command.kernel].setLayout,
                                      buffers, &(*sets)[c]))
        return s;
    }
    return nullptr;
  };
  for (size_t e = 0; e < entries.size(); ++e) {
    EntryResources &r = entries[e];
    const EntrySchedule &es = schedule.entries[e];
    if (anima_status_t s = allocateSets(r, es.commands, &r.sets))
      return s;
    if (anima_status_t s = allocateSets(r, es.undo, &r.undoSets))
      return s;
    for (Check &c : r.checks)
      if (anima_status_t s =
              allocate(checker.setLayout, {c.buffer, flag.buffer}, &c.set))
        return s;
  }
  return nullptr;
}

anima_status_t VulkanExecutable::begin(VkCommandBuffer *cb) {
  VkCommandBufferAllocateInfo info = {};
  info.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
  info.commandPool = commandPool;
  info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  info.commandBufferCount = 1;
  if (anima_status_t s =
          check(fn.vkAllocateCommandBuffers(dev->device, &info, cb),
                "vkAllocateCommandBuffers"))
    return s;
  VkCommandBufferBeginInfo beginInfo = {};
  beginInfo.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO;
  if (anima_status_t s = check(fn.vkBeginCommandBuffer(*cb, &beginInfo),
                               "vkBeginCommandBuffer"))
    return s;
  // Orders this command buffer after everything submitted before it.
  barrier(fn, *cb);
  return nullptr;
}

void VulkanExecutable::recordCommandList(
    VkCommandBuffer cb, const EntryResources &r,
    const std::vector<CommandDesc> &commands,
    const std::vector<VkDescriptorSet> &sets) {
  for (size_t c = 0; c < commands.size(); ++c) {
    barrier(fn, cb);
    const CommandDesc &command = commands[c];
    if (command.op == CommandDesc::Op::Copy) {
      copy(fn, cb, r.table[command.src], r.table[command.dst], command.bytes);
      continue;
    }
    const Pipeline &p = kernels[command.kernel];
    fn.vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.pipeline);
    if (!command.bindings.empty())
      fn.vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.layout,
                                 0, 1, &sets[c], 0, nullptr);
    fn.vkCmdDispatch(cb, command.groups[0], command.groups[1],
                     command.groups[2]);
  }
}

anima_status_t VulkanExecutable::recordStep(const Schedule &schedule,
                                            size_t e) {
  EntryResources &r = entries[e];
  const EntrySchedule &es = schedule.entries[e];
  VkCommandBuffer cb = VK_NULL_HANDLE;
  if (anima_status_t s = begin(&cb))
    return s;
  for (uint32_t i : r.shadowed)
    if (states[i].bytes)
      copy(fn, cb, states[i].buffer, shadows[i].buffer, states[i].bytes);
  recordCommandList(cb, r, es.commands, r.sets);
  uint32_t maxGroups = dev->properties.limits.maxComputeWorkGroupCount[0];
  for (const Check &c : r.checks) {
    barrier(fn, cb);
    fn.vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, checker.pipeline);
    fn.vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE,
                               checker.layout, 0, 1, &c.set, 0, nullptr);
    fn.vkCmdPushConstants(cb, checker.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0,
                          sizeof(c.count), &c.count);
    uint32_t groups = uint32_t(std::min<uint64_t>(
        (uint64_t(c.count) + kCheckWorkgroup - 1) / kCheckWorkgroup,
        maxGroups));
    fn.vkCmdDispatch(cb, groups, 1, 1);
  }
  barrier(fn, cb, true);
  if (anima_status_t s = check(fn.vkEndCommandBuffer(cb), "vkEndCommandBuffer",
                               "step of entry '%s'", r.name.c_str()))
    return s;
  r.step = cb;
  // Restore: shadow -> state.
  if (anima_status_t s = begin(&cb))
    return s;
  recordCommandList(cb, r, es.undo, r.undoSets);
  barrier(fn, cb);
  for (uint32_t i : r.shadowed)
    if (states[i].bytes)
      copy(fn, cb, shadows[i].buffer, states[i].buffer, states[i].bytes);
  barrier(fn, cb);
  if (anima_status_t s = check(fn.vkEndCommandBuffer(cb), "vkEndCommandBuffer",
                               "restore of entry '%s'", r.name.c_str()))
    return s;
  r.restore = cb;
  return nullptr;
}

anima_status_t VulkanExecutable::recordCommands(const Schedule &schedule) {
  VkCommandPoolCreateInfo poolInfo = {};
  poolInfo.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  poolInfo.queueFamilyIndex = dev->queueFamily;
  if (anima_status_t s = check(
          fn.vkCreateCommandPool(dev->device, &poolInfo, nullptr, &commandPool),
          "vkCreateCommandPool"))
    return s;
  VkFenceCreateInfo fenceInfo = {};
  fenceInfo.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  if (anima_status_t s =
          check(fn.vkCreateFence(dev->device, &fenceInfo, nullptr, &fence),
                "vkCreateFence"))
    return s;
  for (size_t e = 0; e < entries.size(); ++e)
    if (anima_status_t s = recordStep(schedule, e))
      return s;
  // State pull (device -> staging) and push (staging -> device).
  for (bool toHost : {true, false}) {
    VkCommandBuffer cb = VK_NULL_HANDLE;
    if (anima_status_t s = begin(&cb))
      return s;
    for (size_t i = 0; i < states.size(); ++i) {
      if (!states[i].bytes)
        continue;
      if (toHost)
        copy(fn, cb, states[i].buffer, staging.buffer, states[i].bytes, 0,
             stagingOffsets[i]);
      else
        copy(fn, cb, staging.buffer, states[i].buffer, states[i].bytes,
             stagingOffsets[i], 0);
    }
    barrier(fn, cb, toHost);
    if (anima_status_t s =
            check(fn.vkEndCommandBuffer(cb), "vkEndCommandBuffer", "state %s",
                  toHost ? "pull" : "push"))
      return s;
    (toHost ? pull : push) = cb;
  }
  return nullptr;
}

anima_status_t VulkanExecutable::submit(VkCommandBuffer cb, const char *what) {
  if (broken)
    return makeStatus(ANIMA_STATUS_FAILED_PRECONDITION,
                      "the Vulkan device '%s' is unusable after an earlier "
                      "failure; reopen the model",
                      dev->properties.deviceName);
  if (anima_status_t s = check(fn.vkResetFences(dev->device, 1, &fence),
                               "vkResetFences", "%s", what))
    return s;
  VkSubmitInfo info = {};
  info.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
  info.commandBufferCount = 1;
  info.pCommandBuffers = &cb;
  VkResult result = fn.vkQueueSubmit(dev->queue, 1, &info, fence);
  if (result == VK_ERROR_DEVICE_LOST)
    broken = true;
  if (anima_status_t s = check(result, "vkQueueSubmit", "%s", what))
    return s;
  result = fn.vkWaitForFences(dev->device, 1, &fence, VK_TRUE, kFenceTimeoutNs);
  if (result != VK_SUCCESS)
    broken = true;
  if (result == VK_TIMEOUT)
    return makeStatus(ANIMA_STATUS_INTERNAL,
                      "vkWaitForFences failed: VK_TIMEOUT (%s did not finish "
                      "in %llu s on '%s')",
                      what, ull(kFenceTimeoutNs / 1000000000),
                      dev->properties.deviceName);
  return check(result, "vkWaitForFences", "%s", what);
}

anima_status_t VulkanExecutable::build(Schedule schedule,
                                       const Manifest &manifest,
                                       const uint8_t artifactId[16]) {
  if (anima_status_t s = createBuffers(schedule, manifest))
    return s;
  for (const EntryResources &r : entries)
    for (const Check &c : r.checks)
      if (uint64_t(c.count) * 4 > dev->limits.maxStorageBufferRange)
        return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                          "entry '%s': a %llu-byte tensor exceeds the "
                          "maxStorageBufferRange (%u) of '%s' that the "
                          "NaN/Inf guard binds it with",
                          r.name.c_str(), ull(uint64_t(c.count) * 4),
                          dev->limits.maxStorageBufferRange,
                          dev->properties.deviceName);
  if (anima_status_t s = createPipelines(schedule, artifactId))
    return s;
  if (anima_status_t s = createDescriptors(schedule))
    return s;
  if (anima_status_t s = recordCommands(schedule))
    return s;
  return takeDiagnostics();
}

anima_status_t VulkanExecutable::run(size_t index, anima_step_context *ctx,
                                     void *const *buffers) {
  EntryResources &r = entries[index];
  size_t base = states.size();
  for (size_t i = 0; i < r.inputs.size(); ++i)
    if (r.inputs[i].mapped && r.inputBytes[i])
      std::memcpy(r.inputs[i].mapped, buffers[base + i],
                  size_t(r.inputBytes[i]));
  uint8_t words[kContextBytes] = {};
  std::memcpy(words, &ctx->plasticity, sizeof(float));
  std::memcpy(context.mapped, words, sizeof(words));
  uint32_t zero = 0, raised = 0;
  std::memcpy(flag.mapped, &zero, sizeof(zero));
  std::string what = "step of entry '" + r.name + "'";
  if (anima_status_t s = submit(r.step, what.c_str()))
    return s;
  std::memcpy(&raised, flag.mapped, sizeof(raised));
  uint32_t kernelFlag = 0; // context word 1, raised by journaling kernels
  std::memcpy(&kernelFlag, static_cast<uint8_t *>(context.mapped) + 4,
              sizeof(kernelFlag));
  if (raised || kernelFlag) {
    what = "restore of entry '" + r.name + "' after a NaN/Inf";
    if (anima_status_t s = submit(r.restore, what.c_str()))
      return s;
    ctx->status = ANIMA_STEP_NONFINITE;
    return nullptr;
  }
  base += r.inputs.size();
  for (size_t o = 0; o < r.outputs.size(); ++o) {
    if (!r.outputBytes[o])
      continue;
    if (r.outputs[o].mapped)
      std::memcpy(buffers[base + o], r.outputs[o].mapped,
                  size_t(r.outputBytes[o]));
    else
      std::memset(buffers[base + o], 0, size_t(r.outputBytes[o]));
  }
  return nullptr;
}

anima_status_t VulkanExecutable::pullState(void *const *hostState) {
  if (anima_status_t s = submit(pull, "state pull"))
    return s;
  for (size_t i = 0; i < states.size(); ++i)
    if (states[i].bytes)
      std::memcpy(hostState[i],
                  static_cast<uint8_t *>(staging.mapped) + stagingOffsets[i],
                  size_t(states[i].bytes));
  return nullptr;
}

anima_status_t VulkanExecutable::pushState(const void *const *hostState) {
  for (size_t i = 0; i < states.size(); ++i)
    if (states[i].bytes)
      std::memcpy(static_cast<uint8_t *>(staging.mapped) + stagingOffsets[i],
                  hostState[i], size_t(states[i].bytes));
  return submit(push, "state push");
}

} // namespace

anima_status_t loadVulkanExecutable(std::unique_ptr<Device> device,
                                    Schedule schedule, const Manifest &manifest,
                                    const uint8_t artifactId[16],
                                    std::unique_ptr<Executable> *out) {
  auto executable = std::make_unique<VulkanExecutable>(std::move(device));
  if (anima_status_t s =
          executable->build(std::move(schedule), manifest, artifactId))
    return s;
  *out = std::move(executable);
  return nullptr;
}

} // namespace anima::rt::vk
