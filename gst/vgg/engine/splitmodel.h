/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "error.h"

#include <torch/script.h>

#include <optional>

#include <string>
#include <vector>

namespace vgg {

/* A classifier cut in two at the Grad-CAM layer: backbone(x) -> A, the
 * layer's activations, and head(A) -> logits. Either the TorchScript module
 * has backbone() and head() methods (the layer is then theirs), or it is
 * laid out like torchvision's VGG (features, avgpool, classifier) and is
 * cut after "features.N". */
class SplitModel
{
public:
  /* Throws Error if @module cannot be cut at @layer ("" = the default: the
   * last layer of features before a final max-pool, features.29 on VGG16). */
  SplitModel (const torch::jit::Module &module, const std::string &layer);

  torch::Tensor backbone (const torch::Tensor &x);
  torch::Tensor head (const torch::Tensor &a);

  /* Runs backbone() on a copy prepared for inference on the CPU (see
   * prepare.h), checked on @probe through @head_logits, if it passes. */
  void prepare_backbone (const torch::Tensor &probe,
      const std::function<torch::Tensor (const torch::Tensor &)> &head_logits,
      const LogFunc &log);

  /* The layer where the model is cut, e.g. "features.29". */
  const std::string &layer () const { return layer_; }

private:
  torch::jit::Module module_;
  bool methods_ = false;
  std::vector<torch::jit::Module> backbone_layers_, head_layers_;
  torch::jit::Module classifier_;
  std::optional<torch::jit::Module> prepared_backbone_;
  std::string layer_;
};

} // namespace vgg
