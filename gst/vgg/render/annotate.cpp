/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "annotate.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace vgg::render {

namespace {
const int kFont = cv::FONT_HERSHEY_SIMPLEX;
}

Annotator::Annotator (cv::Mat &frame, const PixelLayout &layout)
    : frame_ (frame), layout_ (layout)
{
  /* About 2.5 % of the frame's height per text line, readable from 240p to
   * 4K. */
  font_scale_ = std::max (0.3, frame.rows / 1080.0 * 0.9);
  thickness_ = std::max (1, (int) std::lround (frame.rows / 540.0));
}

void
Annotator::box (const cv::Rect &rect, int red, int green, int blue)
{
  cv::Rect r = rect & cv::Rect (0, 0, frame_.cols, frame_.rows);
  if (r.width < 1 || r.height < 1)
    return;
  /* Inside the rectangle, so that tiles' outlines stay within their tile. */
  int t = std::min ({thickness_, r.width, r.height});
  cv::rectangle (frame_, cv::Point (r.x + t / 2, r.y + t / 2),
      cv::Point (
          r.x + r.width - 1 - (t - 1) / 2, r.y + r.height - 1 - (t - 1) / 2),
      color (layout_, red, green, blue), t, cv::LINE_8);
}

void
Annotator::label (const cv::Rect &rect, const std::string &text)
{
  int baseline = 0;
  cv::Size size
      = cv::getTextSize (text, kFont, font_scale_, thickness_, &baseline);
  const int pad = std::max (2, thickness_ * 2);
  cv::Rect band (
      rect.x, rect.y, size.width + 2 * pad, size.height + baseline + 2 * pad);
  /* Below any label already at this place. */
  for (bool moved = true; moved;) {
    moved = false;
    for (const cv::Rect &p : placed_) {
      if ((band & p).area () > 0) {
        band.y = p.y + p.height;
        moved = true;
      }
    }
  }
  placed_.push_back (band);
  cv::Rect clipped = band & cv::Rect (0, 0, frame_.cols, frame_.rows);
  if (clipped.empty ())
    return;
  cv::rectangle (frame_, clipped, color (layout_, 0, 0, 0), cv::FILLED);
  cv::putText (frame_, text,
      cv::Point (band.x + pad, band.y + pad + size.height), kFont, font_scale_,
      color (layout_, 255, 255, 255), thickness_, cv::LINE_AA);
}

} // namespace vgg::render
