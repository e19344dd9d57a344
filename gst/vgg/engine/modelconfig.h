/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <array>
#include <string>
#include <vector>

namespace vgg {

enum class ChannelOrder
{
  RGB,
  BGR
};

/* What the network expects: each input channel c (in @order) is
 * (pixel * scale - mean[c]) / std[c] with pixel in 0..255. */
struct InputSpec
{
  int width = 224, height = 224;
  ChannelOrder order = ChannelOrder::RGB;
  float scale = 1.0f / 255.0f;
  std::array<float, 3> mean = {0.485f, 0.456f, 0.406f};
  std::array<float, 3> std = {0.229f, 0.224f, 0.225f};
};

enum class Preset
{
  Auto,
  Torchvision,
  Caffe
};

/* Channel order, scale, mean and std of a preset; the size is kept. */
InputSpec apply_preset (InputSpec spec, Preset preset);

/* The model's sidecar JSON (every key optional):
 *   {"name": "vgg16-imagenet",
 *    "input": {"width": 224, "height": 224, "order": "RGB",
 *              "scale": 0.00392156862745098, "mean": [...], "std": [...]},
 *    "labels": "imagenet-labels.tsv", "gradcam_layer": "features.29"} */
struct ModelConfig
{
  std::string name;
  InputSpec input;
  std::string labels_path; /* absolute, or empty */
  std::string gradcam_layer;
  std::vector<std::string> warnings; /* e.g. unknown keys */
};

/* Parses sidecar @json; relative paths are resolved against @base_dir.
 * Throws Error naming @source on malformed JSON or invalid values. */
ModelConfig parse_model_config (const std::string &json,
    const std::string &source, const std::string &base_dir);

/* The sidecar's path for @model_path: ".pt" replaced by ".json". */
std::string sidecar_path (const std::string &model_path);

} // namespace vgg
