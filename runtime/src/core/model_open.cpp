//===- model_open.cpp - Opening and closing models ------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/abi.h"
#include "core/api_guard.h"
#include "core/model.h"
#include "format/artifact_reader.h"
#include "format/checkpoint.h"
#include "format/references.h"
#include "support/file_io.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <unistd.h>

namespace anima::rt {
namespace {

/// Largest artifact file anima_model_open_file reads.
constexpr uint64_t kMaxArtifactBytes = uint64_t(1) << 36;

std::atomic<uint64_t> nextSerial{1};

/// Returns true iff the caller's options struct is large enough to hold the
/// field ending at `end`.
bool hasField(const anima_open_options *options, size_t end) {
  return options->struct_size >= end;
}

/// Reads the options; a NULL pointer means the defaults.
anima_status_t readOptions(const anima_open_options *options,
                           std::string *backend, DriverOptions *driver) {
  *backend = "cpu";
  *driver = DriverOptions();
  if (!options)
    return nullptr;
  constexpr size_t kBackendEnd =
      offsetof(anima_open_options, backend) + sizeof(options->backend);
  if (!hasField(options, kBackendEnd))
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "options->struct_size is %zu; initialize the options "
                      "with anima_open_options_init",
                      options->struct_size);
  if (options->backend)
    *backend = options->backend;
  bool reservedSet = false;
  if (hasField(options, offsetof(anima_open_options, reserved0))) {
    reservedSet |=
        (options->flags & ~uint32_t(ANIMA_OPEN_VULKAN_VALIDATION)) != 0;
    driver->validation = (options->flags & ANIMA_OPEN_VULKAN_VALIDATION) != 0;
  }
  if (hasField(options, offsetof(anima_open_options, reserved)))
    reservedSet |= options->reserved0 != 0;
  if (hasField(options, offsetof(anima_open_options, device)))
    for (uint64_t r : options->reserved)
      reservedSet |= r != 0;
  if (reservedSet)
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "options: flags other than "
                      "ANIMA_OPEN_VULKAN_VALIDATION and the reserved fields "
                      "must be 0");
  constexpr size_t kDeviceEnd =
      offsetof(anima_open_options, device) + sizeof(options->device);
  if (hasField(options, kDeviceEnd) && options->device)
    driver->device = options->device;
  constexpr size_t kBudgetEnd = offsetof(anima_open_options, max_memory_bytes) +
                                sizeof(options->max_memory_bytes);
  if (hasField(options, kBudgetEnd))
    driver->maxMemoryBytes = options->max_memory_bytes;
  return nullptr;
}

/// The machine's physical memory (UINT64_MAX when unknown).
uint64_t physicalMemory() {
  long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0)
    return UINT64_MAX;
  return uint64_t(pages) * uint64_t(page);
}

/// Refuses, before allocating anything, a model whose open-time host
/// allocations exceed the budget: the state, its initial copy, copy-guard
/// backups, every entry's staging buffers and the largest journal.
anima_status_t checkMemoryBudget(const Manifest &manifest, uint64_t budget) {
  using ull = unsigned long long;
  const bool defaulted = budget == 0;
  if (defaulted)
    budget = physicalMemory();
  uint64_t need = 0, journal = 0;
  bool overflow = false;
  auto add = [&](uint64_t bytes) {
    overflow |= __builtin_add_overflow(need, bytes, &need);
  };
  for (const StateDesc &s : manifest.states) {
    add(s.tensor.bytes);
    add(s.tensor.bytes);
    if (s.guard == Guard::Copy)
      add(s.tensor.bytes);
  }
  for (const EntryDesc &e : manifest.entries) {
    for (const TensorDesc &t : e.inputs)
      add(t.bytes);
    for (const TensorDesc &t : e.outputs)
      add(t.bytes);
    journal = std::max(journal, e.journalBytes);
  }
  add(journal);
  if (!overflow && need <= budget)
    return nullptr;
  return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                    "the model needs %s%llu bytes of host memory at open, "
                    "more than the budget of %llu bytes (%s)",
                    overflow ? "more than " : "", ull(need), ull(budget),
                    defaulted ? "the machine's physical memory"
                              : "anima_open_options.max_memory_bytes");
}

