/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "heatmap.h"

#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace vgg::render {

void
HeatmapRenderer::set_style (const HeatmapStyle &style)
{
  if (have_table_ && style == style_)
    return;
  style_ = style;

  /* The colormap's 256 colours (BGR), straight from OpenCV. */
  cv::Mat ramp (1, 256, CV_8UC1), colors;
  for (int i = 0; i < 256; i++)
    ramp.at<uint8_t> (i) = i;
  cv::applyColorMap (ramp, colors, style.colormap);

  table_.resize (3 * 256 * 256);
  const double a = style.alpha;
  /* With Add, round (a * heat + v) is v + round (a * heat) for any byte v
   * unless a * heat ends in exactly .5 (round half to even depends on v):
   * then one saturating byte add per channel does the blend. */
  additive_ = style.blend == Blend::Add;
  for (int c = 0; c < 3; c++) {
    for (int i = 0; i < 256; i++) {
      /* R, G, B are bytes 2, 1, 0 of OpenCV's BGR. */
      double heat = colors.at<cv::Vec3b> (i)[2 - c];
      double term = a * heat;
      addend_[c][i] = cv::saturate_cast<uint8_t> (term);
      if (term - std::floor (term) == 0.5)
        additive_ = false;
      uint8_t *row = &table_[(c * 256 + i) * 256];
      for (int v = 0; v < 256; v++) {
        double out = style.blend == Blend::Add ? a * heat + v
                                               : (1.0 - a) * v + a * heat;
        row[v] = cv::saturate_cast<uint8_t> (out);
      }
    }
  }
  have_table_ = true;
  words_valid_ = false;
}

void
RowResizer::reset (const cv::Mat &map, cv::Size size)
{
  /* Whatever the metadata says, the values are in [0, 1]. */
  map.copyTo (small_);
  cv::patchNaNs (small_, 0.0);
  cv::min (cv::max (small_, 0.0), 1.0, small_);
  if (size.width < small_.cols || size.height < small_.rows) {
    /* Shrinking takes other paths in cv::resize (INTER_AREA at exactly
     * half size): resize the whole map, it is small. */
    cv::resize (small_, rows_, size, 0, 0, cv::INTER_LINEAR);
    scale_y_ = 0.0;
    return;
  }
  /* OpenCV's own horizontal pass: the map's rows at the final width (the
   * vertical pass of a same-height resize copies rows exactly). */
  cv::resize (small_, rows_, cv::Size (size.width, small_.rows), 0, 0,
      cv::INTER_LINEAR);
  /* ... and its vertical pass, row by row as needed, with cv::resize's
   * arithmetic: scale = 1 / (dst / src) in double, the source row position
   * rounded to float, rows clipped to the map but the weight kept. */
  scale_y_ = 1.0 / ((double) size.height / small_.rows);
}

void
RowResizer::row (
    int y, const float *&s0, const float *&s1, float &b0, float &b1) const
{
  if (scale_y_ == 0.0) {
    /* Resized whole: row y itself (x * 1 + x * 0 is x exactly). */
    s0 = s1 = rows_.ptr<float> (y);
    b0 = 1.0f;
    b1 = 0.0f;
    return;
  }
  float fy = (float) ((y + 0.5) * scale_y_ - 0.5);
  int sy = cvFloor (fy);
  fy -= sy;
  s0 = rows_.ptr<float> (std::clamp (sy, 0, rows_.rows - 1));
  s1 = rows_.ptr<float> (std::clamp (sy + 1, 0, rows_.rows - 1));
  b0 = 1.0f - fy;
  b1 = fy;
}

