/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The inference engine: a TorchScript classifier with its sidecar, labels
 * and class groups, run on batches of frame regions. Plain C++ in and out;
 * no GStreamer or GLib types.
 */
#pragma once

#include "classgroups.h"
#include "error.h"
#include "frame.h"
#include "labels.h"
#include "options.h"
#include "results.h"

#include <memory>
#include <string>
#include <vector>

namespace vgg {

class Classifier
{
public:
  /* Loads and checks everything (one forward pass on a blank input);
   * throws Error saying what is wrong. */
  explicit Classifier (const ClassifierOptions &options);
  ~Classifier ();

  /* Classifies every region of every frame, batch_size regions per forward
   * pass; results per frame, per region, in order. */
  std::vector<std::vector<RoiResult>> classify (
      const std::vector<FrameRois> &frames, const RunOptions &options);

  const std::string &name () const;
  const std::vector<Label> &labels () const;
  const std::vector<ClassGroup> &groups () const;
  std::string device () const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace vgg
