//===- CpuTarget.cpp - LLVM dialect to a shared library -------------------===//

#include "anima/Targets/CpuTarget.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <dlfcn.h>

using namespace mlir;

std::string mlir::anima::resolveTriple(const mlir::anima::CpuTargetOptions &options) {
  if (!options.triple.empty())
    return llvm::Triple::normalize(options.triple);
  return llvm::sys::getDefaultTargetTriple();
}

std::string mlir::anima::archName(StringRef triple) {
  return llvm::Triple(triple).getArchName().str();
}

void mlir::anima::registerCpuTargetTranslations(DialectRegistry &registry) {
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

/// The CPU name the options select for `triple`.
static std::string resolveCpu(const mlir::anima::CpuTargetOptions &options,
                              const llvm::Triple &triple) {
  if (options.cpu == "native")
    return llvm::sys::getHostCPUName().str();
  if (!options.cpu.empty())
    return options.cpu;
  if (triple.getArch() == llvm::Triple::x86_64)
    return "x86-64-v3";
  return "generic";
}

static void initializeTargets() {
  static bool done = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    return true;
  }();
  (void)done;
}

FailureOr<std::string>
mlir::anima::emitObjectFile(ModuleOp module,
                            const mlir::anima::CpuTargetOptions &requested) {
  initializeTargets();
  // What the pipeline recorded on the module fills what was not requested.
  CpuTargetOptions options = requested;
  auto recorded = [&](StringRef name) -> std::string {
    auto attr = module->getAttrOfType<StringAttr>(name);
    return attr ? attr.str() : std::string();
  };
  if (options.triple.empty())
    options.triple = recorded("llvm.target_triple");
  if (options.cpu.empty())
    options.cpu = recorded("anima.target_cpu");
  if (options.features.empty())
    options.features = recorded("anima.target_features");
  std::string tripleName = resolveTriple(options);
  llvm::Triple triple(tripleName);
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError("unsupported target triple '")
           << tripleName << "': " << error;
  llvm::TargetOptions targetOptions;
  llvm::CodeGenOptLevel level = options.optLevel >= 3
                                    ? llvm::CodeGenOptLevel::Aggressive
                                    : options.optLevel == 0
                                          ? llvm::CodeGenOptLevel::None
                                          : llvm::CodeGenOptLevel::Default;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, resolveCpu(options, triple), options.features, targetOptions,
      llvm::Reloc::PIC_, std::nullopt, level));
  if (!machine)
    return module.emitError("cannot create a target machine for '")
           << tripleName << "'";

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "anima_model");
  if (!llvmModule)
    return module.emitError("translation to LLVM IR failed");
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());

  // The standard per-module optimization pipeline for the target.
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(machine.get());
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel optLevel =
      options.optLevel == 0   ? llvm::OptimizationLevel::O0
      : options.optLevel == 1 ? llvm::OptimizationLevel::O1
      : options.optLevel == 2 ? llvm::OptimizationLevel::O2
                              : llvm::OptimizationLevel::O3;
  if (options.optLevel == 0) {
    llvm::ModulePassManager mpm = builder.buildO0DefaultPipeline(optLevel);
    mpm.run(*llvmModule, mam);
  } else {
    llvm::ModulePassManager mpm =
        builder.buildPerModuleDefaultPipeline(optLevel);
    mpm.run(*llvmModule, mam);
  }

  llvm::SmallString<0> object;
  llvm::raw_svector_ostream stream(object);
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, stream, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return module.emitError("the target cannot emit object files");
  codegen.run(*llvmModule);
  return std::string(object.str());
}

/// Finds ld.lld: the option, then LLVM 22's, then the PATH.
static std::string findLinker(const mlir::anima::CpuTargetOptions &options) {
  if (!options.linker.empty())
    return options.linker;
  for (const char *name : {"ld.lld-22", "ld.lld"}) {
    llvm::ErrorOr<std::string> path =
        llvm::sys::findProgramByName(name, {"/usr/lib/llvm-22/bin"});
    if (path)
      return *path;
    path = llvm::sys::findProgramByName(name);
    if (path)
      return *path;
  }
  return {};
}

