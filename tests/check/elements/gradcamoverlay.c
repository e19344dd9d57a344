/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gradcamoverlay: boxes and labels where configured, region selection,
 * bit-exact passthrough, malformed heatmaps ignored with a warning, and
 * coordinates beyond the int range skipped.
 * The heatmap blend itself is checked against the blog's code in
 * tests/reference/test_overlay.py.
 */
#include <gst/check/gstharness.h>

#include "../testutil.h"

#define W 160
#define H 120
#define GRAY 100

static GstHarness *
overlay_harness (const gchar *props, GstBus **bus)
{
  gchar *launch = g_strdup_printf ("gradcamoverlay %s", props);
  GstHarness *h = test_harness_new (launch, bus);

  g_free (launch);
  gst_harness_set_src_caps_str (h,
      "video/x-raw,format=RGB,width=160,"
      "height=120,framerate=25/1");
  return h;
}

/* A classified region with @confidence and a "vehicle" group score. */
static GstVideoRegionOfInterestMeta *
add_region (GstBuffer *buf, const gchar *type, gint id, gint x, gint y, gint w,
    gint h, gdouble confidence, gdouble vehicle)
{
  GstVideoRegionOfInterestMeta *m
      = gst_buffer_add_video_region_of_interest_meta (buf, type, x, y, w, h);

  m->id = id;
  gst_video_region_of_interest_meta_add_param (
      m, test_classification ("cab", 468, confidence, "vehicle", vehicle));
  return m;
}

static const guint8 *
pixel (GstMapInfo *map, gint x, gint y)
{
  /* RGB rows of 160 px are 480 bytes: no padding. */
  return map->data + y * W * 3 + x * 3;
}

static gboolean
is_rgb (const guint8 *p, guint8 r, guint8 g, guint8 b)
{
  return p[0] == r && p[1] == g && p[2] == b;
}

/* Pushes @in and returns how many bytes of the output differ from a gray
 * frame, mapping the output into @map (unmap and unref @out after). */
static gint
push_and_diff (GstHarness *h, GstBuffer *in, GstBuffer **out, GstMapInfo *map)
{
  gint changed = 0;
  gsize i;

  *out = gst_harness_push_and_pull (h, in);
  gst_buffer_map (*out, map, GST_MAP_READ);
  for (i = 0; i < map->size; i++)
    changed += map->data[i] != GRAY;
  return changed;
}

GST_START_TEST (test_boxes)
{
  GstBus *bus;
  GstHarness *h = overlay_harness ("draw-labels=false", &bus);
  GstBuffer *in = test_video_buffer ("RGB", W, H, GRAY), *out;
  GstMapInfo map;

  /* A vehicle (score 0.8 >= 0.25): green; not a vehicle: grey. */
  add_region (in, "tile", 1, 10, 10, 50, 40, 0.9, 0.8);
  add_region (in, "tile", 2, 90, 60, 60, 50, 0.9, 0.1);
  fail_unless (push_and_diff (h, in, &out, &map) > 0);
  fail_unless (is_rgb (pixel (&map, 10, 30), 0, 230, 0));
  fail_unless (is_rgb (pixel (&map, 59, 30), 0, 230, 0));
  fail_unless (is_rgb (pixel (&map, 30, 10), 0, 230, 0));
  fail_unless (is_rgb (pixel (&map, 30, 49), 0, 230, 0));
  fail_unless (is_rgb (pixel (&map, 30, 30), GRAY, GRAY, GRAY));
  fail_unless (is_rgb (pixel (&map, 60, 30), GRAY, GRAY, GRAY));
  fail_unless (is_rgb (pixel (&map, 90, 80), 200, 200, 200));
  fail_unless (is_rgb (pixel (&map, 120, 80), GRAY, GRAY, GRAY));
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_labels_and_selection)
{
  GstBus *bus;
  GstHarness *h = overlay_harness ("draw-boxes=false rois=tiles", &bus);
  GstBuffer *in = test_video_buffer ("RGB", W, H, GRAY), *out;
  GstMapInfo map;
  gint x, y, black = 0, white = 0, outside = 0;

  add_region (in, "frame", 0, 0, 0, W, H, 0.9, 0.0);
  add_region (in, "tile", 1, 80, 60, 80, 60, 0.9, 0.8);
  fail_unless (push_and_diff (h, in, &out, &map) > 0);
  for (y = 0; y < H; y++) {
    for (x = 0; x < W; x++) {
      const guint8 *p = pixel (&map, x, y);
      if (is_rgb (p, GRAY, GRAY, GRAY))
        continue;
      if (x < 80 || y < 60)
        outside++;
      black += is_rgb (p, 0, 0, 0);
      white += p[0] > 180 && p[1] > 180 && p[2] > 180;
    }
  }
  /* Text on a dark band in the tile, nothing for the frame ROI. */
  fail_unless (black > 50 && white > 10, "black %d white %d", black, white);
  fail_unless_equals_int (outside, 0);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_best_and_min_confidence)
{
  GstBus *bus;
  GstHarness *h = overlay_harness ("draw-labels=false rois=best", &bus);
  GstBuffer *in = test_video_buffer ("RGB", W, H, GRAY), *out;
  GstMapInfo map;

  /* The best by group score is the second, despite its lower confidence. */
  add_region (in, "tile", 1, 0, 0, 80, 60, 0.95, 0.3);
  add_region (in, "tile", 2, 80, 60, 80, 60, 0.5, 0.7);
  push_and_diff (h, in, &out, &map);
  fail_unless (is_rgb (pixel (&map, 0, 30), GRAY, GRAY, GRAY));
  fail_unless (is_rgb (pixel (&map, 80, 90), 0, 230, 0));
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);

  /* Below min-confidence: nothing drawn at all. */
  {
    GstElement *e = gst_harness_find_element (h, "gradcamoverlay");
    g_object_set (e, "rois", 0, "min-confidence", 0.96, NULL);
    gst_object_unref (e);
  }
  in = test_video_buffer ("RGB", W, H, GRAY);
  add_region (in, "tile", 1, 0, 0, 80, 60, 0.95, 0.3);
  fail_unless_equals_int (push_and_diff (h, in, &out, &map), 0);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_passthrough_untouched)
{
  GstBus *bus;
  GstHarness *h = overlay_harness ("", &bus);
  GstBuffer *in = test_video_buffer ("RGB", W, H, GRAY), *out;
  GstMemory *mem = gst_buffer_peek_memory (in, 0);
  GstMapInfo map;

  /* A region without classification or heatmap (e.g. a face detector's). */
  gst_buffer_add_video_region_of_interest_meta (in, "face", 5, 5, 20, 20);
  GST_BUFFER_PTS (in) = 7 * GST_SECOND;
  fail_unless_equals_int (push_and_diff (h, in, &out, &map), 0);
  fail_unless (gst_buffer_peek_memory (out, 0) == mem);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 7 * GST_SECOND);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

