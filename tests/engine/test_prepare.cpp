/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The model prepared for inference on the CPU (gst/vgg/engine/prepare.cpp)
 * on the tiny test model: what this LibTorch prepares gives the plain
 * model's answers, and a preparation that fails or answers otherwise falls
 * back to the plain model with an INFO line saying why, whatever the
 * LibTorch version (the failures here are made, not LibTorch's own).
 */
#include "classifier.h"
#include "prepare.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

using namespace vgg;

namespace {

std::string
test_model (const std::string &name)
{
  const char *dir = std::getenv ("VGG_TEST_MODELS");
  return std::string (dir ? dir : ".") + "/" + name;
}

torch::jit::Module
load_plain (const std::string &name)
{
  torch::jit::Module m = torch::jit::load (test_model (name));
  m.eval ();
  for (at::Tensor p : m.parameters ())
    p.requires_grad_ (false);
  return m;
}

struct Log
{
  std::vector<std::string> lines;
  LogFunc func ()
  {
    return [this] (LogLevel level, const std::string &msg) {
      if (level == LogLevel::Info)
        lines.push_back (msg);
    };
  }
  bool has (const std::string &text) const
  {
    for (const std::string &l : lines)
      if (l.find (text) != std::string::npos)
        return true;
    return false;
  }
};

torch::Tensor
identity (const torch::Tensor &t)
{
  return t;
}

torch::Tensor
probabilities (torch::jit::Module m, const torch::Tensor &x)
{
  torch::NoGradGuard no_grad;
  return torch::softmax (m.forward ({x}).toTensor ().to (torch::kFloat), 1);
}

/* The environment switch, set for one scope. */
struct PrepareOff
{
  PrepareOff () { setenv ("GST_VGG_PREPARE", "off", 1); }
  ~PrepareOff () { unsetenv ("GST_VGG_PREPARE"); }
};

/* A 96x64 RGB frame of noise, with its 2x2 grid and the frame. */
struct TestFrame
{
  std::vector<uint8_t> pixels;
  FrameRois rois;

  TestFrame () : pixels (96 * 64 * 3)
  {
    std::mt19937 rng (5);
    for (uint8_t &p : pixels)
      p = rng () & 0xff;
    rois.frame.data = pixels.data ();
    rois.frame.size = pixels.size ();
    rois.frame.width = 96;
    rois.frame.height = 64;
    rois.frame.stride = 96 * 3;
    rois.rois = {{0, 0, 96, 64}, {0, 0, 48, 32}, {48, 0, 48, 32},
        {0, 32, 48, 32}, {48, 32, 48, 32}};
  }
};

std::vector<RoiResult>
classify (bool gradcam, Log &log)
{
  ClassifierOptions o;
  o.model_path = test_model ("tiny-vgg.pt");
  o.device = "cpu";
  o.gradcam = gradcam;
  o.log = log.func ();
  Classifier c (o);
  RunOptions run;
  run.top_k = 3;
  run.batch_size = 5;
  return c.classify ({TestFrame ().rois}, run)[0];
}

} // namespace

/* What this LibTorch prepares answers as the plain model does on inputs
 * other than the check's own. */
TEST (Prepare, PreparedModelAnswersAsPlain)
{
  torch::jit::Module plain = load_plain ("tiny-vgg.pt");
  Log log;
  torch::jit::Module prepared
      = prepare_for_inference (plain, prepare_probe (224, 224, torch::kFloat),
          identity, "tiny", log.func (), cpu_prepare_steps (torch::kFloat));
  EXPECT_NE (prepared._ivalue (), plain._ivalue ()) << log.lines.at (0);
  EXPECT_TRUE (log.has ("tiny: prepared for inference (frozen"))
      << log.lines.at (0);

  torch::manual_seed (3);
  torch::Tensor x = torch::rand ({6, 3, 224, 224}) * 4 - 2;
  torch::Tensor want = probabilities (plain, x);
  torch::Tensor got = probabilities (prepared, x);
  EXPECT_TRUE (torch::equal (want.argmax (1), got.argmax (1)));
  EXPECT_LE ((want - got).abs ().max ().item<double> (), kPrepareTolerance);
}

/* A step that throws and one that answers otherwise are both refused, each
 * with its reason, and the plain model is what comes back. */
TEST (Prepare, FailingPreparationFallsBackToPlain)
{
  torch::jit::Module plain = load_plain ("tiny-vgg.pt");
  PrepareStep broken{
      "broken", [] (const torch::jit::Module &) -> torch::jit::Module {
        throw std::runtime_error ("no luck\nsecond line");
      }};
  /* The last layer negated: every region's top-1 becomes its worst class. */
  PrepareStep negated{
      "negated", [] (const torch::jit::Module &m) {
        torch::jit::Module c = m.clone ();
        torch::jit::Module last
            = c.attr ("classifier").toModule ().attr ("3").toModule ();
        for (const char *name : {"weight", "bias"})
          last.register_parameter (name, -last.attr (name).toTensor (), false);
        return c;
      }};
  Log log;
  torch::jit::Module got
      = prepare_for_inference (plain, prepare_probe (224, 224, torch::kFloat),
          identity, "tiny", log.func (), {broken, negated});
  EXPECT_EQ (got._ivalue (), plain._ivalue ());
  ASSERT_EQ (log.lines.size (), 1u);
  EXPECT_TRUE (log.has ("tiny: the plain model, not prepared for inference "
                        "(broken: no luck; negated: its top-1 class on the "
                        "check's input 0 is "))
      << log.lines[0];
}

/* A model that fails on the check's own input (a batch of two) is not
 * prepared, and nothing is thrown: its own checks come later. */
TEST (Prepare, PlainFailingOnTheCheckIsKept)
{
  torch::jit::Module plain = load_plain ("batch-of-one.pt");
  Log log;
  torch::jit::Module got
      = prepare_for_inference (plain, prepare_probe (224, 224, torch::kFloat),
          identity, "one", log.func (), cpu_prepare_steps (torch::kFloat));
  EXPECT_EQ (got._ivalue (), plain._ivalue ());
  EXPECT_TRUE (log.has ("one: the plain model, not prepared for inference "
                        "(the check's input fails on it: "))
      << log.lines.at (0);
}

TEST (Prepare, SwitchedOffByEnvironment)
{
  torch::jit::Module plain = load_plain ("tiny-vgg.pt");
  PrepareOff off;
  Log log;
  torch::jit::Module got
      = prepare_for_inference (plain, prepare_probe (224, 224, torch::kFloat),
          identity, "tiny", log.func (), cpu_prepare_steps (torch::kFloat));
  EXPECT_EQ (got._ivalue (), plain._ivalue ());
  EXPECT_TRUE (log.has ("tiny: the plain model (GST_VGG_PREPARE=off)"));
}

/* The Classifier on the CPU: prepared (the whole model, or with Grad-CAM
 * its backbone) against GST_VGG_PREPARE=off, the same top-k, scores within
 * the check's tolerance and the same Grad-CAM maps. */
TEST (Prepare, ClassifierPreparedEqualsPlain)
{
  for (bool gradcam : {false, true}) {
    Log prepared_log, plain_log;
    std::vector<RoiResult> prepared = classify (gradcam, prepared_log);
    std::vector<RoiResult> plain;
    {
      PrepareOff off;
      plain = classify (gradcam, plain_log);
    }
    EXPECT_TRUE (prepared_log.has (gradcam
            ? "Grad-CAM backbone (up to features.7): prepared for inference"
            : "model \"tiny-vgg\": prepared for inference"))
        << "gradcam=" << gradcam;
    EXPECT_TRUE (plain_log.has ("the plain model (GST_VGG_PREPARE=off)"));
    ASSERT_EQ (prepared.size (), plain.size ());
    for (size_t i = 0; i < plain.size (); i++) {
      EXPECT_EQ (prepared[i].top_ids, plain[i].top_ids) << "region " << i;
      for (size_t k = 0; k < plain[i].top_scores.size (); k++)
        EXPECT_NEAR (prepared[i].top_scores[k], plain[i].top_scores[k],
            kPrepareTolerance);
      EXPECT_EQ (prepared[i].cam.class_id, plain[i].cam.class_id);
      ASSERT_EQ (prepared[i].cam.data.size (), plain[i].cam.data.size ());
      for (size_t p = 0; p < plain[i].cam.data.size (); p++)
        EXPECT_NEAR (prepared[i].cam.data[p], plain[i].cam.data[p], 1e-4)
            << "region " << i << " pixel " << p;
    }
  }
}
