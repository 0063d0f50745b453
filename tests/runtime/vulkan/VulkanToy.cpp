//===- VulkanToy.cpp - Artifacts of the Vulkan toy model ------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "VulkanToy.h"

#include "ToyModel.h"

#include "anima/runtime/artifact_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

namespace anima::test::vulkan {
namespace {

/// Kernels in schedule order: name, bindings, workgroup size x.
struct KernelInfo {
  const char *name;
  unsigned bindings;
  unsigned workgroup;
};
constexpr KernelInfo kKernels[] = {
    {"update", 3, 64}, {"rowsum", 2, 64}, {"counter", 1, 1}, {"poison", 2, 64},
    {"probe", 3, 64},  {"bump", 1, 1},    {"grow", 2, 64},
};

/// The initial-state section and the offsets of W, n, M, B.
struct InitialState {
  std::vector<uint8_t> bytes;
  uint64_t offsets[4];
};

const InitialState &initialState() {
  static const InitialState state = [] {
    artifact::InitialStateBuilder builder;
    InitialState s;
    std::vector<float> W = initialW(), M = initialM();
    std::vector<float> B(kBElements, 0.5f);
    int32_t n = 0;
    s.offsets[kW] = builder.add(W.data(), W.size() * 4);
    s.offsets[kN] = builder.add(&n, 4);
    s.offsets[kM] = builder.add(M.data(), M.size() * 4);
    s.offsets[kB] = builder.add(B.data(), B.size() * 4);
    s.bytes = builder.bytes();
    return s;
  }();
  return state;
}

std::string manifestText() {
  const InitialState &s = initialState();
  auto at = [&](State i) { return std::to_string(s.offsets[i]); };
  return R"({
  "format": "anima-artifact",
  "format_version": 1,
  "producer": "hand-written vulkan test fixture",
  "model": "vulkan-toy",
  "state": [
    {"name": "W", "dtype": "f32", "shape": [4, 3], "bytes": 48,
     "init_offset": )" +
         at(kW) + R"(, "guard": "journal"},
    {"name": "n", "dtype": "i32", "shape": [1], "bytes": 4,
     "init_offset": )" +
         at(kN) + R"(, "guard": "copy"},
    {"name": "M", "dtype": "f32", "shape": [1000], "bytes": 4000,
     "init_offset": )" +
         at(kM) + R"(, "guard": "copy"},
    {"name": "B", "dtype": "f32", "shape": [100000], "bytes": 400000,
     "init_offset": )" +
         at(kB) + R"(, "guard": "copy"}
  ],
  "entry_points": [
    {"name": "step",
     "inputs":  [{"name": "x", "dtype": "f32", "shape": [3]}],
     "outputs": [{"name": "y", "dtype": "f32", "shape": [4]}],
     "journal_bytes": 0},
    {"name": "poison",
     "inputs":  [{"name": "k", "dtype": "f32", "shape": [1]}],
     "outputs": [], "journal_bytes": 0},
    {"name": "probe",
     "inputs":  [{"name": "k", "dtype": "f32", "shape": [1]}],
     "outputs": [{"name": "z", "dtype": "f32", "shape": [4]}],
     "journal_bytes": 0},
    {"name": "bump", "inputs": [], "outputs": [], "journal_bytes": 0},
    {"name": "grow", "inputs": [], "outputs": [], "journal_bytes": 0}
  ],
  "targets": [
    {"backend": "vulkan", "triple": "spirv-vulkan1.1",
     "section": "vulkan.spirv", "schedule": "vulkan.schedule"}
  ]
})";
}

/// The concatenated SPIR-V and each kernel's offset.
struct SpirvSection {
  std::vector<uint8_t> bytes;
  std::vector<size_t> offsets, sizes;
};

const SpirvSection &spirvSection() {
  static const SpirvSection section = [] {
    SpirvSection s;
    for (const KernelInfo &k : kKernels) {
      const std::vector<uint8_t> &code = kernelCode(k.name);
      s.offsets.push_back(s.bytes.size());
      s.sizes.push_back(code.size());
      s.bytes.insert(s.bytes.end(), code.begin(), code.end());
    }
    return s;
  }();
  return section;
}

} // namespace

uint64_t expectedValidationMessages = 0;

const std::vector<uint8_t> &kernelCode(const std::string &name) {
  static std::map<std::string, std::vector<uint8_t>> cache;
  auto it = cache.find(name);
  if (it != cache.end())
    return it->second;
  std::string path = std::string(ANIMA_VK_KERNEL_DIR) + "/" + name + ".spv";
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
  EXPECT_EQ(bytes.size() % 4, 0u) << path;
  return cache[name] = std::move(bytes);
}

std::vector<float> initialW() {
  return {0.5f, -0.25f, 0.125f, 0.0f,  1.0f,  -0.5f,
          0.3f, 0.2f,   -0.1f,  -0.7f, 0.05f, 0.9f};
}

std::vector<float> initialM() {
  std::vector<float> M(1000);
  for (size_t i = 0; i < M.size(); ++i)
    M[i] = float(i) * 0.25f - 100.0f;
  return M;
}

