/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The batched crop/resize/normalise against values worked out by hand from
 * the definition of half-pixel bilinear and nearest interpolation.
 */
#include "error.h"
#include "preprocess.h"

#include <gtest/gtest.h>

using namespace vgg;

namespace {

/* Identity normalisation: the output is the interpolated pixel value. */
InputSpec
raw_spec (int width, int height)
{
  InputSpec s;
  s.width = width;
  s.height = height;
  s.scale = 1.0f;
  s.mean = {0, 0, 0};
  s.std = {1, 1, 1};
  return s;
}

Frame
rgb_frame (const std::vector<uint8_t> &pixels, int width, int height)
{
  Frame f;
  f.data = pixels.data ();
  f.size = pixels.size ();
  f.width = width;
  f.height = height;
  f.stride = width * 3;
  return f;
}

void
expect_row (const torch::Tensor &x, int c, std::vector<float> expected)
{
  ASSERT_EQ (x.size (3), (int64_t) expected.size ());
  for (size_t i = 0; i < expected.size (); i++)
    EXPECT_NEAR (x[0][c][0][i].item<float> (), expected[i], 1e-4)
        << "channel " << c << " column " << i;
}

} // namespace

TEST (Preprocess, BilinearDownAndUp)
{
  /* Two pixels (R, G, B) = (0, 10, 200) and (100, 50, 0). */
  std::vector<uint8_t> px = {0, 10, 200, 100, 50, 0};
  Frame f = rgb_frame (px, 2, 1);

  /* 2 -> 4: source x = (d + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25,
   * 0.75, 1.25 (the last pixel twice): weights of the second pixel 0, 0.25,
   * 0.75, 0 on pixel 1 alone. */
  Preprocessor up (raw_spec (4, 1), torch::kCPU);
  torch::Tensor x = up.run (f, {{0, 0, 2, 1}}, Interpolation::Bilinear);
  ASSERT_EQ (x.sizes (), torch::IntArrayRef ({1, 3, 1, 4}));
  expect_row (x, 0, {0, 25, 75, 100});
  expect_row (x, 1, {10, 20, 40, 50});
  expect_row (x, 2, {200, 150, 50, 0});

  /* 2 -> 5: x = (d + 0.5) * 0.4 - 0.5 = -0.3 (0), 0.1, 0.5, 0.9, 1.3. */
  Preprocessor up5 (raw_spec (5, 1), torch::kCPU);
  x = up5.run (f, {{0, 0, 2, 1}}, Interpolation::Bilinear);
  expect_row (x, 0, {0, 10, 50, 90, 100});

  /* 4 -> 2 on (0, 40, 80, 120): x = (d + 0.5) * 2 - 0.5 = 0.5, 2.5 (no
   * antialiasing: the average of pixels 0,1 and 2,3). */
  std::vector<uint8_t> four = {0, 0, 0, 40, 0, 0, 80, 0, 0, 120, 0, 0};
  Preprocessor down (raw_spec (2, 1), torch::kCPU);
  x = down.run (
      rgb_frame (four, 4, 1), {{0, 0, 4, 1}}, Interpolation::Bilinear);
  expect_row (x, 0, {20, 100});

  /* 4 -> 3: scale 4/3, x = 0.1667, 1.5, 2.8333. */
  Preprocessor down3 (raw_spec (3, 1), torch::kCPU);
  x = down3.run (
      rgb_frame (four, 4, 1), {{0, 0, 4, 1}}, Interpolation::Bilinear);
  expect_row (x, 0, {40.0f / 6, 60, 40 * 2.8333333f});
}

TEST (Preprocess, Nearest)
{
  std::vector<uint8_t> three = {0, 0, 0, 100, 0, 0, 200, 0, 0};
  /* 3 -> 2: floor ((d + 0.5) * 1.5) = 0, 2. */
  Preprocessor two (raw_spec (2, 1), torch::kCPU);
  torch::Tensor x = two.run (
      rgb_frame (three, 3, 1), {{0, 0, 3, 1}}, Interpolation::Nearest);
  expect_row (x, 0, {0, 200});
  /* 2 -> 5: floor ((d + 0.5) * 0.4) = 0, 0, 1, 1, 1. */
  Preprocessor five (raw_spec (5, 1), torch::kCPU);
  x = five.run (
      rgb_frame (three, 3, 1), {{0, 0, 2, 1}}, Interpolation::Nearest);
  expect_row (x, 0, {0, 0, 100, 100, 100});
}