/// Returns `relative` resolved against the folder holding `file`.
static std::string besideFile(StringRef file, StringRef relative) {
  llvm::SmallString<256> dir(llvm::sys::path::parent_path(file));
  llvm::sys::path::append(dir, relative);
  llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
  return std::string(dir.str());
}

SmallVector<std::string> mlir::anima::defaultUkernelDirs() {
  SmallVector<std::string> dirs;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  if (!exe.empty())
    dirs.push_back(besideFile(exe, ANIMA_UKERNEL_DIR_FROM_BIN));
  // The shared object holding this function, when it is not the program.
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(&mlir::anima::defaultUkernelDirs),
             &info) &&
      info.dli_fname && StringRef(info.dli_fname) != exe) {
    llvm::SmallString<256> library;
    if (!llvm::sys::fs::real_path(info.dli_fname, library))
      dirs.push_back(besideFile(library, ANIMA_UKERNEL_DIR_FROM_LIB));
  }
  dirs.push_back(ANIMA_UKERNEL_INSTALL_DIR);
  return dirs;
}

/// Returns the microkernel archive for `arch`, or the places searched (as a
/// message) when there is none.
static FailureOr<std::string>
findUkernelArchive(const mlir::anima::CpuTargetOptions &options,
                   StringRef arch, std::string &searched) {
  SmallVector<std::string> dirs;
  if (!options.ukernelDir.empty())
    dirs.push_back(options.ukernelDir);
  else
    dirs = mlir::anima::defaultUkernelDirs();
  for (const std::string &dir : dirs) {
    llvm::SmallString<256> archive(dir);
    llvm::sys::path::append(archive, arch, "libanima_ukernels.a");
    if (llvm::sys::fs::exists(archive))
      return std::string(archive.str());
    searched += (searched.empty() ? "" : ", ") + std::string(archive.str());
  }
  return failure();
}

namespace {
/// A temporary file removed when it goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};
} // namespace

FailureOr<std::string>
mlir::anima::linkSharedLibrary(StringRef object, const mlir::anima::CpuTargetOptions &options,
                         Location loc) {
  std::string triple = resolveTriple(options);
  std::string arch = archName(triple);
  std::string searched;
  FailureOr<std::string> archive = findUkernelArchive(options, arch, searched);
  if (failed(archive))
    return emitError(loc, "no microkernels for architecture '")
           << arch << "' (looked for " << searched
           << "; set the microkernel folder)";
  std::string linker = findLinker(options);
  if (linker.empty())
    return emitError(loc, "cannot find ld.lld (install lld-22)");

  TempFile objectFile, libraryFile, logFile;
  int fd = -1;
  if (llvm::sys::fs::createTemporaryFile("anima", "o", fd, objectFile.path))
    return emitError(loc, "cannot create a temporary object file");
  {
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out << object;
  }
  if (llvm::sys::fs::createTemporaryFile("anima", "so", libraryFile.path) ||
      llvm::sys::fs::createTemporaryFile("anima", "log", logFile.path))
    return emitError(loc, "cannot create temporary files for linking");

  SmallVector<StringRef> args = {linker,
                                 "-shared",
                                 "--gc-sections",
                                 "-z",
                                 "noexecstack",
                                 "-z",
                                 "now",
                                 "--hash-style=both",
                                 "-o",
                                 libraryFile.path,
                                 objectFile.path,
                                 *archive};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logFile.path),
                                          StringRef(logFile.path)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(linker, args, std::nullopt, redirects, 0,
                                     0, &message);
  if (rc != 0) {
    std::string log;
    if (auto buffer = llvm::MemoryBuffer::getFile(logFile.path))
      log = (*buffer)->getBuffer().str();
    return emitError(loc, "linking the shared library failed (")
           << (message.empty() ? "exit code " + std::to_string(rc) : message)
           << "): " << log;
  }
  auto buffer = llvm::MemoryBuffer::getFile(libraryFile.path);
  if (!buffer)
    return emitError(loc, "cannot read the linked shared library");
  return (*buffer)->getBuffer().str();
}
