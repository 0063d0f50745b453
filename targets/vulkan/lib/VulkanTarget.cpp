//===- VulkanTarget.cpp - SPIR-V modules and the dispatch schedule --------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/Targets/VulkanTarget.h"

#include "anima/Pipelines/Pipelines.h"
#include "anima/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Target/SPIRV/Serialization.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <map>
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::anima;

namespace {

/// Name of the context global (passes/lib/Transforms/GpuKernels.h).
constexpr StringLiteral kContextGlobal = "__anima_context";

/// A temporary file removed on destruction.
struct TempFile {
  SmallString<128> path;
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

/// Finds a SPIRV-Tools executable.
std::string findTool(StringRef configured, StringRef name) {
  if (!configured.empty())
    return configured.str();
  if (auto path = llvm::sys::findProgramByName(name))
    return *path;
  return {};
}

/// Runs `tool args...`; on failure returns its combined output.
LogicalResult runTool(StringRef tool, ArrayRef<StringRef> args,
                      std::string &log) {
  TempFile logFile;
  if (llvm::sys::fs::createTemporaryFile("anima-spirv", "log", logFile.path)) {
    log = "cannot create a temporary file";
    return failure();
  }
  SmallVector<StringRef> argv = {tool};
  argv.append(args.begin(), args.end());
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logFile.path),
                                          StringRef(logFile.path)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(tool, argv, std::nullopt, redirects, 0, 0,
                                     &message);
  if (auto buffer = llvm::MemoryBuffer::getFile(logFile.path))
    log = (*buffer)->getBuffer().trim().str();
  if (rc == 0)
    return success();
  if (log.empty())
    log = message.empty() ? "exit code " + std::to_string(rc) : message;
  return failure();
}

/// Element bytes of a memref (i1 and sub-byte types round up to a byte).
int64_t byteSize(MemRefType type) {
  return type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
}

/// The schedule of one entry function.
class EntrySchedule {
public:
  EntrySchedule(func::FuncOp func, unsigned stateCount,
                const llvm::StringMap<unsigned> &kernelIds,
                ArrayRef<std::pair<::mlir::gpu::GPUFuncOp, unsigned>> kernels)
      : func(func), stateCount(stateCount), kernelIds(kernelIds),
        kernels(kernels) {}

  FailureOr<llvm::json::Object> build(StringRef name, unsigned inputs,
                                      unsigned outputs) {
    // Arguments: context, state..., inputs..., outputs... (abi.h order).
    if (func.getNumArguments() != 1 + stateCount + inputs + outputs)
      return func.emitError("entry '")
             << name << "' has " << func.getNumArguments()
             << " arguments, expected the context, " << stateCount
             << " states, " << inputs << " inputs and " << outputs
             << " outputs";
    for (unsigned i = 1; i < func.getNumArguments(); ++i) {
      BlockArgument arg = func.getArgument(i);
      if (arg.use_empty())
        continue;
      unsigned index = i - 1;
      if (index < stateCount)
        addBuffer(arg, llvm::json::Object{{"kind", "state"}, {"index", index}});
      else if (index < stateCount + inputs)
        addBuffer(arg, llvm::json::Object{{"kind", "input"}, {"index", index - stateCount}});
      else
        addBuffer(arg, llvm::json::Object{{"kind", "output"},
                        {"index", index - stateCount - inputs}});
    }
    for (Operation &op : func.getBody().front()) {
      if (failed(visit(op)))
        return failure();
    }
    // States written only by journaling anima kernels: the runtime's guard
    // needs no copy of them (the undo commands restore them).
    llvm::json::Array journaled;
    for (auto &[state, byJournaled] : stateWriters)
      if (byJournaled)
        journaled.push_back(static_cast<int64_t>(state));
    return llvm::json::Object{{"name", name},
                              {"buffers", std::move(buffers)},
                              {"commands", std::move(commands)},
                              {"undo", std::move(undo)},
                              {"journaled_states", std::move(journaled)}};
  }

private:
  unsigned addBuffer(Value value, llvm::json::Object desc) {
    unsigned id = buffers.size();
    if (desc.getString("kind") == StringRef("state"))
      stateOfBuffer[id] = static_cast<unsigned>(*desc.getInteger("index"));
    buffers.push_back(std::move(desc));
    ids[value] = id;
    return id;
  }

