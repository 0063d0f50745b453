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

/// Runs the Vulkan pipeline with the compile options' fusion and profile.
LogicalResult runVulkanPipeline(ModuleOp module,
                                const CompileOptions &options) {
  PassManager pm(module.getContext());
  VulkanPipelineOptions pipelineOptions;
  pipelineOptions.fusion = options.fusion;
  pipelineOptions.profile = options.vulkan.profile;
  buildVulkanPipeline(pm, pipelineOptions);
  return pm.run(module);
}

/// Checks the list of targets: known names, no repeats, not empty.
LogicalResult checkTargets(ArrayRef<std::string> targets, Location loc) {
  if (targets.empty())
    return emitError(loc, "no target given (supported: cpu, vulkan)");
  for (auto [i, target] : llvm::enumerate(targets)) {
    if (target != "cpu" && target != "vulkan")
      return emitError(loc, "unknown target '")
             << target << "' (supported: cpu, vulkan)";
    if (llvm::is_contained(targets.take_front(i), target))
      return emitError(loc, "target '") << target << "' given twice";
  }
  return success();
}

} // namespace

FailureOr<std::string>
mlir::anima::compileVulkanSchedule(ModuleOp module,
                                   const CompileOptions &options,
                                   bool disassemble) {
  if (failed(verify(module)) || failed(runVulkanPipeline(module, options)))
    return failure();
  FailureOr<VulkanCode> code = emitVulkanCode(module, options.vulkan);
  if (failed(code))
    return failure();
  if (!disassemble)
    return code->schedule;
  return disassembleVulkanCode(*code, options.vulkan, module.getLoc());
}

FailureOr<std::string> mlir::anima::compileToArtifact(ModuleOp module,
                                                const CompileOptions &options) {
  Location loc = module.getLoc();
  if (failed(checkTargets(options.targets, loc)))
    return failure();
  bool cpu = llvm::is_contained(options.targets, "cpu");
  bool vulkan = llvm::is_contained(options.targets, "vulkan");
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

  // Each backend lowers its own copy of the model.
  OwningOpRef<ModuleOp> vulkanModule;
  if (vulkan) {
    vulkanModule = module.clone();
    if (failed(runVulkanPipeline(*vulkanModule, options)))
      return failure();
  }
  if (cpu && failed(runCpuPipeline(module, options)))
    return failure();
  ModuleOp lowered = cpu ? module : *vulkanModule;

  // State: layout, initial values.
  auto states = lowered->getAttrOfType<ArrayAttr>(kStatesAttrName);
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
  for (Operation &func : lowered.getBody()->getOperations()) {
    auto entry = func.getAttrOfType<DictionaryAttr>(kEntryPointAttrName);
    if (!entry || !isa<LLVM::LLVMFuncOp, func::FuncOp>(func))
      continue;
    StringRef name = entry.getAs<StringAttr>("name").getValue();
    auto &[inputNames, outputNames] = names[name];
    llvm::json::Array inputs, outputs;
    auto bounds = entry.getAs<ArrayAttr>("index_bounds");
    for (auto [i, type] : llvm::enumerate(entry.getAs<ArrayAttr>("inputs"))) {
      llvm::json::Object tensor =
          tensorJson(inputNames[i], cast<TypeAttr>(type).getValue());
      // An i32 input used as indices: the runtime checks it before the step.
      int64_t bound = bounds && i < bounds.size()
                          ? cast<IntegerAttr>(bounds[i]).getInt()
                          : 0;
      if (bound > 0)
        tensor["index_bound"] = bound;
      inputs.push_back(std::move(tensor));
    }
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
  llvm::json::Array targets;
  std::string library, codeSection;
  if (cpu) {
    FailureOr<std::string> object = emitObjectFile(module, options.cpu);
    if (failed(object))
      return failure();
    FailureOr<std::string> linked =
        linkSharedLibrary(*object, options.cpu, loc);
    if (failed(linked))
      return failure();
    library = std::move(*linked);
    std::string triple = resolveTriple(options.cpu);
    codeSection = "cpu." + archName(triple);
    targets.push_back(llvm::json::Object{
        {"backend", "cpu"}, {"triple", triple}, {"section", codeSection}});
  }
  // GPU kernels and their dispatch schedule.
  VulkanCode vulkanCode;
  if (vulkan) {
    FailureOr<VulkanCode> code = emitVulkanCode(*vulkanModule, options.vulkan);
    if (failed(code))
      return failure();
    vulkanCode = std::move(*code);
    const VulkanProfile *profile = lookupVulkanProfile(options.vulkan.profile);
    targets.push_back(llvm::json::Object{
        {"backend", "vulkan"},
        {"triple", std::string("spirv1.3-") + profile->vulkanVersion},
        {"profile", profile->name},
        {"section", "vulkan.spirv"},
        {"schedule", "vulkan.schedule"}});
  }

  llvm::json::Object manifest{
      {"format", "anima-artifact"},
      {"format_version", 1},
      {"producer", "animac 0.1.0"},
      {"model", options.modelName.empty() ? "model" : options.modelName},
      {"state", std::move(stateJson)},
      {"entry_points", std::move(entries)},
      {"targets", std::move(targets)}};
  std::string manifestText;
  llvm::raw_string_ostream(manifestText) << llvm::json::Value(std::move(manifest));

  ::anima::artifact::ArtifactWriter writer;
  std::string error;
  using ::anima::artifact::SectionKind;
  if (!writer.addManifest(manifestText, &error) ||
      (cpu && !writer.addSection(SectionKind::CpuCode, codeSection,
                                 library.data(), library.size(), &error)) ||
      (vulkan &&
       (!writer.addSection(SectionKind::Spirv, "vulkan.spirv",
                           vulkanCode.spirv.data(), vulkanCode.spirv.size(),
                           &error) ||
        !writer.addSection(SectionKind::DispatchSchedule, "vulkan.schedule",
                           vulkanCode.schedule.data(),
                           vulkanCode.schedule.size(), &error))) ||
      !writer.addSection(SectionKind::InitialState, "state",
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
