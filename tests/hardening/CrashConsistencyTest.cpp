//===- CrashConsistencyTest.cpp - Checkpoints survive kills and full disks ===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Learned state is never lost:
//
//  - SIGKILL: a child process saves checkpoint after checkpoint (each a new
//    generation of state, ~256 KiB) and is killed at a random moment; the
//    file on disk must then load, pass its checksums and hold exactly the
//    last generation the child saw saved, or the one it was saving.
//    ANIMA_CRASH_TRIALS sets the number of kills (default 200).
//  - A full disk (a small tmpfs in a private mount namespace; without the
//    privilege for that, a file-size limit, which fails writes with EFBIG
//    just as a full disk fails them with ENOSPC) and a read-only directory
//    (a read-only bind mount; without mount privileges, a directory without
//    write permission for a non-root uid): the save fails with IO_ERROR
//    naming the cause, the previous checkpoint stays intact and loadable,
//    no temporary file is left, and the save works again once space or
//    write access is back.
//
//===----------------------------------------------------------------------===//

#include "HardeningSupport.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace anima::hardening {
namespace {

const std::vector<uint8_t> &artifact() {
  static const std::vector<uint8_t> bytes = checkpointArtifact();
  return bytes;
}

/// Saves generation `g` of `model` to `path`; returns "" or the error.
std::string saveGeneration(anima_model_t *model, int32_t g,
                           const std::string &path) {
  std::string e = fillGeneration(model, g);
  if (e.empty())
    e = describe(anima_model_save_checkpoint(model, path.c_str()));
  return e;
}

/// Loads `path` into `model` and returns its generation (-1 + error).
int32_t loadGeneration(anima_model_t *model, const std::string &path,
                       std::string *error) {
  *error = describe(anima_model_load_checkpoint(model, path.c_str()));
  if (!error->empty())
    return -1;
  return readGeneration(model, error);
}

int trialsFromEnvironment() {
  const char *text = std::getenv("ANIMA_CRASH_TRIALS");
  int n = text ? std::atoi(text) : 0;
  return n > 0 ? n : 200;
}

/// The child of one kill trial: saves generations from `first` on, and
/// reports each generation whose save returned through `fd`.
[[noreturn]] void saveForever(int fd, int32_t first, const std::string &path) {
  std::string error;
  anima_model_t *model = openModel(artifact(), &error);
  if (!model)
    ::_exit(3);
  char ready = 'r';
  if (::write(fd, &ready, 1) != 1)
    ::_exit(4);
  for (int32_t g = first; g < first + 100000; ++g) {
    if (!saveGeneration(model, g, path).empty())
      ::_exit(5);
    if (::write(fd, &g, sizeof g) != sizeof g)
      ::_exit(6);
  }
  ::_exit(0);
}

TEST(CrashConsistency, SigkillWhileCheckpointingLeavesPreviousOrNew) {
  ASSERT_FALSE(artifact().empty()) << "cannot build the toy artifact";
  const int trials = trialsFromEnvironment();
  std::string dir = makeTempDir("crash");
  ASSERT_FALSE(dir.empty());
  const std::string path = dir + "/model.ckpt";
  std::string error;
  anima_model_t *reader = openModel(artifact(), &error);
  ASSERT_NE(reader, nullptr) << error;
  ASSERT_EQ(saveGeneration(reader, 0, path), "");

  // One save lasts a few milliseconds (fsyncs); kill anywhere in the first
  // few saves after the child is ready.
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 1; i <= 3; ++i)
    ASSERT_EQ(saveGeneration(reader, i, path), "");
  double saveUs = std::chrono::duration<double, std::micro>(
                      std::chrono::steady_clock::now() - t0)
                      .count() /
                  3;
  int32_t committed = 3; // generation on disk
  std::mt19937 rng(20240607);
  std::uniform_real_distribution<double> delay(0.0, 3.0 * saveUs + 200.0);
  int keptPrevious = 0, tookNew = 0, midWrite = 0;
  for (int trial = 0; trial < trials; ++trial) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      saveForever(fds[1], committed + 1, path);
    }
    ::close(fds[1]);
    char ready = 0;
    ASSERT_EQ(::read(fds[0], &ready, 1), 1) << "the child did not start";
    ::usleep(useconds_t(delay(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    int32_t g = 0, lastSaved = committed;
    while (::read(fds[0], &g, sizeof g) == sizeof g)
      lastSaved = g;
    ::close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "trial " << trial << ": the child ended on its own (status "
        << status << ")";

    int32_t onDisk = loadGeneration(reader, path, &error);
    ASSERT_GE(onDisk, 0) << "trial " << trial << ": " << error;
    ASSERT_TRUE(onDisk == lastSaved || onDisk == lastSaved + 1)
        << "trial " << trial << ": generation " << onDisk
        << " on disk, the child had saved " << lastSaved;
    (onDisk == lastSaved ? keptPrevious : tookNew) += 1;
    // A kill between the temporary file's creation and the rename leaves
    // it behind; the next writer (the next trial's child) removes it.
    std::vector<std::string> temps = filesWithPrefix(dir, "model.ckpt.tmp.");
    if (temps.size() > 1)
      FAIL() << "trial " << trial << ": " << temps.size()
             << " temporary files left: stale ones were not removed";
    if (!temps.empty())
      ++midWrite;
    committed = onDisk;
  }
  // One more save by a live process clears the last killed writer's file.
  ASSERT_EQ(saveGeneration(reader, committed + 1, path), "");
  EXPECT_TRUE(filesWithPrefix(dir, "model.ckpt.tmp.").empty())
      << "a killed writer's temporary file survived the next save";
  anima_model_close(reader);
  removeDir(dir);
  std::printf("[ crash    ] %d SIGKILL trials survived: %d kept the previous "
              "checkpoint, %d found the new one complete; %d kills landed "
              "between the temporary file's creation and the rename "
              "(save: %.0f us)\n",
              trials, keptPrevious, tookNew, midWrite, saveUs);
  RecordProperty("trials", trials);
  RecordProperty("kept_previous", keptPrevious);
  RecordProperty("took_new", tookNew);
  RecordProperty("mid_write", midWrite);
}

//===----------------------------------------------------------------------===//
// Full disk and read-only directory
//===----------------------------------------------------------------------===//

/// Enters a private mount namespace (so mounts vanish with the child).
bool privateMounts() {
  if (::unshare(CLONE_NEWNS) != 0)
    return false;
  return ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
}

/// Fills the file system of `dir` until only `leave` bytes are free.
std::string fillDisk(const std::string &dir, size_t leave) {
  std::string filler = dir + "/filler";
  int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return "cannot create the filler file";
  std::vector<char> block(4096, 'x');
  while (::write(fd, block.data(), block.size()) > 0) {
  }
  ::close(fd);
  if (leave) {
    struct stat st;
    ::stat(filler.c_str(), &st);
    if (::truncate(filler.c_str(), st.st_size - off_t(leave)) != 0)
      return "cannot shrink the filler file";
  }
  return "";
}

/// The common scenario: generation 1 saved, then `breakIt` makes the next
/// save fail, which must report `expected` and leave generation 1 intact
/// and no temporary file; `repair` undoes it and generation 3 saves.
std::string failedSaveKeepsPrevious(const std::string &dir,
                                    const std::function<std::string()> &breakIt,
                                    const std::function<std::string()> &repair,
                                    const std::string &expected) {
  std::string error;
  anima_model_t *model = openModel(artifact(), &error);
  if (!model)
    return error;
  std::string path = dir + "/model.ckpt";
  if (std::string e = saveGeneration(model, 1, path); !e.empty())
    return "first save: " + e;
  if (std::string e = breakIt(); !e.empty())
    return e;
  std::string e = saveGeneration(model, 2, path);
  if (e.empty())
    return "the save succeeded although it could not have";
  if (e.rfind("IO_ERROR", 0) != 0 || e.find(expected) == std::string::npos ||
      e.find("model.ckpt") == std::string::npos)
    return "unclear error: '" + e + "' (expected IO_ERROR, '" + expected +
           "' and the path)";
  if (!filesWithPrefix(dir, "model.ckpt.tmp.").empty())
    return "a temporary file was left behind";
  if (int32_t g = loadGeneration(model, path, &error); g != 1)
    return "previous checkpoint not intact: " + error +
           " (generation " + std::to_string(g) + ")";
  if (std::string r = repair(); !r.empty())
    return r;
  if (std::string s = saveGeneration(model, 3, path); !s.empty())
    return "save after the repair: " + s;
  if (int32_t g = loadGeneration(model, path, &error); g != 3)
    return "after the repair: " + error;
  anima_model_close(model);
  std::printf("[ disk     ] refused as expected: %s\n", e.c_str());
  return "";
}

TEST(CrashConsistency, FullDiskKeepsThePreviousCheckpoint) {
  ASSERT_FALSE(artifact().empty());
  for (size_t leave : {size_t(0), kBigElements * 2}) {
    std::string dir = makeTempDir("full");
    ASSERT_FALSE(dir.empty());
    std::string mode;
    std::string result = inChild([&]() -> std::string {
      // 1 MiB: room for one checkpoint (~256 KiB) and the filler.
      if (privateMounts() &&
          ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=1m") == 0) {
        std::printf("[ disk     ] full tmpfs, %zu bytes left free\n", leave);
        return failedSaveKeepsPrevious(
            dir, [&] { return fillDisk(dir, leave); },
            [&] { return ::unlink((dir + "/filler").c_str()) == 0
                             ? ""
                             : "cannot remove the filler"; },
            "No space left on device");
      }
      // No mount privilege: a file-size limit fails the write like ENOSPC.
      std::printf("[ disk     ] no tmpfs (no mount privilege): RLIMIT_FSIZE "
                  "stands in for a full disk\n");
      std::signal(SIGXFSZ, SIG_IGN);
      rlimit old;
      ::getrlimit(RLIMIT_FSIZE, &old);
      return failedSaveKeepsPrevious(
          dir,
          [&] {
            rlimit lim = old;
            lim.rlim_cur = rlim_t(leave ? leave : 4096);
            return ::setrlimit(RLIMIT_FSIZE, &lim) == 0 ? ""
                                                        : "setrlimit failed";
          },
          [&] {
            return ::setrlimit(RLIMIT_FSIZE, &old) == 0 ? ""
                                                        : "setrlimit failed";
          },
          "File too large");
    });
    EXPECT_EQ(result, "") << "leaving " << leave << " bytes free";
    removeDir(dir);
  }
}

TEST(CrashConsistency, ReadOnlyDirectoryKeepsThePreviousCheckpoint) {
  ASSERT_FALSE(artifact().empty());
  std::string dir = makeTempDir("ro");
  ASSERT_FALSE(dir.empty());
  std::string result = inChild([&]() -> std::string {
    if (privateMounts() &&
        ::mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND, nullptr) == 0) {
      std::printf("[ disk     ] read-only bind mount\n");
      return failedSaveKeepsPrevious(
          dir,
          [&] {
            return ::mount(nullptr, dir.c_str(), nullptr,
                           MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0
                       ? ""
                       : std::string("remount read-only: ") +
                             std::strerror(errno);
          },
          [&] {
            return ::mount(nullptr, dir.c_str(), nullptr,
                           MS_REMOUNT | MS_BIND, nullptr) == 0
                       ? ""
                       : "remount read-write failed";
          },
          "Read-only file system");
    }
    // No mount privilege: a directory without write permission, for a
    // non-root uid (root ignores permissions).
    std::printf("[ disk     ] no bind mount (no privilege): a directory "
                "without write permission stands in\n");
    if (::getuid() == 0) {
      if (::chown(dir.c_str(), 65534, 65534) != 0 || ::setgid(65534) != 0 ||
          ::setuid(65534) != 0)
        return "cannot drop root privileges";
    }
    return failedSaveKeepsPrevious(
        dir,
        [&] {
          return ::chmod(dir.c_str(), 0555) == 0 ? "" : "chmod failed";
        },
        [&] {
          return ::chmod(dir.c_str(), 0755) == 0 ? "" : "chmod failed";
        },
        "Permission denied");
  });
  EXPECT_EQ(result, "");
  removeDir(dir);
}

} // namespace
} // namespace anima::hardening
