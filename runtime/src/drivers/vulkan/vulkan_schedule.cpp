//===- vulkan_schedule.cpp - The Vulkan dispatch schedule -----------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "drivers/vulkan/vulkan_schedule.h"

#include "format/json.h"
#include "support/bytes.h"
#include "support/status.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace anima::rt::vk {
namespace {

using ull = unsigned long long;

/// SPIR-V magic number (first word of a module).
constexpr uint32_t kSpirvMagic = 0x07230203u;
/// SPIR-V opcodes and enumerants read here.
constexpr uint32_t kOpEntryPoint = 15;
constexpr uint32_t kOpExecutionMode = 16;
constexpr uint32_t kExecutionModelGLCompute = 5;
constexpr uint32_t kExecutionModeLocalSize = 17;
constexpr uint32_t kOpDecorate = 71;
constexpr uint32_t kDecorationBinding = 33;
constexpr uint32_t kDecorationDescriptorSet = 34;
/// Most storage buffers one kernel may bind (before the device's limit).
constexpr uint64_t kMaxBindings = 64;

/// Creates the statuses of one schedule, prefixed with its section name.
class Reporter {
public:
  explicit Reporter(const std::string &section) : section(section) {}

  /// Returns `code` with "<section>: <path>: <printf text>"; `path` may be
  /// empty.
  anima_status_t operator()(anima_status_code_t code, const std::string &path,
                            const char *format, ...) const
      __attribute__((format(printf, 4, 5))) {
    char text[768];
    va_list args;
    va_start(args, format);
    std::vsnprintf(text, sizeof(text), format, args);
    va_end(args);
    if (path.empty())
      return makeStatus(code, "%s: %s", section.c_str(), text);
    return makeStatus(code, "%s: %s%s%s", section.c_str(), path.c_str(),
                      text[0] == ' ' ? "" : ": ", text);
  }

  /// DATA_LOSS for the absent member `key` of the object at `path`.
  anima_status_t missing(const std::string &path, const char *key) const {
    return (*this)(ANIMA_STATUS_DATA_LOSS, path, "missing \"%s\"", key);
  }

