//===- cpu_driver.cpp - The CPU backend -----------------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "drivers/cpu/cpu_driver.h"

#include "drivers/cpu/cpu_executable.h"
#include "support/status.h"

namespace anima::rt {
namespace {

/// Returns the architecture component of `triple` ("" when empty).
std::string architectureOf(const std::string &triple) {
  return triple.substr(0, triple.find('-'));
}

/// Picks the "cpu" target whose triple matches this host.
anima_status_t selectTarget(const Manifest &manifest, const TargetDesc **out) {
  std::string available;
  for (const TargetDesc &target : manifest.targets) {
    if (target.backend != "cpu")
      continue;
    std::string arch = architectureOf(target.triple);
    if (arch.empty() || arch == hostArchitecture()) {
      *out = &target;
      return nullptr;
    }
    available += (available.empty() ? "" : ", ") + target.triple;
  }
  if (available.empty())
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "the artifact has no cpu target (compile it with "
                      "--target=cpu)");
  return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                    "the artifact has no cpu target for %s (it has: %s)",
                    hostArchitecture(), available.c_str());
}

/// The CPU driver; stateless.
class CpuDriver final : public Driver {
public:
  const char *name() const override { return "cpu"; }

  anima_status_t load(const ArtifactView &view, const Manifest &manifest,
                      std::unique_ptr<Executable> *out) override {
    const TargetDesc *target = nullptr;
    if (anima_status_t s = selectTarget(manifest, &target))
      return s;
    const SectionView *section = view.findByName(target->section);
    if (!section)
      return makeStatus(ANIMA_STATUS_INTERNAL,
                        "cpu target section '%s' vanished",
                        target->section.c_str());
    return loadCpuExecutable(*section, manifest, out);
  }
};

} // namespace

const char *hostArchitecture() {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__aarch64__)
  return "aarch64";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#elif defined(__arm__)
  return "arm";
#elif defined(__i386__)
  return "i386";
#else
  return "unknown";
#endif
}

std::unique_ptr<Driver> createCpuDriver() {
  return std::make_unique<CpuDriver>();
}

} // namespace anima::rt
