/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The inference engine: a TorchScript classifier with its sidecar, labels
 * and class groups, run on batches of frame regions. Plain C++ in and out;
 * no GStreamer or GLib types.
 */
#pragma once

#include "classgroups.h"
#include "error.h"
#include "frame.h"
#include "labels.h"
#include "modelconfig.h"

#include <memory>
#include <string>
#include <vector>

namespace vgg {

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
  /* Grad-CAM for every region: the layer ("" = the sidecar's, else the
   * model's default) and the class to explain: "top1" (each region's best),
   * a class (index, name or WordNet id) or a class group (its most probable
   * class in each region). */
  bool gradcam = false;
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

/* A Grad-CAM map: ReLU (sum_k alpha_k A_k) normalised by its maximum. */
struct GradCam
{
  int class_id = -1; /* the class it explains */
  int width = 0, height = 0;
  float max = 0.0f;        /* before normalisation; 0 for an all-zero map */
  std::vector<float> data; /* row-major, in [0, 1] */
};

/* Classification of one region. */
struct RoiResult
{
  std::vector<int> top_ids;        /* best first */
  std::vector<float> top_scores;   /* softmax probabilities */
  std::vector<float> group_scores; /* summed probability, per groups() */
  GradCam cam;                     /* with ClassifierOptions::gradcam */
};

class Classifier
{
public:
  /* Loads and checks everything (one forward pass on a blank input);
   * throws Error saying what is wrong. */
  explicit Classifier (const ClassifierOptions &options);
  ~Classifier ();

  /* Classifies every region of every frame, batch_size regions per forward
   * pass; results per frame, per region, in order. */
  std::vector<std::vector<RoiResult>> classify (
      const std::vector<FrameRois> &frames, const RunOptions &options);

  const std::string &name () const;
  const std::vector<Label> &labels () const;
  const std::vector<ClassGroup> &groups () const;
  const InputSpec &input () const;
  std::string device () const;
  int num_classes () const;
  /* Where Grad-CAM cuts the model, e.g. "features.29"; empty without it. */
  std::string gradcam_layer () const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/* Per-frame decision from the regions' results. */
struct GroupSummary
{
  std::string name;
  bool present = false;
  float score = 0.0f; /* best region's group score */
  int roi = -1;       /* index of that region; -1 without regions */
};

struct FrameSummary
{
  int best_roi = -1; /* region with the most confident top-1 */
  int label_id = -1;
  float score = 0.0f;
  std::vector<GroupSummary> groups;
};

FrameSummary summarize (const std::vector<RoiResult> &results,
    const std::vector<ClassGroup> &groups, float group_threshold);

} // namespace vgg
