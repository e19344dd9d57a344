/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "classifier.h"
#include "blas.h"
#include "gradcam.h"
#include "prepare.h"
#include "preprocess.h"
#include "text.h"
#include "torcherror.h"

#include <torch/script.h>
#include <ATen/Context.h>
#include <torch/cuda.h>
#include <ATen/Parallel.h>

#ifdef VGG_HAVE_CUDA
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

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
  std::optional<GradCamExplainer> gradcam;
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
  void prepare ();
  torch::Tensor forward (const torch::Tensor &x);
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
  check_readable (path, "model");
  try {
    module = torch::jit::load (path, device);
  } catch (const std::exception &e) {
    throw torch_error ("\"" + path
            + "\" is not a TorchScript model (save one with torch.jit.save)",
        e);
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
  } catch (const Error &) {
    throw;
  } catch (const std::exception &e) {
    throw torch_error ("model \"" + opts.model_path + "\" fails on a 1x3x"
            + std::to_string (in.height) + "x" + std::to_string (in.width)
            + " input",
        e);
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
  gradcam.emplace (module,
      opts.gradcam_layer.empty () ? config.gradcam_layer : opts.gradcam_layer,
      opts.gradcam_target, opts.gradcam_method, labels, groups,
      config.input.width, config.input.height, dtype, device);
  log (LogLevel::Info,
      std::string (cam_method_name (opts.gradcam_method)) + " at "
          + gradcam->layer () + ": " + std::to_string (gradcam->width ()) + "x"
          + std::to_string (gradcam->height ()) + " maps");
  if (opts.gradcam_method == CamMethod::EigenCam
      && opts.gradcam_target != "top1")
    log (LogLevel::Warning,
        "gradcam-target is ignored by eigencam: its maps explain no class");
}

/* The CPU runs a model prepared for inference, checked against the plain
 * one (prepare.h): with Grad-CAM its backbone, else the whole model. */
void
Classifier::Impl::prepare ()
{
  const std::string blas = loaded_reference_blas ();
  if (!blas.empty ())
    log (LogLevel::Warning,
        "LibTorch runs on the reference BLAS (" + blas
            + "): single-threaded, unoptimised loops for the fully-connected "
              "layers; install libopenblas0-openmp (see the README)");
  if (gradcam)
    gradcam->prepare_backbone (opts.log);
  else
    module = prepare_for_inference (
        module, prepare_probe (config.input.width, config.input.height, dtype),
        [] (const torch::Tensor &logits) { return logits; },
        "model \"" + config.name + "\"", opts.log, cpu_prepare_steps (dtype));
}

namespace {

/* The columns of the one row per region that the device packs, so that a
 * single copy brings a whole batch's results back to the host. */
struct Columns
{
  int64_t k, groups, cam; /* cam: map size, 0 without Grad-CAM */

  int64_t scores () const { return 0; }
  int64_t ids () const { return k; }
  int64_t group_scores () const { return 2 * k; }
  int64_t cam_class () const { return 2 * k + groups; }
  int64_t cam_max () const { return cam_class () + 1; }
  int64_t cam_map () const { return cam_class () + 2; }
  int64_t total () const { return cam ? cam_map () + cam : cam_class (); }
};

} // namespace

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
  if (d.device.is_cpu ())
    d.prepare ();
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

  const Columns col{k, n_groups,
      d.gradcam ? (int64_t) d.gradcam->width () * d.gradcam->height () : 0};
  torch::Tensor host;
  try {
    torch::NoGradGuard no_grad;
#ifdef VGG_HAVE_CUDA
    std::optional<c10::cuda::CUDAStreamGuard> on_stream;
    if (d.stream)
      on_stream.emplace (*d.stream);
#endif
    /* Each frame's bytes go to the device once; its regions are then
     * gathered, run and packed batch-size regions at a time, so memory
     * does not grow with the number of regions. */
    std::vector<torch::Tensor> bytes (frames.size ());
    for (size_t f = 0; f < frames.size (); f++)
      if (!frames[f].rois.empty ())
        bytes[f] = d.pre->upload (frames[f].frame, f);
    std::vector<torch::Tensor> packed;
    size_t f = 0;
    int64_t next = 0; /* the next region of frame f */
    while (true) {
      std::vector<torch::Tensor> parts;
      int64_t n = 0;
      bool with_maps = false; /* the batch's frames all want maps, or none */
      for (; f < frames.size () && n < batch; f++, next = 0) {
        const int64_t count = frames[f].rois.size ();
        const bool wants = col.cam && frames[f].gradcam;
        if (count > next) {
          if (n > 0 && wants != with_maps)
            break; /* frame f goes in the next batch */
          with_maps = wants;
        }
        const int64_t take = std::min (batch - n, count - next);
        if (take > 0)
          parts.push_back (d.pre->gather (bytes[f], frames[f].frame,
              frames[f].rois, options.interpolation, next, next + take));
        n += take;
        next += take;
        if (next < count)
          break; /* the batch is full: frame f goes on in the next one */
      }
      if (parts.empty ())
        break;
      torch::Tensor x = torch::cat (parts).to (d.dtype);
      if (d.device.is_cuda ())
        x = x.contiguous (at::MemoryFormat::ChannelsLast);
      /* Without maps, the model's own forward(): no autograd, no backward
       * pass; the map columns are left zero. */
      torch::Tensor maps;
      torch::Tensor logits
          = with_maps ? d.gradcam->explain (x, maps) : d.forward (x);
      torch::Tensor probs = torch::softmax (logits.to (torch::kFloat), 1);
      auto [top_scores, top_ids] = probs.topk (k, 1);
      std::vector<torch::Tensor> row = {top_scores, top_ids.to (torch::kFloat)};
      if (n_groups)
        row.push_back (probs.mm (d.group_matrix));
      if (maps.defined ())
        row.push_back (maps);
      else if (col.cam)
        row.push_back (torch::zeros (
            {x.size (0), col.total () - col.cam_class ()}, probs.options ()));
      packed.push_back (torch::cat (row, 1));
    }
    if (packed.empty ())
      return results;
    host = torch::cat (packed).cpu ().contiguous ();
  } catch (const Error &) {
    throw;
  } catch (const std::exception &e) {
    /* c10::Error, the TorchScript interpreter's errors, std::bad_alloc...:
     * nothing but an Error leaves the engine. */
    throw torch_error ("inference failed", e);
  }
  const float *p = host.data_ptr<float> ();

  int64_t i = 0;
  for (size_t f = 0; f < frames.size (); f++) {
    for (size_t r = 0; r < frames[f].rois.size (); r++, i++) {
      const float *v = p + i * col.total ();
      RoiResult res;
      res.top_scores.assign (v + col.scores (), v + col.scores () + k);
      for (int j = 0; j < k; j++)
        res.top_ids.push_back ((int) v[col.ids () + j]);
      res.group_scores.assign (
          v + col.group_scores (), v + col.group_scores () + n_groups);
      if (col.cam && frames[f].gradcam) {
        res.cam.class_id = (int) v[col.cam_class ()];
        res.cam.method = cam_method_name (d.gradcam->method ());
        res.cam.max = v[col.cam_max ()];
        res.cam.width = d.gradcam->width ();
        res.cam.height = d.gradcam->height ();
        res.cam.data.assign (v + col.cam_map (), v + col.cam_map () + col.cam);
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

std::string
Classifier::device () const
{
  return impl_->device.str ();
}

} // namespace vgg
