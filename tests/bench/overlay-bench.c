/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Times gradcamoverlay alone: frames with five 14x14 heatmaps (the whole
 * frame and its 2x2 tiles), labels and boxes as given on the command line.
 * Only the element's work is timed (each frame is a fresh copy, made
 * outside the timing). Prints the mean milliseconds per frame.
 *
 * Usage: overlay-bench FRAMES WIDTH HEIGHT FORMAT [gradcamoverlay props...]
 */
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include <stdio.h>
#include <stdlib.h>

static void
add_region (GstBuffer *buf, const gchar *type, gint id, gint x, gint y, gint w,
    gint h, GRand *rand)
{
  GstVideoRegionOfInterestMeta *m
      = gst_buffer_add_video_region_of_interest_meta (buf, type, x, y, w, h);
  gfloat cam[14 * 14];
  GstBuffer *data;
  gint i;

  for (i = 0; i < 14 * 14; i++)
    cam[i] = (gfloat) g_rand_double (rand);
  data = gst_buffer_new_memdup (cam, sizeof cam);
  m->id = id;
  gst_video_region_of_interest_meta_add_param (m,
      gst_structure_new ("classification", "label", G_TYPE_STRING, "minivan",
          "label_id", G_TYPE_INT, 656, "confidence", G_TYPE_DOUBLE, 0.62,
          "vehicle", G_TYPE_DOUBLE, 0.71, NULL));
  gst_video_region_of_interest_meta_add_param (m,
      gst_structure_new ("gradcam", "class_id", G_TYPE_INT, 656, "width",
          G_TYPE_INT, 14, "height", G_TYPE_INT, 14, "max", G_TYPE_DOUBLE, 1.0,
          "data", GST_TYPE_BUFFER, data, NULL));
  gst_buffer_unref (data);
}

int
main (int argc, char **argv)
{
  gint frames, w, h, i;
  GstVideoInfo info;
  GstBuffer *tmpl;
  GstHarness *harness;
  GString *launch;
  GRand *rand;
  gdouble total = 0;
  gchar *caps;

  gst_init (&argc, &argv);
  if (argc < 5) {
    fprintf (
        stderr, "usage: %s FRAMES WIDTH HEIGHT FORMAT [props...]\n", argv[0]);
    return 2;
  }
  frames = atoi (argv[1]);
  w = atoi (argv[2]);
  h = atoi (argv[3]);
  gst_video_info_set_format (
      &info, gst_video_format_from_string (argv[4]), w, h);

  tmpl = gst_buffer_new_allocate (NULL, info.size, NULL);
  {
    GstMapInfo map;
    gsize j;
    gst_buffer_map (tmpl, &map, GST_MAP_WRITE);
    for (j = 0; j < map.size; j++)
      map.data[j] = (guint8) (j * 7 + (j >> 12));
    gst_buffer_unmap (tmpl, &map);
  }
  rand = g_rand_new_with_seed (1);
  add_region (tmpl, "frame", 0, 0, 0, w, h, rand);
  add_region (tmpl, "tile", 1, 0, 0, w / 2, h / 2, rand);
  add_region (tmpl, "tile", 2, w / 2, 0, w - w / 2, h / 2, rand);
  add_region (tmpl, "tile", 3, 0, h / 2, w / 2, h - h / 2, rand);
  add_region (tmpl, "tile", 4, w / 2, h / 2, w - w / 2, h - h / 2, rand);

  launch = g_string_new ("gradcamoverlay");
  for (i = 5; i < argc; i++)
    g_string_append_printf (launch, " %s", argv[i]);
  harness = gst_harness_new_parse (launch->str);
  caps = g_strdup_printf ("video/x-raw,format=%s,width=%d,height=%d,"
                          "framerate=25/1",
      argv[4], w, h);
  gst_harness_set_src_caps_str (harness, caps);

  for (i = 0; i < frames + 1; i++) {
    GstBuffer *in = gst_buffer_copy_deep (tmpl), *out;
    gint64 start = g_get_monotonic_time ();
    out = gst_harness_push_and_pull (harness, in);
    /* The first frame builds the colour tables: not timed. */
    if (i > 0)
      total += g_get_monotonic_time () - start;
    gst_buffer_unref (out);
  }
  printf ("%.3f\n", total / frames / 1000.0);

  gst_harness_teardown (harness);
  gst_buffer_unref (tmpl);
  g_free (caps);
  g_string_free (launch, TRUE);
  g_rand_free (rand);
  return 0;
}
