/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "frame.h"
#include "modelconfig.h"

#include <torch/script.h>

namespace vgg {

/* Turns the regions of a frame into a normalised NCHW batch on the model's
 * device: every region is cropped, resized, reordered and normalised by
 * gathers from one copy of the frame (no per-region work on the host). The
 * sampling depends only on the frame geometry and the regions, so it is
 * kept for the next frame with the same layout. */
class Preprocessor
{
public:
  Preprocessor (const InputSpec &spec, torch::Device device);

  /* The frame's bytes on the device: the caller's memory itself on the CPU;
   * on a GPU, one asynchronous copy (on the current stream) from pinned
   * staging memory of its own for each @slot (a frame's place in a batch of
   * frames), which stays in use until the stream has run it, i.e. until the
   * batch's results are back on the host. */
  torch::Tensor upload (const Frame &frame, size_t slot = 0);

  /* Regions [@begin, @end) of @rois from @bytes (upload() of @frame):
   * [end - begin, 3, spec.height, spec.width] float32 on the device. Memory
   * is in proportion to end - begin, whatever the number of @rois. */
  torch::Tensor gather (const torch::Tensor &bytes, const Frame &frame,
      const std::vector<Rect> &rois, Interpolation interp, int64_t begin,
      int64_t end);

  /* Every region of @rois: gather (upload (@frame), ...). */
  torch::Tensor run (const Frame &frame, const std::vector<Rect> &rois,
      Interpolation interp, size_t slot = 0);

private:
  /* Where each output pixel of each region reads the frame, kept in
   * separable form (rows and columns apart: a few KB a region) and
   * combined per chunk of regions in gather(). */
  struct Sampling
  {
    int width = 0, height = 0, stride = 0;
    PixelLayout layout;
    std::vector<Rect> rois;
    Interpolation interp = Interpolation::Bilinear;
    torch::Tensor row0, row1; /* [N, 1, H, 1] int64 byte offsets */
    torch::Tensor col0, col1; /* [N, 1, 1, W] int64 byte offsets */
    torch::Tensor wy1, wx1;   /* weights of row1 and col1, float32 */
    torch::Tensor channel;    /* [1, 3, 1, 1] int64 byte offsets */
  };

  const Sampling &sampling (
      const Frame &frame, const std::vector<Rect> &rois, Interpolation interp);

  InputSpec spec_;
  torch::Device device_;
  torch::Tensor scale_, shift_; /* per channel: x * scale + shift */
  Sampling cache_;
  std::vector<torch::Tensor> staging_; /* pinned host memory, per slot */
};

} // namespace vgg
