//===- shared_object.cpp - A shared library loaded from memory ------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "drivers/cpu/shared_object.h"

#include "support/status.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace anima::rt {
namespace {

/// Writes all bytes to `fd`, retrying short writes.
bool writeAll(int fd, const uint8_t *data, size_t size) {
  while (size) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    data += n;
    size -= size_t(n);
  }
  return true;
}

/// Returns dlerror()'s text, or a placeholder.
std::string lastDlError() {
  const char *error = ::dlerror();
  return error ? error : "unknown dlopen error";
}

/// dlopen()s `path`, or explains why not.
anima_status_t openPath(const std::string &path, const std::string &label,
                        void **handle) {
  ::dlerror();
  *handle = ::dlopen(path.c_str(), RTLD_LOCAL | RTLD_NOW);
  if (*handle)
    return nullptr;
  return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                    "cpu code '%s' is not a loadable shared library for this "
                    "host: %s",
                    label.c_str(), lastDlError().c_str());
}

/// Loads through an anonymous memory file; returns false (without a status)
/// when memfd_create or /proc/self/fd is unavailable so the caller can fall
/// back.
bool loadViaMemfd(const uint8_t *data, size_t size, const std::string &label,
                  void **handle, anima_status_t *status) {
  int fd = ::memfd_create("anima-cpu-code", MFD_CLOEXEC);
  if (fd < 0)
    return false;
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  if (::access(path.c_str(), R_OK) != 0) {
    ::close(fd);
    return false;
  }
  if (!writeAll(fd, data, size)) {
    *status = makeStatus(ANIMA_STATUS_IO_ERROR,
                         "writing cpu code '%s' to a memfd: %s", label.c_str(),
                         std::strerror(errno));
    ::close(fd);
    return true;
  }
  *status = openPath(path, label, handle);
  ::close(fd);
  return true;
}

/// Loads through a temporary file in $TMPDIR (or /tmp), removed at once.
anima_status_t loadViaTempFile(const uint8_t *data, size_t size,
                               const std::string &label, void **handle) {
  const char *dir = std::getenv("TMPDIR");
  std::string path =
      std::string(dir && *dir ? dir : "/tmp") + "/anima-cpu-code.XXXXXX";
  int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0)
    return makeStatus(ANIMA_STATUS_IO_ERROR,
                      "creating a temporary file for cpu code '%s' (%s): %s",
                      label.c_str(), path.c_str(), std::strerror(errno));
  anima_status_t status = nullptr;
  if (!writeAll(fd, data, size))
    status =
        makeStatus(ANIMA_STATUS_IO_ERROR, "writing cpu code '%s' to %s: %s",
                   label.c_str(), path.c_str(), std::strerror(errno));
  ::close(fd);
  if (!status)
    status = openPath(path, label, handle);
  ::unlink(path.c_str());
  return status;
}

} // namespace

SharedObject::~SharedObject() { ::dlclose(handle); }

anima_status_t SharedObject::load(const uint8_t *data, size_t size,
                                  const std::string &label,
                                  std::unique_ptr<SharedObject> *out,
                                  Method method) {
  void *handle = nullptr;
  anima_status_t status = nullptr;
  if (method == Method::TempFile ||
      !loadViaMemfd(data, size, label, &handle, &status))
    status = loadViaTempFile(data, size, label, &handle);
  if (status)
    return status;
  out->reset(new SharedObject(handle));
  return nullptr;
}

void *SharedObject::symbol(const char *name) const {
  return ::dlsym(handle, name);
}

} // namespace anima::rt
