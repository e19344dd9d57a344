/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A frame's results, read through gst-vgg's metadata contract only
 * (GstVideoRegionOfInterestMeta params and the "vggclassify" message, read
 * by libvggmeta's readers): this file and roimeta.h are what an application
 * embedding gst-vgg needs, and no more.
 */
#pragma once

#include "roimeta.h"

#include <gst/gst.h>
#include <gst/video/video.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

struct RoiResult
{
  int id = -1; /* the ROI meta's id; -1 for a GstAnalytics-only region */
  int od = -1; /* the GstAnalytics ODMtd's id; -1 without */
  std::string type;
  int x = 0, y = 0, width = 0, height = 0;
  int tile_index = -1; /* -1: not a tile */
  std::vector<vgg::Prediction> top;
  std::map<std::string, double> groups; /* group -> summed probability */
};

struct GroupState
{
  bool present = false;
  double score = 0.0;
  int roi = -1;
  int od = -1;
};

struct FrameResult
{
  guint64 frame = 0;
  GstClockTime pts = GST_CLOCK_TIME_NONE, duration = GST_CLOCK_TIME_NONE;
  bool stale = false;
  std::string label;
  double score = 0.0;
  std::vector<RoiResult> rois;
  std::map<std::string, GroupState> groups;

  /* The region with ROI id @roi or ODMtd id @od (-1: none). */
  const RoiResult *region (int roi, int od) const;
  nlohmann::json to_json () const;
};

/* The classified ROIs of @buf. */
std::vector<RoiResult> read_rois (GstBuffer *buf);

/* Fills the per-frame fields of @result from a "vggclassify" message. */
void read_summary (const GstStructure *s, FrameResult &result);
