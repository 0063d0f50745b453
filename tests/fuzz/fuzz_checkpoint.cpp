//===- fuzz_checkpoint.cpp - libFuzzer target: the checkpoint loader ------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Each input is a checkpoint file, loaded through the public
// anima_model_load_checkpoint (from an in-memory file) into a toy model with
// extra state tensors (a zero-sized one, an i32 one, a non-ASCII name), twice:
//
//  1. As it is.
//  2. Re-sealed: artifact id set to the model's, payload_bytes to the file's
//     size, header and trailing CRCs recomputed, so the fuzzer reaches the
//     state records behind the checksums.
//
// Invariants: no crash, leak or sanitizer report; a refused load is a status
// with a known code and leaves the state bit-identical; an accepted one
// leaves finite f32 state, and saving it and loading that back gives the
// same state (round trip through the atomic writer on a tmpfs).
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "anima/runtime/artifact_writer.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

using namespace anima::fuzz;

namespace {

/// The model every input is loaded into, and the files inputs and round
/// trips go through.
struct Fixture {
  anima_model_t *model = nullptr;
  int fd = -1;            ///< memfd holding the current input
  std::string path;       ///< /proc/self/fd/<fd>
  std::string dir;        ///< temporary directory for round trips
  std::string roundTrip;  ///< dir + "/state.ckpt"
};

Fixture *fixture = nullptr;

void removeFiles() {
  ::unlink(fixture->roundTrip.c_str());
  ::rmdir(fixture->dir.c_str());
}

Fixture &get() {
  if (fixture)
    return *fixture;
  fixture = new Fixture;
  fixture->model = openOrDie(toyArtifact(true, toyCode()));
  fixture->fd = ::memfd_create("anima-fuzz-checkpoint", MFD_CLOEXEC);
  if (fixture->fd < 0)
    fail("memfd_create failed");
  fixture->path = "/proc/self/fd/" + std::to_string(fixture->fd);
  const char *base = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  std::string pattern = std::string(base) + "/anima-fuzz-ckpt-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    fail("mkdtemp failed");
  fixture->dir = pattern;
  fixture->roundTrip = fixture->dir + "/state.ckpt";
  std::atexit(removeFiles);
  return *fixture;
}

void store32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

void store64(uint8_t *p, uint64_t v) {
  store32(p, uint32_t(v));
  store32(p + 4, uint32_t(v >> 32));
}

/// Replaces the memfd's content with `bytes`.
void writeInput(Fixture &f, const uint8_t *bytes, size_t size) {
  if (::ftruncate(f.fd, 0) != 0)
    fail("ftruncate failed");
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pwrite(f.fd, bytes + done, size - done, off_t(done));
    if (n <= 0)
      fail("pwrite failed");
    done += size_t(n);
  }
}

/// Loads `bytes` as a checkpoint and checks the invariants.
void loadOne(Fixture &f, const uint8_t *bytes, size_t size) {
  if (consume(anima_model_reset(f.model), "reset"))
    fail("reset failed");
  auto before = stateBytes(f.model);
  writeInput(f, bytes, size);
  anima_status_code_t code =
      consume(anima_model_load_checkpoint(f.model, f.path.c_str()),
              "anima_model_load_checkpoint");
  auto after = stateBytes(f.model);
  if (code != ANIMA_STATUS_OK) {
    if (after != before)
      fail("a refused checkpoint (%s) changed the state",
           anima_status_code_name(code));
    return;
  }
  if (!stateIsFinite(f.model))
    fail("an accepted checkpoint left non-finite f32 state");
  // Round trip: what was loaded saves and loads back to the same state.
  if (consume(anima_model_save_checkpoint(f.model, f.roundTrip.c_str()),
              "anima_model_save_checkpoint"))
    fail("saving a loaded checkpoint failed");
  if (consume(anima_model_reset(f.model), "reset") ||
      consume(anima_model_load_checkpoint(f.model, f.roundTrip.c_str()),
              "anima_model_load_checkpoint"))
    fail("loading a saved checkpoint back failed");
  if (stateBytes(f.model) != after)
    fail("save + load changed the state");
}

/// Makes header, size, id and CRCs of `bytes` consistent with `model`.
void reseal(std::vector<uint8_t> &bytes, const anima_model_t *model) {
  if (bytes.size() < 52)
    return;
  anima_model_artifact_id(model, bytes.data() + 16);
  store64(bytes.data() + 32, bytes.size() - 52);
  store32(bytes.data() + 44, anima::artifact::crc32c(bytes.data(), 44));
  store32(bytes.data() + bytes.size() - 4,
          anima::artifact::crc32c(bytes.data() + 48, bytes.size() - 52));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Fixture &f = get();
  loadOne(f, data, size);
  std::vector<uint8_t> sealed(data, data + size);
  reseal(sealed, f.model);
  loadOne(f, sealed.data(), sealed.size());
  return 0;
}