  FailureOr<unsigned> bufferOf(Operation *user, Value value) {
    auto it = ids.find(value);
    if (it != ids.end())
      return it->second;
    return user->emitError("a Vulkan step can only use state, input, output "
                           "and per-step buffers; this operand is ")
           << value;
  }

  LogicalResult visit(Operation &op) {
    if (isa<arith::ConstantOp, func::ReturnOp, memref::DeallocOp>(op))
      return success();
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity())
        return alloc.emitError("a Vulkan temporary must have a static shape "
                               "and an identity layout, got ")
               << type;
      int64_t bytes = std::max<int64_t>(4, (byteSize(type) + 3) / 4 * 4);
      addBuffer(alloc, llvm::json::Object{{"kind", "temp"}, {"bytes", bytes}});
      return success();
    }
    if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
      if (global.getName() != kContextGlobal)
        return global.emitError("constant tensor '@")
               << global.getName()
               << "' is not supported on the vulkan target (only splat "
                  "constants, which fold into kernels)";
      if (contextId < 0)
        contextId = addBuffer(global, llvm::json::Object{{"kind", "context"}});
      else
        ids[global] = contextId;
      return success();
    }
    // Reshapes and casts of whole contiguous buffers are views: the same
    // buffer, bound as is.
    if (isa<memref::SubViewOp>(op) && op.use_empty())
      return success(); // sunk into the kernels that used it
    if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp, memref::CastOp>(
            op)) {
      Value source = op.getOperand(0);
      auto type = cast<MemRefType>(op.getResult(0).getType());
      if (!type.getLayout().isIdentity())
        return op.emitError("a Vulkan step can only reshape whole contiguous "
                            "buffers, got ")
               << type;
      FailureOr<unsigned> id = bufferOf(&op, source);
      if (failed(id))
        return failure();
      ids[op.getResult(0)] = *id;
      return success();
    }
    if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      auto src = bufferOf(copy, copy.getSource());
      auto dst = bufferOf(copy, copy.getTarget());
      if (failed(src) || failed(dst))
        return failure();
      auto type = cast<MemRefType>(copy.getSource().getType());
      if (!type.getLayout().isIdentity() ||
          !cast<MemRefType>(copy.getTarget().getType()).getLayout().isIdentity())
        return copy.emitError("a Vulkan copy must be between whole buffers");
      noteWrite(*dst, /*journaled=*/false);
      commands.push_back(llvm::json::Object{{"op", "copy"},
                                            {"src", *src},
                                            {"dst", *dst},
                                            {"bytes", byteSize(type)}});
      return success();
    }
    if (auto launch = dyn_cast<::mlir::gpu::LaunchFuncOp>(op))
      return visitLaunch(launch);
    return op.emitError("'")
           << op.getName()
           << "' cannot run on the host side of a Vulkan step (only kernel "
              "launches, buffer copies and per-step allocations can)";
  }

  LogicalResult visitLaunch(::mlir::gpu::LaunchFuncOp launch) {
    StringRef module = launch.getKernelModuleName().getValue();
    auto kernelIt = kernelIds.find(module);
    if (kernelIt == kernelIds.end())
      return launch.emitError("no SPIR-V kernel for '") << module << "'";
    ::mlir::gpu::GPUFuncOp kernel = kernels[kernelIt->second].first;
    llvm::json::Array groups;
    for (Value size : {launch.getGridSizeX(), launch.getGridSizeY(),
                       launch.getGridSizeZ()}) {
      std::optional<int64_t> value = getConstantIntValue(size);
      if (!value || *value < 1)
        return launch.emitError("a Vulkan dispatch needs constant, positive "
                                "workgroup counts");
      groups.push_back(*value);
    }
    StringRef kernelName = launch.getKernelName().getValue();
    bool isUndo = kernelName == "anima_undo";
    bool journaling = journalingKernels().contains(kernelName);
    llvm::json::Array bindings, writes;
    for (auto [i, operand] : llvm::enumerate(launch.getKernelOperands())) {
      if (!isa<MemRefType>(operand.getType()))
        return launch.emitError("kernel '")
               << module << "' takes a scalar argument " << i
               << "; Vulkan kernels take buffers only";
      FailureOr<unsigned> id = bufferOf(launch, operand);
      if (failed(id))
        return failure();
      bindings.push_back(*id);
      if (writesArgument(kernel, i)) {
        writes.push_back(static_cast<int64_t>(i));
        if (!isUndo)
          noteWrite(*id, journaling);
      }
    }
    (isUndo ? undo : commands).push_back(llvm::json::Object{{"op", "dispatch"},
                                          {"kernel", kernelIt->second},
                                          {"groups", std::move(groups)},
                                          {"bindings", std::move(bindings)},
                                          {"writes", std::move(writes)}});
    return success();
  }

  /// The anima kernels that save what they overwrite (GpuKernels.h).
  static const llvm::StringSet<> &journalingKernels() {
    static const llvm::StringSet<> names = {
        "anima_kwta", "anima_mem_write", "anima_fused_mem_step",
        "anima_plastic_update", "anima_fused_plastic_step"};
    return names;
  }

  /// Records a write of buffer `id` (a state, if it is one).
  void noteWrite(unsigned id, bool journaled) {
    auto it = stateOfBuffer.find(id);
    if (it == stateOfBuffer.end())
      return;
    auto [slot, inserted] = stateWriters.try_emplace(it->second, journaled);
    if (!inserted)
      slot->second = slot->second && journaled;
  }

  /// Whether kernel argument `i` is stored to.
  static bool writesArgument(::mlir::gpu::GPUFuncOp kernel, unsigned i) {
    Value arg = kernel.getArgument(i);
    for (Operation *user : arg.getUsers())
      if (isa<memref::StoreOp, memref::AtomicRMWOp, memref::CopyOp>(user) ||
          !isa<memref::LoadOp>(user))
        return true;
    return false;
  }

  func::FuncOp func;
  unsigned stateCount;
  const llvm::StringMap<unsigned> &kernelIds;
  ArrayRef<std::pair<::mlir::gpu::GPUFuncOp, unsigned>> kernels;
  llvm::DenseMap<Value, unsigned> ids;
  llvm::json::Array buffers, commands, undo;
  int64_t contextId = -1;
  llvm::DenseMap<unsigned, unsigned> stateOfBuffer; ///< buffer id -> state
  std::map<unsigned, bool> stateWriters; ///< state -> only journaled writers
};

} // namespace

