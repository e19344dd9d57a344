/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "classgroups.h"
#include "labels.h"
#include "options.h"
#include "splitmodel.h"

#include <torch/script.h>

#include <string>
#include <vector>

namespace vgg {

/* Class activation maps (Grad-CAM, Selvaraju et al. 2017, and the other
 * methods of CamMethod) for batches of regions: the model cut at a layer,
 * the backbone run without autograd; for the gradient methods its output
 * is a leaf that requires grad and one backward pass goes through the head
 * only; EigenCam takes no gradient at all. */
class GradCamExplainer
{
public:
  /* Cuts @module at @layer ("" = SplitModel's default) and resolves
   * @target: "top1" (each region's best class), a class (index, name or
   * WordNet id of @labels) or a class group of @groups (its most probable
   * class in each region). Checks on a fixed random @width x @height input
   * that the cut gives the model's own answer (and, for the gradient
   * methods, that the head can be differentiated). Throws Error. */
  GradCamExplainer (const torch::jit::Module &module, const std::string &layer,
      const std::string &target, CamMethod method,
      const std::vector<Label> &labels, const std::vector<ClassGroup> &groups,
      int width, int height, torch::Dtype dtype, torch::Device device);

  /* The logits of @x; sets @maps to one row per region: the explained
   * class (-1 for EigenCam), the map's maximum, then the map (height x
   * width) normalised by its maximum (an all-zero map stays zero), all
   * float32. */
  torch::Tensor explain (const torch::Tensor &x, torch::Tensor &maps);

  /* On the CPU: runs the backbone prepared for inference (prepare.h) if
   * it passes its check; says at INFO which. */
  void prepare_backbone (const LogFunc &log);

  int width () const { return width_; }
  int height () const { return height_; }
  const std::string &layer () const { return split_.layer (); }
  CamMethod method () const { return method_; }

private:
  torch::Tensor head (const torch::Tensor &a);
  torch::Tensor gradient_cam (const torch::Tensor &a, const torch::Tensor &g);
  torch::Tensor eigen_cam (const torch::Tensor &a);

  SplitModel split_;
  CamMethod method_;
  /* -1: top1; else a class id, or with target_group_ the group's classes. */
  int target_ = -1;
  bool target_group_ = false;
  torch::Tensor group_classes_;
  torch::Device device_;
  int width_ = 0, height_ = 0;
  int input_width_ = 0, input_height_ = 0;
  torch::Dtype dtype_;
};

} // namespace vgg
