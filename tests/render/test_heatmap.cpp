/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The renderer's row-by-row resize must be cv::resize, bit for bit (the
 * overlay truncates 255 * value to a colormap index, so a last-bit
 * difference would change colours), and the renderer must match the
 * straightforward whole-frame formula on every path (table, saturating
 * add, 3- and 4-byte pixels).
 */
#include "heatmap.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <random>

using namespace vgg::render;

namespace {

cv::Mat
random_map (int w, int h, unsigned seed)
{
  cv::Mat m (h, w, CV_32FC1);
  cv::RNG rng (seed);
  rng.fill (m, cv::RNG::UNIFORM, 0.0, 1.0);
  m.at<float> (0, 0) = 1.0f;
  return m;
}

/* The whole-frame formula with OpenCV calls, as the blog writes it. */
cv::Mat
reference (const cv::Mat &bgr, const std::vector<Heatmap> &maps,
    const HeatmapStyle &style)
{
  cv::Mat canvas (bgr.size (), CV_32FC1, cv::Scalar (-1.0f)),
      out = bgr.clone ();
  for (const Heatmap &h : maps) {
    cv::Mat r;
    cv::resize (h.map, r, h.rect.size (), 0, 0, cv::INTER_LINEAR);
    cv::Mat dst = canvas (h.rect);
    cv::max (dst, r, dst);
  }
  cv::Mat idx (bgr.size (), CV_8UC1), heat;
  for (int y = 0; y < idx.rows; y++)
    for (int x = 0; x < idx.cols; x++)
      idx.at<uint8_t> (y, x)
          = (uint8_t) (255.0f * std::max (canvas.at<float> (y, x), 0.0f));
  cv::applyColorMap (idx, heat, style.colormap);
  for (int y = 0; y < idx.rows; y++) {
    for (int x = 0; x < idx.cols; x++) {
      if (canvas.at<float> (y, x) < 0)
        continue;
      for (int c = 0; c < 3; c++) {
        double v = bgr.at<cv::Vec3b> (y, x)[c],
               h = heat.at<cv::Vec3b> (y, x)[c];
        double o = style.blend == Blend::Add
            ? style.alpha * h + v
            : (1 - style.alpha) * v + style.alpha * h;
        out.at<cv::Vec3b> (y, x)[c] = cv::saturate_cast<uint8_t> (o);
      }
    }
  }
  return out;
}

} // namespace

TEST (RowResizer, MatchesCvResizeBitForBit)
{
  const cv::Size sizes[] = {{14, 14}, {7, 7}, {5, 6}, {1, 1}, {1, 9}, {28, 28}};
  const cv::Size targets[] = {
      {1920, 1080}, {960, 540}, {161, 97}, {14, 14}, {5, 3}, {3, 200}, {1, 1}};
  unsigned seed = 1;
  for (cv::Size s : sizes) {
    cv::Mat map = random_map (s.width, s.height, seed++);
    for (cv::Size t : targets) {
      cv::Mat expected;
      cv::resize (map, expected, t, 0, 0, cv::INTER_LINEAR);
      RowResizer rr;
      rr.reset (map, t);
      for (int y = 0; y < t.height; y++) {
        const float *s0, *s1;
        float b0, b1;
        rr.row (y, s0, s1, b0, b1);
        for (int x = 0; x < t.width; x++) {
          float v = s0[x] * b0 + s1[x] * b1;
          ASSERT_EQ (v, expected.at<float> (y, x))
              << s << " -> " << t << " at " << x << "," << y;
        }
      }
    }
  }
}

TEST (HeatmapRenderer, MatchesWholeFrameFormula)
{
  cv::Mat bgr (90, 130, CV_8UC3);
  cv::RNG (7).fill (bgr, cv::RNG::UNIFORM, 0, 256);
  std::vector<Heatmap> maps = {{{0, 0, 130, 90}, random_map (14, 14, 3)},
      {{65, 45, 65, 45}, random_map (7, 5, 4)},
      {{10, 60, 30, 30}, random_map (3, 3, 5)}};
  const HeatmapStyle styles[] = {{cv::COLORMAP_JET, 0.4, Blend::Add},
      {cv::COLORMAP_JET, 0.5, Blend::Add}, /* ties: no saturating add */
      {cv::COLORMAP_VIRIDIS, 0.3, Blend::Mix},
      {cv::COLORMAP_HOT, 1.0, Blend::Add}};
  /* BGR, RGB and the 4-byte orders of BGRx and xRGB. */
  const vgg::PixelLayout orders[]
      = {{3, 2, 1, 0}, {3, 0, 1, 2}, {4, 2, 1, 0}, {4, 1, 2, 3}};
  for (const HeatmapStyle &style : styles) {
    cv::Mat expected = reference (bgr, maps, style);
    for (const vgg::PixelLayout &o : orders) {
      cv::Mat frame (
          bgr.rows, bgr.cols, CV_8UC (o.pixel_stride), cv::Scalar::all (77));
      for (int y = 0; y < bgr.rows; y++)
        for (int x = 0; x < bgr.cols; x++) {
          uint8_t *p = frame.ptr<uint8_t> (y) + x * o.pixel_stride;
          const cv::Vec3b &v = bgr.at<cv::Vec3b> (y, x);
          p[o.offset_b] = v[0];
          p[o.offset_g] = v[1];
          p[o.offset_r] = v[2];
        }
      HeatmapRenderer renderer;
      renderer.set_style (style);
      renderer.draw (frame, o, maps);
      for (int y = 0; y < bgr.rows; y++) {
        for (int x = 0; x < bgr.cols; x++) {
          const uint8_t *p = frame.ptr<uint8_t> (y) + x * o.pixel_stride;
          const cv::Vec3b &e = expected.at<cv::Vec3b> (y, x);
          ASSERT_EQ (p[o.offset_b], e[0])
              << "alpha " << style.alpha << " order " << o.offset_r
              << o.offset_g << o.offset_b << " at " << x << "," << y;
          ASSERT_EQ (p[o.offset_g], e[1]);
          ASSERT_EQ (p[o.offset_r], e[2]);
          if (o.offset_pad () >= 0) {
            ASSERT_EQ (p[o.offset_pad ()], 77);
          }
        }
      }
    }
  }
}
