//===- ReferenceModels.cpp - tests/e2e/models/*.mlir in reference C++ ----===//

#include "ReferenceModels.h"

#include "anima/kernels/reference/Reference.h"

#include <gtest/gtest.h>

#include <cmath>

namespace anima::e2e {

namespace r = anima::ref;

namespace {

/// Fails the running test when a reference kernel rejects its arguments
/// (the models are valid, so this is a bug in the test).
void check(bool ok, const char *what) {
  EXPECT_TRUE(ok) << "reference kernel rejected " << what;
}

std::vector<float> normal(uint64_t seed, float mean, float stddev, size_t n) {
  std::vector<float> out(n);
  check(r::random_normal(seed, mean, stddev, n, out.data()), "random_normal");
  return out;
}

std::vector<float> uniformInit(uint64_t seed, float lo, float hi, size_t n) {
  std::vector<float> out(n);
  check(r::random_uniform(seed, lo, hi, n, out.data()), "random_uniform");
  return out;
}

struct Active {
  std::vector<int32_t> idx;
  std::vector<float> val;
};

Active kwta(const std::vector<float> &u, int64_t k, r::KwtaMode mode,
            float *duty = nullptr, float beta = 0.0f, float period = 0.0f,
            float tau = 1.0f) {
  Active a{std::vector<int32_t>(k), std::vector<float>(k)};
  r::KwtaParams p;
  p.k = k;
  p.mode = mode;
  p.beta = beta;
  p.tau = tau;
  p.period = period;
  check(r::kwta(u.data(), u.size(), duty, p, a.idx.data(), a.val.data(),
                duty),
        "kwta");
  return a;
}

std::vector<float> gather(const std::vector<float> &W, int64_t n, int64_t d,
                          const Active &a, const std::vector<float> &x) {
  std::vector<float> y(a.idx.size());
  check(r::gather_matvec(W.data(), n, d, a.idx.data(), a.idx.size(), x.data(),
                         y.data()),
        "gather_matvec");
  return y;
}

void update(std::vector<float> &W, int64_t n, int64_t d, const Active *a,
            r::PlasticRule rule, r::PlasticParams p,
            const std::vector<float> &post, const std::vector<float> &pre,
            const std::vector<float> *target = nullptr) {
  check(r::plastic_update(W.data(), n, d, a ? a->idx.data() : nullptr,
                          a ? a->idx.size() : n, rule, p, post.data(),
                          pre.data(), target ? target->data() : nullptr),
        "plastic_update");
}

//===----------------------------------------------------------------------===//
// kwta.mlir
//===----------------------------------------------------------------------===//

class KwtaModel : public ReferenceModel {
public:
  KwtaModel() { state["duty"] = std::vector<float>(64, 0.0625f); }
  Tensors step(const Tensors &in) override {
    const std::vector<float> &u = in[0].f;
    Active a1 = kwta(u, 4, r::KwtaMode::Value, state["duty"].data(), 1.0f,
                     50.0f);
    Active a2 = kwta(u, 8, r::KwtaMode::Binary);
    Active a3 = kwta(u, 4, r::KwtaMode::Softmax, nullptr, 0.0f, 0.0f, 0.5f);
    return {Tensor::ints(a1.idx), Tensor::floats(a1.val),
            Tensor::ints(a2.idx), Tensor::floats(a2.val),
            Tensor::ints(a3.idx), Tensor::floats(a3.val)};
  }
};

//===----------------------------------------------------------------------===//
// matvec.mlir
//===----------------------------------------------------------------------===//

class MatvecModel : public ReferenceModel {
public:
  MatvecModel() { state["W"] = normal(11, 0.0f, 0.5f, 64 * 32); }
  Tensors step(const Tensors &in) override {
    const std::vector<float> &W = state["W"];
    Active a = kwta(in[0].f, 8, r::KwtaMode::Value);
    std::vector<float> y = gather(W, 64, 32, a, in[1].f);
    std::vector<float> z(32);
    check(r::sparse_matvec(W.data(), 64, 32, a.idx.data(), a.val.data(), 8,
                           z.data()),
          "sparse_matvec");
    return {Tensor::floats(y), Tensor::floats(z)};
  }
};

//===----------------------------------------------------------------------===//
// memory.mlir
//===----------------------------------------------------------------------===//

class MemoryModel : public ReferenceModel {
public:
  MemoryModel() {
    state["S1"] = std::vector<float>(16 * 32, 0.0f);
    state["S2"] = std::vector<float>(16 * 64, 0.0f);
    state["S3"] = uniformInit(3, -0.1f, 0.1f, 16 * 32);
  }
  Tensors step(const Tensors &in) override {
    const std::vector<float> &k = in[0].f, &v = in[1].f, &q = in[2].f;
    std::vector<float> o1(16), o2(16), o3(16);
    check(r::mem_read(state["S1"].data(), 16, 32, q.data(), o1.data()),
          "mem_read");
    r::MemWriteParams p1{0.95f, 0.5f, 1.0f, true, true};
    check(r::mem_write(state["S1"].data(), 16, 32, k.data(), v.data(), p1),
          "mem_write");
    Active a = kwta(in[3].f, 8, r::KwtaMode::Binary);
    check(r::mem_read_sparse(state["S2"].data(), 16, 64, a.idx.data(),
                             a.val.data(), 8, o2.data()),
          "mem_read_sparse");
    r::MemWriteParams p2{1.0f, 1.0f, 1.0f, true, false};
    check(r::mem_write_sparse(state["S2"].data(), 16, 64, a.idx.data(),
                              a.val.data(), 8, v.data(), p2),
          "mem_write_sparse");
    check(r::mem_read(state["S3"].data(), 16, 32, k.data(), o3.data()),
          "mem_read");
    r::MemWriteParams p3{0.9f, 0.25f, 0.5f, false, false};
    check(r::mem_write(state["S3"].data(), 16, 32, k.data(), v.data(), p3),
          "mem_write");
    return {Tensor::floats(o1), Tensor::floats(o2), Tensor::floats(o3)};
  }
};

//===----------------------------------------------------------------------===//
// plastic.mlir
//===----------------------------------------------------------------------===//

class PlasticModel : public ReferenceModel {
public:
  explicit PlasticModel(float plasticity) : p(plasticity) {
    state["Woja"] = normal(21, 0.0f, 0.2f, 64 * 32);
    state["Whebb"] = normal(22, 0.0f, 0.2f, 64 * 32);
    state["Winstar"] = normal(23, 0.0f, 0.2f, 64 * 32);
    state["Wdelta"] = normal(24, 0.0f, 0.2f, 64 * 32);
    state["Wsoft"] = normal(25, 0.0f, 0.2f, 64 * 32);
    state["R"] = std::vector<float>(64 * 10, 0.0f);
    state["D"] = normal(26, 0.0f, 0.2f, 10 * 32);
  }
  /// Rates as the runtime scales them by the plasticity p.
  r::PlasticParams rates(float eta, float lambda = 0.0f) const {
    r::PlasticParams params;
    params.eta = eta * p;
    params.lambda = lambda * p;
    return params;
  }
  Tensors step(const Tensors &in) override {
    const std::vector<float> &u = in[0].f, &x = in[1].f, &t = in[2].f,
                             &onehot = in[3].f;
    float m = in[4].f[0];
    Active a = kwta(u, 8, r::KwtaMode::Value);
    bool learn = p != 0.0f;

    std::vector<float> y1 = gather(state["Woja"], 64, 32, a, x);
    if (learn)
      update(state["Woja"], 64, 32, &a, r::PlasticRule::Oja, rates(0.05f), y1,
             x);

    std::vector<float> y2 = gather(state["Whebb"], 64, 32, a, x);
    std::vector<float> p2(8);
    for (int j = 0; j < 8; ++j)
      p2[j] = std::tanh(y2[j]) * 0.5f;
    if (learn)
      update(state["Whebb"], 64, 32, &a, r::PlasticRule::Hebb,
             rates(0.02f, 0.01f), p2, x);

    std::vector<float> y3 = gather(state["Winstar"], 64, 32, a, x);
    if (learn) {
      r::PlasticParams instar = rates(0.05f);
      instar.modulator = m;
      instar.row_norm = 1.0f;
      update(state["Winstar"], 64, 32, &a, r::PlasticRule::Instar, instar, y3,
             x);
    }

    std::vector<float> y4 = gather(state["Wdelta"], 64, 32, a, x);
    if (learn)
      update(state["Wdelta"], 64, 32, &a, r::PlasticRule::Delta, rates(0.02f),
             y4, x, &t);

    std::vector<float> y5 = gather(state["Wsoft"], 64, 32, a, x);
    if (learn)
      update(state["Wsoft"], 64, 32, &a, r::PlasticRule::SoftmaxDelta,
             rates(0.1f), y5, x, &t);

    std::vector<float> logits(10);
    check(r::sparse_matvec(state["R"].data(), 64, 10, a.idx.data(),
                           a.val.data(), 8, logits.data()),
          "sparse_matvec");
    if (learn) {
      r::PlasticParams readout = rates(0.5f);
      readout.pre_major = true;
      update(state["R"], 64, 10, &a, r::PlasticRule::SoftmaxDelta, readout,
             logits, a.val, &onehot);
      update(state["D"], 10, 32, nullptr, r::PlasticRule::Delta,
             rates(0.01f, 0.001f), logits, x, &onehot);
    }
    return {Tensor::floats(y1), Tensor::floats(y2), Tensor::floats(y3),
            Tensor::floats(y4), Tensor::floats(y5), Tensor::floats(logits)};
  }

private:
  float p;
};

//===----------------------------------------------------------------------===//
// composed.mlir
//===----------------------------------------------------------------------===//

class ComposedModel : public ReferenceModel {
public:
  ComposedModel() {
    state["mean"] = std::vector<float>(32, 0.1f);
    state["P"] = normal(5, 0.0f, 0.3f, 128 * 32);
    state["duty"] = std::vector<float>(128, 0.0625f);
    state["R"] = std::vector<float>(128 * 10, 0.0f);
    state["M"] = std::vector<float>(10 * 128, 0.0f);
  }
  Tensors step(const Tensors &in) override {
    const std::vector<float> &x = in[0].f, &onehot = in[1].f;
    std::vector<float> xc(32), u(128);
    for (int i = 0; i < 32; ++i)
      xc[i] = x[i] - state["mean"][i];
    check(r::matvec(state["P"].data(), 128, 32, xc.data(), u.data()),
          "matvec");
    Active a = kwta(u, 8, r::KwtaMode::Value, state["duty"].data(), 2.0f,
                    100.0f);
    std::vector<float> logits(10), recalled(10);
    check(r::sparse_matvec(state["R"].data(), 128, 10, a.idx.data(),
                           a.val.data(), 8, logits.data()),
          "sparse_matvec");
    r::PlasticParams readout;
    readout.eta = 0.5f;
    readout.pre_major = true;
    update(state["R"], 128, 10, &a, r::PlasticRule::SoftmaxDelta, readout,
           logits, a.val, &onehot);
    check(r::mem_read_sparse(state["M"].data(), 10, 128, a.idx.data(),
                             a.val.data(), 8, recalled.data()),
          "mem_read_sparse");
    r::MemWriteParams write{0.99f, 0.5f, 1.0f, true, true};
    check(r::mem_write_sparse(state["M"].data(), 10, 128, a.idx.data(),
                              a.val.data(), 8, onehot.data(), write),
          "mem_write_sparse");
    return {Tensor::floats(logits), Tensor::floats(recalled),
            Tensor::ints(a.idx)};
  }
};

} // namespace

std::unique_ptr<ReferenceModel> makeKwtaModel() {
  return std::make_unique<KwtaModel>();
}
Tensors kwtaInputs(std::mt19937 &rng, int) {
  return {Tensor::floats(uniform(rng, 64))};
}

std::unique_ptr<ReferenceModel> makeMatvecModel() {
  return std::make_unique<MatvecModel>();
}
Tensors matvecInputs(std::mt19937 &rng, int) {
  return {Tensor::floats(uniform(rng, 64)), Tensor::floats(uniform(rng, 32))};
}

std::unique_ptr<ReferenceModel> makeMemoryModel() {
  return std::make_unique<MemoryModel>();
}
Tensors memoryInputs(std::mt19937 &rng, int) {
  return {Tensor::floats(uniform(rng, 32)), Tensor::floats(uniform(rng, 16)),
          Tensor::floats(uniform(rng, 32)), Tensor::floats(uniform(rng, 64))};
}

std::unique_ptr<ReferenceModel> makePlasticModel(float plasticity) {
  return std::make_unique<PlasticModel>(plasticity);
}
Tensors plasticInputs(std::mt19937 &rng, int) {
  return {Tensor::floats(uniform(rng, 64)), Tensor::floats(uniform(rng, 32)),
          Tensor::floats(uniform(rng, 8)), Tensor::floats(oneHot(rng, 10)),
          Tensor::floats(uniform(rng, 1, 0.5f, 1.5f))};
}

std::unique_ptr<ReferenceModel> makeComposedModel() {
  return std::make_unique<ComposedModel>();
}
Tensors composedInputs(std::mt19937 &rng, int) {
  return {Tensor::floats(uniform(rng, 32, 0.0f, 1.0f)),
          Tensor::floats(oneHot(rng, 10))};
}

} // namespace anima::e2e
