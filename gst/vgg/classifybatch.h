/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "framequeue.h"
#include "engine/classifier.h"

#include <gst/video/video.h>

#include <deque>
#include <utility>
#include <vector>

/* What vggclassify does to a batch of held frames, in three steps: plan
 * (each frame's regions, and whether it is classified or reuses the last
 * results), run (one engine call for all regions of all classified
 * frames), attach (the results as metadata, and each frame's message). */

/* Where a frame's regions are, by type and rectangle; frames with the same
 * layout as the last classified one may reuse its results. */
using RegionLayout = std::vector<std::pair<GQuark, vgg::Rect>>;

struct BatchSettings
{
  std::vector<GQuark> roi_types; /* empty: any */
  guint inference_interval = 1;
  vgg::RunOptions run;
  double group_threshold = 0.25;
  bool post_messages = true;
};

/* A stream's frame count and its last classified frame, for
 * inference-interval: the frames in between carry its results. */
struct IntervalState
{
  guint64 frames = 0;
  bool have_last = false;
  RegionLayout last_layout;
  std::vector<vgg::RoiResult> last_results;
};

struct FrameJob
{
  FrameQueue::Frame *frame;
  std::vector<GstVideoRegionOfInterestMeta *> rois;
  std::vector<vgg::Rect> rects; /* the ROIs clamped to the frame */
  RegionLayout layout;
  guint64 index;
  bool stale; /* reuses the last results */
};

/* The regions of each frame (a frame without any of the selected types
 * gets a "frame" ROI and is classified whole; ROIs empty within the frame
 * are skipped) and which frames are classified: every
 * inference-interval'th, and any whose regions differ from the last
 * classified frame's. */
std::vector<FrameJob> plan_batch (GstElement *element, const GstVideoInfo *info,
    const BatchSettings &s, std::deque<FrameQueue::Frame> &frames,
    const IntervalState &interval);

/* Classifies the regions of the jobs that are not stale in one engine
 * call, the frames mapped for reading only: @results per classified job.
 * Posts an element error and returns GST_FLOW_ERROR on failure. */
GstFlowReturn run_batch (GstElement *element, const GstVideoInfo *info,
    const vgg::PixelLayout &pixels, vgg::Classifier &engine,
    const vgg::RunOptions &run, const std::vector<FrameJob> &jobs,
    std::vector<std::vector<vgg::RoiResult>> &results);

/* Writes every job's "classification" (and "gradcam") params, stale ones
 * from the last results, and, if asked, its frame message; updates
 * @interval. */
void attach_batch (const vgg::Classifier &engine, const BatchSettings &s,
    std::vector<FrameJob> &jobs,
    std::vector<std::vector<vgg::RoiResult>> &results, IntervalState &interval);