static GstStructure *
gradcam_param (gint w, gint h, gsize bytes)
{
  GstBuffer *data = gst_buffer_new_allocate (NULL, bytes, NULL);
  GstStructure *s;

  gst_buffer_memset (data, 0, 0, bytes);
  s = gst_structure_new ("gradcam", "class_id", G_TYPE_INT, 1, "width",
      G_TYPE_INT, w, "height", G_TYPE_INT, h, "max", G_TYPE_DOUBLE, 1.0, "data",
      GST_TYPE_BUFFER, data, NULL);
  gst_buffer_unref (data);
  return s;
}

GST_START_TEST (test_malformed_heatmaps_ignored_with_warning)
{
  GstBus *bus;
  GstHarness *h = overlay_harness ("draw-labels=false draw-boxes=false", &bus);
  GstBuffer *in = test_video_buffer ("RGB", W, H, GRAY), *out;
  GstVideoRegionOfInterestMeta *m;
  GstMapInfo map;
  GstMessage *msg;
  GError *err = NULL;

  /* A short data buffer, and sizes that are not positive. */
  m = gst_buffer_add_video_region_of_interest_meta (in, "tile", 0, 0, 80, 60);
  gst_video_region_of_interest_meta_add_param (m, gradcam_param (14, 14, 100));
  m = gst_buffer_add_video_region_of_interest_meta (in, "tile", 80, 0, 80, 60);
  gst_video_region_of_interest_meta_add_param (m, gradcam_param (0, 14, 0));
  fail_unless_equals_int (push_and_diff (h, in, &out, &map), 0);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "100 bytes of data for 14x14 floats"),
      "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  /* Warned once. */
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

/* A region with a box, a label and a heatmap at @x, @y (guint, as in the
 * meta). */
static void
add_drawable_region (GstBuffer *buf, guint x, guint y)
{
  GstVideoRegionOfInterestMeta *m
      = gst_buffer_add_video_region_of_interest_meta (
          buf, "tile", x, y, 40, 40);

  gst_video_region_of_interest_meta_add_param (
      m, test_classification ("cab", 468, 0.9, "vehicle", 0.8));
  gst_video_region_of_interest_meta_add_param (
      m, gradcam_param (2, 2, 4 * sizeof (gfloat)));
}

GST_START_TEST (test_coordinates_beyond_int_skipped)
{
  GstBus *bus;
  GstHarness *h = overlay_harness ("", &bus);
  GstBuffer *in, *out;
  GstMapInfo map;

  /* Drawn where it fits: the frame changes. */
  in = test_video_buffer ("RGB", W, H, GRAY);
  add_drawable_region (in, 0, 10);
  fail_unless (push_and_diff (h, in, &out, &map) > 0);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);

  /* x or y = 2^32 - 16 is -16 as an int: it must not be drawn at the left
   * or top edge, nor anywhere else. */
  in = test_video_buffer ("RGB", W, H, GRAY);
  add_drawable_region (in, G_MAXUINT32 - 15, 10);
  add_drawable_region (in, 10, G_MAXUINT32 - 15);
  add_drawable_region (in, (guint) G_MAXINT + 1, 10);
  fail_unless_equals_int (push_and_diff (h, in, &out, &map), 0);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

static Suite *
gradcamoverlay_suite (void)
{
  Suite *s = suite_create ("gradcamoverlay");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_boxes);
  tcase_add_test (tc, test_labels_and_selection);
  tcase_add_test (tc, test_best_and_min_confidence);
  tcase_add_test (tc, test_passthrough_untouched);
  tcase_add_test (tc, test_malformed_heatmaps_ignored_with_warning);
  tcase_add_test (tc, test_coordinates_beyond_int_skipped);
  return s;
}

GST_CHECK_MAIN (gradcamoverlay);
