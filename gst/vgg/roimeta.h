/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The metadata contract (README, "Metadata contract"; docs/design.md) in
 * one place: every ROI, param structure, GstAnalytics entry and bus message
 * that gst-vgg writes is written here, and read back here, with plain
 * values on the C++ side. It depends on GStreamer's video library (and,
 * where built with it, the analytics library) only, so that an application
 * can link it (libvggmeta) to read results.
 *
 * GstAnalytics (VGG_HAVE_ANALYTICS, GStreamer >= 1.24): each region is
 * also an ODMtd (its rectangle; its type, e.g. "tile", as the quark) with
 * a ClsMtd of the top-k classes and, with class groups, a second ClsMtd of
 * the group scores, related as upstream's writers and readers expect (see
 * the README). An ROI and the ODMtd of the same region are linked by the
 * ROI's "analytics" param.
 */
#pragma once

#include <gst/gst.h>
#include <gst/video/video.h>

#include "common/geometry.h"
#include "common/gradcammap.h"

#include <string>
#include <vector>

#define VGG_ROI_TYPE_TILE "tile"
#define VGG_ROI_TYPE_FRAME "frame"

/* parent_id of an ROI without a parent. */
#define VGG_ROI_NO_PARENT (-1)

/* A group is present where a region's group score reaches this. */
#define VGG_DEFAULT_GROUP_THRESHOLD 0.25

namespace vgg {

struct Prediction
{
  int id = -1;
  std::string label;
  double score = 0.0; /* softmax probability */
};

struct GroupScore
{
  std::string name;
  double score = 0.0; /* summed probability of the group's classes */
};

/* The "classification" param of one region. */
struct Classification
{
  std::vector<Prediction> top; /* best first, at least one */
  std::string wnid;            /* the best class's WordNet id, or empty */
  std::string model;
  bool stale = false; /* reused from an earlier frame */
  std::vector<GroupScore> groups;

  /* The score of group @name, or -1 if the classification has none. */
  double group_score (const std::string &name) const;
};

/* The "tile" param: where a tile sits in its grid. */
struct TilePosition
{
  guint row = 0, column = 0, index = 0;
};

/* The per-frame "vggclassify" element message. */
struct GroupState
{
  std::string name;
  bool present = false;
  double score = 0.0;           /* the best region's group score */
  gint roi = VGG_ROI_NO_PARENT; /* that region's ROI id */
  gint od = -1;                 /* that region's ODMtd id */
};

struct FrameMessage
{
  GstClockTime timestamp = GST_CLOCK_TIME_NONE;
  guint64 frame = 0;
  std::string label; /* the most confident region's top-1 */
  gint label_id = -1;
  double score = 0.0;
  gint roi = VGG_ROI_NO_PARENT;
  gint od = -1; /* the ODMtd of that region, with GstAnalytics */
  bool stale = false;
  std::vector<GroupState> groups;
};

/* A region with results, however they were written: from an ROI meta, an
 * ODMtd (GstAnalytics), or both, linked. */
struct Region
{
  GstVideoRegionOfInterestMeta *roi = nullptr;
  gint od_id = -1;
  std::string type; /* "tile", "frame", or a detector's object type */
  Rect rect;        /* as written: it may reach past the frame */
  bool has_tile = false;
  TilePosition tile;
  bool has_classification = false;
  Classification classification; /* from analytics: class ids are -1 */
  bool has_gradcam = false;
  GradCam gradcam;
  std::string gradcam_error; /* why a "gradcam" param was refused */
};

/* An object another element found (a GstAnalytics ODMtd). */
struct DetectedObject
{
  gint od_id = -1;
  GQuark type = 0;
  Rect rect;
};

} // namespace vgg

/* Writing */

/* The first of @count consecutive ids that no ROI of @buffer uses: one
 * above the largest, or, where that would pass G_MAXINT, the lowest free
 * ones, so that ids never wrap or go negative; -1 if there are none (only
 * where other elements' ids leave no such gap below G_MAXINT). */
gint vgg_roi_next_ids (GstBuffer *buffer, gint count);

/* vgg_roi_next_ids (@buffer, 1). */
gint vgg_roi_next_id (GstBuffer *buffer);

GstVideoRegionOfInterestMeta *vgg_roi_add_frame (
    GstBuffer *buffer, gint id, guint width, guint height);

GstVideoRegionOfInterestMeta *vgg_roi_add_tile (GstBuffer *buffer, gint id,
    gint parent_id, guint x, guint y, guint w, guint h,
    const vgg::TilePosition &tile);

/* Sets the "classification" and "gradcam" params, replacing those of an
 * earlier classifier. */
void vgg_roi_set_classification (
    GstVideoRegionOfInterestMeta *meta, const vgg::Classification &c);
void vgg_roi_set_gradcam (
    GstVideoRegionOfInterestMeta *meta, const vgg::GradCam &cam);

/* The structure of a "vggclassify" element message. */
GstStructure *vgg_frame_message_new (const vgg::FrameMessage &message);

/* Links @meta to the ODMtd @od_id of the same region ("analytics" param). */
void vgg_roi_set_analytics_link (
    GstVideoRegionOfInterestMeta *meta, gint od_id);

#ifdef VGG_HAVE_ANALYTICS
/* Writes @c as GstAnalytics for a region: an ODMtd of @type and @rect
 * (confidence 1) unless @od_id names one already there, related to a
 * ClsMtd of the top-k classes and, with groups, to a second ClsMtd of the
 * group scores. Returns the ODMtd's id, -1 if it could not be added. */
gint vgg_analytics_add_classification (GstBuffer *buffer, gint od_id,
    GQuark type, const vgg::Rect &rect, const vgg::Classification &c);

/* Relates the ODMtd of a tile to that of its frame region. */
void vgg_analytics_relate_tile (GstBuffer *buffer, gint tile_od, gint frame_od);

/* The ODMtds of @buffer. */
std::vector<vgg::DetectedObject> vgg_buffer_objects (GstBuffer *buffer);

/* The classes related to ODMtd @od_id as vggclassify relates them (top-k
 * and group scores); FALSE if it has none. */
gboolean vgg_analytics_get_classification (
    GstBuffer *buffer, gint od_id, vgg::Classification &c);
#endif

/* Reading */

/* The ROI metas of @buffer, in the order they were added. */
std::vector<GstVideoRegionOfInterestMeta *> vgg_buffer_rois (GstBuffer *buffer);

gboolean vgg_roi_get_tile (
    GstVideoRegionOfInterestMeta *meta, vgg::TilePosition &tile);

/* FALSE if @meta has no "classification" param or it lacks its top-k. */
gboolean vgg_roi_get_classification (
    GstVideoRegionOfInterestMeta *meta, vgg::Classification &c);

/* FALSE if @meta has no "gradcam" param (@why empty) or a malformed one
 * (@why says how: sizes not positive or not matching its data). */
gboolean vgg_roi_get_gradcam (
    GstVideoRegionOfInterestMeta *meta, vgg::GradCam &cam, std::string &why);

/* The ODMtd id that @meta is linked to; -1 if none. */
gint vgg_roi_get_analytics_link (GstVideoRegionOfInterestMeta *meta);

/* Every region of @buffer with results, ROI metas first (in the order they
 * were added), then ODMtds with classes that no ROI links to. Regions with
 * coordinates beyond the int range are skipped. */
std::vector<vgg::Region> vgg_buffer_regions (GstBuffer *buffer);

/* FALSE if @s is not a "vggclassify" message. */
gboolean vgg_frame_message_read (const GstStructure *s, vgg::FrameMessage &m);
