//===- animac.cpp - the Anima model compiler ------------------------------===//
//
//   animac model.mlir -o model.anima [--target cpu|vulkan|cpu,vulkan]
//          [--weights w.safetensors] [--triple T] [--cpu C] [--features F]
//          [--vulkan-profile mobile|desktop|lavapipe] [--no-fusion]
//          [--emit artifact|llvm-dialect|shared-library|spirv|
//                  vulkan-schedule|gpu-dialect]
//
// A thin command line over the compiler library (anima/Compiler/Compiler.h).
//
//===----------------------------------------------------------------------===//

#include "anima/Compiler/Compiler.h"
#include "anima/Pipelines/Pipelines.h"
#include "anima/SourceNesting.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("animac options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("Output artifact"),
                                       cl::value_desc("file"), cl::Required,
                                       cl::cat(category));
static cl::opt<std::string>
    targets("target", cl::desc("Comma-separated backends (cpu, vulkan)"),
            cl::init("cpu"), cl::cat(category));
static cl::opt<std::string>
    weights("weights", cl::desc("safetensors file with initial state values"),
            cl::cat(category));
static cl::opt<std::string> triple("triple",
                                   cl::desc("CPU target triple (default: host)"),
                                   cl::cat(category));
static cl::opt<std::string>
    cpu("cpu", cl::desc("CPU name (default x86-64-v3 / generic; 'native')"),
        cl::cat(category));
static cl::opt<std::string> features("features",
                                     cl::desc("Extra CPU target features"),
                                     cl::cat(category));
static cl::opt<std::string>
    ukernels("ukernels", cl::desc("Folder with <arch>/libanima_ukernels.a"),
             cl::cat(category));
static cl::opt<std::string> vulkanProfile(
    "vulkan-profile",
    cl::desc("Vulkan target profile: mobile (default), desktop, lavapipe"),
    cl::init("mobile"), cl::cat(category));
static cl::opt<bool> noFusion("no-fusion", cl::desc("Disable op fusion"),
                              cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                                  cl::init(3), cl::Prefix, cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("What to write: artifact (default), llvm-dialect, "
                  "shared-library (the CPU code alone), gpu-dialect (the "
                  "Vulkan pipeline's output), spirv (the Vulkan kernels, "
                  "disassembled) or vulkan-schedule (the dispatch "
                  "schedule JSON)"),
         cl::init("artifact"), cl::cat(category));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "Anima model compiler\n");

  DialectRegistry registry;
  anima::registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  context.loadAllAvailableDialects();

  anima::CompileOptions options;
  options.targets.clear();
  for (StringRef target : llvm::split(StringRef(targets), ','))
    options.targets.push_back(target.trim().str());
  options.fusion = !noFusion;
  options.weightsFile = weights;
  options.cpu.triple = triple;
  options.cpu.cpu = cpu;
  options.cpu.features = features;
  options.cpu.optLevel = optLevel;
  options.cpu.ukernelDir = ukernels;
  options.vulkan.profile = vulkanProfile;
  options.modelName = llvm::sys::path::stem(inputFile).str();

  std::string error;
  std::string bytes;
  // Diagnostics print with their source line, like mlir-opt's.
  auto file = openInputFile(inputFile, &error);
  if (!file) {
    llvm::errs() << "animac: " << error << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  if (failed(anima::checkSourceNesting(
          *sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID()), &context)))
    return 1;
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  if (emit == "shared-library") {
    FailureOr<std::string> library =
        anima::compileToSharedLibrary(*module, options);
    if (failed(library))
      return 1;
    bytes = std::move(*library);
  } else if (emit == "llvm-dialect") {
    PassManager pm(&context);
    anima::CpuPipelineOptions pipeline;
    pipeline.fusion = options.fusion;
    pipeline.targetTriple = anima::resolveTriple(options.cpu);
    pipeline.targetCpu = options.cpu.cpu;
    pipeline.targetFeatures = options.cpu.features;
    anima::buildCpuPipeline(pm, pipeline);
    if (failed(pm.run(*module)))
      return 1;
    llvm::raw_string_ostream os(bytes);
    module->print(os);
  } else if (emit == "gpu-dialect") {
    PassManager pm(&context);
    anima::VulkanPipelineOptions pipeline;
    pipeline.fusion = options.fusion;
    pipeline.profile = options.vulkan.profile;
    anima::buildVulkanPipeline(pm, pipeline);
    if (failed(pm.run(*module)))
      return 1;
    llvm::raw_string_ostream os(bytes);
    module->print(os);
  } else if (emit == "spirv" || emit == "vulkan-schedule") {
    FailureOr<std::string> text = anima::compileVulkanSchedule(
        *module, options, /*disassemble=*/emit == "spirv");
    if (failed(text))
      return 1;
    bytes = std::move(*text);
  } else if (emit == "artifact") {
    FailureOr<std::string> artifact =
        anima::compileToArtifact(*module, options);
    if (failed(artifact))
      return 1;
    bytes = std::move(*artifact);
  } else {
    llvm::errs() << "animac: unknown --emit value '" << emit << "'\n";
    return 1;
  }

  auto output = openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << "animac: " << error << "\n";
    return 1;
  }
  output->os() << bytes;
  output->keep();
  return 0;
}
