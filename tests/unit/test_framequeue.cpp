/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * vggclassify's frame holding: when a batch is due, order, messages, and
 * that every frame is released exactly once.
 */
#include "framequeue.h"

#include <gtest/gtest.h>

namespace {

class Gst : public ::testing::Environment
{
public:
  void SetUp () override { gst_init (NULL, NULL); }
};
const auto *gst_env = ::testing::AddGlobalTestEnvironment (new Gst);

GstBuffer *
frame_at (GstClockTime pts)
{
  GstBuffer *buf = gst_buffer_new ();
  GST_BUFFER_PTS (buf) = pts;
  return buf;
}

} // namespace

TEST (FrameQueue, DueAfterBatchFrames)
{
  FrameQueue q;
  EXPECT_FALSE (q.hold (frame_at (0), 3, 0));
  EXPECT_FALSE (q.hold (frame_at (40 * GST_MSECOND), 3, 0));
  EXPECT_TRUE (q.hold (frame_at (80 * GST_MSECOND), 3, 0));
  EXPECT_EQ (q.held ().size (), 3u);
  /* batch-frames=1: every frame at once. */
  FrameQueue one;
  EXPECT_TRUE (one.hold (frame_at (0), 1, 0));
}

TEST (FrameQueue, DueAfterMaxLatency)
{
  FrameQueue q;
  const GstClockTime ms = GST_MSECOND;
  EXPECT_FALSE (q.hold (frame_at (1000 * ms), 8, 80 * ms));
  EXPECT_FALSE (q.hold (frame_at (1040 * ms), 8, 80 * ms));
  /* 80 ms after the first held frame. */
  EXPECT_TRUE (q.hold (frame_at (1080 * ms), 8, 80 * ms));
  q.release ();
  /* Frames without timestamps count only by number. */
  EXPECT_FALSE (q.hold (frame_at (GST_CLOCK_TIME_NONE), 2, 1));
  EXPECT_TRUE (q.hold (frame_at (GST_CLOCK_TIME_NONE), 2, 1));
}

TEST (FrameQueue, ReleaseKeepsOrderAndMessages)
{
  FrameQueue q;
  FrameQueue::Frame f;
  EXPECT_FALSE (q.pop (f));
  q.hold (frame_at (0), 2, 0);
  q.hold (frame_at (1), 2, 0);
  q.held ()[1].message = gst_structure_new_empty ("second");
  EXPECT_FALSE (q.pop (f)); /* held, not ready */
  q.release ();
  EXPECT_TRUE (q.held ().empty ());
  q.hold (frame_at (2), 2, 0);

  ASSERT_TRUE (q.pop (f));
  EXPECT_EQ (GST_BUFFER_PTS (f.buffer), 0u);
  EXPECT_EQ (f.message, nullptr);
  gst_buffer_unref (f.buffer);
  ASSERT_TRUE (q.pop (f));
  EXPECT_EQ (GST_BUFFER_PTS (f.buffer), 1u);
  ASSERT_NE (f.message, nullptr);
  EXPECT_TRUE (gst_structure_has_name (f.message, "second"));
  gst_structure_free (f.message);
  gst_buffer_unref (f.buffer);
  EXPECT_FALSE (q.pop (f)); /* the third is still held */
}

TEST (FrameQueue, ClearReleasesEveryFrame)
{
  GstBuffer *held = frame_at (0), *ready = frame_at (1);
  {
    FrameQueue q;
    q.hold (gst_buffer_ref (ready), 1, 0);
    q.release ();
    q.hold (gst_buffer_ref (held), 5, 0);
    q.clear ();
    EXPECT_EQ (GST_MINI_OBJECT_REFCOUNT_VALUE (held), 1);
    EXPECT_EQ (GST_MINI_OBJECT_REFCOUNT_VALUE (ready), 1);
    FrameQueue::Frame f;
    EXPECT_FALSE (q.pop (f));
    /* Destroying a queue releases what it still has. */
    q.hold (gst_buffer_ref (held), 5, 0);
  }
  EXPECT_EQ (GST_MINI_OBJECT_REFCOUNT_VALUE (held), 1);
  gst_buffer_unref (held);
  gst_buffer_unref (ready);
}
