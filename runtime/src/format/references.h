//===- references.h - Manifest references into sections ---------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_FORMAT_REFERENCES_H
#define ANIMA_RUNTIME_FORMAT_REFERENCES_H

#include "format/artifact_reader.h"
#include "format/manifest.h"

namespace anima::rt {

/// Finds the one manifest section of `view` (DATA_LOSS if there is none or
/// more than one).
[[nodiscard]] anima_status_t findManifest(const ArtifactView &view,
                                          const SectionView **out);

/// Checks that every reference of `manifest` lies inside its section: each
/// state's initial value inside the one initial-state section, each target's
/// code section present with the right kind. Sets `*initialState` to the
/// initial-state section (nullptr when the model has no state).
[[nodiscard]] anima_status_t
checkManifestReferences(const ArtifactView &view, const Manifest &manifest,
                        const SectionView **initialState);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_FORMAT_REFERENCES_H
