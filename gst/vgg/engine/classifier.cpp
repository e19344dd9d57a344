/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "classifier.h"
#include "preprocess.h"
#include "splitmodel.h"

#include <torch/script.h>
#include <ATen/Context.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/cuda.h>
#include <ATen/Parallel.h>

#ifdef VGG_HAVE_CUDA
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

namespace vgg {

namespace {

std::string
basename_no_ext (const std::string &path)
{
  size_t slash = path.find_last_of ('/');
  std::string base
      = slash == std::string::npos ? path : path.substr (slash + 1);
  size_t dot = base.find_last_of ('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr (0, dot);
}

std::string
dirname (const std::string &path)
{
  size_t slash = path.find_last_of ('/');
  return slash == std::string::npos ? "." : path.substr (0, slash);
}

bool
file_exists (const std::string &path)
{
  return std::ifstream (path).good ();
}

/* The first line of a LibTorch error, without its C++ backtrace. */
std::string
torch_message (const c10::Error &e)
{
  std::string msg = e.what_without_backtrace ();
  size_t nl = msg.find ('\n');
  return nl == std::string::npos ? msg : msg.substr (0, nl);
}

torch::Device
parse_device (const std::string &name)
{
  if (name == "auto" || name.empty ())
    return torch::cuda::is_available () ? torch::Device (torch::kCUDA, 0)
                                        : torch::Device (torch::kCPU);
  if (name == "cpu")
    return torch::kCPU;
  if (name == "cuda" || name.rfind ("cuda:", 0) == 0) {
    int index = 0;
    if (name.size () > 5) {
      std::string n = name.substr (5);
      if (n.empty () || n.size () > 3
          || n.find_first_not_of ("0123456789") != std::string::npos)
        throw Error ("device \"" + name + "\" is not cuda:N");
      index = std::stoi (n);
    }
    if (!torch::cuda::is_available ())
      throw Error ("device=" + name
          + " but CUDA is not available (this LibTorch was built without it, "
            "or no GPU was found); use device=auto to run on the CPU");
    if (index >= (int) torch::cuda::device_count ())
      throw Error ("device=" + name + " but only "
          + std::to_string (torch::cuda::device_count ())
          + " CUDA device(s) exist");
    return torch::Device (torch::kCUDA, index);
  }
  throw Error ("device \"" + name + "\" is not one of auto, cpu, cuda, cuda:N");
}

torch::Dtype
to_dtype (Precision p)
{
  switch (p) {
    case Precision::FP16:
      return torch::kHalf;
    case Precision::BF16:
      return torch::kBFloat16;
    default:
      return torch::kFloat;
  }
}

} // namespace

struct Classifier::Impl
{
  ClassifierOptions opts;
  ModelConfig config;
  torch::Device device = torch::kCPU;
  torch::Dtype dtype = torch::kFloat;
  torch::jit::Module module;
  std::vector<Label> labels;
  std::vector<ClassGroup> groups;
  torch::Tensor group_matrix; /* [classes, groups] of 0/1, or undefined */
  std::optional<Preprocessor> pre;
  std::optional<SplitModel> split;
  /* Grad-CAM target: -1 = top1; else a class, or with target_group a group. */
  int target = -1;
  bool target_group = false;
  int cam_width = 0, cam_height = 0;
  torch::Tensor target_classes; /* the group's class ids, on the device */
  int num_classes = 0;
#ifdef VGG_HAVE_CUDA
  /* The element's own stream: uploads, preprocessing, the model and the
   * copy of the results queue there, apart from other users of the GPU. */
  std::optional<c10::cuda::CUDAStream> stream;
#endif

  void log (LogLevel level, const std::string &msg) const
  {
    if (opts.log)
      opts.log (level, msg);
  }