/// Fills an introspection record pointing into `desc`.
anima_tensor_info infoOf(const TensorDesc &desc) {
  anima_tensor_info info;
  info.name = desc.name.c_str();
  info.dtype = desc.dtype;
  info.rank = uint32_t(desc.shape.size());
  info.shape = desc.shape.data();
  info.bytes = desc.bytes;
  return info;
}

/// Allocates the state stores and copies the initial values in.
anima_status_t allocateState(anima_model_t *m, const SectionView *init) {
  std::vector<uint64_t> sizes, backupSizes;
  // A backend that owns the state guards it itself: no backups here.
  bool hostGuard = !m->executable->ownsState();
  for (const StateDesc &s : m->manifest.states) {
    sizes.push_back(s.tensor.bytes);
    backupSizes.push_back(hostGuard && s.guard == Guard::Copy ? s.tensor.bytes
                                                              : 0);
    m->stateInfo.push_back(infoOf(s.tensor));
  }
  if (!m->state.allocate(sizes) || !m->initial.allocate(sizes) ||
      !m->backup.allocate(backupSizes))
    return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory allocating the state");
  for (size_t i = 0; i < sizes.size(); ++i) {
    const StateDesc &s = m->manifest.states[i];
    if (!sizes[i])
      continue;
    const uint8_t *src = init->data + s.initOffset;
    if (s.tensor.dtype == ANIMA_DTYPE_F32) {
      int64_t bad = findNonFinite(src, sizes[i]);
      if (bad >= 0)
        return makeStatus(ANIMA_STATUS_DATA_LOSS,
                          "state '%s': initial element %lld is not finite",
                          s.tensor.name.c_str(), (long long)bad);
    }
    std::memcpy(m->initial.data(i), src, sizes[i]);
  }
  m->state.copyFrom(m->initial);
  return nullptr;
}

/// Allocates the staging buffers and ABI buffer lists of every entry point,
/// and the journal.
anima_status_t allocateEntries(anima_model_t *m) {
  uint64_t journalBytes = 0;
  for (const EntryDesc &e : m->manifest.entries) {
    EntryBinding b;
    std::vector<uint64_t> sizes;
    for (const TensorDesc &t : e.inputs) {
      sizes.push_back(t.bytes);
      b.inputInfo.push_back(infoOf(t));
    }
    for (const TensorDesc &t : e.outputs) {
      sizes.push_back(t.bytes);
      b.outputInfo.push_back(infoOf(t));
    }
    if (!b.io.allocate(sizes))
      return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                        "entry point '%s': out of memory allocating its "
                        "input and output buffers",
                        e.name.c_str());
    for (size_t i = 0; i < m->state.count(); ++i)
      b.buffers.push_back(m->state.data(i));
    for (size_t i = 0; i < sizes.size(); ++i)
      b.buffers.push_back(b.io.data(i));
    journalBytes = std::max(journalBytes, e.journalBytes);
    m->bindings.push_back(std::move(b));
  }
  if (!m->journal.allocate(size_t(journalBytes)))
    return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                      "out of memory allocating a %llu-byte undo journal",
                      (unsigned long long)journalBytes);
  m->journalScratch.reserve(journalBytes / sizeof(anima_journal_record) + 1);
  return nullptr;
}

/// Publishes the freshly initialized state to a backend that owns it.
anima_status_t pushInitialState(anima_model_t *m) {
  if (!m->executable->ownsState())
    return nullptr;
  std::vector<const void *> state;
  for (size_t i = 0; i < m->state.count(); ++i)
    state.push_back(m->state.data(i));
  if (anima_status_t s = m->executable->pushState(state.data()))
    return s;
  return m->executable->takeDiagnostics();
}

