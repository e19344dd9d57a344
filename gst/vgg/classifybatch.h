/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "framequeue.h"
#include "inference.h"

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
  guint gradcam_interval = 1; /* maps on every Nth classified frame */
  vgg::RunOptions run;
  double group_threshold = 0.25;
  bool post_messages = true;
  bool write_rois = true;       /* ROI params (the primary contract) */
  bool write_analytics = false; /* GstAnalytics ODMtd/ClsMtd */
};

/* A stream's frame count and its last classified frame, for
 * inference-interval: the frames in between carry its results; and the
 * count of classified frames, for gradcam-interval: those in between
 * carry its maps. */
struct IntervalState
{
  guint64 frames = 0;
  guint64 classified = 0;
  bool have_last = false;
  RegionLayout last_layout;
  std::vector<vgg::RoiResult> last_results;
};

/* A region to classify: an ROI meta, an ODMtd of another element, or the
 * whole frame. */
struct JobRegion
{
  GstVideoRegionOfInterestMeta *roi; /* NULL until one is written, if ever */
  gint od_id;                        /* its ODMtd; -1: none (yet) */
  GQuark type;
  vgg::Rect rect; /* clamped to the frame: what is classified */
};

struct FrameJob
{
  FrameQueue::Frame *frame;
  std::vector<JobRegion> regions;
  RegionLayout layout;
  guint64 index;
  bool stale; /* reuses the last results */
  bool maps;  /* classified with maps; else carries the last ones */
};

/* The regions of each frame: its ROI metas and (with GstAnalytics) the
 * ODMtds no ROI links to, of the selected types, clamped to the frame
 * (empty ones are skipped); a frame with none of them is classified whole
 * (a "frame" ROI when ROI params are written). And which frames are
 * classified: every inference-interval'th, and any whose regions differ
 * from the last classified frame's; and which of those get maps: every
 * gradcam-interval'th, and likewise any whose regions differ. */
std::vector<FrameJob> plan_batch (GstElement *element, const GstVideoInfo *info,
    const BatchSettings &s, std::deque<FrameQueue::Frame> &frames,
    const IntervalState &interval);

/* Classifies the regions of the jobs that are not stale in one call to
 * @inference (which may wait up to @max_wait_ns for other streams), the
 * frames mapped for reading only: @results per classified job. Posts an
 * element error and returns GST_FLOW_ERROR on failure; GST_FLOW_FLUSHING
 * if the inference was cancelled. */
GstFlowReturn run_batch (GstElement *element, const GstVideoInfo *info,
    const vgg::PixelLayout &pixels, vgg::Inference &inference,
    const vgg::RunOptions &run, guint64 max_wait_ns,
    const std::vector<FrameJob> &jobs,
    std::vector<std::vector<vgg::RoiResult>> &results);

/* Writes every job's results, stale ones from the last results, and the
 * last maps (stale) where a job has none: the "classification" (and
 * "gradcam") params (a region from an ODMtd gets an ROI of its own), the
 * GstAnalytics entries, or both, as @s says; and, if asked, its frame
 * message. Updates @interval. */
void attach_batch (const vgg::Classifier &engine, const BatchSettings &s,
    std::vector<FrameJob> &jobs,
    std::vector<std::vector<vgg::RoiResult>> &results, IntervalState &interval);
