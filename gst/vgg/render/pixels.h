/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <opencv2/core.hpp>

namespace vgg::render {

/* Where R, G and B sit in a packed pixel of 3 or 4 bytes; @pad is the
 * fourth byte (alpha or padding), -1 if none. */
struct PixelOrder
{
  int channels = 3;
  int r = 0, g = 1, b = 2, pad = -1;

  /* An opaque colour given as RGB, in this byte order. */
  cv::Scalar color (int red, int green, int blue) const
  {
    cv::Scalar s (0, 0, 0, 0);
    s[r] = red;
    s[g] = green;
    s[b] = blue;
    if (pad >= 0)
      s[pad] = 255;
    return s;
  }
};

} // namespace vgg::render
