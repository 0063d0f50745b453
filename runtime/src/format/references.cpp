//===- references.cpp - Manifest references into sections -----------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "format/references.h"

#include "format/artifact_layout.h"
#include "support/bytes.h"
#include "support/status.h"

namespace anima::rt {
namespace {

using ull = unsigned long long;

/// Returns the section kind that holds code for `backend` (0 if unknown).
uint32_t codeKindOf(const std::string &backend) {
  if (backend == "cpu")
    return kSectionCpuCode;
  if (backend == "vulkan")
    return kSectionSpirv;
  return 0;
}

/// Checks that every state's initial value lies inside `section`.
anima_status_t checkStates(const Manifest &manifest,
                           const SectionView &section) {
  for (size_t i = 0; i < manifest.states.size(); ++i) {
    const StateDesc &state = manifest.states[i];
    if (rangeInside(state.initOffset, state.tensor.bytes, section.size))
      continue;
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "state[%zu] (\"%s\"): initial value [%llu, +%llu) lies "
                      "outside the initial-state section '%s' (%llu bytes)",
                      i, state.tensor.name.c_str(), ull(state.initOffset),
                      ull(state.tensor.bytes), section.name.c_str(),
                      ull(section.size));
  }
  return nullptr;
}

/// Checks that each target names an existing section of the right kind.
anima_status_t checkTargets(const ArtifactView &view,
                            const Manifest &manifest) {
  for (size_t i = 0; i < manifest.targets.size(); ++i) {
    const TargetDesc &target = manifest.targets[i];
    const SectionView *section = view.findByName(target.section);
    if (!section)
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "targets[%zu] (%s): section '%s' is not in the "
                        "artifact",
                        i, target.backend.c_str(), target.section.c_str());
    uint32_t kind = codeKindOf(target.backend);
    if (kind && section->kind != kind)
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "targets[%zu] (%s): section '%s' has kind %u, "
                        "expected %u",
                        i, target.backend.c_str(), target.section.c_str(),
                        section->kind, kind);
    if (target.backend != "vulkan")
      continue;
    if (target.schedule.empty())
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "targets[%zu] (vulkan): missing \"schedule\" (the "
                        "dispatch schedule section)",
                        i);
    const SectionView *schedule = view.findByName(target.schedule);
    if (!schedule)
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "targets[%zu] (vulkan): schedule section '%s' is not "
                        "in the artifact",
                        i, target.schedule.c_str());
    if (schedule->kind != kSectionVulkanSchedule)
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "targets[%zu] (vulkan): schedule section '%s' has "
                        "kind %u, expected %u",
                        i, target.schedule.c_str(), schedule->kind,
                        kSectionVulkanSchedule);
  }
  return nullptr;
}

} // namespace

anima_status_t findManifest(const ArtifactView &view, const SectionView **out) {
  std::vector<const SectionView *> found = view.findByKind(kSectionManifest);
  if (found.empty())
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "the artifact has no manifest section (kind 1)");
  if (found.size() > 1)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "the artifact has %zu manifest sections, expected one",
                      found.size());
  *out = found.front();
  return nullptr;
}

anima_status_t checkManifestReferences(const ArtifactView &view,
                                       const Manifest &manifest,
                                       const SectionView **initialState) {
  if (anima_status_t s = checkTargets(view, manifest))
    return s;
  *initialState = nullptr;
  if (manifest.states.empty())
    return nullptr;
  std::vector<const SectionView *> found =
      view.findByKind(kSectionInitialState);
  if (found.size() != 1)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "the artifact has %zu initial-state sections (kind 3), "
                      "expected one for its %zu state tensors",
                      found.size(), manifest.states.size());
  if (anima_status_t s = checkStates(manifest, *found.front()))
    return s;
  *initialState = found.front();
  return nullptr;
}

} // namespace anima::rt
