/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The engine on CUDA against the engine on the CPU: the same frames and
 * regions must give the same top-1, probabilities within 1e-3 and Grad-CAM
 * maps within 1e-3 (fp32). Exits 77 (skipped) where CUDA is not available.
 *
 * Usage: cuda-parity MODEL [WIDTH HEIGHT]
 */
#include "classifier.h"

#include <torch/cuda.h>

#include <cmath>
#include <cstdio>
#include <random>

int
main (int argc, char **argv)
{
  if (argc != 2 && argc != 4) {
    std::fprintf (stderr, "usage: %s MODEL [WIDTH HEIGHT]\n", argv[0]);
    return 2;
  }
  if (!torch::cuda::is_available ()) {
    std::printf ("cuda-parity: no CUDA here, skipped\n");
    return 77;
  }
  const int w = argc == 4 ? std::atoi (argv[2]) : 1280;
  const int h = argc == 4 ? std::atoi (argv[3]) : 720;

  vgg::ClassifierOptions o;
  o.model_path = argv[1];
  o.gradcam = true;
  o.device = "cpu";
  vgg::Classifier cpu (o);
  o.device = "cuda";
  vgg::Classifier gpu (o);

  /* Three frames of smooth shapes and noise, the 2x2 tiles and the frame. */
  std::mt19937 rng (1);
  std::vector<std::vector<uint8_t>> pixels (3);
  std::vector<vgg::FrameRois> frames (3);
  for (int f = 0; f < 3; f++) {
    pixels[f].resize ((size_t) w * h * 3);
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        for (int c = 0; c < 3; c++)
          pixels[f][((size_t) y * w + x) * 3 + c]
              = (uint8_t) (((x * (c + 1) + y * (3 - c) + 40 * f) / 3
                               + rng () % 50)
                  & 0xff);
    frames[f].frame = {pixels[f].data (), pixels[f].size (), w, h, w * 3, {}};
    frames[f].rois
        = {{0, 0, w, h}, {0, 0, w / 2, h / 2}, {w / 2, 0, w - w / 2, h / 2},
            {0, h / 2, w / 2, h - h / 2}, {w / 2, h / 2, w - w / 2, h - h / 2}};
  }
  vgg::RunOptions run;
  auto a = cpu.classify (frames, run);
  auto b = gpu.classify (frames, run);

  double prob = 0, cam = 0;
  int top1 = 0, n = 0;
  for (size_t f = 0; f < a.size (); f++) {
    for (size_t r = 0; r < a[f].size (); r++, n++) {
      const vgg::RoiResult &x = a[f][r], &y = b[f][r];
      top1 += x.top_ids[0] != y.top_ids[0];
      for (size_t k = 0; k < x.top_ids.size (); k++)
        for (size_t j = 0; j < y.top_ids.size (); j++)
          if (x.top_ids[k] == y.top_ids[j])
            prob = std::max (
                prob, (double) std::fabs (x.top_scores[k] - y.top_scores[j]));
      if (x.cam.class_id == y.cam.class_id)
        for (size_t i = 0; i < x.cam.data.size (); i++)
          cam = std::max (
              cam, (double) std::fabs (x.cam.data[i] - y.cam.data[i]));
    }
  }
  std::printf ("cuda-parity: %s on %s vs cpu, %d regions: top-1 differs in "
               "%d, probabilities within %.2e, Grad-CAM maps within %.2e\n",
      cpu.name ().c_str (), gpu.device ().c_str (), n, top1, prob, cam);
  return top1 == 0 && prob < 1e-3 && cam < 1e-3 ? 0 : 1;
}