FailureOr<std::string>
mlir::anima::validateAndOptimizeSpirv(StringRef binary,
                                      const VulkanTargetOptions &options,
                                      StringRef what, Location loc) {
  const VulkanProfile *profile = lookupVulkanProfile(options.profile);
  if (!profile)
    return emitError(loc, "unknown Vulkan profile '")
           << options.profile << "' (known: " << vulkanProfileNames() << ")";
  std::string val = findTool(options.spirvVal, "spirv-val");
  std::string opt = findTool(options.spirvOpt, "spirv-opt");
  if (val.empty() || (options.optimize && opt.empty()))
    return emitError(loc, "spirv-val/spirv-opt not found; install the Debian "
                          "package spirv-tools");
  TempFile in, out;
  int fd = -1;
  if (llvm::sys::fs::createTemporaryFile("anima-kernel", "spv", fd, in.path) ||
      llvm::sys::fs::createTemporaryFile("anima-kernel-opt", "spv", out.path))
    return emitError(loc, "cannot create temporary SPIR-V files");
  {
    llvm::raw_fd_ostream stream(fd, /*shouldClose=*/true);
    stream << binary;
  }
  // spirv-opt takes --target-env=X, spirv-val --target-env X.
  std::string env = std::string("--target-env=") + profile->vulkanVersion;
  StringRef valEnv[] = {"--target-env", profile->vulkanVersion};
  std::string log;
  if (failed(runTool(val, {valEnv[0], valEnv[1], StringRef(in.path)}, log)))
    return emitError(loc, "spirv-val rejects kernel '")
           << what << "': " << log;
  if (!options.optimize)
    return binary.str();
  if (failed(runTool(opt, {"-O", env, StringRef(in.path), "-o",
                           StringRef(out.path)},
                     log)))
    return emitError(loc, "spirv-opt fails on kernel '") << what << "': " << log;
  if (failed(runTool(val, {valEnv[0], valEnv[1], StringRef(out.path)}, log)))
    return emitError(loc, "spirv-val rejects kernel '")
           << what << "' after spirv-opt: " << log;
  auto buffer = llvm::MemoryBuffer::getFile(out.path);
  if (!buffer)
    return emitError(loc, "cannot read the optimized kernel '") << what << "'";
  return (*buffer)->getBuffer().str();
}

