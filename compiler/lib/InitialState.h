//===- InitialState.h - initial values of state tensors ---------*- C++ -*-===//

#ifndef ANIMA_COMPILER_INITIALSTATE_H
#define ANIMA_COMPILER_INITIALSTATE_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <vector>

namespace mlir::anima {

/// A safetensors file (or none): tensors by name, checked on open.
class WeightsFile {
public:
  /// Opens and indexes `path`; an empty path gives an empty file.
  static FailureOr<WeightsFile> open(StringRef path, Location loc);

  /// The bytes of tensor `name` if the file has it, after checking that its
  /// dtype and shape match `type`; std::nullopt if absent.
  FailureOr<std::optional<ArrayRef<uint8_t>>>
  lookup(StringRef name, RankedTensorType type, Location loc);

  /// Fails if a tensor of the file was not used by any state.
  LogicalResult checkAllUsed(Location loc) const;

private:
  struct Entry {
    std::string dtype;
    SmallVector<int64_t> shape;
    uint64_t begin = 0, end = 0;
    bool used = false;
  };
  std::string path;
  std::shared_ptr<llvm::MemoryBuffer> buffer;
  uint64_t dataStart = 0;
  llvm::StringMap<Entry> entries;
};

/// Returns the little-endian bytes of a state's initial value: a dense
/// attribute, a seeded initializer, `#ml_program.extern` (from `weights`), or
/// zeros when absent; a tensor of the weights file with the state's name
/// overrides it.
FailureOr<std::vector<uint8_t>>
materializeInitialState(StringRef name, RankedTensorType type, Attribute init,
                        WeightsFile &weights, Location loc);

} // namespace mlir::anima

#endif // ANIMA_COMPILER_INITIALSTATE_H
