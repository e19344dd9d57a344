/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Private and shared inference (gst/vgg/inference.cpp) on the tiny test
 * model: a shared model is loaded once and freed with its last user, its
 * results equal a private model's whatever the interleaving of users,
 * settings that differ are refused by name, and a cancelled user does not
 * wait for the others.
 */
#include "inference.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

using namespace vgg;

namespace {

std::string
model_path ()
{
  const char *dir = std::getenv ("VGG_TEST_MODELS");
  return std::string (dir ? dir : ".") + "/tiny-vgg.pt";
}

struct Loads
{
  std::atomic<int> count{0};
  ClassifierOptions options ()
  {
    ClassifierOptions o;
    o.model_path = model_path ();
    o.device = "cpu";
    o.log = [this] (LogLevel, const std::string &msg) {
      if (msg.find ("loading the model") != std::string::npos)
        count++;
    };
    return o;
  }
};

/* A 96x64 RGB frame of noise from @seed, with its 2x2 grid and the frame. */
struct TestFrame
{
  std::vector<uint8_t> pixels;
  FrameRois rois;

  explicit TestFrame (unsigned seed) : pixels (96 * 64 * 3)
  {
    std::mt19937 rng (seed);
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

void
expect_same (const std::vector<RoiResult> &a, const std::vector<RoiResult> &b)
{
  ASSERT_EQ (a.size (), b.size ());
  for (size_t i = 0; i < a.size (); i++) {
    EXPECT_EQ (a[i].top_ids, b[i].top_ids) << "region " << i;
    for (size_t k = 0; k < a[i].top_scores.size (); k++)
      EXPECT_NEAR (a[i].top_scores[k], b[i].top_scores[k], 1e-5);
  }
}

} // namespace

TEST (Inference, SharedEqualsPrivateAcrossThreads)
{
  Loads loads;
  RunOptions run;
  std::unique_ptr<Inference> solo = make_private_inference (loads.options ());
  std::vector<TestFrame> frames;
  std::vector<std::vector<RoiResult>> expected;
  for (unsigned i = 0; i < 6; i++) {
    frames.emplace_back (i);
    std::vector<std::vector<RoiResult>> r;
    ASSERT_TRUE (solo->classify ({frames.back ().rois}, run, 0, r));
    expected.push_back (r[0]);
  }

  /* Four users, each classifying every frame, two frames at a time, all at
   * once: the worker mixes their regions in its batches. */
  std::vector<std::unique_ptr<Inference>> users;
  for (int u = 0; u < 4; u++)
    users.push_back (make_shared_inference (
        "cams", "user" + std::to_string (u), loads.options ()));
  EXPECT_EQ (loads.count, 1);
  std::vector<std::thread> threads;
  std::atomic<int> checked{0};
  for (int u = 0; u < 4; u++) {
    threads.emplace_back ([&, u] {
      for (size_t f = 0; f + 1 < frames.size (); f += 2) {
        std::vector<std::vector<RoiResult>> r;
        RunOptions batched = run;
        batched.batch_size = 3 + u; /* whichever user's batch size rules */
        ASSERT_TRUE (users[u]->classify ({frames[f].rois, frames[f + 1].rois},
            batched, 2000000 /* 2 ms for the others */, r));
        ASSERT_EQ (r.size (), 2u);
        expect_same (r[0], expected[f]);
        expect_same (r[1], expected[f + 1]);
        checked++;
      }
    });
  }
  for (std::thread &t : threads)
    t.join ();
  EXPECT_EQ (checked, 4 * 3);

  /* Freed with its last user: the next one loads it again. */
  users.clear ();
  std::unique_ptr<Inference> again
      = make_shared_inference ("cams", "late", loads.options ());
  EXPECT_EQ (loads.count, 2);
}

TEST (Inference, SharedSettingsMustAgree)
{
  Loads loads;
  std::unique_ptr<Inference> first
      = make_shared_inference ("agree", "classify0", loads.options ());
  ClassifierOptions other = loads.options ();
  other.gradcam = true;
  try {
    make_shared_inference ("agree", "classify1", other);
    FAIL () << "a different gradcam setting was accepted";
  } catch (const Error &e) {
    std::string what = e.what ();
    EXPECT_NE (what.find ("shared-instance \"agree\" was loaded by classify0 "
                          "with other settings: classify1 differs in gradcam"),
        std::string::npos)
        << what;
  }
  /* Another name is another model. */
  std::unique_ptr<Inference> apart
      = make_shared_inference ("apart", "classify1", other);
  EXPECT_EQ (loads.count, 2);
}

TEST (Inference, CancelledUserDoesNotWait)
{
  Loads loads;
  std::unique_ptr<Inference> a
      = make_shared_inference ("cancel", "a", loads.options ());
  std::unique_ptr<Inference> b
      = make_shared_inference ("cancel", "b", loads.options ());
  TestFrame frame (7);
  RunOptions run;
  run.batch_size = 100;

  /* b waits for a batch to fill (up to 10 s); cancelling it returns at once. */
  std::atomic<bool> returned{false}, ran{true};
  std::thread waiter ([&] {
    std::vector<std::vector<RoiResult>> r;
    ran = b->classify ({frame.rois}, run, 10000000000ULL, r);
    returned = true;
  });
  std::this_thread::sleep_for (std::chrono::milliseconds (100));
  EXPECT_FALSE (returned);
  auto t0 = std::chrono::steady_clock::now ();
  b->cancel ();
  waiter.join ();
  EXPECT_FALSE (ran);
  EXPECT_LT (std::chrono::steady_clock::now () - t0, std::chrono::seconds (2));

  /* Cancelled, b is refused until it resumes; a was never held up. */
  std::vector<std::vector<RoiResult>> r;
  EXPECT_FALSE (b->classify ({frame.rois}, run, 0, r));
  EXPECT_TRUE (a->classify ({frame.rois}, run, 0, r));
  b->resume ();
  EXPECT_TRUE (b->classify ({frame.rois}, run, 0, r));
  EXPECT_EQ (r.size (), 1u);
}
