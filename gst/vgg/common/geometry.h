/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Plain value types shared by the engine, the renderer and the elements:
 * no GStreamer, LibTorch or OpenCV here.
 */
#pragma once

namespace vgg {

/* A rectangle in pixels. */
struct Rect
{
  int x = 0, y = 0, width = 0, height = 0;

  bool empty () const { return width <= 0 || height <= 0; }
  bool operator== (const Rect &o) const
  {
    return x == o.x && y == o.y && width == o.width && height == o.height;
  }
};

/* Byte layout of one packed 8-bit RGB pixel of 3 or 4 bytes, e.g. BGRx:
 * stride 4, R at 2, G at 1, B at 0 (and padding at 3). */
struct PixelLayout
{
  int pixel_stride = 3;
  int offset_r = 0, offset_g = 1, offset_b = 2;

  /* The fourth byte (alpha or padding): whichever offset R, G and B leave;
   * -1 for 3-byte pixels. */
  int offset_pad () const
  {
    return pixel_stride == 4 ? 6 - offset_r - offset_g - offset_b : -1;
  }
  bool operator== (const PixelLayout &o) const
  {
    return pixel_stride == o.pixel_stride && offset_r == o.offset_r
        && offset_g == o.offset_g && offset_b == o.offset_b;
  }
};

} // namespace vgg
