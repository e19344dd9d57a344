/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The metadata contract (DESIGN.md section 3) in one place: every ROI,
 * parameter structure and bus message that gst-vgg writes or reads is made
 * here.
 */
#pragma once

#include <gst/gst.h>
#include <gst/video/video.h>

#include "engine/classifier.h"

#include <string>

#define VGG_ROI_TYPE_TILE "tile"
#define VGG_ROI_TYPE_FRAME "frame"

/* parent_id of an ROI without a parent. */
#define VGG_ROI_NO_PARENT (-1)

/* An id not used by any ROI of @buffer yet (one above the largest). */
gint vgg_roi_next_id (GstBuffer *buffer);

GstVideoRegionOfInterestMeta *vgg_roi_add_frame (
    GstBuffer *buffer, gint id, guint width, guint height);

GstVideoRegionOfInterestMeta *vgg_roi_add_tile (GstBuffer *buffer, gint id,
    gint parent_id, guint x, guint y, guint w, guint h, guint row, guint column,
    guint index);

/* Adds @param (transfer full) to @meta, replacing a param of the same name. */
void vgg_roi_set_param (
    GstVideoRegionOfInterestMeta *meta, GstStructure *param);

/* The "classification" param for one ROI's result. */
GstStructure *vgg_classification_new (
    const vgg::RoiResult &result, const vgg::Classifier &model, gboolean stale);

/* The "gradcam" param for one ROI's map. */
GstStructure *vgg_gradcam_new (const vgg::GradCam &cam);

/* Reads a "gradcam" param back; FALSE, with @why, if it is malformed (sizes
 * that are not positive or do not match its data). */
gboolean vgg_gradcam_read (
    const GstStructure *s, vgg::GradCam &cam, std::string &why);

/* The per-frame "vggclassify" element message structure; @roi_ids maps
 * result indices to ROI ids. */
GstStructure *vgg_frame_summary_new (const vgg::FrameSummary &summary,
    const vgg::Classifier &model, const std::vector<gint> &roi_ids,
    GstClockTime timestamp, guint64 frame, gboolean stale);
