/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>

#include "common/geometry.h"

/* The packed 8-bit RGB formats that vggclassify reads and gradcamoverlay
 * draws on: one plane, R, G and B at fixed byte offsets of each pixel. */
#define VGG_PACKED_RGB_CAPS                                                    \
  GST_VIDEO_CAPS_MAKE (                                                        \
      "{ RGB, BGR, RGBx, BGRx, xRGB, xBGR, RGBA, BGRA, ARGB, ABGR }")

/* Where R, G and B sit in a pixel of one of the formats above. */
static inline vgg::PixelLayout
vgg_pixel_layout (const GstVideoFormatInfo *finfo)
{
  vgg::PixelLayout layout;

  layout.pixel_stride = GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, 0);
  layout.offset_r = GST_VIDEO_FORMAT_INFO_POFFSET (finfo, 0);
  layout.offset_g = GST_VIDEO_FORMAT_INFO_POFFSET (finfo, 1);
  layout.offset_b = GST_VIDEO_FORMAT_INFO_POFFSET (finfo, 2);
  return layout;
}
