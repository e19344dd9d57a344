/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <vector>

namespace vgg {

/* A Grad-CAM map of one region: ReLU (sum_k alpha_k A_k) normalised by its
 * maximum. What the engine computes, the "gradcam" param carries and the
 * overlay draws. */
struct GradCam
{
  int class_id = -1; /* the class it explains */
  int width = 0, height = 0;
  float max = 0.0f;        /* before normalisation; 0 for an all-zero map */
  std::vector<float> data; /* width * height, row-major, in [0, 1] */
};

} // namespace vgg
