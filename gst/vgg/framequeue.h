/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include <deque>

/* The frames of one stream from their arrival until they are pushed, for
 * classifying several frames together (batch-frames, max-latency). Frames
 * are held until a batch is due; once classified they become ready, each
 * with the element message to post just before it is pushed, so that a
 * frame's message always precedes the frame. Order is kept throughout. */
class FrameQueue
{
public:
  struct Frame
  {
    GstBuffer *buffer;
    GstStructure *message; /* NULL: none */
  };

  FrameQueue () = default;
  FrameQueue (const FrameQueue &) = delete;
  FrameQueue &operator= (const FrameQueue &) = delete;
  ~FrameQueue () { clear (); }

  /* Holds @buffer (transfer full); TRUE when the held frames are due:
   * @batch_frames of them, or, with @max_latency > 0, spanning that much
   * stream time from the first held frame's PTS. */
  bool hold (GstBuffer *buffer, guint batch_frames, GstClockTime max_latency);

  std::deque<Frame> &held () { return held_; }

  /* Every held frame becomes ready, in order. */
  void release ();

  /* The next ready frame (the caller owns its buffer and message); FALSE
   * if none is ready. */
  bool pop (Frame &frame);

  /* Drops every held and ready frame (flush, stop, error). */
  void clear ();

private:
  std::deque<Frame> held_, ready_;
};