std::string defaultSchedule(bool dropLastEntry) {
  const SpirvSection &spirv = spirvSection();
  std::string kernels;
  for (size_t i = 0; i < std::size(kKernels); ++i) {
    const KernelInfo &k = kKernels[i];
    kernels += std::string(i ? ",\n" : "") + "    {\"name\": \"" + k.name +
               "\", \"entry\": \"main\", \"spirv_offset\": " +
               std::to_string(spirv.offsets[i]) +
               ", \"spirv_bytes\": " + std::to_string(spirv.sizes[i]) +
               ", \"workgroup_size\": [" + std::to_string(k.workgroup) +
               ", 1, 1], \"bindings\": " + std::to_string(k.bindings) + "}";
  }
  std::string entries = R"(
    {"name": "step",
     "buffers": [{"kind": "state", "index": 0}, {"kind": "input", "index": 0}, {"kind": "output", "index": 0}, {"kind": "temp", "bytes": 16}, {"kind": "context"}, {"kind": "state", "index": 1}],
     "commands": [
       {"op": "dispatch", "kernel": 0, "groups": [1, 1, 1], "bindings": [0, 1, 4], "writes": [0]},
       {"op": "dispatch", "kernel": 1, "groups": [1, 1, 1], "bindings": [0, 3], "writes": [1]},
       {"op": "copy", "src": 3, "dst": 2, "bytes": 16},
       {"op": "dispatch", "kernel": 2, "groups": [1, 1, 1], "bindings": [5], "writes": [0]}
     ]},
    {"name": "poison",
     "buffers": [{"kind": "state", "index": 0}, {"kind": "input", "index": 0}],
     "commands": [
       {"op": "dispatch", "kernel": 3, "groups": [1, 1, 1], "bindings": [0, 1], "writes": [0]}
     ]},
    {"name": "probe",
     "buffers": [{"kind": "state", "index": 0}, {"kind": "input", "index": 0}, {"kind": "output", "index": 0}],
     "commands": [
       {"op": "dispatch", "kernel": 4, "groups": [1, 1, 1], "bindings": [0, 1, 2], "writes": [2]}
     ]},
    {"name": "bump",
     "buffers": [{"kind": "state", "index": 1}],
     "commands": [
       {"op": "dispatch", "kernel": 5, "groups": [1, 1, 1], "bindings": [0], "writes": [0]}
     ]})";
  if (!dropLastEntry)
    entries += R"(,
    {"name": "grow",
     "buffers": [{"kind": "state", "index": 3}, {"kind": "context"}],
     "commands": [
       {"op": "dispatch", "kernel": 6, "groups": [1563, 1, 1], "bindings": [0, 1], "writes": [0]}
     ]})";
  return R"({
  "format": "anima-vulkan-schedule", "version": 1,
  "profile": "lavapipe",
  "requires": {"subgroup_arithmetic": false, "max_workgroup_invocations": 64, "max_shared_bytes": 0, "min_subgroup_size": 1},
  "kernels": [
)" + kernels +
         R"(
  ],
  "entry_points": [)" +
         entries + R"(
  ]
})";
}

VulkanParts::VulkanParts()
    : manifest(manifestText()), schedule(defaultSchedule()),
      spirv(spirvSection().bytes), init(initialState().bytes) {}

std::vector<uint8_t> buildVulkanArtifact(const VulkanParts &parts) {
  artifact::ArtifactWriter writer;
  std::string error;
  EXPECT_TRUE(writer.addManifest(parts.manifest, &error)) << error;
  EXPECT_TRUE(writer.addSection(parts.spirvKind, parts.spirvName,
                                parts.spirv.data(), parts.spirv.size(), &error))
      << error;
  EXPECT_TRUE(writer.addSection(parts.scheduleKind, parts.scheduleName,
                                parts.schedule.data(), parts.schedule.size(),
                                &error))
      << error;
  EXPECT_TRUE(writer.addSection(artifact::SectionKind::InitialState, "state",
                                parts.init.data(), parts.init.size(), &error))
      << error;
  std::vector<uint8_t> bytes;
  EXPECT_TRUE(writer.writeBytes(&bytes, &error)) << error;
  return bytes;
}

anima_status_t openVulkan(const std::vector<uint8_t> &bytes,
                          anima_model_t **out, const char *device) {
  anima_open_options options;
  anima_open_options_init(&options);
  options.backend = "vulkan";
  options.flags = ANIMA_OPEN_VULKAN_VALIDATION;
  options.device = device;
  return anima_model_open_memory(bytes.data(), bytes.size(), &options, out);
}

void Reference::step(const float x[3], float plasticity, float y[4]) {
  for (size_t i = 0; i < W.size(); ++i) {
    float delta = plasticity * x[i % 3];
    W[i] = W[i] + delta;
  }
  for (size_t r = 0; r < 4; ++r) {
    float sum = 0.0f;
    for (size_t c = 0; c < 3; ++c)
      sum = sum + W[r * 3 + c];
    y[r] = sum;
  }
  ++n;
}

} // namespace anima::test::vulkan