/// Validates the artifact, loads its code on the backend and builds the
/// model.
anima_status_t buildModel(const uint8_t *data, size_t size,
                          const std::string &backend,
                          const DriverOptions &driverOptions,
                          std::unique_ptr<anima_model_t> *out) {
  auto m = std::make_unique<anima_model_t>();
  ArtifactView view;
  if (anima_status_t s = readArtifact(data, size, &view))
    return s;
  if (view.abiVersion != ANIMA_ABI_VERSION)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "the artifact was compiled for ABI version %u, this "
                      "runtime implements version %u",
                      view.abiVersion, ANIMA_ABI_VERSION);
  const SectionView *manifestSection = nullptr;
  if (anima_status_t s = findManifest(view, &manifestSection))
    return s;
  m->manifestText.assign(reinterpret_cast<const char *>(manifestSection->data),
                         manifestSection->size);
  if (anima_status_t s = parseManifest(m->manifestText, &m->manifest))
    return s;
  const SectionView *init = nullptr;
  if (anima_status_t s = checkManifestReferences(view, m->manifest, &init))
    return s;
  if (anima_status_t s =
          checkMemoryBudget(m->manifest, driverOptions.maxMemoryBytes))
    return s;
  if (anima_status_t s = createDriver(backend, driverOptions, &m->driver))
    return s;
  if (anima_status_t s = m->driver->load(view, m->manifest, &m->executable))
    return s;
  std::memcpy(m->artifactId, view.id, sizeof(m->artifactId));
  m->backend = backend;
  if (anima_status_t s = allocateState(m.get(), init))
    return s;
  if (anima_status_t s = allocateEntries(m.get()))
    return s;
  if (anima_status_t s = pushInitialState(m.get()))
    return s;
  m->serial = nextSerial.fetch_add(1);
  *out = std::move(m);
  return nullptr;
}

/// Shared body of both open functions.
anima_status_t openModel(const uint8_t *data, size_t size,
                         const anima_open_options *options,
                         anima_model_t **out) {
  std::string backend;
  DriverOptions driverOptions;
  if (anima_status_t s = readOptions(options, &backend, &driverOptions))
    return s;
  std::unique_ptr<anima_model_t> model;
  if (anima_status_t s = buildModel(data, size, backend, driverOptions, &model))
    return s;
  *out = model.release();
  return nullptr;
}

} // namespace
} // namespace anima::rt

using namespace anima::rt;

extern "C" {

void anima_open_options_init(anima_open_options *options) {
  if (!options)
    return;
  std::memset(options, 0, sizeof(*options));
  options->struct_size = sizeof(*options);
  options->backend = "cpu";
}

anima_status_t anima_model_open_file(const char *path,
                                     const anima_open_options *options,
                                     anima_model_t **out) {
  const char *call = "anima_model_open_file";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(path, call, "path"))
      return s;
    if (anima_status_t s = requireNonNull(out, call, "out"))
      return s;
    std::vector<uint8_t> bytes;
    if (anima_status_t s = readFile(path, kMaxArtifactBytes, &bytes))
      return annotate(s, "%s", call);
    return annotate(openModel(bytes.data(), bytes.size(), options, out),
                    "%s('%s')", call, path);
  });
}

anima_status_t anima_model_open_memory(const void *data, size_t size,
                                       const anima_open_options *options,
                                       anima_model_t **out) {
  const char *call = "anima_model_open_memory";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(out, call, "out"))
      return s;
    if (!data && size)
      return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT, "%s: data is NULL",
                        call);
    return annotate(
        openModel(static_cast<const uint8_t *>(data), size, options, out), "%s",
        call);
  });
}

void anima_model_close(anima_model_t *model) { delete model; }

} // extern "C"
