/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * summarize(): the per-frame decision, on hand-made results.
 */
#include "results.h"

#include <gtest/gtest.h>

using namespace vgg;

namespace {

RoiResult
result (int id, float score, std::vector<float> groups)
{
  RoiResult r;
  r.top_ids = {id, id + 1};
  r.top_scores = {score, 1.0f - score};
  r.group_scores = std::move (groups);
  return r;
}

} // namespace

TEST (Summarize, BestRegionAndGroups)
{
  std::vector<ClassGroup> groups = {{"vehicle", {1, 2}}, {"animal", {3}}};
  /* Region 1 is the most confident; region 2 has the most vehicle. */
  std::vector<RoiResult> r = {result (10, 0.5f, {0.1f, 0.0f}),
      result (20, 0.875f, {0.2f, 0.125f}), result (30, 0.75f, {0.25f, 0.0f})};
  FrameSummary s = summarize (r, groups, 0.25f);
  EXPECT_EQ (s.best_roi, 1);
  EXPECT_EQ (s.label_id, 20);
  EXPECT_EQ (s.score, 0.875f);
  ASSERT_EQ (s.groups.size (), 2u);
  EXPECT_EQ (s.groups[0].name, "vehicle");
  EXPECT_EQ (s.groups[0].roi, 2);
  EXPECT_EQ (s.groups[0].score, 0.25f);
  EXPECT_TRUE (s.groups[0].present); /* reaches the threshold exactly */
  EXPECT_EQ (s.groups[1].roi, 1);
  EXPECT_FALSE (s.groups[1].present);
  EXPECT_FALSE (summarize (r, groups, 0.2501f).groups[0].present);
}

TEST (Summarize, NoRegions)
{
  std::vector<ClassGroup> groups = {{"vehicle", {1}}};
  FrameSummary s = summarize ({}, groups, 0.25f);
  EXPECT_EQ (s.best_roi, -1);
  EXPECT_EQ (s.label_id, -1);
  ASSERT_EQ (s.groups.size (), 1u);
  EXPECT_EQ (s.groups[0].roi, -1);
  EXPECT_FALSE (s.groups[0].present);
}