  void load_config ();
  void load_module ();
  void probe ();
  void load_labels ();
  void load_groups ();
  void load_gradcam ();
  torch::Tensor forward (const torch::Tensor &x);
  torch::Tensor explain (
      const torch::Tensor &x, std::vector<torch::Tensor> &parts);
};

void
Classifier::Impl::load_config ()
{
  const std::string sidecar = sidecar_path (opts.model_path);
  if (file_exists (sidecar)) {
    config = parse_model_config (
        read_text_file (sidecar, "model sidecar"), sidecar, dirname (sidecar));
    for (const std::string &w : config.warnings)
      log (LogLevel::Warning, "model sidecar \"" + sidecar + "\": " + w);
  } else {
    log (LogLevel::Info,
        "no sidecar \"" + sidecar
            + "\": 224x224 input, torchvision preprocessing");
  }
  if (config.name.empty ())
    config.name = basename_no_ext (opts.model_path);
  config.input = apply_preset (config.input, opts.preset);
}

void
Classifier::Impl::load_module ()
{
  const std::string &path = opts.model_path;
  if (path.empty ())
    throw Error ("no model given: set the model property to a TorchScript "
                 "file (see models/export-vgg16)");
  {
    std::ifstream probe_file (path, std::ios::binary);
    if (!probe_file)
      throw Error (
          "cannot read model \"" + path + "\": " + std::strerror (errno));
  }
  try {
    module = torch::jit::load (path, device);
  } catch (const c10::Error &e) {
    throw Error ("\"" + path
        + "\" is not a TorchScript model (save one with torch.jit.save): "
        + torch_message (e));
  } catch (const std::exception &e) {
    throw Error ("\"" + path + "\" is not a TorchScript model: " + e.what ());
  }
  module.eval ();
  /* Inference only: no weight gradients, ever. */
  for (at::Tensor p : module.parameters ())
    p.requires_grad_ (false);
  if (dtype != torch::kFloat)
    module.to (dtype);
  if (device.is_cuda ()) {
    /* NHWC convolutions: what tensor cores want. */
    for (at::Tensor p : module.parameters ())
      if (p.dim () == 4)
        p.set_data (p.contiguous (at::MemoryFormat::ChannelsLast));
    at::globalContext ().setBenchmarkCuDNN (true);
  }
}

torch::Tensor
Classifier::Impl::forward (const torch::Tensor &x)
{
  torch::jit::IValue out = module.forward ({x});
  if (!out.isTensor ())
    throw Error ("model \"" + opts.model_path
        + "\" does not return a tensor of class scores");
  return out.toTensor ();
}

void
Classifier::Impl::probe ()
{
  const InputSpec &in = config.input;
  torch::Tensor out;
  try {
    torch::NoGradGuard no_grad;
    out = forward (torch::zeros ({1, 3, in.height, in.width},
        torch::TensorOptions ().dtype (dtype).device (device)));
  } catch (const c10::Error &e) {
    throw Error ("model \"" + opts.model_path + "\" fails on a 1x3x"
        + std::to_string (in.height) + "x" + std::to_string (in.width)
        + " input: " + torch_message (e));
  }
  if (out.dim () != 2 || out.size (0) != 1 || out.size (1) < 1)
    throw Error ("model \"" + opts.model_path + "\" returns a tensor of shape "
        + c10::str (out.sizes ()) + ", expected [batch, classes]");
  num_classes = out.size (1);
}

void
Classifier::Impl::load_labels ()
{
  std::string path
      = opts.labels_path.empty () ? config.labels_path : opts.labels_path;
  if (!path.empty ()) {
    labels = parse_labels (read_text_file (path, "labels file"), path);
    if ((int) labels.size () != num_classes)
      throw Error ("model \"" + opts.model_path + "\" outputs "
          + std::to_string (num_classes) + " classes but labels file \"" + path
          + "\" has " + std::to_string (labels.size ()));
  } else if (num_classes == 1000 && !opts.default_labels_text.empty ()) {
    labels = parse_labels (opts.default_labels_text, "ImageNet labels");
  } else {
    labels = numbered_labels (num_classes);
  }
}

void
Classifier::Impl::load_groups ()
{
  if (!opts.class_groups_path.empty ()) {
    groups = parse_class_groups (
        read_text_file (opts.class_groups_path, "class-groups file"),
        opts.class_groups_path, labels);
  } else if (!opts.default_class_groups_text.empty () && num_classes == 1000) {
    try {
      groups = parse_class_groups (
          opts.default_class_groups_text, "default class groups", labels);
    } catch (const Error &e) {
      log (LogLevel::Info,
          std::string ("the default class groups do not "
                       "apply to this model's labels: ")
              + e.what ());
      groups.clear ();
    }
  }
  if (groups.empty ())
    return;
  group_matrix = torch::zeros ({num_classes, (int64_t) groups.size ()});
  for (size_t g = 0; g < groups.size (); g++)
    for (int id : groups[g].class_ids)
      group_matrix[id][g] = 1.0f;
  group_matrix = group_matrix.to (device);
}

void
Classifier::Impl::load_gradcam ()
{
  const std::string layer
      = opts.gradcam_layer.empty () ? config.gradcam_layer : opts.gradcam_layer;
  split.emplace (module, layer);

  const std::string &t = opts.gradcam_target;
  if (t.empty () || t == "top1") {
    target = -1;
  } else {
    for (size_t g = 0; g < groups.size (); g++) {
      if (groups[g].name == t) {
        target = g;
        target_group = true;
        target_classes
            = torch::tensor (groups[g].class_ids, torch::kLong).to (device);
      }
    }
    if (!target_group) {
      try {
        target = find_label (labels, t);
      } catch (const Error &e) {
        throw Error ("gradcam-target: " + std::string (e.what ()));
      }
      if (target < 0)
        throw Error ("gradcam-target \"" + t
            + "\" is not top1, a class of "
              "the model (index 0.."
            + std::to_string (num_classes - 1)
            + ", name or WordNet id) or a class group");
    }
  }

  /* The cut must give the model's own answer, or the maps would explain
   * something else: check on a fixed random input. */
  const InputSpec &in = config.input;
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::randn ({1, 3, in.height, in.width},
      torch::TensorOptions ().dtype (dtype).device (device));
  torch::Tensor a, whole, parts;
  try {
    a = split->backbone (x);
    parts = split->head (a);
    whole = forward (x);
  } catch (const c10::Error &e) {
    throw Error ("Grad-CAM cannot run the model cut at " + split->layer ()
        + ": " + torch_message (e));
  }
  if (a.dim () != 4)
    throw Error ("Grad-CAM layer " + split->layer ()
        + " gives a tensor of shape " + c10::str (a.sizes ())
        + ", not a [batch, channels, height, width] feature map");
  cam_height = a.size (2);
  cam_width = a.size (3);
  if (!torch::allclose (
          parts.to (torch::kFloat), whole.to (torch::kFloat), 1e-2, 1e-3))
    throw Error ("Grad-CAM: the model's forward() is not features, avgpool, "
                 "flatten, classifier; export it with backbone() and head() "
                 "methods");
  log (LogLevel::Info,
      "Grad-CAM at " + split->layer () + ": " + std::to_string (a.size (3))
          + "x" + std::to_string (a.size (2)) + " maps");
}

/* Grad-CAM for a batch: the backbone without autograd, its output a leaf
 * that requires grad, one backward pass through the head only. Appends the
 * explained class, the map's maximum and the normalised map to @parts;
 * returns the logits. */
torch::Tensor
Classifier::Impl::explain (
    const torch::Tensor &x, std::vector<torch::Tensor> &parts)
{
  torch::Tensor a = split->backbone (x).detach ().requires_grad_ (true);
  torch::Tensor logits, grad, cls;
  {
    torch::AutoGradMode enable (true);
    logits = split->head (a);
    if (target_group)
      cls = target_classes.index (
          {logits.index_select (1, target_classes).argmax (1)});
    else if (target >= 0)
      cls = torch::full ({x.size (0)}, target,
          torch::TensorOptions ().dtype (torch::kLong).device (device));
    else
      cls = logits.argmax (1);
    torch::Tensor y = logits.gather (1, cls.unsqueeze (1)).sum ();
    grad = torch::autograd::grad ({y}, {a})[0];
  }
  torch::Tensor alpha = grad.to (torch::kFloat).mean ({2, 3}, true);
  torch::Tensor cam
      = torch::relu ((alpha * a.detach ().to (torch::kFloat)).sum (1));
  torch::Tensor max = cam.amax ({1, 2});
  /* An all-zero map stays zero instead of 0 / 0. */
  torch::Tensor norm = cam
      / torch::where (max > 0, max, torch::ones_like (max)).view ({-1, 1, 1});
  parts.push_back (cls.to (torch::kFloat).unsqueeze (1));
  parts.push_back (max.unsqueeze (1));
  parts.push_back (norm.flatten (1));
  return logits.detach ();
}

Classifier::Classifier (const ClassifierOptions &options)
    : impl_ (std::make_unique<Impl> ())
{
  Impl &d = *impl_;
  d.opts = options;
  if (options.threads > 0)
    at::set_num_threads (options.threads);
  d.device = parse_device (options.device);
  d.dtype = to_dtype (options.precision);
  if (d.device.is_cpu () && options.precision == Precision::FP16)
    throw Error ("precision=fp16 needs a CUDA device; use fp32 or bf16 on "
                 "the CPU");
  d.load_config ();
  d.load_module ();
  d.probe ();
  d.load_labels ();
  d.load_groups ();
  if (options.gradcam)
    d.load_gradcam ();
  d.pre.emplace (d.config.input, d.device);
#ifdef VGG_HAVE_CUDA
  if (d.device.is_cuda ())
    d.stream = c10::cuda::getStreamFromPool (false, d.device.index ());
#endif
  d.log (LogLevel::Info,
      "model \"" + d.config.name + "\": " + std::to_string (d.num_classes)
          + " classes, " + std::to_string (d.groups.size ())
          + " class groups, on " + d.device.str ());
}

Classifier::~Classifier () = default;

std::vector<std::vector<RoiResult>>
Classifier::classify (
    const std::vector<FrameRois> &frames, const RunOptions &options)
{
  Impl &d = *impl_;
  std::vector<std::vector<RoiResult>> results (frames.size ());
  const int k = std::max (1, std::min (options.top_k, d.num_classes));
  const int64_t batch = std::max (1, options.batch_size);
  const int64_t n_groups = d.groups.size ();

  torch::NoGradGuard no_grad;
#ifdef VGG_HAVE_CUDA
  std::optional<c10::cuda::CUDAStreamGuard> on_stream;
  if (d.stream)
    on_stream.emplace (*d.stream);
#endif
  std::vector<torch::Tensor> inputs;
  for (size_t f = 0; f < frames.size (); f++)
    if (!frames[f].rois.empty ())
      inputs.push_back (d.pre->run (
          frames[f].frame, frames[f].rois, options.interpolation, f));
  if (inputs.empty ())
    return results;

  /* Per region: k scores, k ids, the group sums; packed in one tensor so
   * that a single copy brings everything back to the host. */
  torch::Tensor x = torch::cat (inputs).to (d.dtype);
  if (d.device.is_cuda ())
    x = x.contiguous (at::MemoryFormat::ChannelsLast);
  std::vector<torch::Tensor> packed;
  try {
    for (int64_t start = 0; start < x.size (0); start += batch) {
      torch::Tensor xb
          = x.narrow (0, start, std::min (batch, x.size (0) - start));
      std::vector<torch::Tensor> cam_parts;
      torch::Tensor logits
          = d.split ? d.explain (xb, cam_parts) : d.forward (xb);
      torch::Tensor probs = torch::softmax (logits.to (torch::kFloat), 1);
      auto [top_scores, top_ids] = probs.topk (k, 1);
      std::vector<torch::Tensor> parts
          = {top_scores, top_ids.to (torch::kFloat)};
      if (n_groups)
        parts.push_back (probs.mm (d.group_matrix));
      parts.insert (parts.end (), cam_parts.begin (), cam_parts.end ());
      packed.push_back (torch::cat (parts, 1));
    }
  } catch (const c10::Error &e) {
    throw Error ("inference failed: " + torch_message (e));
  }
  torch::Tensor host = torch::cat (packed).cpu ().contiguous ();
  const float *p = host.data_ptr<float> ();
  const int64_t row = host.size (1);

  int64_t i = 0;
  for (size_t f = 0; f < frames.size (); f++) {
    for (size_t r = 0; r < frames[f].rois.size (); r++, i++) {
      const float *v = p + i * row;
      RoiResult res;
      res.top_scores.assign (v, v + k);
      for (int j = 0; j < k; j++)
        res.top_ids.push_back ((int) v[k + j]);
      res.group_scores.assign (v + 2 * k, v + 2 * k + n_groups);
      if (d.split) {
        const float *c = v + 2 * k + n_groups;
        res.cam.class_id = (int) c[0];
        res.cam.max = c[1];
        res.cam.width = d.cam_width;
        res.cam.height = d.cam_height;
        res.cam.data.assign (c + 2, c + 2 + d.cam_width * d.cam_height);
      }
      results[f].push_back (std::move (res));
    }
  }
  return results;
}

const std::string &
Classifier::name () const
{
  return impl_->config.name;
}

const std::vector<Label> &
Classifier::labels () const
{
  return impl_->labels;
}

const std::vector<ClassGroup> &
Classifier::groups () const
{
  return impl_->groups;
}

const InputSpec &
Classifier::input () const
{
  return impl_->config.input;
}

std::string
Classifier::device () const
{
  return impl_->device.str ();
}

int
Classifier::num_classes () const
{
  return impl_->num_classes;
}

std::string
Classifier::gradcam_layer () const
{
  return impl_->split ? impl_->split->layer () : std::string ();
}

FrameSummary
summarize (const std::vector<RoiResult> &results,
    const std::vector<ClassGroup> &groups, float group_threshold)
{
  FrameSummary s;
  for (size_t i = 0; i < results.size (); i++) {
    const RoiResult &r = results[i];
    if (!r.top_scores.empty ()
        && (s.best_roi < 0 || r.top_scores[0] > s.score)) {
      s.best_roi = i;
      s.label_id = r.top_ids[0];
      s.score = r.top_scores[0];
    }
  }
  for (size_t g = 0; g < groups.size (); g++) {
    GroupSummary gs;
    gs.name = groups[g].name;
    for (size_t i = 0; i < results.size (); i++) {
      if (g < results[i].group_scores.size ()
          && (gs.roi < 0 || results[i].group_scores[g] > gs.score)) {
        gs.roi = i;
        gs.score = results[i].group_scores[g];
      }
    }
    gs.present = gs.roi >= 0 && gs.score >= group_threshold;
    s.groups.push_back (gs);
  }
  return s;
}

} // namespace vgg
