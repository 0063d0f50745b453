//===- cpu_executable.h - Loaded CPU code of one model ----------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_CPU_CPU_EXECUTABLE_H
#define ANIMA_RUNTIME_DRIVERS_CPU_CPU_EXECUTABLE_H

#include "drivers/driver.h"

namespace anima::rt {

/// Loads the shared library in `section`, checks that its
/// anima_abi_version() equals ANIMA_ABI_VERSION and resolves the symbol of
/// every entry point of `manifest` (INCOMPATIBLE otherwise, naming the
/// section and the symbol).
[[nodiscard]] anima_status_t
loadCpuExecutable(const SectionView &section, const Manifest &manifest,
                  std::unique_ptr<Executable> *out);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_DRIVERS_CPU_CPU_EXECUTABLE_H
