//===- cpu_driver.h - The CPU backend ---------------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_CPU_CPU_DRIVER_H
#define ANIMA_RUNTIME_DRIVERS_CPU_CPU_DRIVER_H

#include "drivers/driver.h"

namespace anima::rt {

/// Creates the CPU driver: it loads the artifact's native shared library for
/// this host (manifest target with backend "cpu") and calls its entry points
/// directly.
std::unique_ptr<Driver> createCpuDriver();

/// Returns the architecture of this host as a triple's first component
/// ("x86_64", "aarch64", ...).
const char *hostArchitecture();

} // namespace anima::rt

#endif // ANIMA_RUNTIME_DRIVERS_CPU_CPU_DRIVER_H
