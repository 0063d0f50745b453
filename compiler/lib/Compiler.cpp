//===- Compiler.cpp - The Anima compiler as a library ---------------------===//

#include "anima/Compiler/Compiler.h"

#include "InitialState.h"

#include "anima/InitAnima.h"
#include "anima/Pipelines/Pipelines.h"
#include "anima/SourceNesting.h"
#include "anima/Transforms/Passes.h"
#include "anima/runtime/artifact_writer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::anima;

void mlir::anima::registerCompilerDialects(DialectRegistry &registry) {
  registerAnimaPipelineDialects(registry);
  registerCpuTargetTranslations(registry);
}

namespace {

/// Manifest name of a tensor's element type.
std::string dtypeName(Type type) {
  Type element = cast<ShapedType>(type).getElementType();
  if (element.isF32())
    return "f32";
  if (element.isInteger(32))
    return "i32";
  return "unsupported";
}

llvm::json::Array shapeOf(Type type) {
  llvm::json::Array shape;
  for (int64_t dim : cast<ShapedType>(type).getShape())
    shape.push_back(dim);
  return shape;
}

int64_t bytesOf(Type type) {
  return cast<ShapedType>(type).getNumElements() * 4;
}

/// The manifest description of one input or output.
llvm::json::Object tensorJson(StringRef name, Type type) {
  return llvm::json::Object{{"name", name},
                            {"dtype", dtypeName(type)},
                            {"shape", shapeOf(type)},
                            {"bytes", bytesOf(type)}};
}

/// Checks that every entry-point tensor has a dtype the runtime supports.
LogicalResult checkSignature(func::FuncOp func) {
  for (Type type : llvm::concat<const Type>(func.getArgumentTypes(),
                                            func.getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() || dtypeName(tensor) == "unsupported")
      return func.emitError("entry '")
             << func.getSymName()
             << "' inputs and outputs must be statically shaped f32 or i32 "
                "tensors, got "
             << type;
  }
  return success();
}

/// Runs the CPU pipeline with the compile options' fusion and target.
LogicalResult runCpuPipeline(ModuleOp module, const CompileOptions &options) {
  PassManager pm(module.getContext());
  CpuPipelineOptions pipelineOptions;
  pipelineOptions.fusion = options.fusion;
  pipelineOptions.targetTriple = resolveTriple(options.cpu);
  pipelineOptions.targetCpu = options.cpu.cpu;
  pipelineOptions.targetFeatures = options.cpu.features;
  buildCpuPipeline(pm, pipelineOptions);
  return pm.run(module);
}

} // namespace