FailureOr<VulkanCode>
mlir::anima::emitVulkanCode(ModuleOp module,
                            const VulkanTargetOptions &options) {
  Location loc = module.getLoc();
  const VulkanProfile *profile = lookupVulkanProfile(options.profile);
  if (!profile)
    return emitError(loc, "unknown Vulkan profile '")
           << options.profile << "' (known: " << vulkanProfileNames() << ")";

  // Kernels: one spirv.module per outlined gpu.module (named __spv__<name>).
  VulkanCode code;
  llvm::json::Array kernelJson;
  llvm::StringMap<unsigned> kernelIds;
  SmallVector<std::pair<::mlir::gpu::GPUFuncOp, unsigned>> kernels;
  int64_t maxInvocations = 1, maxShared = 0;
  bool subgroupArithmetic = false;
  for (auto spvModule : module.getOps<spirv::ModuleOp>()) {
    StringRef symName = spvModule.getSymName().value_or("");
    StringRef name = symName;
    name.consume_front("__spv__");
    auto gpuModule = module.lookupSymbol<::mlir::gpu::GPUModuleOp>(name);
    if (!gpuModule)
      return spvModule.emitError("no gpu.module '") << name << "'";
    ::mlir::gpu::GPUFuncOp kernel;
    for (auto func : gpuModule.getOps<::mlir::gpu::GPUFuncOp>())
      if (func.isKernel())
        kernel = func;
    if (!kernel)
      return gpuModule.emitError("gpu.module without a kernel");
    SmallVector<uint32_t> words;
    if (failed(spirv::serialize(spvModule, words)))
      return failure();
    std::string binary(reinterpret_cast<const char *>(words.data()),
                       words.size() * sizeof(uint32_t));
    FailureOr<std::string> checked =
        validateAndOptimizeSpirv(binary, options, name, spvModule.getLoc());
    if (failed(checked))
      return failure();
    SmallVector<int64_t, 3> size = {1, 1, 1};
    if (auto known = kernel.getKnownBlockSizeAttr())
      for (auto [i, v] : llvm::enumerate(known.asArrayRef()))
        size[i] = v;
    maxInvocations = std::max(maxInvocations, size[0] * size[1] * size[2]);
    maxShared = std::max(maxShared, workgroupMemoryBytes(kernel));
    kernel.walk([&](::mlir::gpu::SubgroupReduceOp) { subgroupArithmetic = true; });
    kernelIds[name] = kernels.size();
    kernels.push_back({kernel, static_cast<unsigned>(kernels.size())});
    kernelJson.push_back(llvm::json::Object{
        {"name", name},
        {"entry", kernel.getName()},
        {"spirv_offset", static_cast<int64_t>(code.spirv.size())},
        {"spirv_bytes", static_cast<int64_t>(checked->size())},
        {"workgroup_size", llvm::json::Array{size[0], size[1], size[2]}},
        {"bindings", static_cast<int64_t>(kernel.getNumArguments())}});
    code.spirv += *checked;
  }

  // Entry points.
  auto states = module->getAttrOfType<ArrayAttr>(kStatesAttrName);
  unsigned stateCount = states ? states.size() : 0;
  llvm::json::Array entries;
  for (auto func : module.getOps<func::FuncOp>()) {
    auto entry = func->getAttrOfType<DictionaryAttr>(kEntryPointAttrName);
    if (!entry || func.isExternal())
      continue;
    StringRef name = entry.getAs<StringAttr>("name").getValue();
    EntrySchedule schedule(func, stateCount, kernelIds, kernels);
    FailureOr<llvm::json::Object> json = schedule.build(
        name, entry.getAs<ArrayAttr>("inputs").size(),
        entry.getAs<ArrayAttr>("outputs").size());
    if (failed(json))
      return failure();
    entries.push_back(std::move(*json));
  }
  if (entries.empty())
    return emitError(loc, "the lowered module has no entry function");

  llvm::json::Object schedule{
      {"format", "anima-vulkan-schedule"},
      {"version", 1},
      {"profile", profile->name},
      {"requires",
       llvm::json::Object{{"subgroup_arithmetic", subgroupArithmetic},
                          {"max_workgroup_invocations", maxInvocations},
                          {"max_shared_bytes", maxShared},
                          {"min_subgroup_size", 1}}},
      {"kernels", std::move(kernelJson)},
      {"entry_points", std::move(entries)}};
  llvm::raw_string_ostream(code.schedule)
      << llvm::formatv("{0:2}", llvm::json::Value(std::move(schedule)));
  return code;
}