  /// DATA_LOSS for `path` holding the wrong JSON type.
  anima_status_t wrongType(const std::string &path, const char *expected,
                           const JsonValue &v) const {
    return (*this)(ANIMA_STATUS_DATA_LOSS, path, " must be %s, not %s",
                   expected, jsonKindName(v.kind));
  }

private:
  const std::string &section;
};

/// Joins an object path and a member name ("a.b"; "b" at the top level).
std::string member(const std::string &path, const char *key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

/// Returns `path[i]`.
std::string item(const std::string &path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

/// Returns the member `key` of the object `v` (the object is at `path`),
/// an error when it is absent and `required`.
anima_status_t getMember(const Reporter &report, const JsonValue &v,
                         const std::string &path, const char *key,
                         bool required, const JsonValue **out) {
  *out = v.get(key);
  if (!*out && required)
    return report.missing(path, key);
  return nullptr;
}

/// Reads the required unsigned integer `key` (at most `max`).
anima_status_t getUnsigned(const Reporter &report, const JsonValue &v,
                           const std::string &path, const char *key,
                           uint64_t max, uint64_t *out, bool required = true) {
  const JsonValue *m = nullptr;
  if (anima_status_t s = getMember(report, v, path, key, required, &m))
    return s;
  if (!m)
    return nullptr;
  std::string at = member(path, key);
  if (!m->isInteger() || m->integer < 0)
    return report.wrongType(at, "a non-negative integer", *m);
  if (uint64_t(m->integer) > max)
    return report(ANIMA_STATUS_DATA_LOSS, at, " = %lld exceeds %llu",
                  (long long)m->integer, ull(max));
  *out = uint64_t(m->integer);
  return nullptr;
}

/// Reads the string `key`.
anima_status_t getString(const Reporter &report, const JsonValue &v,
                         const std::string &path, const char *key,
                         bool required, std::string *out) {
  const JsonValue *m = nullptr;
  if (anima_status_t s = getMember(report, v, path, key, required, &m))
    return s;
  if (!m)
    return nullptr;
  if (!m->isString())
    return report.wrongType(member(path, key), "a string", *m);
  *out = m->string;
  return nullptr;
}

/// Reads the array `key` (required).
anima_status_t getArray(const Reporter &report, const JsonValue &v,
                        const std::string &path, const char *key,
                        const JsonValue **out, bool required = true) {
  if (anima_status_t s = getMember(report, v, path, key, required, out))
    return s;
  if (*out && !(*out)->isArray())
    return report.wrongType(member(path, key), "an array", **out);
  return nullptr;
}

/// Reads an array of unsigned integers at `path` (each at most `max`).
anima_status_t getUnsignedList(const Reporter &report, const JsonValue &array,
                               const std::string &path, uint64_t max,
                               std::vector<uint32_t> *out) {
  out->clear();
  for (size_t i = 0; i < array.items.size(); ++i) {
    const JsonValue &v = array.items[i];
    if (!v.isInteger() || v.integer < 0)
      return report.wrongType(item(path, i), "a non-negative integer", v);
    if (uint64_t(v.integer) > max)
      return report(ANIMA_STATUS_DATA_LOSS, item(path, i),
                    " = %lld exceeds %llu", (long long)v.integer, ull(max));
    out->push_back(uint32_t(v.integer));
  }
  return nullptr;
}

/// Reads a 3-element array of positive u32 values ("groups",
/// "workgroup_size").
anima_status_t getSize3(const Reporter &report, const JsonValue &v,
                        const std::string &path, const char *key,
                        std::array<uint32_t, 3> *out) {
  const JsonValue *array = nullptr;
  if (anima_status_t s = getArray(report, v, path, key, &array))
    return s;
  std::string at = member(path, key);
  if (array->items.size() != 3)
    return report(ANIMA_STATUS_DATA_LOSS, at, " must have 3 elements, not %zu",
                  array->items.size());
  std::vector<uint32_t> values;
  if (anima_status_t s =
          getUnsignedList(report, *array, at, UINT32_MAX, &values))
    return s;
  for (size_t i = 0; i < 3; ++i) {
    if (values[i] == 0)
      return report(ANIMA_STATUS_DATA_LOSS, item(at, i), " = 0 must be > 0");
    (*out)[i] = values[i];
  }
  return nullptr;
}

/// Reads a little-endian word of the SPIR-V section.
uint32_t wordAt(const uint8_t *p) { return loadU32(p); }

/// Checks one kernel's SPIR-V module: magic, well-formed instructions, the
/// GLCompute entry point `kernel.entry`, when the module declares a
/// LocalSize for it that it equals "workgroup_size", and that every
/// descriptor it declares is in set 0 below "bindings".
anima_status_t checkModule(const Reporter &report, const std::string &path,
                           const KernelDesc &kernel) {
  const std::vector<uint32_t> &w = kernel.code;
  if (w[0] != kSpirvMagic)
    return report(ANIMA_STATUS_DATA_LOSS, path,
                  "the SPIR-V module starts with 0x%08x, not the SPIR-V "
                  "magic 0x07230203",
                  w[0]);
  bool found = false;
  uint32_t entryId = 0;
  for (size_t at = 5; at < w.size();) {
    uint32_t count = w[at] >> 16, opcode = w[at] & 0xFFFFu;
    if (count == 0 || count > w.size() - at)
      return report(ANIMA_STATUS_DATA_LOSS, path,
                    "malformed SPIR-V: the instruction at word %zu has word "
                    "count %u (the module has %zu words)",
                    at, count, w.size());
    if (opcode == kOpEntryPoint && count >= 4 &&
        w[at + 1] == kExecutionModelGLCompute) {
      // The name is a NUL-terminated literal from word 3 on.
      const char *name = reinterpret_cast<const char *>(&w[at + 3]);
      size_t limit = size_t(count - 3) * 4;
      size_t length = strnlen(name, limit);
      if (length < limit && kernel.entry == std::string(name, length)) {
        found = true;
        entryId = w[at + 2];
      }
    }
    if (opcode == kOpDecorate && count >= 4) {
      if (w[at + 2] == kDecorationDescriptorSet && w[at + 3] != 0)
        return report(ANIMA_STATUS_DATA_LOSS, path,
                      "the SPIR-V module uses descriptor set %u (kernels "
                      "bind set 0 only)",
                      w[at + 3]);
      if (w[at + 2] == kDecorationBinding && w[at + 3] >= kernel.bindings)
        return report(ANIMA_STATUS_DATA_LOSS, path,
                      "the SPIR-V module uses binding %u, \"bindings\" is %u",
                      w[at + 3], kernel.bindings);
    }
    if (found && opcode == kOpExecutionMode && count >= 6 &&
        w[at + 1] == entryId && w[at + 2] == kExecutionModeLocalSize) {
      for (size_t d = 0; d < 3; ++d)
        if (w[at + 3 + d] != kernel.workgroupSize[d])
          return report(ANIMA_STATUS_DATA_LOSS, path,
                        "\"workgroup_size\" [%u, %u, %u] differs from the "
                        "module's LocalSize [%u, %u, %u]",
                        kernel.workgroupSize[0], kernel.workgroupSize[1],
                        kernel.workgroupSize[2], w[at + 3], w[at + 4],
                        w[at + 5]);
    }
    at += count;
  }
  if (!found)
    return report(ANIMA_STATUS_DATA_LOSS, path,
                  "\"entry\" \"%s\" is not a GLCompute entry point of its "
                  "SPIR-V module",
                  kernel.entry.c_str());
  return nullptr;
}

/// Decodes "kernels".
anima_status_t parseKernels(const Reporter &report, const JsonValue &root,
                            const SectionView &spirv, Schedule *out) {
  const JsonValue *kernels = nullptr;
  if (anima_status_t s = getArray(report, root, "", "kernels", &kernels))
    return s;
  for (size_t i = 0; i < kernels->items.size(); ++i) {
    const JsonValue &v = kernels->items[i];
    std::string path = item("kernels", i);
    if (!v.isObject())
      return report.wrongType(path, "an object", v);
    KernelDesc kernel;
    if (anima_status_t s =
            getString(report, v, path, "name", true, &kernel.name))
      return s;
    if (anima_status_t s =
            getString(report, v, path, "entry", true, &kernel.entry))
      return s;
    if (kernel.entry.empty())
      return report(ANIMA_STATUS_DATA_LOSS, member(path, "entry"),
                    " must not be empty");
    uint64_t offset = 0, bytes = 0, bindings = 0;
    if (anima_status_t s = getUnsigned(report, v, path, "spirv_offset",
                                       UINT64_MAX >> 1, &offset))
      return s;
    if (anima_status_t s = getUnsigned(report, v, path, "spirv_bytes",
                                       UINT64_MAX >> 1, &bytes))
      return s;
    if (anima_status_t s =
            getSize3(report, v, path, "workgroup_size", &kernel.workgroupSize))
      return s;
    if (anima_status_t s =
            getUnsigned(report, v, path, "bindings", kMaxBindings, &bindings))
      return s;
    kernel.bindings = uint32_t(bindings);
    if (offset % 4 != 0)
      return report(ANIMA_STATUS_DATA_LOSS, member(path, "spirv_offset"),
                    " = %llu is not a multiple of 4", ull(offset));
    if (bytes % 4 != 0 || bytes < 20)
      return report(ANIMA_STATUS_DATA_LOSS, member(path, "spirv_bytes"),
                    " = %llu is not a SPIR-V module size (a multiple of 4, "
                    "at least 20)",
                    ull(bytes));
    if (!rangeInside(offset, bytes, spirv.size))
      return report(ANIMA_STATUS_DATA_LOSS, path,
                    "SPIR-V [%llu, +%llu) lies outside the SPIR-V section "
                    "'%s' (%llu bytes)",
                    ull(offset), ull(bytes), spirv.name.c_str(),
                    ull(spirv.size));
    kernel.code.resize(size_t(bytes / 4));
    for (size_t w = 0; w < kernel.code.size(); ++w)
      kernel.code[w] = wordAt(spirv.data + offset + 4 * w);
    if (anima_status_t s = checkModule(report, path, kernel))
      return s;
    out->kernels.push_back(std::move(kernel));
  }
  return nullptr;
}

/// Decodes "requires" (optional; absent members require nothing).
anima_status_t parseRequirements(const Reporter &report, const JsonValue &root,
                                 Requirements *out) {
  const JsonValue *r = root.get("requires");
  if (!r)
    return nullptr;
  if (!r->isObject())
    return report.wrongType("requires", "an object", *r);
  if (const JsonValue *a = r->get("subgroup_arithmetic")) {
    if (a->kind != JsonValue::Kind::Bool)
      return report.wrongType("requires.subgroup_arithmetic", "a boolean", *a);
    out->subgroupArithmetic = a->boolean;
  }
  if (anima_status_t s =
          getUnsigned(report, *r, "requires", "max_workgroup_invocations",
                      UINT32_MAX, &out->maxWorkgroupInvocations, false))
    return s;
  if (anima_status_t s = getUnsigned(report, *r, "requires", "max_shared_bytes",
                                     UINT32_MAX, &out->maxSharedBytes, false))
    return s;
  return getUnsigned(report, *r, "requires", "min_subgroup_size", UINT32_MAX,
                     &out->minSubgroupSize, false);
}

/// Decodes one buffer-table entry.
anima_status_t parseBuffer(const Reporter &report, const JsonValue &v,
                           const std::string &path, const Manifest &manifest,
                           const EntryDesc &entry, BufferDesc *out) {
  if (!v.isObject())
    return report.wrongType(path, "an object", v);
  std::string kind;
  if (anima_status_t s = getString(report, v, path, "kind", true, &kind))
    return s;
  auto indexed = [&](const char *what, size_t count) -> anima_status_t {
    if (anima_status_t s =
            getUnsigned(report, v, path, "index", UINT32_MAX, &out->index))
      return s;
    if (out->index >= count)
      return report(ANIMA_STATUS_DATA_LOSS, member(path, "index"),
                    " = %llu is not %s (the %s has %zu)", ull(out->index), what,
                    std::strcmp(what, "a state") == 0 ? "model" : "entry",
                    count);
    return nullptr;
  };
  if (kind == "state") {
    out->kind = BufferKind::State;
    if (anima_status_t s = indexed("a state", manifest.states.size()))
      return s;
    const TensorDesc &t = manifest.states[out->index].tensor;
    out->bytes = t.bytes;
    out->f32 = t.dtype == ANIMA_DTYPE_F32;
  } else if (kind == "input") {
    out->kind = BufferKind::Input;
    if (anima_status_t s = indexed("an input", entry.inputs.size()))
      return s;
    out->bytes = entry.inputs[out->index].bytes;
  } else if (kind == "output") {
    out->kind = BufferKind::Output;
    if (anima_status_t s = indexed("an output", entry.outputs.size()))
      return s;
    const TensorDesc &t = entry.outputs[out->index];
    out->bytes = t.bytes;
    out->f32 = t.dtype == ANIMA_DTYPE_F32;
  } else if (kind == "temp") {
    out->kind = BufferKind::Temp;
    if (anima_status_t s =
            getUnsigned(report, v, path, "bytes", kMaxTensorBytes, &out->bytes))
      return s;
    if (out->bytes == 0)
      return report(ANIMA_STATUS_DATA_LOSS, member(path, "bytes"),
                    " = 0 must be > 0");
  } else if (kind == "context") {
    out->kind = BufferKind::Context;
    out->bytes = kContextBytes;
  } else {
    return report(ANIMA_STATUS_INCOMPATIBLE, member(path, "kind"),
                  " \"%s\" is unknown (known: state, input, output, temp, "
                  "context)",
                  kind.c_str());
  }
  return nullptr;
}

/// Checks that buffer-table id `id` (found at `path`) exists.
anima_status_t checkBufferId(const Reporter &report, const std::string &path,
                             uint64_t id, size_t count) {
  if (id < count)
    return nullptr;
  return report(ANIMA_STATUS_DATA_LOSS, path,
                " = %llu is not a buffer (the entry has %zu)", ull(id), count);
}

/// Decodes one command of an entry point.
anima_status_t parseCommand(const Reporter &report, const JsonValue &v,
                            const std::string &path, const Schedule &schedule,
                            const EntrySchedule &entry, CommandDesc *out) {
  if (!v.isObject())
    return report.wrongType(path, "an object", v);
  std::string op;
  if (anima_status_t s = getString(report, v, path, "op", true, &op))
    return s;
  size_t buffers = entry.buffers.size();
  if (op == "dispatch") {
    out->op = CommandDesc::Op::Dispatch;
    uint64_t kernel = 0;
    if (anima_status_t s =
            getUnsigned(report, v, path, "kernel", UINT32_MAX, &kernel))
      return s;
    if (kernel >= schedule.kernels.size())
      return report(ANIMA_STATUS_DATA_LOSS, member(path, "kernel"),
                    " = %llu is not a kernel (the schedule has %zu)",
                    ull(kernel), schedule.kernels.size());
    out->kernel = uint32_t(kernel);
    const KernelDesc &k = schedule.kernels[kernel];
    if (anima_status_t s = getSize3(report, v, path, "groups", &out->groups))
      return s;
    const JsonValue *bindings = nullptr;
    if (anima_status_t s = getArray(report, v, path, "bindings", &bindings))
      return s;
    std::string at = member(path, "bindings");
    if (anima_status_t s =
            getUnsignedList(report, *bindings, at, UINT32_MAX, &out->bindings))
      return s;
    if (out->bindings.size() != k.bindings)
      return report(ANIMA_STATUS_DATA_LOSS, at,
                    " has %zu buffers, kernel %llu (\"%s\") has %u bindings",
                    out->bindings.size(), ull(kernel), k.name.c_str(),
                    k.bindings);
    for (size_t i = 0; i < out->bindings.size(); ++i)
      if (anima_status_t s =
              checkBufferId(report, item(at, i), out->bindings[i], buffers))
        return s;
    const JsonValue *writes = nullptr;
    if (anima_status_t s = getArray(report, v, path, "writes", &writes, false))
      return s;
    if (writes) {
      at = member(path, "writes");
      if (anima_status_t s =
              getUnsignedList(report, *writes, at, UINT32_MAX, &out->writes))
        return s;
      for (size_t i = 0; i < out->writes.size(); ++i)
        if (out->writes[i] >= k.bindings)
          return report(ANIMA_STATUS_DATA_LOSS, item(at, i),
                        " = %u is not a binding position (the dispatch has "
                        "%u)",
                        out->writes[i], k.bindings);
    }
    return nullptr;
  }
  if (op == "copy") {
    out->op = CommandDesc::Op::Copy;
    uint64_t src = 0, dst = 0;
    if (anima_status_t s =
            getUnsigned(report, v, path, "src", UINT32_MAX, &src))
      return s;
    if (anima_status_t s =
            checkBufferId(report, member(path, "src"), src, buffers))
      return s;
    if (anima_status_t s =
            getUnsigned(report, v, path, "dst", UINT32_MAX, &dst))
      return s;
    if (anima_status_t s =
            checkBufferId(report, member(path, "dst"), dst, buffers))
      return s;
    out->src = uint32_t(src);
    out->dst = uint32_t(dst);
    if (src == dst)
      return report(ANIMA_STATUS_DATA_LOSS, path,
                    "\"src\" and \"dst\" are the same buffer (%llu)", ull(src));
    if (anima_status_t s =
            getUnsigned(report, v, path, "bytes", kMaxTensorBytes, &out->bytes))
      return s;
    if (out->bytes == 0)
      return report(ANIMA_STATUS_DATA_LOSS, member(path, "bytes"),
                    " = 0 must be > 0");
    for (uint32_t id : {out->src, out->dst})
      if (out->bytes > entry.buffers[id].bytes)
        return report(ANIMA_STATUS_DATA_LOSS, member(path, "bytes"),
                      " = %llu exceeds buffer %u (%llu bytes)", ull(out->bytes),
                      id, ull(entry.buffers[id].bytes));
    return nullptr;
  }
  return report(ANIMA_STATUS_INCOMPATIBLE, member(path, "op"),
                " \"%s\" is unknown (known: dispatch, copy)", op.c_str());
}

/// Decodes "entry_points".
anima_status_t parseEntries(const Reporter &report, const JsonValue &root,
                            const Manifest &manifest, Schedule *out) {
  const JsonValue *entries = nullptr;
  if (anima_status_t s = getArray(report, root, "", "entry_points", &entries))
    return s;
  if (entries->items.size() != manifest.entries.size())
    return report(ANIMA_STATUS_DATA_LOSS, "entry_points",
                  " has %zu entries, the manifest has %zu entry points",
                  entries->items.size(), manifest.entries.size());
  for (size_t e = 0; e < entries->items.size(); ++e) {
    const JsonValue &v = entries->items[e];
    const EntryDesc &desc = manifest.entries[e];
    std::string path = item("entry_points", e);
    if (!v.isObject())
      return report.wrongType(path, "an object", v);
    EntrySchedule entry;
    if (anima_status_t s =
            getString(report, v, path, "name", true, &entry.name))
      return s;
    if (entry.name != desc.name)
      return report(ANIMA_STATUS_DATA_LOSS, member(path, "name"),
                    " is \"%s\", the manifest's entry point %zu is \"%s\"",
                    entry.name.c_str(), e, desc.name.c_str());
    const JsonValue *buffers = nullptr;
    if (anima_status_t s = getArray(report, v, path, "buffers", &buffers))
      return s;
    for (size_t b = 0; b < buffers->items.size(); ++b) {
      BufferDesc buffer;
      if (anima_status_t s = parseBuffer(report, buffers->items[b],
                                         item(member(path, "buffers"), b),
                                         manifest, desc, &buffer))
        return s;
      entry.buffers.push_back(buffer);
    }
    const JsonValue *commands = nullptr;
    if (anima_status_t s = getArray(report, v, path, "commands", &commands))
      return s;
    for (size_t c = 0; c < commands->items.size(); ++c) {
      CommandDesc command;
      if (anima_status_t s = parseCommand(report, commands->items[c],
                                          item(member(path, "commands"), c),
                                          *out, entry, &command))
        return s;
      entry.commands.push_back(std::move(command));
    }
    const JsonValue *undo = nullptr;
    if (anima_status_t s = getArray(report, v, path, "undo", &undo, false))
      return s;
    for (size_t c = 0; undo && c < undo->items.size(); ++c) {
      CommandDesc command;
      if (anima_status_t s = parseCommand(report, undo->items[c],
                                          item(member(path, "undo"), c), *out,
                                          entry, &command))
        return s;
      entry.undo.push_back(std::move(command));
    }
    const JsonValue *journaled = nullptr;
    if (anima_status_t s =
            getArray(report, v, path, "journaled_states", &journaled, false))
      return s;
    if (journaled && manifest.states.empty() && !journaled->items.empty())
      return report(ANIMA_STATUS_DATA_LOSS, member(path, "journaled_states"),
                    " names states, the manifest has none");
    if (journaled)
      if (anima_status_t s = getUnsignedList(
              report, *journaled, member(path, "journaled_states"),
              manifest.states.empty() ? 0 : manifest.states.size() - 1,
              &entry.journaledStates))
        return s;
    out->entries.push_back(std::move(entry));
  }
  return nullptr;
}

} // namespace

anima_status_t parseSchedule(std::string_view json,
                             const std::string &sectionName,
                             const SectionView &spirv, const Manifest &manifest,
                             Schedule *out) {
  Schedule schedule;
  schedule.section = sectionName;
  Reporter report(schedule.section);
  JsonValue root;
  std::string error;
  if (!parseJson(json, &root, &error))
    return report(ANIMA_STATUS_DATA_LOSS, "", "invalid JSON: %s",
                  error.c_str());
  if (!root.isObject())
    return report(ANIMA_STATUS_DATA_LOSS, "",
                  "the top level must be an object, not %s",
                  jsonKindName(root.kind));
  std::string format;
  if (anima_status_t s = getString(report, root, "", "format", true, &format))
    return s;
  if (format != "anima-vulkan-schedule")
    return report(ANIMA_STATUS_INCOMPATIBLE, "format",
                  " is \"%s\", expected \"anima-vulkan-schedule\"",
                  format.c_str());
  uint64_t version = 0;
  if (anima_status_t s =
          getUnsigned(report, root, "", "version", UINT32_MAX, &version))
    return s;
  if (version != 1)
    return report(ANIMA_STATUS_INCOMPATIBLE, "version",
                  " is %llu, this runtime reads version 1", ull(version));
  if (anima_status_t s =
          getString(report, root, "", "profile", false, &schedule.profile))
    return s;
  if (anima_status_t s =
          parseRequirements(report, root, &schedule.requirements))
    return s;
  if (anima_status_t s = parseKernels(report, root, spirv, &schedule))
    return s;
  if (anima_status_t s = parseEntries(report, root, manifest, &schedule))
    return s;
  *out = std::move(schedule);
  return nullptr;
}

anima_status_t checkScheduleLimits(const Schedule &schedule,
                                   const DeviceLimits &limits) {
  Reporter report(schedule.section);
  const char *device = limits.name.c_str();
  const Requirements &r = schedule.requirements;
  if (r.subgroupArithmetic && !limits.subgroupArithmetic)
    return report(ANIMA_STATUS_INCOMPATIBLE, "requires.subgroup_arithmetic",
                  " is true, the device '%s' has no subgroup arithmetic in "
                  "compute shaders",
                  device);
  if (r.maxWorkgroupInvocations > limits.maxWorkgroupInvocations)
    return report(
        ANIMA_STATUS_INCOMPATIBLE, "requires.max_workgroup_invocations",
        " = %llu exceeds the device's "
        "maxComputeWorkGroupInvocations (%u) on '%s'",
        ull(r.maxWorkgroupInvocations), limits.maxWorkgroupInvocations, device);
  if (r.maxSharedBytes > limits.maxSharedBytes)
    return report(ANIMA_STATUS_INCOMPATIBLE, "requires.max_shared_bytes",
                  " = %llu exceeds the device's maxComputeSharedMemorySize "
                  "(%u) on '%s'",
                  ull(r.maxSharedBytes), limits.maxSharedBytes, device);
  if (r.minSubgroupSize > limits.minSubgroupSize)
    return report(ANIMA_STATUS_INCOMPATIBLE, "requires.min_subgroup_size",
                  " = %llu exceeds the device's smallest subgroup size (%u) "
                  "on '%s'",
                  ull(r.minSubgroupSize), limits.minSubgroupSize, device);
  for (size_t k = 0; k < schedule.kernels.size(); ++k) {
    const KernelDesc &kernel = schedule.kernels[k];
    std::string path = item("kernels", k);
    uint64_t invocations = 1;
    for (size_t d = 0; d < 3; ++d) {
      invocations *= kernel.workgroupSize[d];
      if (kernel.workgroupSize[d] > limits.maxWorkgroupSize[d])
        return report(
            ANIMA_STATUS_INCOMPATIBLE, item(member(path, "workgroup_size"), d),
            " = %u exceeds the device's maxComputeWorkGroupSize[%zu] "
            "(%u) on '%s'",
            kernel.workgroupSize[d], d, limits.maxWorkgroupSize[d], device);
    }
    if (invocations > limits.maxWorkgroupInvocations)
      return report(ANIMA_STATUS_INCOMPATIBLE, member(path, "workgroup_size"),
                    " has %llu invocations, more than the device's "
                    "maxComputeWorkGroupInvocations (%u) on '%s'",
                    ull(invocations), limits.maxWorkgroupInvocations, device);
    if (kernel.bindings > limits.maxStorageBuffersPerStage)
      return report(ANIMA_STATUS_INCOMPATIBLE, member(path, "bindings"),
                    " = %u exceeds the device's "
                    "maxPerStageDescriptorStorageBuffers (%u) on '%s'",
                    kernel.bindings, limits.maxStorageBuffersPerStage, device);
  }
  for (size_t e = 0; e < schedule.entries.size(); ++e) {
    const EntrySchedule &entry = schedule.entries[e];
    std::string path = member(item("entry_points", e), "commands");
    std::vector<const CommandDesc *> all;
    for (const CommandDesc &command : entry.commands)
      all.push_back(&command);
    for (const CommandDesc &command : entry.undo)
      all.push_back(&command);
    for (size_t c = 0; c < all.size(); ++c) {
      const CommandDesc &command = *all[c];
      if (command.op != CommandDesc::Op::Dispatch)
        continue;
      std::string at = c < entry.commands.size()
                           ? item(path, c)
                           : item(member(item("entry_points", e), "undo"),
                                  c - entry.commands.size());
      for (size_t d = 0; d < 3; ++d)
        if (command.groups[d] > limits.maxWorkgroupCount[d])
          return report(
              ANIMA_STATUS_INCOMPATIBLE, item(member(at, "groups"), d),
              " = %u exceeds the device's "
              "maxComputeWorkGroupCount[%zu] (%u) on '%s'",
              command.groups[d], d, limits.maxWorkgroupCount[d], device);
      for (size_t b = 0; b < command.bindings.size(); ++b) {
        uint64_t bytes = entry.buffers[command.bindings[b]].bytes;
        if (bytes > limits.maxStorageBufferRange)
          return report(ANIMA_STATUS_INCOMPATIBLE,
                        item(member(at, "bindings"), b),
                        " binds %llu bytes, more than the device's "
                        "maxStorageBufferRange (%u) on '%s'",
                        ull(bytes), limits.maxStorageBufferRange, device);
      }
    }
  }
  return nullptr;
}

} // namespace anima::rt::vk
