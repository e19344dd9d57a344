/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "classifybatch.h"
#include "roimeta.h"

#include <algorithm>

GST_DEBUG_CATEGORY_EXTERN (gst_vgg_classify_debug);
#define GST_CAT_DEFAULT gst_vgg_classify_debug

static bool
selected (const std::vector<GQuark> &types, GQuark type)
{
  return types.empty ()
      || std::find (types.begin (), types.end (), type) != types.end ();
}

/* @x, @y, @w, @h clamped to the frame; FALSE (with a debug line) if that
 * leaves nothing. */
static bool
clamp_to_frame (GstElement *element, const char *what, gint id, gint64 x,
    gint64 y, gint64 w, gint64 h, gint width, gint height, vgg::Rect &rect)
{
  gint64 x0 = CLAMP (x, 0, (gint64) width), y0 = CLAMP (y, 0, (gint64) height);
  gint64 x1 = CLAMP (x + w, 0, (gint64) width);
  gint64 y1 = CLAMP (y + h, 0, (gint64) height);

  if (x1 <= x0 || y1 <= y0) {
    GST_DEBUG_OBJECT (element,
        "skipping %s %d (%" G_GINT64_FORMAT "x%" G_GINT64_FORMAT
        " at %" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
        "): empty within the %dx%d frame",
        what, id, w, h, x, y, width, height);
    return false;
  }
  rect = {(int) x0, (int) y0, (int) (x1 - x0), (int) (y1 - y0)};
  return true;
}

static void
collect_regions (GstElement *element, FrameJob &job, const BatchSettings &s,
    gint width, gint height)
{
  GstBuffer *buf = job.frame->buffer;
  std::vector<gint> linked;
  bool any = false;
  vgg::Rect rect;

  for (GstVideoRegionOfInterestMeta *roi : vgg_buffer_rois (buf)) {
    gint od_id = vgg_roi_get_analytics_link (roi);
    if (od_id >= 0)
      linked.push_back (od_id);
    if (!selected (s.roi_types, roi->roi_type))
      continue;
    any = true;
    if (clamp_to_frame (element, "ROI", roi->id, roi->x, roi->y, roi->w, roi->h,
            width, height, rect))
      job.regions.push_back ({roi, od_id, roi->roi_type, rect});
  }
#ifdef VGG_HAVE_ANALYTICS
  /* An upstream detector's objects; those an ROI stands for are done. */
  for (const vgg::DetectedObject &o : vgg_buffer_objects (buf)) {
    if (std::find (linked.begin (), linked.end (), o.od_id) != linked.end ()
        || !selected (s.roi_types, o.type))
      continue;
    any = true;
    if (clamp_to_frame (element, "ODMtd", o.od_id, o.rect.x, o.rect.y,
            o.rect.width, o.rect.height, width, height, rect))
      job.regions.push_back ({NULL, o.od_id, o.type, rect});
  }
#endif
  if (!any) {
    static GQuark frame = g_quark_from_static_string (VGG_ROI_TYPE_FRAME);
    GstVideoRegionOfInterestMeta *roi = s.write_rois
        ? vgg_roi_add_frame (buf, vgg_roi_next_id (buf), width, height)
        : NULL;
    job.regions.push_back ({roi, -1, frame, {0, 0, width, height}});
  }
  for (const JobRegion &r : job.regions)
    job.layout.emplace_back (r.type, r.rect);
}

