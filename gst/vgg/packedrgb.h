/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/video/video.h>

/* The packed 8-bit RGB formats that vggclassify reads and gradcamoverlay
 * draws on: one plane, R, G and B at fixed byte offsets of each pixel. */
#define VGG_PACKED_RGB_CAPS                                                    \
  GST_VIDEO_CAPS_MAKE (                                                        \
      "{ RGB, BGR, RGBx, BGRx, xRGB, xBGR, RGBA, BGRA, ARGB, ABGR }")
