/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "pixels.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cstdint>
#include <vector>

namespace vgg::render {

enum class Blend
{
  /* The blog's saturate (alpha * heat + img). */
  Add,
  /* pytorch-grad-cam's (1 - alpha) * img + alpha * heat. */
  Mix,
};

struct HeatmapStyle
{
  int colormap = cv::COLORMAP_JET; /* cv::ColormapTypes */
  double alpha = 0.4;
  Blend blend = Blend::Add;

  bool operator== (const HeatmapStyle &o) const
  {
    return colormap == o.colormap && alpha == o.alpha && blend == o.blend;
  }
};

/* A map (CV_32FC1, any size, values clamped to [0, 1], NaN taken as 0) for
 * a rectangle of the frame. */
struct Heatmap
{
  cv::Rect rect;
  cv::Mat map;
};

/* A map resized bilinearly like cv::resize (INTER_LINEAR), bit for bit,
 * but one output row at a time: row y is s0 * b0 + s1 * b1. */
class RowResizer
{
public:
  void reset (const cv::Mat &map, cv::Size size);
  void row (
      int y, const float *&s0, const float *&s1, float &b0, float &b1) const;

private:
  cv::Mat small_, rows_;
  double scale_y_ = 1.0;
};

/* Superimposes heatmaps on a frame, as the blog does for one image: each map
 * is resized bilinearly to its rectangle, overlapping maps are combined by
 * their maximum, and each covered pixel becomes
 *   heat = colormap (uint8 (255 * map))
 *   out  = saturate (round (alpha * heat + img))          (Add)
 *          saturate (round ((1 - alpha) * img + alpha * heat)) (Mix)
 * Colour and blend are one table lookup per byte. */
class HeatmapRenderer
{
public:
  void set_style (const HeatmapStyle &style);

  /* @frame: CV_8UC3 or CV_8UC4 pixels in @layout; drawn in place. */
  void draw (cv::Mat &frame, const PixelLayout &layout,
      const std::vector<Heatmap> &maps);

private:
  template <int PS>
  void blend_line (uint8_t *px, const PixelLayout &layout, int width);
  void add_line (uint8_t *px, const PixelLayout &layout, int width);

  HeatmapStyle style_;
  bool have_table_ = false;
  /* [channel R, G, B][colormap index][image byte] -> output byte */
  std::vector<uint8_t> table_;
  /* Add without ties: round (alpha * heat) per channel and index, and as
   * one little-endian pixel word per 1 + index (0: no map) */
  bool additive_ = false;
  uint8_t addend_[3][256];
  uint32_t words_[257];
  PixelLayout words_layout_;
  bool words_valid_ = false;
  std::vector<RowResizer> resizers_;
  std::vector<uint16_t> line_; /* 1 + colormap index per pixel of a row */
};

} // namespace vgg::render
