/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string>
#include <vector>

namespace vgg {

/* A class activation map of one region at the layer's resolution, after
 * the method's ReLU, normalised by its maximum (Grad-CAM: ReLU (sum_k
 * alpha_k A_k) / max). What the engine computes, the "gradcam" param
 * carries and the overlay draws; no map: empty data. */
struct GradCam
{
  int class_id = -1;  /* the class it explains; -1 for eigencam (none) */
  std::string method; /* gradcam, gradcam++, ... (vgg::cam_method_name) */
  bool stale = false; /* computed on an earlier frame */
  int width = 0, height = 0;
  float max = 0.0f;        /* before normalisation; 0 for an all-zero map */
  std::vector<float> data; /* width * height, row-major, in [0, 1] */
};

} // namespace vgg
