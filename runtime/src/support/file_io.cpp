//===- file_io.cpp - Whole-file reads and atomic writes -------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "support/file_io.h"

#include "support/status.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <signal.h>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace anima::rt {
namespace {

/// Closes a file descriptor when it goes out of scope.
class FdCloser {
public:
  explicit FdCloser(int fd) : fd(fd) {}
  ~FdCloser() {
    if (fd >= 0)
      ::close(fd);
  }
  FdCloser(const FdCloser &) = delete;
  FdCloser &operator=(const FdCloser &) = delete;

  /// Closes now and returns close()'s result.
  int close() {
    int rc = ::close(fd);
    fd = -1;
    return rc;
  }

private:
  int fd;
};

/// Returns a status for the failed system call `call` on `path` (errno).
anima_status_t ioError(const char *call, const std::string &path) {
  int err = errno;
  anima_status_code_t code =
      err == ENOENT ? ANIMA_STATUS_NOT_FOUND : ANIMA_STATUS_IO_ERROR;
  return makeStatus(code, "%s('%s'): %s", call, path.c_str(),
                    std::strerror(err));
}

/// Writes all `size` bytes, retrying on EINTR and short writes.
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

/// Returns the directory part of `path` ("." when there is none).
std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

/// Fsyncs the directory `dir` so that a rename inside it is durable.
anima_status_t syncDirectory(const std::string &dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return ioError("open", dir);
  FdCloser closer(fd);
  if (::fsync(fd) != 0 && errno != EINVAL)
    return ioError("fsync", dir);
  return nullptr;
}

} // namespace

anima_status_t readFile(const char *path, uint64_t maxBytes,
                        std::vector<uint8_t> *out) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ioError("open", path);
  FdCloser closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0)
    return ioError("fstat", path);
  if (!S_ISREG(st.st_mode))
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "'%s' is not a regular file", path);
  uint64_t size = uint64_t(st.st_size);
  if (size > maxBytes)
    return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                      "'%s' is %llu bytes, over the limit of %llu", path,
                      (unsigned long long)size, (unsigned long long)maxBytes);
  std::vector<uint8_t> data(size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, data.data() + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return ioError("read", path);
    if (n == 0)
      break; // The file shrank while we read it.
    done += size_t(n);
  }
  data.resize(done);
  *out = std::move(data);
  return nullptr;
}

/// Removes `<target>.tmp.<pid>.*` files left behind by writers that no
/// longer exist (a process killed between creating its temporary file and
/// the rename). Best effort: errors are ignored; a live writer's file is
/// never touched.
void removeStaleTemps(const std::string &target) {
  std::string dir = directoryOf(target);
  size_t slash = target.rfind('/');
  std::string prefix =
      (slash == std::string::npos ? target : target.substr(slash + 1)) +
      ".tmp.";
  DIR *d = ::opendir(dir.c_str());
  if (!d)
    return;
  while (struct dirent *entry = ::readdir(d)) {
    const char *name = entry->d_name;
    if (std::strncmp(name, prefix.c_str(), prefix.size()) != 0)
      continue;
    const char *digits = name + prefix.size();
    char *end = nullptr;
    long pid = std::strtol(digits, &end, 10);
    if (end == digits || *end != '.' || pid <= 0 || pid == long(::getpid()))
      continue;
    if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH)
      continue;
    ::unlinkat(::dirfd(d), name, 0);
  }
  ::closedir(d);
}

anima_status_t writeFileAtomic(const char *path, const void *data,
                               size_t size) {
  std::string target(path);
  removeStaleTemps(target);
  // The writer's pid in the name lets a later writer remove what a killed
  // one left behind.
  std::string temp =
      target + ".tmp." + std::to_string(::getpid()) + ".XXXXXX";
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0)
    return ioError("mkstemp", temp);
  FdCloser closer(fd);
  anima_status_t status = nullptr;
  if (::fchmod(fd, 0644) != 0)
    status = ioError("fchmod", temp);
  else if (!writeAll(fd, static_cast<const uint8_t *>(data), size))
    status = ioError("write", temp);
  else if (::fsync(fd) != 0)
    status = ioError("fsync", temp);
  else if (closer.close() != 0)
    status = ioError("close", temp);
  else if (::rename(temp.c_str(), target.c_str()) != 0)
    status = ioError("rename", target);
  if (status) {
    ::unlink(temp.c_str());
    return status;
  }
  return syncDirectory(directoryOf(target));
}

} // namespace anima::rt
