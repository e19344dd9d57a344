/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "results.h"

namespace vgg {

FrameSummary
summarize (const std::vector<RoiResult> &results,
    const std::vector<ClassGroup> &groups, float group_threshold)
{
  FrameSummary s;
  for (size_t i = 0; i < results.size (); i++) {
    const RoiResult &r = results[i];
    if (!r.top_scores.empty ()
        && (s.best_roi < 0 || r.top_scores[0] > s.score)) {
      s.best_roi = i;
      s.label_id = r.top_ids[0];
      s.score = r.top_scores[0];
    }
  }
  for (size_t g = 0; g < groups.size (); g++) {
    GroupSummary gs;
    gs.name = groups[g].name;
    for (size_t i = 0; i < results.size (); i++) {
      if (g < results[i].group_scores.size ()
          && (gs.roi < 0 || results[i].group_scores[g] > gs.score)) {
        gs.roi = i;
        gs.score = results[i].group_scores[g];
      }
    }
    gs.present = gs.roi >= 0 && gs.score >= group_threshold;
    s.groups.push_back (gs);
  }
  return s;
}

} // namespace vgg
