//===- Compiler.cpp - C API for the Anima compiler ------------------------===//

#include "anima-c/Compiler.h"

#include "anima/Compiler/Compiler.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"

#include "llvm/ADT/StringExtras.h"

#include <string>

using namespace mlir;

/// The caller-owned bytes behind an AnimaBytes.
static AnimaBytes wrapBytes(FailureOr<std::string> bytes) {
  if (failed(bytes))
    return AnimaBytes{nullptr};
  return AnimaBytes{new std::string(std::move(*bytes))};
}

static const std::string *unwrapBytes(AnimaBytes bytes) {
  return static_cast<const std::string *>(bytes.ptr);
}

/// The C++ options the C options describe (NULL: the defaults).
static anima::CompileOptions toCompileOptions(const AnimaCompileOptions *in) {
  AnimaCompileOptions defaults;
  if (!in) {
    animaCompileOptionsInit(&defaults);
    in = &defaults;
  }
  anima::CompileOptions options;
  StringRef targets = unwrap(in->targets);
  if (!targets.trim().empty()) {
    options.targets.clear();
    for (StringRef target : llvm::split(targets, ','))
      options.targets.push_back(target.trim().str());
  }
  options.fusion = in->fusion;
  options.cpu.triple = unwrap(in->triple).str();
  options.cpu.cpu = unwrap(in->cpu).str();
  options.cpu.features = unwrap(in->features).str();
  options.cpu.optLevel = in->optLevel;
  options.cpu.ukernelDir = unwrap(in->ukernelDir).str();
  options.cpu.linker = unwrap(in->linker).str();
  options.weightsFile = unwrap(in->weightsFile).str();
  options.modelName = unwrap(in->modelName).str();
  return options;
}

void animaCompileOptionsInit(AnimaCompileOptions *options) {
  *options = AnimaCompileOptions{};
  options->fusion = true;
  options->optLevel = 3;
}

MlirStringRef animaBytesGetData(AnimaBytes bytes) {
  const std::string *data = unwrapBytes(bytes);
  if (!data)
    return mlirStringRefCreate(nullptr, 0);
  return mlirStringRefCreate(data->data(), data->size());
}

void animaBytesDestroy(AnimaBytes bytes) { delete unwrapBytes(bytes); }

AnimaBytes animaCompileModule(MlirModule module,
                              const AnimaCompileOptions *options) {
  return wrapBytes(
      anima::compileToArtifact(unwrap(module), toCompileOptions(options)));
}

AnimaBytes animaCompileFile(MlirContext context, MlirStringRef path,
                            const AnimaCompileOptions *options) {
  return wrapBytes(anima::compileFile(unwrap(path), toCompileOptions(options),
                                      *unwrap(context)));
}
