/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "preprocess.h"
#include "error.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>

namespace vgg {

using torch::indexing::None;
using torch::indexing::Slice;

Preprocessor::Preprocessor (const InputSpec &spec, torch::Device device)
    : spec_ (spec), device_ (device)
{
  std::vector<float> scale (3), shift (3);
  for (int c = 0; c < 3; c++) {
    scale[c] = spec.scale / spec.std[c];
    shift[c] = -spec.mean[c] / spec.std[c];
  }
  scale_ = torch::tensor (scale).view ({1, 3, 1, 1}).to (device);
  shift_ = torch::tensor (shift).view ({1, 3, 1, 1}).to (device);
}

namespace {

/* Source pixels of one axis for every region, as torch's CPU interpolate
 * kernels compute them (same float arithmetic, so the same pixels and
 * weights): returns the first and second source index, relative to the
 * region's start, and the weight of the second. [N, out] each. */
std::tuple<torch::Tensor, torch::Tensor, torch::Tensor>
axis_sampling (const torch::Tensor &len, int64_t out, Interpolation interp)
{
  auto opts = len.options ();
  /* scale = (float) in / out */
  torch::Tensor scale = (len.to (torch::kFloat) / (float) out).unsqueeze (1);
  torch::Tensor last = (len - 1).unsqueeze (1);
  if (interp == Interpolation::Nearest) {
    /* floorf ((dst + 0.5) * scale), the product taken in double */
    torch::Tensor dst = torch::arange (out, opts.dtype (torch::kDouble)) + 0.5;
    torch::Tensor src = (dst * scale.to (torch::kDouble)).to (torch::kFloat);
    torch::Tensor i0 = torch::minimum (src.floor ().to (torch::kLong), last);
    return {i0, i0, torch::zeros_like (src)};
  }
  /* src = scale * (dst + 0.5) - 0.5, clamped at 0; the second pixel is the
   * next one unless at the edge. */
  torch::Tensor dst = torch::arange (out, opts.dtype (torch::kFloat)) + 0.5f;
  torch::Tensor src = (scale * dst - 0.5f).clamp_min (0.0f);
  torch::Tensor i0 = src.to (torch::kLong);
  torch::Tensor i1 = i0 + (i0 < last).to (torch::kLong);
  torch::Tensor w1 = (src - i0.to (torch::kFloat)).clamp (0.0f, 1.0f);
  return {i0, i1, w1};
}

} // namespace

const Preprocessor::Sampling &
Preprocessor::sampling (
    const Frame &frame, const std::vector<Rect> &rois, Interpolation interp)
{
  Sampling &s = cache_;
  if (s.row0.defined () && s.width == frame.width && s.height == frame.height
      && s.stride == frame.stride && s.layout == frame.layout
      && s.interp == interp && s.rois == rois)
    return s;

  const int64_t n = rois.size ();
  std::vector<int64_t> geom;
  for (const Rect &r : rois) {
    if (r.width <= 0 || r.height <= 0 || r.x < 0 || r.y < 0
        || r.x + r.width > frame.width || r.y + r.height > frame.height)
      throw Error ("region " + std::to_string (r.width) + "x"
          + std::to_string (r.height) + " at " + std::to_string (r.x) + ","
          + std::to_string (r.y) + " is not within the "
          + std::to_string (frame.width) + "x" + std::to_string (frame.height)
          + " frame");
    geom.insert (geom.end (), {r.x, r.y, r.width, r.height});
  }
  /* Index arithmetic on the device, from one small upload. */
  torch::Tensor g = torch::tensor (geom).view ({n, 4}).to (device_);
  auto [y0, y1, wy] = axis_sampling (g.select (1, 3), spec_.height, interp);
  auto [x0, x1, wx] = axis_sampling (g.select (1, 2), spec_.width, interp);
  const PixelLayout &l = frame.layout;
  std::vector<int64_t> ch = {l.offset_r, l.offset_g, l.offset_b};
  if (spec_.order == ChannelOrder::BGR)
    std::swap (ch[0], ch[2]);

  s.row0 = ((g.select (1, 1).unsqueeze (1) + y0) * frame.stride)
               .view ({n, 1, spec_.height, 1});
  s.row1 = ((g.select (1, 1).unsqueeze (1) + y1) * frame.stride)
               .view ({n, 1, spec_.height, 1});
  s.col0 = ((g.select (1, 0).unsqueeze (1) + x0) * l.pixel_stride)
               .view ({n, 1, 1, spec_.width});
  s.col1 = ((g.select (1, 0).unsqueeze (1) + x1) * l.pixel_stride)
               .view ({n, 1, 1, spec_.width});
  s.wy1 = wy.view ({n, 1, spec_.height, 1});
  s.wx1 = wx.view ({n, 1, 1, spec_.width});
  s.channel = torch::tensor (ch).view ({1, 3, 1, 1}).to (device_);
  s.width = frame.width;
  s.height = frame.height;
  s.stride = frame.stride;
  s.layout = frame.layout;
  s.interp = interp;
  s.rois = rois;
  return s;
}

torch::Tensor
Preprocessor::upload (const Frame &frame, size_t slot)
{
  if (frame.width <= 0 || frame.height <= 0)
    throw Error ("empty frame");
  const PixelLayout &l = frame.layout;
  size_t needed = (size_t) frame.stride * (frame.height - 1)
      + (size_t) frame.width * l.pixel_stride;
  if (frame.stride < frame.width * l.pixel_stride || frame.size < needed)
    throw Error ("frame of " + std::to_string (frame.size)
        + " bytes is too small for " + std::to_string (frame.width) + "x"
        + std::to_string (frame.height) + " with stride "
        + std::to_string (frame.stride));
  if (device_.is_cpu ()) {
    /* Wraps the caller's memory: no copy at all. */
    return torch::from_blob (
        const_cast<uint8_t *> (frame.data), {(int64_t) needed}, torch::kUInt8);
  }
  if (staging_.size () <= slot)
    staging_.resize (slot + 1);
  torch::Tensor &pinned = staging_[slot];
  if (!pinned.defined () || (size_t) pinned.numel () < needed)
    pinned = torch::empty ({(int64_t) needed},
        torch::TensorOptions ().dtype (torch::kUInt8).pinned_memory (true));
  /* The copy into pinned memory is the host's share of the upload: spread
   * it over LibTorch's threads (idle while the GPU works). */
  uint8_t *dst = (uint8_t *) pinned.data_ptr ();
  const int64_t chunk = 1 << 20;
  at::parallel_for (
      0, (needed + chunk - 1) / chunk, 1, [&] (int64_t begin, int64_t end) {
        size_t from = begin * chunk,
               to = std::min (needed, (size_t) end * chunk);
        std::memcpy (dst + from, frame.data + from, to - from);
      });
  return pinned.narrow (0, 0, needed).to (device_, /*non_blocking=*/true);
}

torch::Tensor
Preprocessor::gather (const torch::Tensor &bytes, const Frame &frame,
    const std::vector<Rect> &rois, Interpolation interp, int64_t begin,
    int64_t end)
{
  const Sampling &s = sampling (frame, rois, interp);
  const int64_t n = end - begin;
  auto at = [&] (const torch::Tensor &rows, const torch::Tensor &cols) {
    return bytes
        .take (
            rows.narrow (0, begin, n) + cols.narrow (0, begin, n) + s.channel)
        .to (torch::kFloat);
  };
  torch::Tensor x;
  if (interp == Interpolation::Nearest) {
    x = at (s.row0, s.col0);
  } else {
    /* As torch's bilinear kernel: h0 (w0 p00 + w1 p01) + h1 (w0 p10 + w1 p11).
     */
    torch::Tensor wy1 = s.wy1.narrow (0, begin, n), wy0 = 1.0f - wy1;
    torch::Tensor wx1 = s.wx1.narrow (0, begin, n), wx0 = 1.0f - wx1;
    x = wy0 * (wx0 * at (s.row0, s.col0) + wx1 * at (s.row0, s.col1))
        + wy1 * (wx0 * at (s.row1, s.col0) + wx1 * at (s.row1, s.col1));
  }
  return x * scale_ + shift_;
}

torch::Tensor
Preprocessor::run (const Frame &frame, const std::vector<Rect> &rois,
    Interpolation interp, size_t slot)
{
  return gather (upload (frame, slot), frame, rois, interp, 0, rois.size ());
}

} // namespace vgg
