/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "classifybatch.h"
#include "roimeta.h"

#include <algorithm>

GST_DEBUG_CATEGORY_EXTERN (gst_vgg_classify_debug);
#define GST_CAT_DEFAULT gst_vgg_classify_debug

static void
collect_regions (GstElement *element, FrameJob &job,
    const std::vector<GQuark> &types, gint width, gint height)
{
  bool any = false;

  for (GstVideoRegionOfInterestMeta *roi :
      vgg_buffer_rois (job.frame->buffer)) {
    if (!types.empty ()
        && std::find (types.begin (), types.end (), roi->roi_type)
            == types.end ())
      continue;
    any = true;
    gint64 x0 = MIN ((gint64) roi->x, width),
           y0 = MIN ((gint64) roi->y, height);
    gint64 x1 = MIN ((gint64) roi->x + roi->w, width);
    gint64 y1 = MIN ((gint64) roi->y + roi->h, height);
    if (x1 <= x0 || y1 <= y0) {
      GST_DEBUG_OBJECT (element,
          "skipping ROI %d (%ux%u at %u,%u): empty within the %dx%d frame",
          roi->id, roi->w, roi->h, roi->x, roi->y, width, height);
      continue;
    }
    job.rois.push_back (roi);
    job.rects.push_back (
        {(int) x0, (int) y0, (int) (x1 - x0), (int) (y1 - y0)});
  }
  if (!any) {
    GstBuffer *buf = job.frame->buffer;
    job.rois.push_back (
        vgg_roi_add_frame (buf, vgg_roi_next_id (buf), width, height));
    job.rects.push_back ({0, 0, width, height});
  }
  for (size_t i = 0; i < job.rois.size (); i++)
    job.layout.emplace_back (job.rois[i]->roi_type, job.rects[i]);
}

std::vector<FrameJob>
plan_batch (GstElement *element, const GstVideoInfo *info,
    const BatchSettings &s, std::deque<FrameQueue::Frame> &frames,
    const IntervalState &interval)
{
  std::vector<FrameJob> jobs;
  bool have_last = interval.have_last;
  RegionLayout last = interval.last_layout;
  guint64 index = interval.frames;

  for (FrameQueue::Frame &f : frames) {
    FrameJob j{&f, {}, {}, {}, index++, false};
    collect_regions (element, j, s.roi_types, GST_VIDEO_INFO_WIDTH (info),
        GST_VIDEO_INFO_HEIGHT (info));
    j.stale = s.inference_interval > 1 && j.index % s.inference_interval != 0
        && have_last && j.layout == last;
    if (!j.stale) {
      have_last = true;
      last = j.layout;
    }
    jobs.push_back (std::move (j));
  }
  return jobs;
}

GstFlowReturn
run_batch (GstElement *element, const GstVideoInfo *info,
    const vgg::PixelLayout &pixels, vgg::Classifier &engine,
    const vgg::RunOptions &run, const std::vector<FrameJob> &jobs,
    std::vector<std::vector<vgg::RoiResult>> &results)
{
  std::vector<GstVideoFrame> mapped;
  std::vector<vgg::FrameRois> frames;
  GstFlowReturn ret = GST_FLOW_OK;

  mapped.reserve (jobs.size ());
  for (const FrameJob &j : jobs) {
    if (j.stale)
      continue;
    if (j.rects.empty ()) {
      frames.emplace_back (); /* nothing to read: no map */
      continue;
    }
    GstVideoFrame frame;
    if (!gst_video_frame_map (&frame, info, j.frame->buffer, GST_MAP_READ)) {
      GST_ELEMENT_ERROR (
          element, STREAM, FAILED, (NULL), ("cannot map a frame for reading"));
      ret = GST_FLOW_ERROR;
      break;
    }
    mapped.push_back (frame);
    const guint8 *data
        = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
    vgg::FrameRois fr;
    fr.frame.data = data;
    fr.frame.size = frame.map[0].size - (data - frame.map[0].data);
    fr.frame.width = GST_VIDEO_FRAME_WIDTH (&frame);
    fr.frame.height = GST_VIDEO_FRAME_HEIGHT (&frame);
    fr.frame.stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
    fr.frame.layout = pixels;
    fr.rois = j.rects;
    frames.push_back (std::move (fr));
  }

  if (ret == GST_FLOW_OK && !frames.empty ()) {
    try {
      results = engine.classify (frames, run);
    } catch (const vgg::Error &e) {
      GST_ELEMENT_ERROR (element, STREAM, FAILED, ("%s", e.what ()), (NULL));
      ret = GST_FLOW_ERROR;
    }
  }
  for (GstVideoFrame &f : mapped)
    gst_video_frame_unmap (&f);
  return ret;
}

/* A region's result in the terms of the metadata contract. */
static vgg::Classification
to_classification (
    const vgg::RoiResult &r, const vgg::Classifier &engine, bool stale)
{
  const std::vector<vgg::Label> &labels = engine.labels ();
  const std::vector<vgg::ClassGroup> &groups = engine.groups ();
  vgg::Classification c;

  for (size_t i = 0; i < r.top_ids.size (); i++)
    c.top.push_back (
        {r.top_ids[i], labels[r.top_ids[i]].name, (double) r.top_scores[i]});
  c.wnid = labels[r.top_ids[0]].wnid;
  c.model = engine.name ();
  c.stale = stale;
  for (size_t g = 0; g < groups.size () && g < r.group_scores.size (); g++)
    c.groups.push_back ({groups[g].name, (double) r.group_scores[g]});
  return c;
}

static vgg::FrameMessage
to_message (const vgg::FrameSummary &summary, const vgg::Classifier &engine,
    const FrameJob &job)
{
  auto roi_id = [&] (int index) {
    return index >= 0 ? job.rois[index]->id : VGG_ROI_NO_PARENT;
  };
  vgg::FrameMessage m;

  m.timestamp = GST_BUFFER_PTS (job.frame->buffer);
  m.frame = job.index;
  m.label_id = summary.label_id;
  if (summary.label_id >= 0)
    m.label = engine.labels ()[summary.label_id].name;
  m.score = summary.score;
  m.roi = roi_id (summary.best_roi);
  m.stale = job.stale;
  for (const vgg::GroupSummary &g : summary.groups)
    m.groups.push_back ({g.name, g.present, g.score, roi_id (g.roi)});
  return m;
}

void
attach_batch (const vgg::Classifier &engine, const BatchSettings &s,
    std::vector<FrameJob> &jobs,
    std::vector<std::vector<vgg::RoiResult>> &results, IntervalState &interval)
{
  size_t next = 0;

  for (FrameJob &j : jobs) {
    interval.frames = j.index + 1;
    if (!j.stale) {
      interval.have_last = true;
      interval.last_layout = j.layout;
      interval.last_results = std::move (results[next++]);
    }
    for (size_t i = 0; i < j.rois.size (); i++) {
      const vgg::RoiResult &r = interval.last_results[i];
      vgg_roi_set_classification (
          j.rois[i], to_classification (r, engine, j.stale));
      if (r.cam.class_id >= 0)
        vgg_roi_set_gradcam (j.rois[i], r.cam);
    }
    if (s.post_messages)
      j.frame->message = vgg_frame_message_new (
          to_message (vgg::summarize (interval.last_results, engine.groups (),
                          s.group_threshold),
              engine, j));
  }
}
