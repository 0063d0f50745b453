//===- Passes.cpp - C API for the anima passes and pipelines --------------===//

#include "anima-c/Passes.h"

#include "anima/InitAnima.h"
#include "anima/Pipelines/Pipelines.h"
#include "anima/Transforms/Passes.h"

#include "mlir/CAPI/Pass.h"
#include "mlir/CAPI/Support.h"

using namespace mlir::anima;

// The generated C API of every pass (mlirCreateAnima<Pass>, ...).
extern "C" {
#include "anima/Transforms/Passes.capi.cpp.inc"
}

void animaRegisterAllPasses(void) { registerAllAnimaPasses(); }

void animaCpuPipelineOptionsInit(AnimaCpuPipelineOptions *options) {
  *options = AnimaCpuPipelineOptions{};
  options->fusion = true;
}

void animaAddCpuPipeline(MlirOpPassManager passManager,
                         const AnimaCpuPipelineOptions *options) {
  AnimaCpuPipelineOptions defaults;
  if (!options) {
    animaCpuPipelineOptionsInit(&defaults);
    options = &defaults;
  }
  CpuPipelineOptions pipeline;
  pipeline.fusion = options->fusion;
  pipeline.targetTriple = unwrap(options->targetTriple).str();
  pipeline.targetCpu = unwrap(options->targetCpu).str();
  pipeline.targetFeatures = unwrap(options->targetFeatures).str();
  buildCpuPipeline(*unwrap(passManager), pipeline);
}
