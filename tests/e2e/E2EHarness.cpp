//===- E2EHarness.cpp - compiled step vs reference kernels ----------------===//

#include "E2EHarness.h"

#include <gtest/gtest.h>

#include <cmath>

namespace anima::e2e {

std::vector<float> uniform(std::mt19937 &rng, size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> out(n);
  for (float &v : out)
    v = dist(rng);
  return out;
}

std::vector<float> oneHot(std::mt19937 &rng, size_t n) {
  std::vector<float> out(n, 0.0f);
  out[std::uniform_int_distribution<size_t>(0, n - 1)(rng)] = 1.0f;
  return out;
}

std::string artifactPath(const std::string &model, bool fused) {
  return std::string(ANIMA_E2E_ARTIFACT_DIR) + "/" + model +
         (fused ? ".fused" : ".unfused") + ".anima";
}

void openModel(const std::string &path, anima::Model *model,
               const char *backend) {
  anima::Status status = anima::Model::openFile(path, model, backend);
  ASSERT_TRUE(status.ok()) << path << " on " << backend << ": "
                           << status.toString();
}

anima::Status compiledStep(anima::Model &model, const Tensors &inputs,
                           Tensors *outputs) {
  size_t entry = 0;
  anima::Status found = model.findEntry("step", &entry);
  if (!found.ok())
    return found;
  anima_entry_info info;
  anima::Status described = model.entryInfo(entry, &info);
  if (!described.ok())
    return described;
  std::vector<anima_buffer> in;
  for (const Tensor &t : inputs)
    in.push_back(t.isInt ? anima::i32Buffer(t.i.data(), t.i.size())
                         : anima::f32Buffer(t.f.data(), t.f.size()));
  outputs->assign(info.output_count, Tensor());
  std::vector<anima_buffer> out;
  for (size_t o = 0; o < info.output_count; ++o) {
    Tensor &t = (*outputs)[o];
    size_t n = info.outputs[o].bytes / 4;
    if (info.outputs[o].dtype == ANIMA_DTYPE_I32) {
      t.isInt = true;
      t.i.assign(n, 0);
      out.push_back(anima::i32Buffer(t.i.data(), n));
    } else {
      t.f.assign(n, 0.0f);
      out.push_back(anima::f32Buffer(t.f.data(), n));
    }
  }
  return anima::Status(anima_model_step(model.get(), entry, in.data(),
                                        in.size(), out.data(), out.size()));
}

std::vector<float> compiledState(anima::Model &model, const std::string &name) {
  size_t index = 0;
  std::vector<float> values;
  anima::Status found = model.findState(name, &index);
  EXPECT_TRUE(found.ok()) << found.toString();
  if (!found.ok())
    return values;
  anima::Status read = model.readState(index, &values);
  EXPECT_TRUE(read.ok()) << read.toString();
  return values;
}

/// Compares two float vectors; records the largest difference in `worst`.
static ::testing::AssertionResult near(const std::vector<float> &compiled,
                                       const std::vector<float> &reference,
                                       Tolerance tol, float *worst) {
  if (compiled.size() != reference.size())
    return ::testing::AssertionFailure()
           << "size " << compiled.size() << " vs " << reference.size();
  for (size_t i = 0; i < compiled.size(); ++i) {
    float diff = std::fabs(compiled[i] - reference[i]);
    if (!(diff <= tol.atol + tol.rtol * std::fabs(reference[i])))
      return ::testing::AssertionFailure()
             << "element " << i << ": compiled " << compiled[i]
             << " vs reference " << reference[i];
    *worst = std::max(*worst, diff);
  }
  return ::testing::AssertionSuccess();
}

float compareTrajectories(const std::string &artifact, ReferenceModel &ref,
                          const InputGenerator &inputs, int steps,
                          Tolerance tolerance, const char *backend) {
  float worst = 0.0f;
  anima::Model model;
  openModel(artifact, &model, backend);
  if (!model)
    return worst;
  for (auto &[name, values] : ref.state)
    EXPECT_TRUE(near(compiledState(model, name), values, {0.0f, 0.0f}, &worst))
        << "initial state '" << name << "'";
  std::mt19937 rng(1234);
  for (int t = 0; t < steps; ++t) {
    Tensors in = inputs(rng, t);
    Tensors compiledOut;
    anima::Status status = compiledStep(model, in, &compiledOut);
    EXPECT_TRUE(status.ok()) << "step " << t << ": " << status.toString();
    if (!status.ok())
      return worst;
    Tensors referenceOut = ref.step(in);
    EXPECT_EQ(compiledOut.size(), referenceOut.size());
    for (size_t o = 0; o < referenceOut.size() && o < compiledOut.size();
         ++o) {
      if (referenceOut[o].isInt) {
        EXPECT_EQ(compiledOut[o].i, referenceOut[o].i)
            << "step " << t << " output " << o;
        continue;
      }
      EXPECT_TRUE(near(compiledOut[o].f, referenceOut[o].f, tolerance, &worst))
          << "step " << t << " output " << o;
    }
    for (auto &[name, values] : ref.state)
      EXPECT_TRUE(near(compiledState(model, name), values, tolerance, &worst))
          << "step " << t << " state '" << name << "'";
    if (::testing::Test::HasFailure())
      return worst;
  }
  return worst;
}

} // namespace anima::e2e
