//===- HardeningSupport.cpp - Shared pieces of the hardening tests --------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "HardeningSupport.h"

#include "../common/ToyManifest.h"

#include "anima/runtime/artifact_writer.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

namespace anima::hardening {
namespace {

/// The f32 value of element `i` in generation `g`: an integer below 2^24,
/// so exact, and different for neighbouring generations and elements.
float patternValue(int32_t g, size_t i) {
  return float((uint32_t(g) * 7919u + uint32_t(i) * 31u) % 16777213u);
}

} // namespace

std::vector<uint8_t> checkpointArtifact() {
  std::ifstream in(ANIMA_HARDENING_TOY_MODEL_PATH, std::ios::binary);
  std::vector<uint8_t> code(std::istreambuf_iterator<char>(in), {});
  std::string manifest = R"({
  "format": "anima-artifact", "format_version": 1, "model": "toy-big",
  "state": [
)" + std::string(test::toyStateJson()) + R"(,
    {"name": "big", "dtype": "f32", "shape": [)" +
                         std::to_string(kBigElements) +
                         R"(], "bytes": )" +
                         std::to_string(kBigElements * 4) +
                         R"(, "init_offset": 192, "guard": "copy"}
  ],
  "entry_points": [
    {"name": "infer", "inputs": [{"name": "x", "dtype": "f32", "shape": [3]}],
     "outputs": [{"name": "y", "dtype": "f32", "shape": [4]}],
     "journal_bytes": 0}
  ],
  "targets": [{"backend": "cpu", "triple": "", "section": "cpu.host"}]
})";
  std::vector<uint8_t> init(192 + kBigElements * 4, 0), bytes;
  artifact::ArtifactWriter writer;
  std::string error;
  if (code.empty() || !writer.addManifest(manifest, &error) ||
      !writer.addSection(artifact::SectionKind::CpuCode, "cpu.host",
                         code.data(), code.size(), &error) ||
      !writer.addSection(artifact::SectionKind::InitialState, "state",
                         init.data(), init.size(), &error) ||
      !writer.writeBytes(&bytes, &error))
    return {};
  return bytes;
}

anima_model_t *openModel(const std::vector<uint8_t> &bytes,
                         std::string *error) {
  anima_model_t *model = nullptr;
  *error = describe(
      anima_model_open_memory(bytes.data(), bytes.size(), nullptr, &model));
  return model;
}

std::string fillGeneration(anima_model_t *model, int32_t g) {
  std::vector<float> W(12), big(kBigElements);
  for (size_t i = 0; i < W.size(); ++i)
    W[i] = patternValue(g, i);
  for (size_t i = 0; i < big.size(); ++i)
    big[i] = patternValue(g, 100 + i);
  float c = patternValue(g, 50);
  std::string e = describe(anima_model_write_state(model, 0, W.data(), 48));
  if (e.empty())
    e = describe(anima_model_write_state(model, 1, &c, 4));
  if (e.empty())
    e = describe(anima_model_write_state(model, 2, &g, 4));
  if (e.empty())
    e = describe(anima_model_write_state(model, 3, big.data(), big.size() * 4));
  return e;
}

int32_t readGeneration(const anima_model_t *model, std::string *error) {
  int32_t g = -1;
  *error = describe(anima_model_read_state(model, 2, &g, 4));
  if (!error->empty())
    return -1;
  std::vector<float> W(12), big(kBigElements);
  float c = 0;
  *error = describe(anima_model_read_state(model, 0, W.data(), 48));
  if (error->empty())
    *error = describe(anima_model_read_state(model, 1, &c, 4));
  if (error->empty())
    *error = describe(
        anima_model_read_state(model, 3, big.data(), big.size() * 4));
  if (!error->empty())
    return -1;
  bool complete = c == patternValue(g, 50);
  for (size_t i = 0; i < W.size(); ++i)
    complete &= W[i] == patternValue(g, i);
  for (size_t i = 0; i < big.size(); ++i)
    complete &= big[i] == patternValue(g, 100 + i);
  if (!complete) {
    *error = "state mixes generation " + std::to_string(g) +
             " with other data (an incomplete checkpoint)";
    return -1;
  }
  return g;
}

std::string describe(anima_status_t status) {
  if (!status)
    return "";
  std::string text =
      std::string(anima_status_code_name(anima_status_code(status))) + ": " +
      anima_status_message(status);
  anima_status_free(status);
  return text;
}

std::string inChild(const std::function<std::string()> &body) {
  int fds[2];
  if (::pipe(fds) != 0)
    return "pipe() failed";
  pid_t pid = ::fork();
  if (pid < 0)
    return "fork() failed";
  if (pid == 0) {
    ::close(fds[0]);
    std::string result = body();
    std::fflush(stdout);
    size_t done = 0;
    while (done < result.size()) {
      ssize_t n = ::write(fds[1], result.data() + done, result.size() - done);
      if (n <= 0)
        break;
      done += size_t(n);
    }
    ::_exit(result.empty() ? 0 : 1);
  }
  ::close(fds[1]);
  std::string result;
  char buffer[512];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0)
    result.append(buffer, size_t(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    return result + " [child killed by signal " +
           std::to_string(WTERMSIG(status)) + "]";
  if (WEXITSTATUS(status) != 0 && result.empty())
    return "child exited with status " + std::to_string(WEXITSTATUS(status));
  return result;
}

std::vector<std::string> filesWithPrefix(const std::string &dir,
                                         const std::string &prefix) {
  std::vector<std::string> names;
  if (DIR *d = ::opendir(dir.c_str())) {
    while (dirent *e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name.compare(0, prefix.size(), prefix) == 0)
        names.push_back(name);
    }
    ::closedir(d);
  }
  return names;
}

std::string makeTempDir(const char *tag) {
  const char *base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") +
                        "/anima-" + tag + "-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    return "";
  return pattern;
}

void removeDir(const std::string &dir) {
  for (const std::string &name : filesWithPrefix(dir, ""))
    if (name != "." && name != "..")
      ::unlink((dir + "/" + name).c_str());
  ::rmdir(dir.c_str());
}

} // namespace anima::hardening