void
HeatmapRenderer::draw (
    cv::Mat &frame, const PixelLayout &layout, const std::vector<Heatmap> &maps)
{
  if (maps.empty ())
    return;
  if (!have_table_)
    set_style (style_);

  cv::Rect area;
  resizers_.resize (std::max (resizers_.size (), maps.size ()));
  for (size_t m = 0; m < maps.size (); m++) {
    area |= maps[m].rect;
    if (!maps[m].rect.empty () && !maps[m].map.empty ())
      resizers_[m].reset (maps[m].map, maps[m].rect.size ());
  }
  area &= cv::Rect (0, 0, frame.cols, frame.rows);
  if (area.empty ())
    return;
  line_.resize (area.width);

  /* Row by row, so that nothing frame-sized is written but the frame:
   * each map's resized row goes straight to a colormap index (1 + index,
   * 0 where no map is), the maps combined by maximum (truncation to an
   * index is monotonic, so the maximum of the indices is the index of the
   * maximum), then the row is coloured and blended. */
  for (int y = area.y; y < area.y + area.height; y++) {
    std::fill (line_.begin (), line_.end (), 0);
    for (size_t m = 0; m < maps.size (); m++) {
      const cv::Rect &r = maps[m].rect;
      cv::Rect span = r & cv::Rect (area.x, y, area.width, 1);
      if (span.empty () || maps[m].map.empty ())
        continue;
      const float *s0, *s1;
      float b0, b1;
      resizers_[m].row (y - r.y, s0, s1, b0, b1);
      uint16_t *dst = line_.data () + (span.x - area.x);
      const int from = span.x - r.x;
      for (int x = 0; x < span.width; x++) {
        float v = s0[from + x] * b0 + s1[from + x] * b1;
        /* numpy's uint8 (255 * map): truncation. */
        uint16_t i = 1 + (int) (255.0f * v);
        dst[x] = dst[x] > i ? dst[x] : i;
      }
    }
    uint8_t *px = frame.ptr<uint8_t> (y) + area.x * layout.pixel_stride;
    if (layout.pixel_stride == 4 && additive_)
      add_line (px, layout, area.width);
    else if (layout.pixel_stride == 4)
      blend_line<4> (px, layout, area.width);
    else
      blend_line<3> (px, layout, area.width);
  }
}

/* The Add blend of 4-byte pixels, four at a time: a saturating byte add of
 * each pixel's colormap term (0 where no map is). */
void
HeatmapRenderer::add_line (uint8_t *px, const PixelLayout &layout, int width)
{
  if (!(words_layout_ == layout) || !words_valid_) {
    /* One little-endian word per index: byte k of the pixel is bits 8k. */
    words_[0] = 0;
    for (int i = 0; i < 256; i++)
      words_[1 + i] = (uint32_t) addend_[0][i] << (8 * layout.offset_r)
          | (uint32_t) addend_[1][i] << (8 * layout.offset_g)
          | (uint32_t) addend_[2][i] << (8 * layout.offset_b);
    words_layout_ = layout;
    words_valid_ = true;
  }
  const uint16_t *line = line_.data ();
  int x = 0;
#if CV_SIMD128
  for (; x + 4 <= width; x += 4, px += 16) {
    cv::v_uint32x4 add (words_[line[x]], words_[line[x + 1]],
        words_[line[x + 2]], words_[line[x + 3]]);
    cv::v_store (px, cv::v_load (px) + cv::v_reinterpret_as_u8 (add));
  }
#endif
  for (; x < width; x++, px += 4) {
    const uint32_t w = words_[line[x]];
    for (int k = 0; k < 4; k++)
      px[k] = cv::saturate_cast<uint8_t> (px[k] + ((w >> (8 * k)) & 0xff));
  }
}

/* The pixel size is a constant so that the loop is specialised. */
template <int PS>
void
HeatmapRenderer::blend_line (uint8_t *px, const PixelLayout &layout, int width)
{
  const uint8_t *tr = &table_[0], *tg = &table_[256 * 256],
                *tb = &table_[2 * 256 * 256];
  const uint16_t *line = line_.data ();
  /* Locals: the compiler cannot tell that the stores leave them alone. */
  const int r = layout.offset_r, g = layout.offset_g, b = layout.offset_b;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (PS == 4) {
    /* A whole pixel in, a whole pixel out: one store instead of three. */
    const int sr = 8 * r, sg = 8 * g, sb = 8 * b;
    const uint32_t keep = ~((0xffu << sr) | (0xffu << sg) | (0xffu << sb));
    for (int x = 0; x < width; x++, px += 4) {
      if (!line[x])
        continue;
      const int i = (line[x] - 1) << 8;
      uint32_t w;
      std::memcpy (&w, px, 4);
      w = (w & keep) | (uint32_t) tr[i + ((w >> sr) & 0xff)] << sr
          | (uint32_t) tg[i + ((w >> sg) & 0xff)] << sg
          | (uint32_t) tb[i + ((w >> sb) & 0xff)] << sb;
      std::memcpy (px, &w, 4);
    }
    return;
  }
#endif
  for (int x = 0; x < width; x++, px += PS) {
    if (!line[x])
      continue;
    const int i = (line[x] - 1) << 8;
    px[r] = tr[i + px[r]];
    px[g] = tg[i + px[g]];
    px[b] = tb[i + px[b]];
  }
}

} // namespace vgg::render
