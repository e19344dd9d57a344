/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gradcam.h"
#include "error.h"
#include "prepare.h"
#include "torcherror.h"

#include <torch/csrc/autograd/autograd.h>

namespace vgg {

GradCamExplainer::GradCamExplainer (const torch::jit::Module &module,
    const std::string &layer, const std::string &target, CamMethod method,
    const std::vector<Label> &labels, const std::vector<ClassGroup> &groups,
    int width, int height, torch::Dtype dtype, torch::Device device)
    : split_ (module, layer), method_ (method), device_ (device),
      input_width_ (width), input_height_ (height), dtype_ (dtype)
{
  if (!target.empty () && target != "top1") {
    for (const ClassGroup &g : groups) {
      if (g.name == target) {
        target_group_ = true;
        group_classes_ = torch::tensor (g.class_ids, torch::kLong).to (device);
      }
    }
    if (!target_group_) {
      try {
        target_ = find_label (labels, target);
      } catch (const Error &e) {
        throw Error ("gradcam-target: " + std::string (e.what ()));
      }
      if (target_ < 0)
        throw Error ("gradcam-target \"" + target
            + "\" is not top1, a class of the model (index 0.."
            + std::to_string (labels.size () - 1)
            + ", name or WordNet id) or a class group");
    }
  }

  /* The cut must give the model's own answer, or the maps would explain
   * something else: check on a fixed random input, with autograd on the
   * head as in explain() (EigenCam: without, it needs no gradient). */
  torch::Tensor x = torch::randn ({1, 3, height, width},
      torch::TensorOptions ().dtype (dtype).device (device));
  torch::Tensor a, parts, whole;
  try {
    torch::NoGradGuard no_grad;
    whole = const_cast<torch::jit::Module &> (module).forward ({x}).toTensor ();
    a = split_.backbone (x);
  } catch (const std::exception &e) {
    throw torch_error (
        "Grad-CAM cannot run the model cut at " + split_.layer (), e);
  }
  if (a.dim () != 4)
    throw Error ("Grad-CAM layer " + split_.layer ()
        + " gives a tensor of shape " + c10::str (a.sizes ())
        + ", not a [batch, channels, height, width] feature map");
  if (method_ == CamMethod::EigenCam) {
    try {
      torch::NoGradGuard no_grad;
      parts = head (a);
    } catch (const std::exception &e) {
      throw torch_error (
          "EigenCAM cannot run the layers after " + split_.layer (), e);
    }
  } else {
    try {
      torch::Tensor leaf = a.detach ().requires_grad_ (true);
      torch::AutoGradMode enable (true);
      parts = head (leaf);
      torch::autograd::grad ({parts.select (1, 0).sum ()}, {leaf});
      parts = parts.detach ();
    } catch (const std::exception &e) {
      throw torch_error (std::string (cam_method_name (method_))
              + " cannot take gradients through the layers after "
              + split_.layer () + " (gradcam-method=eigencam needs none)",
          e);
    }
  }
  height_ = a.size (2);
  width_ = a.size (3);
  if (!torch::allclose (
          parts.to (torch::kFloat), whole.to (torch::kFloat), 1e-2, 1e-3))
    throw Error ("Grad-CAM: the model's forward() is not features, avgpool, "
                 "flatten, classifier; export it with backbone() and head() "
                 "methods");
}

void
GradCamExplainer::prepare_backbone (const LogFunc &log)
{
  split_.prepare_backbone (
      prepare_probe (input_width_, input_height_, dtype_),
      [this] (const torch::Tensor &a) { return head (a); }, log);
}

/* The head on a copy of the activations: a layer after the cut may work in
 * place (VGG's ReLU(inplace=True) after a conv), which autograd refuses on
 * a leaf; the gradient reaches the leaf through the copy all the same. */
torch::Tensor
GradCamExplainer::head (const torch::Tensor &a)
{
  return split_.head (a.clone ());
}

/* The gradient methods, as pytorch-grad-cam defines them (its
 * get_cam_weights / get_cam_image), on float32 activations @a and
 * gradients @g [batch, channels, h, w]: the map before its final ReLU. */
torch::Tensor
GradCamExplainer::gradient_cam (const torch::Tensor &a, const torch::Tensor &g)
{
  switch (method_) {
    case CamMethod::GradCamPlusPlus: {
      /* Eq. 19 of Chattopadhay et al. with the exponential's derivatives
       * written as powers of g; alpha is zero where g is. */
      torch::Tensor g2 = g * g, g3 = g2 * g;
      torch::Tensor sum_a = a.sum ({2, 3}, true);
      torch::Tensor alpha = g2 / (2 * g2 + sum_a * g3 + 1e-6);
      alpha = torch::where (g != 0, alpha, torch::zeros_like (alpha));
      torch::Tensor w = (torch::relu (g) * alpha).sum ({2, 3}, true);
      return (w * a).sum (1);
    }
    case CamMethod::XGradCam: {
      torch::Tensor sum_a = a.sum ({2, 3}, true);
      torch::Tensor w = (g * a / (sum_a + 1e-7)).sum ({2, 3}, true);
      return (w * a).sum (1);
    }
    case CamMethod::HiResCam:
      return (g * a).sum (1);
    case CamMethod::LayerCam:
      return (torch::relu (g) * a).sum (1);
    default:
      return (g.mean ({2, 3}, true) * a).sum (1);
  }
}

/* EigenCAM: each region's activations as [h * w, channels], centred per
 * channel, projected on their first principal component (the first right
 * singular vector). Its sign is arbitrary (pytorch-grad-cam keeps what
 * LAPACK gives); here it is chosen so that the largest magnitude is
 * positive, as pytorch-grad-cam's Seg-Eigen-CAM corrects it. Non-finite
 * activations count as zero (pytorch-grad-cam zeroes NaNs). */
torch::Tensor
GradCamExplainer::eigen_cam (const torch::Tensor &a)
{
  torch::Tensor x = a.flatten (2).transpose (1, 2);
  x = torch::where (torch::isfinite (x), x, torch::zeros_like (x));
  x = x - x.mean (1, true);
  torch::Tensor vh = std::get<2> (torch::linalg_svd (x, false));
  torch::Tensor p = x.bmm (vh.select (1, 0).unsqueeze (2)).squeeze (2);
  torch::Tensor flip = p.amin (1).abs () > p.amax (1).abs ();
  p = torch::where (flip.unsqueeze (1), -p, p);
  return p.view ({a.size (0), a.size (2), a.size (3)});
}

torch::Tensor
GradCamExplainer::explain (const torch::Tensor &x, torch::Tensor &maps)
{
  torch::Tensor a = split_.backbone (x).detach ();
  torch::Tensor logits, grad, cls, cam;
  if (method_ == CamMethod::EigenCam) {
    /* No autograd anywhere: the classification and the activations. */
    torch::NoGradGuard no_grad;
    logits = head (a);
    cls = torch::full ({x.size (0)}, -1,
        torch::TensorOptions ().dtype (torch::kLong).device (device_));
    cam = eigen_cam (a.to (torch::kFloat));
  } else {
    a.requires_grad_ (true);
    {
      torch::AutoGradMode enable (true);
      logits = head (a);
      if (target_group_)
        cls = group_classes_.index (
            {logits.index_select (1, group_classes_).argmax (1)});
      else if (target_ >= 0)
        cls = torch::full ({x.size (0)}, target_,
            torch::TensorOptions ().dtype (torch::kLong).device (device_));
      else
        cls = logits.argmax (1);
      /* Regions are independent: the gradient of the sum is each
       * region's. */
      torch::Tensor y = logits.gather (1, cls.unsqueeze (1)).sum ();
      grad = torch::autograd::grad ({y}, {a})[0];
    }
    cam = gradient_cam (
        a.detach ().to (torch::kFloat), grad.to (torch::kFloat));
  }
  cam = torch::relu (cam);
  torch::Tensor max = cam.amax ({1, 2});
  torch::Tensor norm = cam
      / torch::where (max > 0, max, torch::ones_like (max)).view ({-1, 1, 1});
  maps = torch::cat ({cls.to (torch::kFloat).unsqueeze (1), max.unsqueeze (1),
                         norm.flatten (1)},
      1);
  return logits.detach ();
}

} // namespace vgg