TEST (Preprocess, RegionStrideAndChannelOrder)
{
  /* 5x3 BGRx with 4 bytes of row padding; byte of (x, y, channel c in
   * R, G, B order) = 100 y + 10 x + c. */
  const int w = 5, h = 3, stride = w * 4 + 4;
  std::vector<uint8_t> px (stride * h, 0xee);
  const int offset[3] = {2, 1, 0}; /* BGRx: R at 2, G at 1, B at 0 */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < 3; c++)
        px[y * stride + x * 4 + offset[c]] = 100 * y + 10 * x + c;
  Frame f;
  f.data = px.data ();
  f.size = px.size ();
  f.width = w;
  f.height = h;
  f.stride = stride;
  f.layout = {4, 2, 1, 0};

  /* Same size in and out: the region's pixels themselves. */
  Preprocessor rgb (raw_spec (2, 2), torch::kCPU);
  Rect roi{3, 1, 2, 2};
  torch::Tensor x = rgb.run (f, {roi, {0, 0, 2, 2}}, Interpolation::Bilinear);
  ASSERT_EQ (x.sizes (), torch::IntArrayRef ({2, 3, 2, 2}));
  for (int c = 0; c < 3; c++)
    for (int y = 0; y < 2; y++)
      for (int xx = 0; xx < 2; xx++) {
        EXPECT_FLOAT_EQ (
            x[0][c][y][xx].item<float> (), 100 * (y + 1) + 10 * (xx + 3) + c);
        EXPECT_FLOAT_EQ (x[1][c][y][xx].item<float> (), 100 * y + 10 * xx + c);
      }

  /* BGR models get blue first. */
  InputSpec bgr_spec = raw_spec (2, 2);
  bgr_spec.order = ChannelOrder::BGR;
  Preprocessor bgr (bgr_spec, torch::kCPU);
  x = bgr.run (f, {roi}, Interpolation::Bilinear);
  EXPECT_FLOAT_EQ (x[0][0][0][0].item<float> (), 100 + 30 + 2);
  EXPECT_FLOAT_EQ (x[0][2][0][0].item<float> (), 100 + 30 + 0);

  /* A region reaching past the frame is refused, not read out of bounds. */
  EXPECT_THROW (rgb.run (f, {{4, 1, 2, 2}}, Interpolation::Bilinear), Error);
  f.size = stride * 2;
  EXPECT_THROW (rgb.run (f, {{0, 0, 2, 2}}, Interpolation::Bilinear), Error);
}

TEST (Preprocess, Normalisation)
{
  std::vector<uint8_t> px = {255, 128, 0};
  InputSpec tv; /* torchvision preset */
  tv.width = tv.height = 1;
  Preprocessor pre (tv, torch::kCPU);
  torch::Tensor x
      = pre.run (rgb_frame (px, 1, 1), {{0, 0, 1, 1}}, Interpolation::Bilinear);
  EXPECT_NEAR (x[0][0][0][0].item<float> (), (1.0 - 0.485) / 0.229, 1e-5);
  EXPECT_NEAR (
      x[0][1][0][0].item<float> (), (128 / 255.0 - 0.456) / 0.224, 1e-5);
  EXPECT_NEAR (x[0][2][0][0].item<float> (), (0 - 0.406) / 0.225, 1e-5);

  InputSpec caffe = apply_preset (tv, Preset::Caffe);
  Preprocessor pc (caffe, torch::kCPU);
  x = pc.run (rgb_frame (px, 1, 1), {{0, 0, 1, 1}}, Interpolation::Bilinear);
  EXPECT_NEAR (x[0][0][0][0].item<float> (), 0 - 103.939, 1e-4);   /* B */
  EXPECT_NEAR (x[0][1][0][0].item<float> (), 128 - 116.779, 1e-4); /* G */
  EXPECT_NEAR (x[0][2][0][0].item<float> (), 255 - 123.68, 1e-4);  /* R */
}
