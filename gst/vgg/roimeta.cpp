/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "roimeta.h"

gint
vgg_roi_next_id (GstBuffer *buffer)
{
  gpointer state = NULL;
  GstMeta *meta;
  gint next = 0;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buffer, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    gint id = ((GstVideoRegionOfInterestMeta *) meta)->id;
    if (id >= next)
      next = id + 1;
  }
  return next;
}

GstVideoRegionOfInterestMeta *
vgg_roi_add_frame (GstBuffer *buffer, gint id, guint width, guint height)
{
  GstVideoRegionOfInterestMeta *meta;

  meta = gst_buffer_add_video_region_of_interest_meta (
      buffer, VGG_ROI_TYPE_FRAME, 0, 0, width, height);
  meta->id = id;
  meta->parent_id = VGG_ROI_NO_PARENT;
  return meta;
}

GstVideoRegionOfInterestMeta *
vgg_roi_add_tile (GstBuffer *buffer, gint id, gint parent_id, guint x, guint y,
    guint w, guint h, guint row, guint column, guint index)
{
  GstVideoRegionOfInterestMeta *meta;

  meta = gst_buffer_add_video_region_of_interest_meta (
      buffer, VGG_ROI_TYPE_TILE, x, y, w, h);
  meta->id = id;
  meta->parent_id = parent_id;
  gst_video_region_of_interest_meta_add_param (meta,
      gst_structure_new ("tile", "row", G_TYPE_UINT, row, "column", G_TYPE_UINT,
          column, "index", G_TYPE_UINT, index, NULL));
  return meta;
}