std::vector<FrameJob>
plan_batch (GstElement *element, const GstVideoInfo *info,
    const BatchSettings &s, std::deque<FrameQueue::Frame> &frames,
    const IntervalState &interval)
{
  std::vector<FrameJob> jobs;
  bool have_last = interval.have_last;
  RegionLayout last = interval.last_layout;
  guint64 index = interval.frames, classified = interval.classified;

  for (FrameQueue::Frame &f : frames) {
    FrameJob j{&f, {}, {}, index++, false, true};
    collect_regions (element, j, s, GST_VIDEO_INFO_WIDTH (info),
        GST_VIDEO_INFO_HEIGHT (info));
    j.stale = s.inference_interval > 1 && j.index % s.inference_interval != 0
        && have_last && j.layout == last;
    if (!j.stale) {
      /* The last classified frame has maps for its regions (made or
       * carried): carried maps always fit the regions. */
      j.maps = s.gradcam_interval <= 1 || classified % s.gradcam_interval == 0
          || !have_last || j.layout != last;
      classified++;
      have_last = true;
      last = j.layout;
    }
    jobs.push_back (std::move (j));
  }
  return jobs;
}

GstFlowReturn
run_batch (GstElement *element, const GstVideoInfo *info,
    const vgg::PixelLayout &pixels, vgg::Inference &inference,
    const vgg::RunOptions &run, guint64 max_wait_ns,
    const std::vector<FrameJob> &jobs,
    std::vector<std::vector<vgg::RoiResult>> &results)
{
  std::vector<GstVideoFrame> mapped;
  std::vector<vgg::FrameRois> frames;
  GstFlowReturn ret = GST_FLOW_OK;

  mapped.reserve (jobs.size ());
  for (const FrameJob &j : jobs) {
    if (j.stale)
      continue;
    if (j.regions.empty ()) {
      frames.emplace_back (); /* nothing to read: no map */
      continue;
    }
    GstVideoFrame frame;
    if (!gst_video_frame_map (&frame, info, j.frame->buffer, GST_MAP_READ)) {
      GST_ELEMENT_ERROR (element, STREAM, FORMAT,
          ("cannot read a frame: a buffer of %" G_GSIZE_FORMAT
           " bytes for %s %dx%d, which needs %" G_GSIZE_FORMAT,
              gst_buffer_get_size (j.frame->buffer), GST_VIDEO_INFO_NAME (info),
              GST_VIDEO_INFO_WIDTH (info), GST_VIDEO_INFO_HEIGHT (info),
              GST_VIDEO_INFO_SIZE (info)),
          ("gst_video_frame_map failed (too small, or a video meta that does "
           "not fit the caps)"));
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
    for (const JobRegion &r : j.regions)
      fr.rois.push_back (r.rect);
    fr.gradcam = j.maps;
    frames.push_back (std::move (fr));
  }

  if (ret == GST_FLOW_OK && !frames.empty ()) {
    try {
      if (!inference.classify (frames, run, max_wait_ns, results)) {
        GST_DEBUG_OBJECT (element, "cancelled (flushing or stopping)");
        ret = GST_FLOW_FLUSHING;
      }
    } catch (const vgg::Error &e) {
      GST_ELEMENT_ERROR (element, STREAM, FAILED, ("%s", e.what ()),
          ("%s", e.details ().c_str ()));
      ret = GST_FLOW_ERROR;
    } catch (const std::exception &e) {
      /* The engine throws only vgg::Error; anything else is a bug, but it
       * must not take the process down. */
      GST_ELEMENT_ERROR (
          element, STREAM, FAILED, ("inference failed: %s", e.what ()), (NULL));
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

/* Writes one region's results as @s says; afterwards @r names the ROI and
 * the ODMtd that hold them. */
static void
write_region (GstBuffer *buf, const BatchSettings &s, JobRegion &r,
    const vgg::Classification &c, const vgg::GradCam &cam)
{
  const gint source_od = r.roi ? -1 : r.od_id;

  if (s.write_rois) {
    if (!r.roi) {
      /* An object from a detector: an ROI of its own, clamped, linked. */
      gint id = vgg_roi_next_id (buf);
      r.roi = gst_buffer_add_video_region_of_interest_meta_id (
          buf, r.type, r.rect.x, r.rect.y, r.rect.width, r.rect.height);
      r.roi->id = id;
      r.roi->parent_id = VGG_ROI_NO_PARENT;
      if (source_od >= 0)
        vgg_roi_set_analytics_link (r.roi, source_od);
    }
    vgg_roi_set_classification (r.roi, c);
    if (!cam.data.empty ())
      vgg_roi_set_gradcam (r.roi, cam);
  }
#ifdef VGG_HAVE_ANALYTICS
  if (s.write_analytics) {
    vgg::Rect where = r.rect;
    if (r.roi && r.roi->x <= G_MAXINT && r.roi->y <= G_MAXINT
        && r.roi->w <= G_MAXINT && r.roi->h <= G_MAXINT)
      where = {(int) r.roi->x, (int) r.roi->y, (int) r.roi->w, (int) r.roi->h};
    r.od_id = vgg_analytics_add_classification (buf, r.od_id, r.type, where, c);
    /* Only where ROI params are written: meta=analytics leaves ROIs be. */
    if (s.write_rois && r.roi && r.od_id >= 0)
      vgg_roi_set_analytics_link (r.roi, r.od_id);
  }
#endif
}

#ifdef VGG_HAVE_ANALYTICS
/* Tiles' ODMtds are part of their frame region's, as their ROIs are. */
static void
relate_tiles (GstBuffer *buf, const std::vector<JobRegion> &regions)
{
  vgg::TilePosition tile;

  for (const JobRegion &child : regions) {
    if (!child.roi || !vgg_roi_get_tile (child.roi, tile))
      continue;
    for (const JobRegion &parent : regions)
      if (&parent != &child && parent.roi
          && parent.roi->id == child.roi->parent_id)
        vgg_analytics_relate_tile (buf, child.od_id, parent.od_id);
  }
}
#endif

static vgg::FrameMessage
to_message (const vgg::FrameSummary &summary, const vgg::Classifier &engine,
    const FrameJob &job)
{
  auto roi_id = [&] (int index) {
    const GstVideoRegionOfInterestMeta *roi
        = index >= 0 ? job.regions[index].roi : NULL;
    return roi ? roi->id : VGG_ROI_NO_PARENT;
  };
  auto od_id
      = [&] (int index) { return index >= 0 ? job.regions[index].od_id : -1; };
  vgg::FrameMessage m;

  m.timestamp = GST_BUFFER_PTS (job.frame->buffer);
  m.frame = job.index;
  m.label_id = summary.label_id;
  if (summary.label_id >= 0)
    m.label = engine.labels ()[summary.label_id].name;
  m.score = summary.score;
  m.roi = roi_id (summary.best_roi);
  m.od = od_id (summary.best_roi);
  m.stale = job.stale;
  for (const vgg::GroupSummary &g : summary.groups)
    m.groups.push_back (
        {g.name, g.present, g.score, roi_id (g.roi), od_id (g.roi)});
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
      std::vector<vgg::RoiResult> &fresh = results[next++];
      /* Classified without maps: the last classified frame's, of the same
       * regions (plan_batch made sure). */
      for (size_t i = 0;
           !j.maps && i < fresh.size () && i < interval.last_results.size ();
           i++) {
        fresh[i].cam = std::move (interval.last_results[i].cam);
        fresh[i].cam.stale = true;
      }
      interval.classified++;
      interval.have_last = true;
      interval.last_layout = j.layout;
      interval.last_results = std::move (fresh);
    }
    for (size_t i = 0; i < j.regions.size (); i++) {
      vgg::RoiResult &r = interval.last_results[i];
      /* Reused maps are stale from here on. */
      r.cam.stale = r.cam.stale || j.stale;
      write_region (j.frame->buffer, s, j.regions[i],
          to_classification (r, engine, j.stale), r.cam);
    }
#ifdef VGG_HAVE_ANALYTICS
    if (s.write_analytics)
      relate_tiles (j.frame->buffer, j.regions);
#endif
    if (s.post_messages)
      j.frame->message = vgg_frame_message_new (
          to_message (vgg::summarize (interval.last_results, engine.groups (),
                          s.group_threshold),
              engine, j));
  }
}
