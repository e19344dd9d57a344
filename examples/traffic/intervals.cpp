/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "intervals.h"

using nlohmann::json;

static GstClockTime
frame_end (const FrameResult &f)
{
  if (!GST_CLOCK_TIME_IS_VALID (f.pts))
    return GST_CLOCK_TIME_NONE;
  return f.pts + (GST_CLOCK_TIME_IS_VALID (f.duration) ? f.duration : 0);
}

void
IntervalTracker::add (const FrameResult &f)
{
  for (const auto &[name, g] : f.groups) {
    auto open = open_.find (name);
    if (g.present) {
      if (open == open_.end ()) {
        Interval iv;
        iv.start = f.pts;
        iv.first_frame = f.frame;
        open = open_.emplace (name, iv).first;
        if (on_start)
          on_start (name, f);
      }
      Interval &iv = open->second;
      iv.frames++;
      iv.end = frame_end (f);
      if (iv.frames == 1 || g.score > iv.peak_score) {
        iv.peak_score = g.score;
        iv.peak_frame = f.frame;
        if (const RoiResult *r = f.region (g.roi, g.od))
          iv.best_roi = *r;
      }
    } else if (open != open_.end ()) {
      done_[name].push_back (open->second);
      open_.erase (open);
    }
    done_[name];
  }
  last_end_ = frame_end (f);
}

void
IntervalTracker::finish ()
{
  for (auto &[name, iv] : open_)
    done_[name].push_back (iv);
  open_.clear ();
}

static json
seconds (GstClockTime t)
{
  return GST_CLOCK_TIME_IS_VALID (t) ? json ((double) t / GST_SECOND)
                                     : json (nullptr);
}

static json
nanoseconds (GstClockTime t)
{
  return GST_CLOCK_TIME_IS_VALID (t) ? json (t) : json (nullptr);
}

json
IntervalTracker::to_json () const
{
  json groups = json::object ();
  for (const auto &[name, list] : done_) {
    json intervals = json::array ();
    guint64 frames = 0;
    for (const Interval &iv : list) {
      const RoiResult &r = iv.best_roi;
      json best = {{"id", r.id}, {"type", r.type},
          {"rect", {r.x, r.y, r.width, r.height}}};
      if (r.od >= 0)
        best["od"] = r.od;
      if (r.tile_index >= 0)
        best["tile"] = r.tile_index;
      intervals.push_back ({{"start", seconds (iv.start)},
          {"end", seconds (iv.end)}, {"start_ns", nanoseconds (iv.start)},
          {"end_ns", nanoseconds (iv.end)}, {"first_frame", iv.first_frame},
          {"frames", iv.frames}, {"peak_score", iv.peak_score},
          {"peak_frame", iv.peak_frame}, {"best_roi", best}});
      frames += iv.frames;
    }
    groups[name] = {{"intervals", intervals}, {"frames_present", frames}};
  }
  return groups;
}
