/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Times a pipeline without Python (for the GPU machine, which has none with
 * GStreamer bindings): the pipeline prerolls first (model loading, the
 * first frame, cuDNN autotuning), then frames/s is timed from PLAYING to
 * EOS. If the pipeline has an element named "c", the mean time a frame
 * spends in it (sink pad in to src pad out) is printed too; with its
 * batch-frames, the frames classified during preroll are not counted.
 *
 * A source named "src" that is an appsrc is fed FRAMES buffers that all
 * share one pre-made frame (like a decoder's output, without the cost of
 * making pictures), so that only the pipeline after it is timed.
 *
 * Usage: pipeline-bench FRAMES 'PIPELINE DESCRIPTION'
 * prints: frames/s and mean latency in ms
 */
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <stdio.h>
#include <stdlib.h>

typedef struct
{
  GMutex lock;
  GQueue entered; /* monotonic times of frames inside "c" */
  gdouble total_us;
  guint64 count;
} Latency;

typedef struct
{
  GstBuffer *frame;
  gint left, made;
  GstClockTime duration;
} Feed;

static void
on_need_data (GstElement *src, guint length, gpointer data)
{
  Feed *f = data;
  if (f->left-- <= 0) {
    gst_app_src_end_of_stream (GST_APP_SRC (src));
    return;
  }
  /* A new GstBuffer sharing the frame's memory: no pixels are made. */
  GstBuffer *buf = gst_buffer_copy (f->frame);
  GST_BUFFER_PTS (buf) = f->made * f->duration;
  GST_BUFFER_DURATION (buf) = f->duration;
  f->made++;
  gst_app_src_push_buffer (GST_APP_SRC (src), buf);
}

/* Feeds an appsrc named "src" with copies of one random frame of its caps. */
static void
setup_feed (GstElement *pipeline, gint frames, Feed *feed)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstVideoInfo info;
  GstMapInfo map;
  GstCaps *caps = NULL;

  if (!src || !GST_IS_APP_SRC (src)) {
    if (src)
      gst_object_unref (src);
    return;
  }
  g_object_get (src, "caps", &caps, NULL);
  if (!caps || !gst_video_info_from_caps (&info, caps)) {
    fprintf (stderr, "pipeline-bench: appsrc needs video caps\n");
    exit (2);
  }
  feed->frame = gst_buffer_new_allocate (NULL, info.size, NULL);
  gst_buffer_map (feed->frame, &map, GST_MAP_WRITE);
  for (gsize i = 0; i < map.size; i++)
    map.data[i] = g_random_int () & 0xff;
  gst_buffer_unmap (feed->frame, &map);
  feed->left = frames;
  feed->duration = info.fps_n > 0
      ? gst_util_uint64_scale_int (GST_SECOND, info.fps_d, info.fps_n)
      : GST_SECOND / 25;
  g_object_set (src, "format", GST_FORMAT_TIME, NULL);
  g_signal_connect (src, "need-data", G_CALLBACK (on_need_data), feed);
  gst_caps_unref (caps);
  gst_object_unref (src);
}

static GstPadProbeReturn
on_enter (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  Latency *l = data;
  gint64 *t = g_new (gint64, 1);
  *t = g_get_monotonic_time ();
  g_mutex_lock (&l->lock);
  g_queue_push_tail (&l->entered, t);
  g_mutex_unlock (&l->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_leave (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  Latency *l = data;
  g_mutex_lock (&l->lock);
  gint64 *t = g_queue_pop_head (&l->entered);
  if (t) {
    l->total_us += g_get_monotonic_time () - *t;
    l->count++;
    g_free (t);
  }
  g_mutex_unlock (&l->lock);
  return GST_PAD_PROBE_OK;
}

int
main (int argc, char **argv)
{
  GError *err = NULL;
  GstElement *pipeline, *c;
  GstMessage *msg;
  Latency lat = {0};
  Feed feed = {0};
  gint64 start;
  gint frames, warmup = 1;

  gst_init (&argc, &argv);
  if (argc != 3) {
    fprintf (stderr, "usage: %s FRAMES 'PIPELINE'\n", argv[0]);
    return 2;
  }
  frames = atoi (argv[1]);
  pipeline = gst_parse_launch (argv[2], &err);
  if (!pipeline) {
    fprintf (stderr, "pipeline-bench: %s\n", err->message);
    return 1;
  }
  g_mutex_init (&lat.lock);
  setup_feed (pipeline, frames, &feed);
  c = gst_bin_get_by_name (GST_BIN (pipeline), "c");
  if (c) {
    guint batch = 1;
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (c), "batch-frames"))
      g_object_get (c, "batch-frames", &batch, NULL);
    warmup = batch;
    GstPad *sink = gst_element_get_static_pad (c, "sink");
    GstPad *src = gst_element_get_static_pad (c, "src");
    gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, on_enter, &lat, NULL);
    gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, on_leave, &lat, NULL);
    gst_object_unref (sink);
    gst_object_unref (src);
  }

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  if (gst_element_get_state (pipeline, NULL, NULL, GST_CLOCK_TIME_NONE)
      == GST_STATE_CHANGE_FAILURE) {
    msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (pipeline), GST_MESSAGE_ERROR);
    if (msg) {
      gst_message_parse_error (msg, &err, NULL);
      fprintf (stderr, "pipeline-bench: %s\n", err->message);
    }
    return 1;
  }
  /* The prerolled frame was a warm-up: count only the others. */
  g_mutex_lock (&lat.lock);
  lat.total_us = 0;
  lat.count = 0;
  g_mutex_unlock (&lat.lock);
  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gdouble seconds = (g_get_monotonic_time () - start) / 1e6;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &err, NULL);
    fprintf (stderr, "pipeline-bench: %s\n", err->message);
    return 1;
  }
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  /* The source made FRAMES buffers; those classified before PLAYING are
   * not timed. */
  printf ("%.2f frames/s", (frames - warmup) / seconds);
  if (lat.count)
    printf ("  %.3f ms in vggclassify", lat.total_us / lat.count / 1000.0);
  printf ("\n");
  if (c)
    gst_object_unref (c);
  gst_object_unref (pipeline);
  if (feed.frame)
    gst_buffer_unref (feed.frame);
  return 0;
}
