/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "splitmodel.h"
#include "error.h"
#include "prepare.h"

namespace vgg {

namespace {

bool
has_module (const torch::jit::Module &m, const std::string &name)
{
  return m.hasattr (name) && m.attr (name).isModule ();
}

torch::Tensor
call (const torch::jit::Module &m, const torch::Tensor &x)
{
  return const_cast<torch::jit::Module &> (m).forward ({x}).toTensor ();
}

} // namespace

SplitModel::SplitModel (
    const torch::jit::Module &module, const std::string &layer)
    : module_ (module)
{
  if (module.find_method ("backbone") && module.find_method ("head")) {
    methods_ = true;
    layer_ = "backbone";
    return;
  }
  if (!has_module (module, "features") || !has_module (module, "avgpool")
      || !has_module (module, "classifier"))
    throw Error ("Grad-CAM needs a model laid out like torchvision's VGG "
                 "(features, avgpool, classifier) or with backbone() and "
                 "head() methods; this one has neither");

  std::vector<std::pair<std::string, torch::jit::Module>> children;
  for (const auto &child :
      module.attr ("features").toModule ().named_children ())
    children.emplace_back (child.name, child.value);
  if (children.empty ())
    throw Error ("Grad-CAM: the model's features have no layers");

  size_t cut = children.size () - 1;
  if (layer.empty ()) {
    const std::string type = children.back ().second.type ()->str ();
    if (type.find ("MaxPool") != std::string::npos && children.size () > 1)
      cut--;
  } else {
    const std::string prefix = "features.";
    cut = children.size ();
    if (layer.rfind (prefix, 0) == 0)
      for (size_t i = 0; i < children.size (); i++)
        if (children[i].first == layer.substr (prefix.size ()))
          cut = i;
    if (cut == children.size ())
      throw Error ("Grad-CAM layer \"" + layer
          + "\" is not in the model; "
            "use features.0 .. features."
          + children.back ().first);
  }
  layer_ = "features." + children[cut].first;
  for (size_t i = 0; i < children.size (); i++)
    (i <= cut ? backbone_layers_ : head_layers_).push_back (children[i].second);
  head_layers_.push_back (module.attr ("avgpool").toModule ());
  classifier_ = module.attr ("classifier").toModule ();
}

void
SplitModel::prepare_backbone (const torch::Tensor &probe,
    const std::function<torch::Tensor (const torch::Tensor &)> &head_logits,
    const LogFunc &log)
{
  torch::jit::Module plain;
  try {
    plain = methods_ ? method_module (module_, "backbone")
                     : sequence_module (backbone_layers_);
  } catch (const std::exception &e) {
    std::string why = e.what ();
    if (log)
      log (LogLevel::Info,
          "Grad-CAM backbone: not prepared for inference ("
              + why.substr (0, why.find ('\n')) + ")");
    return;
  }
  torch::jit::Module prepared = prepare_for_inference (plain, probe,
      head_logits, "Grad-CAM backbone (up to " + layer_ + ")", log,
      cpu_prepare_steps (probe.scalar_type ()));
  if (prepared._ivalue () != plain._ivalue ())
    prepared_backbone_ = prepared;
}

torch::Tensor
SplitModel::backbone (const torch::Tensor &x)
{
  if (prepared_backbone_)
    return prepared_backbone_->forward ({x}).toTensor ();
  if (methods_)
    return module_.run_method ("backbone", x).toTensor ();
  torch::Tensor a = x;
  for (const torch::jit::Module &m : backbone_layers_)
    a = call (m, a);
  return a;
}

torch::Tensor
SplitModel::head (const torch::Tensor &a)
{
  if (methods_)
    return module_.run_method ("head", a).toTensor ();
  torch::Tensor x = a;
  for (const torch::jit::Module &m : head_layers_)
    x = call (m, x);
  return call (classifier_, torch::flatten (x, 1));
}

} // namespace vgg
