//===- ReferenceModels.h - tests/e2e/models/*.mlir in reference C++ -*- C++ -*-===//
//
// Each class is the model of the same name in tests/e2e/models/, written
// with the reference kernels, op by op in the model's order, with its
// initial state computed independently (the seeded initializers).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_E2E_REFERENCEMODELS_H
#define ANIMA_TESTS_E2E_REFERENCEMODELS_H

#include "E2EHarness.h"

#include <memory>

namespace anima::e2e {

/// kwta.mlir: kwta in value (boosted, duty), binary and softmax modes.
std::unique_ptr<ReferenceModel> makeKwtaModel();
Tensors kwtaInputs(std::mt19937 &rng, int t);

/// matvec.mlir: gather_matvec and sparse_matvec over a k-WTA set.
std::unique_ptr<ReferenceModel> makeMatvecModel();
Tensors matvecInputs(std::mt19937 &rng, int t);

/// memory.mlir: dense, sparse and read-first memory writes with reads.
std::unique_ptr<ReferenceModel> makeMemoryModel();
Tensors memoryInputs(std::mt19937 &rng, int t);

/// plastic.mlir: every rule; `plasticity` scales learning as the runtime
/// does (eta, lambda by p).
std::unique_ptr<ReferenceModel> makePlasticModel(float plasticity = 1.0f);
Tensors plasticInputs(std::mt19937 &rng, int t);

/// composed.mlir: centring, projection, boosted k-WTA, readout, memory.
std::unique_ptr<ReferenceModel> makeComposedModel();
Tensors composedInputs(std::mt19937 &rng, int t);

} // namespace anima::e2e

#endif // ANIMA_TESTS_E2E_REFERENCEMODELS_H
