/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the engine returns, and the per-frame decision made from it: plain
 * C++, no LibTorch, so that readers of results need not compile against it.
 */
#pragma once

#include "classgroups.h"
#include "../common/gradcammap.h"

#include <string>
#include <vector>

namespace vgg {

/* Classification of one region. */
struct RoiResult
{
  std::vector<int> top_ids;        /* best first */
  std::vector<float> top_scores;   /* softmax probabilities */
  std::vector<float> group_scores; /* summed probability, per class group */
  GradCam cam;                     /* with Grad-CAM; class_id -1 without */
};

/* Per-frame decision from the regions' results. */
struct GroupSummary
{
  std::string name;
  bool present = false;
  float score = 0.0f; /* best region's group score */
  int roi = -1;       /* index of that region; -1 without regions */
};

struct FrameSummary
{
  int best_roi = -1; /* region with the most confident top-1 */
  int label_id = -1;
  float score = 0.0f;
  std::vector<GroupSummary> groups;
};

FrameSummary summarize (const std::vector<RoiResult> &results,
    const std::vector<ClassGroup> &groups, float group_threshold);

} // namespace vgg
