//===- shared_object.h - A shared library loaded from memory ----*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_DRIVERS_CPU_SHARED_OBJECT_H
#define ANIMA_RUNTIME_DRIVERS_CPU_SHARED_OBJECT_H

#include "anima/runtime/anima.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace anima::rt {

/// An ELF shared library loaded from bytes in memory with
/// dlopen(RTLD_LOCAL | RTLD_NOW); unloaded when destroyed. Each load is a
/// separate instance, even of identical bytes.
class SharedObject {
public:
  ~SharedObject();
  SharedObject(const SharedObject &) = delete;
  SharedObject &operator=(const SharedObject &) = delete;

  /// How load() materializes the bytes as a file for dlopen().
  enum class Method {
    Auto,     ///< memfd_create, else a temporary file
    TempFile, ///< a temporary file in $TMPDIR (or /tmp), unlinked at once
  };

  /// Loads `size` bytes at `data`: writes them to an anonymous file
  /// (memfd_create, else an unlinked temporary file in $TMPDIR) and dlopen()s
  /// it. `label` names the code in messages (e.g. the section name).
  [[nodiscard]] static anima_status_t load(const uint8_t *data, size_t size,
                                           const std::string &label,
                                           std::unique_ptr<SharedObject> *out,
                                           Method method = Method::Auto);

  /// Returns the address of the exported symbol `name`, or nullptr.
  void *symbol(const char *name) const;

private:
  explicit SharedObject(void *handle) : handle(handle) {}

  void *handle;
};

} // namespace anima::rt

#endif // ANIMA_RUNTIME_DRIVERS_CPU_SHARED_OBJECT_H
