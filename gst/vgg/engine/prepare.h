/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A TorchScript model prepared for inference on the CPU (frozen, oneDNN
 * pre-packed convolutions where this LibTorch supports them, channels_last
 * weights otherwise), checked against the plain model before it is used.
 * LibTorch only.
 */
#pragma once

#include "error.h"

#include <torch/script.h>

#include <functional>
#include <string>
#include <vector>

namespace vgg {

/* The check: the prepared model's softmax probabilities may differ from the
 * plain model's by this much, and its top-1 class not at all. */
constexpr double kPrepareTolerance = 1e-4;

/* One way to prepare a module: returns a module whose forward() computes
 * what @plain's does, or throws. */
struct PrepareStep
{
  std::string name;
  std::function<torch::jit::Module (const torch::jit::Module &plain)> run;
};

/* The steps for the CPU in @dtype with this LibTorch, best first. */
std::vector<PrepareStep> cpu_prepare_steps (torch::Dtype dtype);

/* Turns a module's output into class scores (logits) for the check: the
 * identity for a whole classifier, the head for a Grad-CAM backbone. */
using ToLogits = std::function<torch::Tensor (const torch::Tensor &)>;

/* The fixed input of the check: two @width x @height images of seeded
 * normal noise. */
torch::Tensor prepare_probe (int width, int height, torch::Dtype dtype);

/* Tries @steps in order on @plain's forward() (eval mode, on the CPU) and
 * returns the first result that agrees with @plain on @probe: the same top-1
 * class in every row and probabilities (softmax of @to_logits of the output)
 * within kPrepareTolerance. Otherwise returns @plain. Says at INFO what it
 * uses for @what and why each step was not used. With GST_VGG_PREPARE=off in
 * the environment it returns @plain at once. Throws nothing. */
torch::jit::Module prepare_for_inference (const torch::jit::Module &plain,
    const torch::Tensor &probe, const ToLogits &to_logits,
    const std::string &what, const LogFunc &log,
    const std::vector<PrepareStep> &steps);

/* A module whose forward(x) runs @layers in turn. */
torch::jit::Module sequence_module (
    const std::vector<torch::jit::Module> &layers);

/* A module whose forward(x) is @module.@method(x). */
torch::jit::Module method_module (
    const torch::jit::Module &module, const std::string &method);

/* Whether this CPU has BF16 arithmetic (AVX-512 BF16 or AMX-BF16); without
 * it LibTorch computes bf16 in software, far slower than fp32. */
bool cpu_has_bf16 ();

} // namespace vgg
