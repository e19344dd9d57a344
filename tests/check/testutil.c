/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "testutil.h"

GstHarness *
test_harness_new (const gchar *launch, GstBus **bus)
{
  GstHarness *h = gst_harness_new_parse (launch);

  *bus = gst_bus_new ();
  gst_element_set_bus (h->element, *bus);
  return h;
}

void
test_harness_teardown (GstHarness *h, GstBus *bus)
{
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GstBuffer *
test_video_buffer (const gchar *format, gint width, gint height, guint8 value)
{
  GstVideoInfo info;
  GstBuffer *buf;

  fail_unless (gst_video_info_set_format (
      &info, gst_video_format_from_string (format), width, height));
  buf = gst_buffer_new_allocate (NULL, info.size, NULL);
  gst_buffer_memset (buf, 0, value, info.size);
  return buf;
}

GstBuffer *
test_rgb_frame (gint width, gint height, guint8 base, gint noise, guint32 seed,
    gint sq_x, gint sq_y, gint sq_size)
{
  GstBuffer *buf = test_video_buffer ("RGB", width, height, base);
  GstVideoInfo info;
  GstMapInfo map;
  GRand *rand = g_rand_new_with_seed (seed);
  gint x, y, c, stride;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, width, height);
  stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (y = 0; y < height; y++) {
    for (x = 0; x < width; x++) {
      guint8 *p = map.data + y * stride + x * 3;
      gboolean red
          = x >= sq_x && x < sq_x + sq_size && y >= sq_y && y < sq_y + sq_size;
      for (c = 0; c < 3; c++) {
        gint v
            = base + (noise ? g_rand_int_range (rand, -noise, noise + 1) : 0);
        p[c] = red ? (c == 0 ? 255 : 0) : (guint8) CLAMP (v, 0, 255);
      }
    }
  }
  gst_buffer_unmap (buf, &map);
  g_rand_free (rand);
  return buf;
}

GPtrArray *
test_rois (GstBuffer *buf, const gchar *type)
{
  GPtrArray *rois = g_ptr_array_new ();
  gpointer state = NULL;
  GstMeta *meta;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *m = (GstVideoRegionOfInterestMeta *) meta;
    if (!type || m->roi_type == g_quark_from_string (type))
      g_ptr_array_add (rois, m);
  }
  return rois;
}

GstVideoRegionOfInterestMeta *
test_roi (GstBuffer *buf, const gchar *type, gint index)
{
  GPtrArray *rois = test_rois (buf, type);
  GstVideoRegionOfInterestMeta *found = NULL;
  guint i;

  for (i = 0; i < rois->len && !found; i++) {
    GstVideoRegionOfInterestMeta *m = g_ptr_array_index (rois, i);
    GstStructure *tile
        = gst_video_region_of_interest_meta_get_param (m, "tile");
    guint idx;
    if (index < 0 ? tile == NULL
                  : (tile && gst_structure_get_uint (tile, "index", &idx)
                      && (gint) idx == index))
      found = m;
  }
  g_ptr_array_unref (rois);
  return found;
}

gchar *
test_pop_error (GstBus *bus)
{
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *err = NULL;
  gchar *text;

  if (!msg)
    return NULL;
  gst_message_parse_error (msg, &err, NULL);
  text = g_strdup (err->message);
  g_error_free (err);
  gst_message_unref (msg);
  return text;
}

GstMessage *
test_pop_element_message (GstBus *bus, const gchar *name)
{
  GstMessage *msg;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    if (gst_message_has_name (msg, name))
      return msg;
    gst_message_unref (msg);
  }
  return NULL;
}

gchar *
test_model_path (const gchar *name)
{
  const gchar *dir = g_getenv ("VGG_TEST_MODELS");

  fail_unless (dir != NULL, "VGG_TEST_MODELS is not set");
  return g_build_filename (dir, name, NULL);
}

GstStructure *
test_classification (const gchar *label, gint label_id, gdouble confidence,
    const gchar *group, gdouble score)
{
  gchar *text = g_strdup_printf ("classification, label=(string)%s, "
                                 "label_id=(int)%d, confidence=(double)%.17g, "
                                 "top_ids=<(int)%d>, top_labels=<(string)%s>, "
                                 "top_scores=<(double)%.17g>, "
                                 "group_names=<(string)%s>, "
                                 "group_scores=<(double)%.17g>",
      label, label_id, confidence, label_id, label, confidence, group, score);
  GstStructure *s = gst_structure_from_string (text, NULL);

  fail_unless (s != NULL, "cannot parse %s", text);
  g_free (text);
  return s;
}

gdouble
test_group_score (const GstStructure *classification, const gchar *group)
{
  const GValue *names = gst_structure_get_value (classification, "group_names");
  const GValue *scores
      = gst_structure_get_value (classification, "group_scores");
  guint i;

  fail_unless (
      names && scores, "no group arrays in %" GST_PTR_FORMAT, classification);
  fail_unless_equals_int (
      gst_value_array_get_size (names), gst_value_array_get_size (scores));
  for (i = 0; i < gst_value_array_get_size (names); i++)
    if (g_str_equal (
            g_value_get_string (gst_value_array_get_value (names, i)), group))
      return g_value_get_double (gst_value_array_get_value (scores, i));
  fail ("no group %s in %" GST_PTR_FORMAT, group, classification);
  return -1;
}
