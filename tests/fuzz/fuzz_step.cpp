//===- fuzz_step.cpp - libFuzzer target: the runtime's input validation ---===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Each input is a little program of C API calls on an open toy model (and a
// second one, for foreign snapshots): steps of any entry index with any
// number of buffers of any dtype, byte size and content (NaN, Inf, huge,
// subnormal, raw bits), NULL arrays and data pointers; plasticity (negative,
// NaN, huge); state reads and writes of any index and size; snapshots,
// rollbacks, resets; lookups by arbitrary names; opens with arbitrary
// options; calls on a NULL model.
//
// Invariants after every call: no crash, leak or sanitizer report; every
// failure is a status with a known code and a message and leaves state and
// plasticity as they were; f32 state is always finite (the NaN/Inf guard);
// the plasticity is always finite and >= 0; calls that must succeed do.
//
// Buffers are always as large as the byte count passed with them (a caller
// lying about its own buffer sizes is outside the C API's contract).
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include <cmath>
#include <cstring>
#include <memory>

using namespace anima::fuzz;

namespace {

/// Largest buffer the fuzzer allocates; a byte count above it comes with a
/// buffer of this size and must be refused (the toy's tensors are tiny).
constexpr size_t kMaxBuffer = 4096;

struct Models {
  std::vector<uint8_t> artifact;
  anima_model_t *model = nullptr;
  anima_model_t *other = nullptr;
  anima_snapshot_t *foreign = nullptr;
};

Models &models() {
  static Models *m = [] {
    auto *m = new Models;
    m->artifact = toyArtifact(false, toyCode());
    m->model = openOrDie(m->artifact);
    m->other = openOrDie(m->artifact);
    if (consume(anima_model_snapshot(m->other, &m->foreign), "snapshot"))
      fail("snapshot of the second model failed");
    return m;
  }();
  return *m;
}

/// A caller buffer: its storage, and the descriptor passed to the runtime.
struct Buffer {
  std::vector<uint8_t> storage;
  anima_buffer desc{};
};

anima_dtype_t pickDtype(ByteReader &in, anima_dtype_t expected) {
  switch (in.u8() % 8) {
  case 0:
    return ANIMA_DTYPE_F32;
  case 1:
    return ANIMA_DTYPE_I32;
  case 2:
    return anima_dtype_t(in.u32());
  default:
    return expected;
  }
}

size_t pickBytes(ByteReader &in, size_t expected) {
  switch (in.u8() % 8) {
  case 0:
    return 0;
  case 1:
    return expected + 4;
  case 2:
    return expected >= 4 ? expected - 4 : 1;
  case 3:
    return size_t(in.u32()) | (size_t(in.u8() & 1) << 63);
  case 4:
    return in.u8();
  default:
    return expected;
  }
}

/// Fills `b` from the input: dtype, byte count, content, maybe NULL data.
void makeBuffer(ByteReader &in, const anima_tensor_info *expected, Buffer *b) {
  anima_dtype_t dtype = expected ? expected->dtype : ANIMA_DTYPE_F32;
  size_t bytes = expected ? size_t(expected->bytes) : 4;
  b->desc.dtype = pickDtype(in, dtype);
  b->desc.bytes = pickBytes(in, bytes);
  b->storage.assign(std::min(b->desc.bytes, kMaxBuffer) + 4, 0);
  for (size_t i = 0; i + 4 <= b->storage.size(); i += 4) {
    float v = in.hostileFloat();
    std::memcpy(b->storage.data() + i, &v, 4);
  }
  b->desc.data = (in.u8() % 16 == 0) ? nullptr : b->storage.data();
}

/// Snapshot of everything a failed call must leave alone.
struct Observed {
  std::vector<std::vector<uint8_t>> state;
  float plasticity;
  bool operator==(const Observed &o) const {
    return state == o.state && std::memcmp(&plasticity, &o.plasticity, 4) == 0;
  }
};

Observed observe(const anima_model_t *m) {
  return {stateBytes(m), anima_model_plasticity(m)};
}

/// Checks the invariants after `call` returned `code`.
void settle(const anima_model_t *m, const Observed &before,
            anima_status_code_t code, const char *call) {
  Observed after = observe(m);
  if (code != ANIMA_STATUS_OK && !(after == before))
    fail("%s failed (%s) but changed the model", call,
         anima_status_code_name(code));
  if (!stateIsFinite(m))
    fail("%s (%s) left non-finite f32 state", call,
         anima_status_code_name(code));
  float p = anima_model_plasticity(m);
  if (!std::isfinite(p) || p < 0)
    fail("%s left plasticity %g", call, double(p));
}

void opStep(ByteReader &in, anima_model_t *m) {
  size_t count = anima_model_entry_count(m);
  size_t entry = in.u8() % 8 == 0 ? size_t(in.u32()) : in.u8() % (count + 1);
  anima_entry_info info{};
  bool known = entry < count;
  if (known && consume(anima_model_entry_info(m, entry, &info), "entry_info"))
    fail("entry_info(%zu) failed", entry);
  size_t nIn = known ? info.input_count : 0, nOut = known ? info.output_count : 0;
  if (in.u8() % 8 == 0)
    nIn = in.u8() % 4;
  if (in.u8() % 8 == 0)
    nOut = in.u8() % 4;
  std::vector<Buffer> inputs(nIn), outputs(nOut);
  for (size_t i = 0; i < nIn; ++i)
    makeBuffer(in, known && i < info.input_count ? &info.inputs[i] : nullptr,
               &inputs[i]);
  for (size_t i = 0; i < nOut; ++i)
    makeBuffer(in, known && i < info.output_count ? &info.outputs[i] : nullptr,
               &outputs[i]);
  std::vector<anima_buffer> inDescs, outDescs;
  for (auto &b : inputs)
    inDescs.push_back(b.desc);
  for (auto &b : outputs)
    outDescs.push_back(b.desc);
  // Outputs of a refused step must not be written.
  std::vector<std::vector<uint8_t>> outBefore;
  for (auto &b : outputs)
    outBefore.push_back(b.storage);
  const anima_buffer *inArray = inDescs.empty() ? nullptr : inDescs.data();
  anima_buffer *outArray = outDescs.empty() ? nullptr : outDescs.data();
  if (in.u8() % 16 == 0)
    inArray = nullptr;
  if (in.u8() % 16 == 0)
    outArray = nullptr;
  Observed before = observe(m);
  anima_status_code_t code = consume(
      anima_model_step(m, entry, inArray, nIn, outArray, nOut), "step");
  settle(m, before, code, "anima_model_step");
  if (code != ANIMA_STATUS_OK)
    for (size_t i = 0; i < nOut; ++i)
      if (outputs[i].storage != outBefore[i])
        fail("a refused step (%s) wrote output %zu",
             anima_status_code_name(code), i);
}

void opPlasticity(ByteReader &in, anima_model_t *m) {
  float p = in.hostileFloat();
  Observed before = observe(m);
  anima_status_code_t code =
      consume(anima_model_set_plasticity(m, p), "set_plasticity");
  settle(m, before, code, "anima_model_set_plasticity");
  bool valid = std::isfinite(p) && p >= 0;
  if (valid != (code == ANIMA_STATUS_OK))
    fail("set_plasticity(%g): %s", double(p), anima_status_code_name(code));
}

void opReadState(ByteReader &in, anima_model_t *m) {
  size_t index = in.u8() % 8 == 0 ? size_t(in.u32()) : in.u8() % 4;
  anima_tensor_info info{};
  bool known = !consume(anima_model_state_info(m, index, &info), "state_info");
  size_t bytes = pickBytes(in, known ? size_t(info.bytes) : 4);
  std::vector<uint8_t> dst(std::min(bytes, kMaxBuffer) + 1, 0xAB);
  void *p = in.u8() % 16 == 0 ? nullptr : dst.data();
  Observed before = observe(m);
  anima_status_code_t code =
      consume(anima_model_read_state(m, index, p, bytes), "read_state");
  settle(m, before, code, "anima_model_read_state");
  bool valid = known && bytes == info.bytes && (p || !bytes);
  if (valid != (code == ANIMA_STATUS_OK))
    fail("read_state(%zu, %zu bytes): %s", index, bytes,
         anima_status_code_name(code));
  if (code == ANIMA_STATUS_OK &&
      std::memcmp(dst.data(), before.state[index].data(), bytes) != 0)
    fail("read_state(%zu) returned other bytes", index);
}

void opWriteState(ByteReader &in, anima_model_t *m) {
  size_t index = in.u8() % 8 == 0 ? size_t(in.u32()) : in.u8() % 4;
  anima_tensor_info info{};
  bool known = !consume(anima_model_state_info(m, index, &info), "state_info");
  Buffer b;
  makeBuffer(in, known ? &info : nullptr, &b);
  Observed before = observe(m);
  anima_status_code_t code = consume(
      anima_model_write_state(m, index, b.desc.data, b.desc.bytes),
      "write_state");
  settle(m, before, code, "anima_model_write_state");
  if (code == ANIMA_STATUS_OK &&
      (!known || b.desc.bytes != info.bytes ||
       std::memcmp(stateBytes(m)[index].data(), b.desc.data, info.bytes)))
    fail("write_state(%zu) succeeded without writing exactly its bytes",
         index);
}

void opSnapshotRollback(ByteReader &in, anima_model_t *m,
                        anima_snapshot_t **own) {
  Observed before = observe(m);
  switch (in.u8() % 4) {
  case 0: {
    anima_snapshot_t *s = nullptr;
    if (consume(anima_model_snapshot(m, &s), "snapshot"))
      fail("snapshot failed");
    anima_snapshot_free(*own);
    *own = s;
    settle(m, before, ANIMA_STATUS_OK, "anima_model_snapshot");
    break;
  }
  case 1: {
    anima_status_code_t code =
        consume(anima_model_rollback(m, *own), "rollback");
    settle(m, before, code, "anima_model_rollback");
    if ((code == ANIMA_STATUS_OK) != (*own != nullptr))
      fail("rollback(own snapshot %p): %s", static_cast<void *>(*own),
           anima_status_code_name(code));
    break;
  }
  case 2: {
    anima_status_code_t code = consume(
        anima_model_rollback(m, models().foreign), "rollback(foreign)");
    settle(m, before, code, "anima_model_rollback(foreign)");
    if (code != ANIMA_STATUS_INVALID_ARGUMENT)
      fail("rollback to another model's snapshot: %s",
           anima_status_code_name(code));
    break;
  }
  default: {
    anima_status_code_t code = consume(anima_model_reset(m), "reset");
    settle(m, before, code, "anima_model_reset");
    if (code)
      fail("reset failed");
  }
  }
}

void opLookup(ByteReader &in, anima_model_t *m) {
  std::string name = in.string(24);
  const char *p = in.u8() % 16 == 0 ? nullptr : name.c_str();
  size_t index = 12345;
  Observed before = observe(m);
  anima_status_code_t code;
  if (in.u8() & 1) {
    code = consume(anima_model_find_entry(m, p, &index), "find_entry");
  } else {
    code = consume(anima_model_find_state(m, p, &index), "find_state");
  }
  settle(m, before, code, "find");
  if (code != ANIMA_STATUS_OK && index != 12345)
    fail("a failed lookup wrote its out parameter");
  if (code == ANIMA_STATUS_OK && !p)
    fail("lookup of a NULL name succeeded");
  if (code == ANIMA_STATUS_OK) {
    anima_entry_info e{};
    anima_tensor_info t{};
    const char *found =
        consume(anima_model_entry_info(m, index, &e), "entry_info") == 0 &&
                e.name && std::strcmp(e.name, p) == 0
            ? e.name
        : consume(anima_model_state_info(m, index, &t), "state_info") == 0 &&
                t.name && std::strcmp(t.name, p) == 0
            ? t.name
            : nullptr;
    if (!found)
      fail("lookup of '%s' found index %zu, which has another name", p, index);
  }
  size_t i = in.u8() % 8 == 0 ? size_t(in.u32()) : in.u8() % 6;
  anima_entry_info e;
  anima_tensor_info t;
  consume(anima_model_entry_info(m, i, (in.u8() % 16) ? &e : nullptr),
          "entry_info");
  consume(anima_model_state_info(m, i, (in.u8() % 16) ? &t : nullptr),
          "state_info");
}

void opOpen(ByteReader &in) {
  anima_open_options options;
  anima_open_options_init(&options);
  std::string backend = in.string(12);
  switch (in.u8() % 6) {
  case 0:
    options.struct_size = in.u8();
    break;
  case 1:
    options.backend = backend.c_str();
    break;
  case 2:
    options.flags = in.u32();
    break;
  case 3:
    options.reserved[in.u8() % 4] = in.u32();
    break;
  case 4:
    options.reserved0 = in.u32();
    break;
  default:
    options.backend = nullptr;
  }
  const std::vector<uint8_t> &a = models().artifact;
  anima_model_t *opened = nullptr;
  const anima_open_options *o = in.u8() % 8 == 0 ? nullptr : &options;
  anima_status_code_t code = consume(
      anima_model_open_memory(a.data(), a.size(), o, &opened), "open_memory");
  if ((code == ANIMA_STATUS_OK) != (opened != nullptr))
    fail("open_memory: %s with model %p", anima_status_code_name(code),
         static_cast<void *>(opened));
  anima_model_close(opened);
}

void opNullModel(ByteReader &in) {
  float x = 0;
  anima_buffer b{ANIMA_DTYPE_F32, &x, 4};
  size_t index = 0;
  anima_snapshot_t *s = nullptr;
  anima_status_t st = nullptr;
  switch (in.u8() % 8) {
  case 0:
    st = anima_model_step(nullptr, 0, &b, 1, &b, 1);
    break;
  case 1:
    st = anima_model_set_plasticity(nullptr, 1);
    break;
  case 2:
    st = anima_model_read_state(nullptr, 0, &x, 4);
    break;
  case 3:
    st = anima_model_write_state(nullptr, 0, &x, 4);
    break;
  case 4:
    st = anima_model_snapshot(nullptr, &s);
    break;
  case 5:
    st = anima_model_find_state(nullptr, "W", &index);
    break;
  case 6:
    st = anima_model_save_checkpoint(nullptr, "/nonexistent/x");
    break;
  default:
    st = anima_model_load_checkpoint(nullptr, "/nonexistent/x");
  }
  if (consume(st, "null model") != ANIMA_STATUS_INVALID_ARGUMENT)
    fail("a call on a NULL model did not fail with INVALID_ARGUMENT");
  if (s)
    fail("snapshot of a NULL model wrote its out parameter");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Models &ms = models();
  anima_model_t *m = ms.model;
  if (consume(anima_model_reset(m), "reset") ||
      consume(anima_model_set_plasticity(m, 1.0f), "set_plasticity"))
    fail("resetting the model failed");
  ByteReader in(data, size);
  anima_snapshot_t *own = nullptr;
  for (int op = 0; op < 64 && !in.empty(); ++op) {
    switch (in.u8() % 10) {
    case 0:
    case 1:
    case 2:
      opStep(in, m);
      break;
    case 3:
      opPlasticity(in, m);
      break;
    case 4:
      opReadState(in, m);
      break;
    case 5:
      opWriteState(in, m);
      break;
    case 6:
      opSnapshotRollback(in, m, &own);
      break;
    case 7:
      opLookup(in, m);
      break;
    case 8:
      if (op == 0 && in.u8() % 4 == 0) // loads code: slow, so rare
        opOpen(in);
      break;
    default:
      opNullModel(in);
    }
  }
  anima_snapshot_free(own);
  return 0;
}
