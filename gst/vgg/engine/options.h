/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * How a Classifier is set up and run: plain values, no LibTorch.
 */
#pragma once

#include "error.h"
#include "frame.h"
#include "modelconfig.h"

#include <string>

namespace vgg {

/* How a region's heatmap is made from the layer's activations A (and,
 * for all but EigenCam, the gradient g of the target class's logit with
 * respect to A), each as pytorch-grad-cam defines it; then ReLU. */
enum class CamMethod
{
  GradCam,         /* sum_k mean(g_k) A_k (Selvaraju et al.) */
  GradCamPlusPlus, /* sum_k w_k A_k, w_k from g^2, g^3 (Chattopadhay et al.) */
  XGradCam,        /* sum_k (sum g_k A_k / sum A_k) A_k (Fu et al.) */
  HiResCam,        /* sum_k g_k A_k, elementwise (Draelos and Carin) */
  LayerCam,        /* sum_k ReLU(g_k) A_k, elementwise (Jiang et al.) */
  EigenCam,        /* A's first principal component; no gradient (Muhammad
                      and Yeasin) */
};

/* The method's name, as the gradcam-method property and the "gradcam"
 * param's method field spell it. */
inline const char *
cam_method_name (CamMethod m)
{
  switch (m) {
    case CamMethod::GradCamPlusPlus:
      return "gradcam++";
    case CamMethod::XGradCam:
      return "xgradcam";
    case CamMethod::HiResCam:
      return "hirescam";
    case CamMethod::LayerCam:
      return "layercam";
    case CamMethod::EigenCam:
      return "eigencam";
    default:
      return "gradcam";
  }
}

enum class Precision
{
  FP32,
  FP16,
  BF16
};

struct ClassifierOptions
{
  std::string model_path;
  std::string labels_path;       /* overrides the sidecar's; may be empty */
  std::string class_groups_path; /* empty: default_class_groups */
  /* Used when nothing names labels and the model has 1000 outputs. */
  std::string default_labels_text;
  /* Used when class_groups_path is empty, for 1000-class models whose
   * labels have the classes it names. */
  std::string default_class_groups_text;
  std::string device = "auto"; /* auto, cpu, cuda, cuda:N */
  Precision precision = Precision::FP32;
  Preset preset = Preset::Auto;
  int threads = 0; /* LibTorch intra-op threads (process-wide); 0: default */
  /* Grad-CAM for every region: the method, the layer ("" = the sidecar's,
   * else the model's default) and the class to explain: "top1" (each
   * region's best), a class (index, name or WordNet id) or a class group
   * (its most probable class in each region). */
  bool gradcam = false;
  CamMethod gradcam_method = CamMethod::GradCam;
  std::string gradcam_layer;
  std::string gradcam_target = "top1";
  LogFunc log;
};

struct RunOptions
{
  int top_k = 5;
  int batch_size = 16;
  Interpolation interpolation = Interpolation::Bilinear;
};

} // namespace vgg
