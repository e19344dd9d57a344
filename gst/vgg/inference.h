/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Where a vggclassify runs its engine: on a model of its own, or on a model
 * shared by every vggclassify of the process with the same shared-instance
 * name, whose one worker thread batches the regions of all their frames.
 * Plain C++ over the engine: no GStreamer types.
 */
#pragma once

#include "engine/classifier.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vgg {

class Inference
{
public:
  virtual ~Inference () = default;

  /* The model (labels, groups, name): read-only, safe from any thread. */
  virtual const Classifier &classifier () const = 0;

  /* Classifies every region of @frames (results per frame, per region, as
   * Classifier::classify). @max_wait_ns: how long a shared worker may wait
   * for other streams' regions to fill a batch. Throws Error; returns
   * false (with no results) if cancel() was called meanwhile. */
  virtual bool classify (const std::vector<FrameRois> &frames,
      const RunOptions &run, uint64_t max_wait_ns,
      std::vector<std::vector<RoiResult>> &results)
      = 0;

  /* Makes a classify() of this user that waits return false at once (a
   * flush or a state change must not wait for other streams); one that
   * the worker is running finishes first. Any thread. */
  virtual void cancel () {}
  /* Lets classify() run again after cancel(). */
  virtual void resume () {}
};

/* A model of one's own, run in the caller's thread. */
std::unique_ptr<Inference> make_private_inference (
    const ClassifierOptions &options);

/* The model shared under @name by this process's users, loaded by the
 * first (@user names it in errors and logs) and freed when the last one
 * releases it (destroys the Inference). Throws Error if the first user
 * loaded it with other settings, naming both users and the setting. */
std::unique_ptr<Inference> make_shared_inference (const std::string &name,
    const std::string &user, const ClassifierOptions &options);

} // namespace vgg
