/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * When each class group is present: consecutive frames where the frame's
 * "<group>-present" is true make one interval.
 */
#pragma once

#include "frameresult.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

struct Interval
{
  GstClockTime start = GST_CLOCK_TIME_NONE, end = GST_CLOCK_TIME_NONE;
  guint64 first_frame = 0, frames = 0;
  double peak_score = 0.0;
  guint64 peak_frame = 0;
  RoiResult best_roi; /* the region that gave the peak score */
};

class IntervalTracker
{
public:
  /* @on_start is called with the group and frame where an interval opens. */
  std::function<void (const std::string &, const FrameResult &)> on_start;

  void add (const FrameResult &frame);
  /* Closes the open intervals (at the end, or on an interrupted run). */
  void finish ();

  nlohmann::json to_json () const;

private:
  std::map<std::string, std::vector<Interval>> done_;
  std::map<std::string, Interval> open_;
  GstClockTime last_end_ = GST_CLOCK_TIME_NONE;
};
