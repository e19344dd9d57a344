/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "framequeue.h"

bool
FrameQueue::hold (
    GstBuffer *buffer, guint batch_frames, GstClockTime max_latency)
{
  held_.push_back ({buffer, NULL});
  GstClockTime first = GST_BUFFER_PTS (held_.front ().buffer);
  GstClockTime last = GST_BUFFER_PTS (buffer);
  bool waited_enough = max_latency > 0 && GST_CLOCK_TIME_IS_VALID (first)
      && GST_CLOCK_TIME_IS_VALID (last) && last >= first
      && last - first >= max_latency;
  return held_.size () >= batch_frames || waited_enough;
}

void
FrameQueue::release ()
{
  ready_.insert (ready_.end (), held_.begin (), held_.end ());
  held_.clear ();
}

bool
FrameQueue::pop (Frame &frame)
{
  if (ready_.empty ())
    return false;
  frame = ready_.front ();
  ready_.pop_front ();
  return true;
}

void
FrameQueue::clear ()
{
  for (std::deque<Frame> *q : {&held_, &ready_}) {
    for (Frame &f : *q) {
      gst_buffer_unref (f.buffer);
      if (f.message)
        gst_structure_free (f.message);
    }
    q->clear ();
  }
}
