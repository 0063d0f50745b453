//===- cpu_executable.cpp - Loaded CPU code of one model ------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "drivers/cpu/cpu_executable.h"

#include "drivers/cpu/shared_object.h"
#include "support/status.h"

#include <cstring>
#include <vector>

namespace anima::rt {
namespace {

using AbiVersionFn = uint32_t (*)();
using EntryFn = void (*)(anima_step_context *, void *const *);

/// Converts a dlsym() result to a function pointer without a cast warning.
template <typename Fn> Fn toFunction(void *address) {
  static_assert(sizeof(Fn) == sizeof(void *), "function pointer size");
  Fn fn;
  std::memcpy(&fn, &address, sizeof(fn));
  return fn;
}

/// A dlopen()ed library and the entry points resolved from it.
class CpuExecutable final : public Executable {
public:
  CpuExecutable(std::unique_ptr<SharedObject> library,
                std::vector<EntryFn> entries)
      : library(std::move(library)), entries(std::move(entries)) {}

  anima_status_t run(size_t entry, anima_step_context *ctx,
                     void *const *buffers) override {
    entries[entry](ctx, buffers);
    // The microkernels stream undo-journal records with non-temporal stores
    // and leave them unfenced on success (kernels/cpu/lib/Internal.h,
    // Journal::commit): one fence per step, here, makes them visible to any
    // thread the caller hands the model to next.
#if defined(__x86_64__)
    __builtin_ia32_sfence();
#endif
    return nullptr;
  }

private:
  std::unique_ptr<SharedObject> library;
  std::vector<EntryFn> entries;
};

/// Checks anima_abi_version() of the loaded library.
anima_status_t checkAbi(const SharedObject &library, const char *section) {
  void *address = library.symbol("anima_abi_version");
  if (!address)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "cpu code section '%s' does not export "
                      "anima_abi_version",
                      section);
  uint32_t version = toFunction<AbiVersionFn>(address)();
  if (version != ANIMA_ABI_VERSION)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "cpu code section '%s' was compiled for ABI version %u, "
                      "this runtime implements version %u",
                      section, version, ANIMA_ABI_VERSION);
  return nullptr;
}

} // namespace

anima_status_t loadCpuExecutable(const SectionView &section,
                                 const Manifest &manifest,
                                 std::unique_ptr<Executable> *out) {
  std::unique_ptr<SharedObject> library;
  if (anima_status_t s = SharedObject::load(section.data, section.size,
                                            section.name, &library))
    return s;
  if (anima_status_t s = checkAbi(*library, section.name.c_str()))
    return s;
  std::vector<EntryFn> entries;
  for (const EntryDesc &entry : manifest.entries) {
    void *address = library->symbol(entry.symbol.c_str());
    if (!address)
      return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                        "entry point '%s': symbol '%s' is not exported by "
                        "cpu code section '%s'",
                        entry.name.c_str(), entry.symbol.c_str(),
                        section.name.c_str());
    entries.push_back(toFunction<EntryFn>(address));
  }
  *out =
      std::make_unique<CpuExecutable>(std::move(library), std::move(entries));
  return nullptr;
}

} // namespace anima::rt
