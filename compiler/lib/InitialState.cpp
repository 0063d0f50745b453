//===- InitialState.cpp - initial values of state tensors -----------------===//

#include "InitialState.h"

#include "anima/Dialect/AnimaAttrs.h"
#include "anima/kernels/reference/Reference.h"

#include "mlir/Dialect/MLProgram/IR/MLProgramAttributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/JSON.h"

#include <cstring>

using namespace mlir;
using namespace mlir::anima;

FailureOr<WeightsFile> WeightsFile::open(StringRef path, Location loc) {
  WeightsFile file;
  if (path.empty())
    return file;
  file.path = path.str();
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return emitError(loc, "cannot read weights file '")
           << path << "': " << buffer.getError().message();
  file.buffer = std::move(*buffer);
  StringRef data = file.buffer->getBuffer();
  auto bad = [&](const Twine &why) {
    return emitError(loc, "malformed safetensors file '") << path << "': "
                                                          << why;
  };
  if (data.size() < 8)
    return bad("shorter than its 8-byte header length");
  uint64_t headerLength = 0;
  for (int i = 7; i >= 0; --i)
    headerLength = (headerLength << 8) | static_cast<uint8_t>(data[i]);
  if (headerLength > data.size() - 8)
    return bad("header length exceeds the file");
  file.dataStart = 8 + headerLength;
  llvm::Expected<llvm::json::Value> header =
      llvm::json::parse(data.substr(8, headerLength));
  if (!header)
    return bad(llvm::toString(header.takeError()));
  const llvm::json::Object *object = header->getAsObject();
  if (!object)
    return bad("header is not a JSON object");
  uint64_t payload = data.size() - file.dataStart;
  for (const auto &[key, value] : *object) {
    if (key == "__metadata__")
      continue;
    const llvm::json::Object *tensor = value.getAsObject();
    if (!tensor)
      return bad("tensor '" + key.str() + "' is not an object");
    Entry entry;
    std::optional<StringRef> dtype = tensor->getString("dtype");
    const llvm::json::Array *shape = tensor->getArray("shape");
    const llvm::json::Array *offsets = tensor->getArray("data_offsets");
    if (!dtype || !shape || !offsets || offsets->size() != 2)
      return bad("tensor '" + key.str() +
                 "' needs dtype, shape and two data_offsets");
    entry.dtype = dtype->str();
    for (const llvm::json::Value &dim : *shape) {
      std::optional<int64_t> d = dim.getAsInteger();
      if (!d || *d < 0)
        return bad("tensor '" + key.str() + "' has an invalid shape");
      entry.shape.push_back(*d);
    }
    std::optional<int64_t> begin = (*offsets)[0].getAsInteger();
    std::optional<int64_t> end = (*offsets)[1].getAsInteger();
    if (!begin || !end || *begin < 0 || *end < *begin ||
        static_cast<uint64_t>(*end) > payload)
      return bad("tensor '" + key.str() + "' has data outside the file");
    entry.begin = *begin;
    entry.end = *end;
    file.entries[key] = std::move(entry);
  }
  return file;
}

FailureOr<std::optional<ArrayRef<uint8_t>>>
WeightsFile::lookup(StringRef name, RankedTensorType type, Location loc) {
  auto it = entries.find(name);
  if (it == entries.end())
    return std::optional<ArrayRef<uint8_t>>();
  Entry &entry = it->second;
  std::string expected = type.getElementType().isF32() ? "F32" : "I32";
  if (entry.dtype != expected)
    return emitError(loc, "weights tensor '")
           << name << "' has dtype " << entry.dtype << ", the state needs "
           << expected;
  if (ArrayRef<int64_t>(entry.shape) != type.getShape())
    return emitError(loc, "weights tensor '")
           << name << "' has the wrong shape for state type " << type;
  if (entry.end - entry.begin != static_cast<uint64_t>(type.getNumElements()) * 4)
    return emitError(loc, "weights tensor '")
           << name << "' has " << (entry.end - entry.begin)
           << " bytes of data, expected " << type.getNumElements() * 4;
  entry.used = true;
  const uint8_t *base =
      reinterpret_cast<const uint8_t *>(buffer->getBufferStart()) + dataStart;
  return std::optional<ArrayRef<uint8_t>>(
      ArrayRef<uint8_t>(base + entry.begin, entry.end - entry.begin));
}

LogicalResult WeightsFile::checkAllUsed(Location loc) const {
  for (const auto &it : entries)
    if (!it.second.used)
      return emitError(loc, "weights file '")
             << path << "' has tensor '" << it.getKey()
             << "', which names no state of the model";
  return success();
}

/// Copies the elements of a dense attribute as 32-bit little-endian values.
static void copyDense(DenseElementsAttr dense, std::vector<uint8_t> &bytes) {
  int64_t n = dense.getType().getNumElements();
  if (dense.getElementType().isF32()) {
    auto values = dense.getValues<float>();
    for (int64_t i = 0; i < n; ++i) {
      float v = dense.isSplat() ? values[0] : values[i];
      std::memcpy(bytes.data() + 4 * i, &v, 4);
    }
    return;
  }
  auto values = dense.getValues<int32_t>();
  for (int64_t i = 0; i < n; ++i) {
    int32_t v = dense.isSplat() ? values[0] : values[i];
    std::memcpy(bytes.data() + 4 * i, &v, 4);
  }
}

FailureOr<std::vector<uint8_t>>
mlir::anima::materializeInitialState(StringRef name, RankedTensorType type,
                               Attribute init, WeightsFile &weights,
                               Location loc) {
  int64_t n = type.getNumElements();
  std::vector<uint8_t> bytes(static_cast<size_t>(n) * 4, 0);
  FailureOr<std::optional<ArrayRef<uint8_t>>> fromFile =
      weights.lookup(name, type, loc);
  if (failed(fromFile))
    return failure();
  if (*fromFile) {
    std::memcpy(bytes.data(), (*fromFile)->data(), bytes.size());
    return bytes;
  }
  if (!init)
    return bytes;
  if (isa<ml_program::ExternAttr>(init))
    return emitError(loc, "state '")
           << name << "' is declared extern but no weights file provides it "
                      "(pass --weights)";
  if (auto dense = dyn_cast<DenseElementsAttr>(init)) {
    if (dense.getType().getShape() != type.getShape() ||
        dense.getElementType() != type.getElementType())
      return emitError(loc, "initial value of state '")
             << name << "' has type " << dense.getType() << ", expected "
             << type;
    copyDense(dense, bytes);
    return bytes;
  }
  bool isFloat = type.getElementType().isF32();
  float *out = reinterpret_cast<float *>(bytes.data());
  if (auto normal = dyn_cast<RandomNormalAttr>(init)) {
    if (!isFloat ||
        !::anima::ref::random_normal(normal.getSeed(), normal.getMean().convertToFloat(),
                            normal.getStddev().convertToFloat(), n, out))
      return emitError(loc, "state '")
             << name << "' of type " << type
             << " cannot take a random_normal initial value";
    return bytes;
  }
  if (auto uniform = dyn_cast<RandomUniformAttr>(init)) {
    if (!isFloat ||
        !::anima::ref::random_uniform(uniform.getSeed(), uniform.getLow().convertToFloat(),
                             uniform.getHigh().convertToFloat(), n, out))
      return emitError(loc, "state '")
             << name << "' of type " << type
             << " cannot take a random_uniform initial value";
    return bytes;
  }
  return emitError(loc, "unsupported initial value for state '")
         << name << "': " << init;
}
