/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * How the engine sees a video frame: packed 8-bit pixels in memory that it
 * does not own, and the regions to classify.
 */
#pragma once

#include "../common/geometry.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vgg {

struct Frame
{
  const uint8_t *data = nullptr;
  size_t size = 0; /* bytes readable from data */
  int width = 0, height = 0;
  int stride = 0; /* bytes from one row to the next */
  PixelLayout layout;
};

/* One frame and the regions of it to classify (each within the frame). */
struct FrameRois
{
  Frame frame;
  std::vector<Rect> rois;
  /* With a Grad-CAM classifier: false classifies these regions without
   * maps (no backward pass), as gradcam-interval does between maps. */
  bool gradcam = true;
};

enum class Interpolation
{
  /* torch.nn.functional.interpolate(mode="bilinear", align_corners=False)
   * on the cropped region: half-pixel centres, no antialiasing. */
  Bilinear,
  /* interpolate(mode="nearest-exact"): the pixel whose centre is nearest,
   * like PIL and Keras' load_img. */
  Nearest,
};

} // namespace vgg