FailureOr<std::string>
mlir::anima::disassembleVulkanCode(const VulkanCode &code,
                                   const VulkanTargetOptions &options,
                                   Location loc) {
  std::string dis = findTool("", "spirv-dis");
  if (dis.empty())
    return emitError(loc, "spirv-dis not found; install the Debian package "
                          "spirv-tools");
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(code.schedule);
  if (!parsed)
    return emitError(loc, "bad schedule: ") << llvm::toString(parsed.takeError());
  std::string text;
  const llvm::json::Array *kernels =
      parsed->getAsObject()->getArray("kernels");
  for (const llvm::json::Value &kernel : *kernels) {
    const llvm::json::Object *k = kernel.getAsObject();
    int64_t offset = *k->getInteger("spirv_offset");
    int64_t bytes = *k->getInteger("spirv_bytes");
    TempFile in, out;
    int fd = -1;
    if (llvm::sys::fs::createTemporaryFile("anima-dis", "spv", fd, in.path) ||
        llvm::sys::fs::createTemporaryFile("anima-dis", "txt", out.path))
      return emitError(loc, "cannot create temporary files");
    {
      llvm::raw_fd_ostream stream(fd, /*shouldClose=*/true);
      stream << StringRef(code.spirv).substr(offset, bytes);
    }
    std::string log;
    if (failed(runTool(dis, {StringRef(in.path), "-o", StringRef(out.path)},
                       log)))
      return emitError(loc, "spirv-dis failed: ") << log;
    auto buffer = llvm::MemoryBuffer::getFile(out.path);
    if (!buffer)
      return emitError(loc, "cannot read the disassembly");
    text += "; kernel " + k->getString("name")->str() + "\n";
    text += (*buffer)->getBuffer().str();
  }
  return text;
}
