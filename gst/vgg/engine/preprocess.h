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
 * one gather from one copy of the frame (no per-region work on the host).
 * The gather indices and weights depend only on the frame geometry and the
 * regions, so they are kept for the next frame with the same layout. */
class Preprocessor
{
public:
  Preprocessor (const InputSpec &spec, torch::Device device);

  /* [rois.size (), 3, spec.height, spec.width] float32 on the device.
   * @slot: the frame's place in a batch of frames (each has its own
   * staging memory for the upload to a GPU). */
  torch::Tensor run (const Frame &frame, const std::vector<Rect> &rois,
      Interpolation interp, size_t slot = 0);

private:
  /* The frame's bytes on the device: the caller's memory itself on the CPU;
   * on a GPU, one asynchronous copy (on the current stream) from pinned
   * staging memory, which stays in use until the stream has run it, i.e.
   * until the batch's results are back on the host. */
  torch::Tensor upload (const Frame &frame, size_t slot);

  /* run() from bytes returned by upload(). */
  torch::Tensor run_uploaded (const torch::Tensor &bytes, const Frame &frame,
      const std::vector<Rect> &rois, Interpolation interp);

  struct Sampling
  {
    int width = 0, height = 0, stride = 0;
    PixelLayout layout;
    std::vector<Rect> rois;
    Interpolation interp = Interpolation::Bilinear;
    torch::Tensor index;  /* [corners, N, 3, H, W] int64 byte offsets */
    torch::Tensor weight; /* [corners, N, 1, H, W] float32 */
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