FailureOr<std::string> mlir::anima::compileToArtifact(ModuleOp module,
                                                const CompileOptions &options) {
  Location loc = module.getLoc();
  for (const std::string &target : options.targets)
    if (target != "cpu")
      return emitError(loc, "target '")
             << target << "' is not available yet (supported: cpu)";
  if (failed(verify(module)))
    return failure();

  // Input/output names before the pipeline rewrites signatures.
  llvm::StringMap<std::pair<SmallVector<std::string>, SmallVector<std::string>>>
      names;
  bool hasEntry = false;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!func.isPublic() || func.isExternal())
      continue;
    hasEntry = true;
    if (failed(checkSignature(func)))
      return failure();
    auto &[inputs, outputs] = names[func.getSymName()];
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      auto name = func.getArgAttrOfType<StringAttr>(i, "anima.name");
      inputs.push_back(name ? name.str() : "input" + std::to_string(i));
    }
    for (unsigned i = 0; i < func.getNumResults(); ++i) {
      auto name = func.getResultAttrOfType<StringAttr>(i, "anima.name");
      outputs.push_back(name ? name.str() : "output" + std::to_string(i));
    }
  }
  if (!hasEntry)
    return emitError(loc, "the model has no public entry function");
  // Where each state is declared, for errors about its initial value (the
  // pipeline replaces the globals by the recorded layout).
  llvm::StringMap<Location> stateLocs;
  for (auto global : module.getOps<ml_program::GlobalOp>())
    stateLocs.try_emplace(global.getSymName(), global.getLoc());

  if (failed(runCpuPipeline(module, options)))
    return failure();

  // State: layout, initial values.
  auto states = module->getAttrOfType<ArrayAttr>(kStatesAttrName);
  if (!states)
    return emitError(loc, "the pipeline recorded no state layout");
  FailureOr<WeightsFile> weights = WeightsFile::open(options.weightsFile, loc);
  if (failed(weights))
    return failure();
  ::anima::artifact::InitialStateBuilder initial;
  llvm::json::Array stateJson;
  for (Attribute attr : states) {
    auto state = cast<DictionaryAttr>(attr);
    StringRef name = state.getAs<StringAttr>("name").getValue();
    auto type = cast<RankedTensorType>(
        state.getAs<TypeAttr>("type").getValue());
    auto declared = stateLocs.find(name);
    FailureOr<std::vector<uint8_t>> bytes = materializeInitialState(
        name, type, state.get("init"), *weights,
        declared != stateLocs.end() ? declared->second : loc);
    if (failed(bytes))
      return failure();
    uint64_t offset = initial.add(bytes->data(), bytes->size());
    stateJson.push_back(llvm::json::Object{
        {"name", name},
        {"dtype", dtypeName(type)},
        {"shape", shapeOf(type)},
        {"bytes", bytesOf(type)},
        {"init_offset", static_cast<int64_t>(offset)},
        {"guard", state.getAs<StringAttr>("guard").getValue()}});
  }
  if (failed(weights->checkAllUsed(loc)))
    return failure();

  // Entry points, from the lowered functions.
  llvm::json::Array entries;
  for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
    auto entry = func->getAttrOfType<DictionaryAttr>(kEntryPointAttrName);
    if (!entry)
      continue;
    StringRef name = entry.getAs<StringAttr>("name").getValue();
    auto &[inputNames, outputNames] = names[name];
    llvm::json::Array inputs, outputs;
    for (auto [i, type] : llvm::enumerate(entry.getAs<ArrayAttr>("inputs")))
      inputs.push_back(
          tensorJson(inputNames[i], cast<TypeAttr>(type).getValue()));
    for (auto [i, type] : llvm::enumerate(entry.getAs<ArrayAttr>("outputs")))
      outputs.push_back(
          tensorJson(outputNames[i], cast<TypeAttr>(type).getValue()));
    entries.push_back(llvm::json::Object{
        {"name", name},
        {"symbol", ("anima_entry_" + name).str()},
        {"inputs", std::move(inputs)},
        {"outputs", std::move(outputs)},
        {"journal_bytes", entry.getAs<IntegerAttr>("journal_bytes").getInt()}});
  }

  // Native code.
  FailureOr<std::string> object = emitObjectFile(module, options.cpu);
  if (failed(object))
    return failure();
  FailureOr<std::string> library =
      linkSharedLibrary(*object, options.cpu, loc);
  if (failed(library))
    return failure();
  std::string triple = resolveTriple(options.cpu);
  std::string codeSection = "cpu." + archName(triple);

  llvm::json::Object manifest{
      {"format", "anima-artifact"},
      {"format_version", 1},
      {"producer", "animac 0.1.0"},
      {"model", options.modelName.empty() ? "model" : options.modelName},
      {"state", std::move(stateJson)},
      {"entry_points", std::move(entries)},
      {"targets", llvm::json::Array{llvm::json::Object{
                      {"backend", "cpu"},
                      {"triple", triple},
                      {"section", codeSection}}}}};
  std::string manifestText;
  llvm::raw_string_ostream(manifestText) << llvm::json::Value(std::move(manifest));

  ::anima::artifact::ArtifactWriter writer;
  std::string error;
  if (!writer.addManifest(manifestText, &error) ||
      !writer.addSection(::anima::artifact::SectionKind::CpuCode, codeSection,
                         library->data(), library->size(), &error) ||
      !writer.addSection(::anima::artifact::SectionKind::InitialState, "state",
                         initial.bytes().data(), initial.bytes().size(),
                         &error))
    return emitError(loc, "cannot assemble the artifact: ") << error;
  std::vector<uint8_t> bytes;
  if (!writer.writeBytes(&bytes, &error))
    return emitError(loc, "cannot assemble the artifact: ") << error;
  return std::string(bytes.begin(), bytes.end());
}

FailureOr<std::string>
mlir::anima::compileToSharedLibrary(ModuleOp module,
                                    const CompileOptions &options) {
  if (failed(verify(module)) || failed(runCpuPipeline(module, options)))
    return failure();
  FailureOr<std::string> object = emitObjectFile(module, options.cpu);
  if (failed(object))
    return failure();
  return linkSharedLibrary(*object, options.cpu, module.getLoc());
}

FailureOr<std::string> mlir::anima::compileFile(StringRef path,
                                          const CompileOptions &options,
                                          MLIRContext &context) {
  llvm::SourceMgr sourceMgr;
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file)
    return emitError(UnknownLoc::get(&context), error);
  if (failed(checkSourceNesting(*file, &context)))
    return failure();
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return failure();
  return compileToArtifact(*module, options);
}
