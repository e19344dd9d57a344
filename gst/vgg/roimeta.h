/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The metadata contract (DESIGN.md section 3) in one place: every ROI and
 * parameter structure that gst-vgg writes or reads goes through here.
 */
#pragma once

#include <gst/gst.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

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

G_END_DECLS
