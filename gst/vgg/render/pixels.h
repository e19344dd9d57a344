/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "../common/geometry.h"

#include <opencv2/core.hpp>

namespace vgg::render {

/* An opaque colour given as RGB, as a pixel of @layout. */
inline cv::Scalar
color (const PixelLayout &layout, int red, int green, int blue)
{
  cv::Scalar s (0, 0, 0, 0);
  s[layout.offset_r] = red;
  s[layout.offset_g] = green;
  s[layout.offset_b] = blue;
  if (layout.offset_pad () >= 0)
    s[layout.offset_pad ()] = 255;
  return s;
}

} // namespace vgg::render
