/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "pixels.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace vgg::render {

/* Outlines and text labels on a frame, sized to it (line width and font
 * grow with the frame's height). */
class Annotator
{
public:
  Annotator (cv::Mat &frame, const PixelLayout &layout);

  /* An outline just inside @rect. */
  void box (const cv::Rect &rect, int red, int green, int blue);

  /* @text on a dark band at the top left of @rect, moved down past labels
   * already drawn there. */
  void label (const cv::Rect &rect, const std::string &text);

private:
  cv::Mat &frame_;
  PixelLayout layout_;
  double font_scale_;
  int thickness_;
  std::vector<cv::Rect> placed_;
};

} // namespace vgg::render
