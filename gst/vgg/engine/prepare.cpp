/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "prepare.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/version.h>

#include <cstdio>
#include <cstdlib>

namespace vgg {

namespace {

std::string
first_line (const std::string &msg)
{
  return msg.substr (0, msg.find ('\n'));
}

std::string
number (double v)
{
  char buf[32];
  std::snprintf (buf, sizeof buf, "%.2g", v);
  return buf;
}

torch::Tensor
run_forward (torch::jit::Module &m, const torch::Tensor &x)
{
  torch::jit::IValue out = m.forward ({x});
  if (!out.isTensor ())
    throw Error ("it does not return a tensor");
  return out.toTensor ();
}

/* Frozen: weights and attributes become constants of one inlined graph. */
torch::jit::Module
frozen (const torch::jit::Module &plain)
{
  return torch::jit::freeze (plain);
}

/* Frozen, then the frozen graph optimised for inference: conv + ReLU fused
 * and, for fp32, convolutions on oneDNN with pre-packed weights. */
torch::jit::Module
optimized (const torch::jit::Module &plain)
{
  torch::jit::Module f = torch::jit::freeze (plain);
  return torch::jit::optimize_for_inference (f);
}

/* Frozen with 4-D weights in channels_last: LibTorch's oneDNN convolutions
 * then run in NHWC without reordering the weights on every call. */
torch::jit::Module
frozen_channels_last (const torch::jit::Module &plain)
{
  /* A copy whose tensors are shared; replacing its parameters leaves the
   * plain model alone. */
  torch::jit::Module copy = plain.clone (true);
  for (const torch::jit::NameModule &sub : copy.named_modules ()) {
    torch::jit::Module m = sub.value;
    for (const torch::jit::NameTensor &p : m.named_parameters (false))
      if (p.value.dim () == 4)
        m.register_parameter (
            p.name, p.value.contiguous (at::MemoryFormat::ChannelsLast), false);
  }
  return torch::jit::freeze (copy);
}

/* The largest difference of the softmax probabilities of @want and @got
 * ("" in @problem) or how they disagree otherwise. */
double
compare (
    const torch::Tensor &want, const torch::Tensor &got, std::string &problem)
{
  if (got.sizes () != want.sizes ()) {
    problem = "its output has shape " + c10::str (got.sizes ()) + ", not "
        + c10::str (want.sizes ());
    return 0;
  }
  torch::Tensor pw = torch::softmax (want.to (torch::kFloat), 1);
  torch::Tensor pg = torch::softmax (got.to (torch::kFloat), 1);
  torch::Tensor tw = pw.argmax (1), tg = pg.argmax (1);
  for (int64_t r = 0; r < tw.size (0); r++)
    if (tw[r].item<int64_t> () != tg[r].item<int64_t> ()) {
      problem = "its top-1 class on the check's input " + std::to_string (r)
          + " is " + std::to_string (tg[r].item<int64_t> ()) + ", not "
          + std::to_string (tw[r].item<int64_t> ());
      return 0;
    }
  double diff = (pw - pg).abs ().max ().item<double> ();
  /* NaN fails too: a model whose answers cannot be compared stays plain. */
  if (!(diff <= kPrepareTolerance))
    problem = "its probabilities differ by " + number (diff) + " (more than "
        + number (kPrepareTolerance) + ")";
  return diff;
}

bool
has_onednn (const torch::jit::Module &m)
{
  torch::jit::Method forward = m.get_method ("forward");
  return forward.graph ()->toString ().find ("mkldnn") != std::string::npos;
}

} // namespace

std::vector<PrepareStep>
cpu_prepare_steps (torch::Dtype dtype)
{
  std::vector<PrepareStep> steps;
  /* On LibTorch 2.6 the optimised VGG16 fails at max_pool2d: an error under
   * no_grad, which the check would catch, but under InferenceMode its
   * second call never returns, which nothing can catch: 1.x only. */
  if (TORCH_VERSION_MAJOR < 2 && dtype == torch::kFloat)
    steps.push_back ({"frozen, optimize_for_inference", optimized});
  /* bf16 in NHWC is slower still where the CPU computes bf16 in software. */
  if (dtype == torch::kFloat || cpu_has_bf16 ())
    steps.push_back ({"frozen, channels_last weights", frozen_channels_last});
  else
    steps.push_back ({"frozen", frozen});
  return steps;
}

torch::Tensor
prepare_probe (int width, int height, torch::Dtype dtype)
{
  at::Generator gen = at::detail::createCPUGenerator (20261127);
  return torch::randn ({2, 3, height, width}, gen).to (dtype);
}

torch::jit::Module
prepare_for_inference (const torch::jit::Module &plain,
    const torch::Tensor &probe, const ToLogits &to_logits,
    const std::string &what, const LogFunc &log,
    const std::vector<PrepareStep> &steps)
{
  auto say = [&] (const std::string &msg) {
    if (log)
      log (LogLevel::Info, what + ": " + msg);
  };
  const char *env = std::getenv ("GST_VGG_PREPARE");
  if (env && std::string (env) == "off") {
    say ("the plain model (GST_VGG_PREPARE=off)");
    return plain;
  }

  torch::NoGradGuard no_grad;
  torch::Tensor want;
  try {
    torch::jit::Module base = plain;
    want = to_logits (run_forward (base, probe));
  } catch (const std::exception &e) {
    /* Not ours to report: loading goes on with the plain model and its own
     * checks. */
    say ("the plain model, not prepared for inference (the check's input "
         "fails on it: "
        + first_line (e.what ()) + ")");
    return plain;
  }
  std::string why;
  for (const PrepareStep &step : steps) {
    std::string problem;
    try {
      torch::jit::Module prepared = step.run (plain);
      double diff
          = compare (want, to_logits (run_forward (prepared, probe)), problem);
      if (problem.empty ()) {
        say ("prepared for inference (" + step.name
            + (has_onednn (prepared) ? ", oneDNN pre-packed convolutions" : "")
            + "); against the plain model on a fixed input: the same top-1, "
              "probabilities within "
            + number (diff) + (why.empty () ? "" : " (not used: " + why + ")"));
        return prepared;
      }
    } catch (const c10::Error &e) {
      problem = first_line (e.what_without_backtrace ());
    } catch (const std::exception &e) {
      problem = first_line (e.what ());
    }
    why += (why.empty () ? "" : "; ") + step.name + ": " + problem;
  }
  say ("the plain model, not prepared for inference ("
      + (why.empty () ? std::string ("no way to prepare it") : why) + ")");
  return plain;
}

torch::jit::Module
sequence_module (const std::vector<torch::jit::Module> &layers)
{
  torch::jit::Module m ("__torch__.gst_vgg.Sequence");
  m.register_attribute ("training", c10::BoolType::get (), false);
  std::string src = "def forward(self, x):\n";
  for (size_t i = 0; i < layers.size (); i++) {
    std::string name = "layer" + std::to_string (i);
    m.register_module (name, layers[i]);
    /* define() compiles with a plain self: submodules are called by name. */
    src += "    x = self." + name + ".forward(x)\n";
  }
  src += "    return x\n";
  m.define (src);
  return m;
}

torch::jit::Module
method_module (const torch::jit::Module &module, const std::string &method)
{
  torch::jit::Module m ("__torch__.gst_vgg.Method");
  m.register_attribute ("training", c10::BoolType::get (), false);
  m.register_module ("model", module);
  m.define ("def forward(self, x):\n    return self.model." + method + "(x)\n");
  return m;
}

bool
cpu_has_bf16 ()
{
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
  return __builtin_cpu_supports ("avx512bf16")
      || __builtin_cpu_supports ("amx-bf16");
#else
  return false;
#endif
}

} // namespace vgg
