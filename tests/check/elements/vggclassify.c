/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * vggclassify on the generated test models (see models/make-test-models):
 * the blog's finding with the planted red-square model, batching and
 * interval behaviour, ROI handling, and every bad input's error message.
 * Numerical parity with an independent PyTorch reference is in
 * tests/reference/test_parity.py.
 */
#include <gst/check/gstharness.h>

#include "../testutil.h"

#define SQUARE 24

/* "vggtiler ! vggclassify" (or vggclassify alone) with a bus to read. */
static GstHarness *
classify_harness (
    const gchar *model, gboolean tiler, const gchar *extra, GstBus **bus)
{
  gchar *path = test_model_path (model);
  gchar *launch = g_strdup_printf ("%s vggclassify name=c model=\"%s\" %s",
      tiler ? "vggtiler name=t !" : "", path, extra ? extra : "");
  GstHarness *h = test_harness_new (launch, bus);

  g_free (launch);
  g_free (path);
  return h;
}

static GstStructure *
classification (GstVideoRegionOfInterestMeta *roi)
{
  fail_unless (roi != NULL);
  return gst_video_region_of_interest_meta_get_param (roi, "classification");
}

static gdouble
get_double (const GstStructure *s, const gchar *field)
{
  gdouble v = -1;

  fail_unless (gst_structure_get_double (s, field, &v),
      "no %s in %" GST_PTR_FORMAT, field, s);
  return v;
}

static gdouble
score_of (const GstStructure *s, gint class_id)
{
  const GValue *ids = gst_structure_get_value (s, "top_ids");
  const GValue *scores = gst_structure_get_value (s, "top_scores");
  guint i;

  for (i = 0; i < gst_value_array_get_size (ids); i++)
    if (g_value_get_int (gst_value_array_get_value (ids, i)) == class_id)
      return g_value_get_double (gst_value_array_get_value (scores, i));
  return 0.0;
}

GST_START_TEST (test_planted_square_missed_by_frame_found_by_tile)
{
  gchar *groups = test_model_path ("planted-groups.txt");
  gchar *extra = g_strdup_printf ("class-groups=\"%s\"", groups);
  GstBus *bus;
  GstHarness *h = classify_harness ("planted.pt", TRUE, extra, &bus);
  GstBuffer *out;
  GstStructure *s;
  GstMessage *msg;
  const GstStructure *ms;
  gint q, roi = -2;
  gboolean present = FALSE;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=640,height=480,framerate=25/1");
  /* A 24 px red square in the lower right quadrant (tile 3). */
  out = gst_harness_push_and_pull (
      h, test_rgb_frame (640, 480, 128, 20, 1, 420, 300, SQUARE));

  /* The whole frame: 0.19 % red, below the model's 0.4 %: missed. */
  s = classification (test_roi (out, "frame", -1));
  fail_unless_equals_string (
      gst_structure_get_string (s, "label"), "background");
  fail_unless (test_group_score (s, "vehicle") < 0.25, "frame vehicle score %f",
      test_group_score (s, "vehicle"));
  fail_unless (score_of (s, 1) < 0.25);
  fail_unless_equals_string (
      gst_structure_get_string (s, "model"), "planted-red-square");

  /* The quadrant that holds it: 0.75 % red: found. */
  for (q = 0; q < 4; q++) {
    s = classification (test_roi (out, "tile", q));
    if (q == 3) {
      fail_unless_equals_string (
          gst_structure_get_string (s, "label"), "red_square");
      fail_unless (get_double (s, "confidence") > 0.9);
      fail_unless (test_group_score (s, "vehicle") > 0.9);
    } else {
      fail_unless_equals_string (
          gst_structure_get_string (s, "label"), "background");
    }
  }

  msg = test_pop_element_message (bus, "vggclassify");
  fail_unless (msg != NULL);
  ms = gst_message_get_structure (msg);
  fail_unless (gst_structure_get_boolean (ms, "vehicle-present", &present));
  fail_unless (present);
  fail_unless (gst_structure_get_int (ms, "vehicle-roi", &roi));
  fail_unless_equals_int (roi, test_roi (out, "tile", 3)->id);
  /* The frame's best label is the most confident region's top-1. */
  {
    gdouble best = 0;
    const gchar *label = NULL;
    GPtrArray *rois = test_rois (out, NULL);
    guint i;
    for (i = 0; i < rois->len; i++) {
      s = classification (g_ptr_array_index (rois, i));
      if (get_double (s, "confidence") > best) {
        best = get_double (s, "confidence");
        label = gst_structure_get_string (s, "label");
      }
    }
    fail_unless_equals_string (gst_structure_get_string (ms, "label"), label);
    fail_unless (get_double (ms, "score") == best);
    g_ptr_array_unref (rois);
  }
  gst_message_unref (msg);
  gst_buffer_unref (out);

  /* No square: no vehicle anywhere. */
  out = gst_harness_push_and_pull (
      h, test_rgb_frame (640, 480, 128, 20, 2, 0, 0, 0));
  msg = test_pop_element_message (bus, "vggclassify");
  ms = gst_message_get_structure (msg);
  fail_unless (gst_structure_get_boolean (ms, "vehicle-present", &present));
  fail_if (present);
  fail_unless (get_double (ms, "vehicle-score") < 0.25);
  gst_message_unref (msg);
  gst_buffer_unref (out);

  g_free (extra);
  g_free (groups);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_frame_without_rois_is_classified_whole)
{
  GstBus *bus;
  GstHarness *h = classify_harness ("planted.pt", FALSE, NULL, &bus);
  GstBuffer *out;
  GstVideoRegionOfInterestMeta *frame;
  GstMessage *msg;
  gint roi;
  guint64 ts, index;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=64,height=64,framerate=25/1");
  /* A square filling a quarter of the frame: 25 % red. */
  GstBuffer *in = test_rgb_frame (64, 64, 128, 0, 1, 0, 0, 32);
  GST_BUFFER_PTS (in) = 2 * GST_SECOND;
  out = gst_harness_push_and_pull (h, in);
  frame = test_roi (out, "frame", -1);
  fail_unless (frame != NULL);
  fail_unless (
      frame->x == 0 && frame->y == 0 && frame->w == 64 && frame->h == 64);
  fail_unless_equals_string (
      gst_structure_get_string (classification (frame), "label"), "red_square");
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 2 * GST_SECOND);

  msg = test_pop_element_message (bus, "vggclassify");
  fail_unless (
      gst_structure_get_int (gst_message_get_structure (msg), "roi", &roi));
  fail_unless_equals_int (roi, frame->id);
  fail_unless (gst_structure_get_uint64 (
      gst_message_get_structure (msg), "timestamp", &ts));
  fail_unless_equals_uint64 (ts, 2 * GST_SECOND);
  fail_unless (gst_structure_get_uint64 (
      gst_message_get_structure (msg), "frame", &index));
  fail_unless_equals_uint64 (index, 0);
  /* The planted model's labels are not ImageNet's: no default groups. */
  fail_if (gst_structure_has_field (
      gst_message_get_structure (msg), "vehicle-present"));
  gst_message_unref (msg);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_roi_types)
{
  GstBus *bus;
  GstHarness *h = classify_harness ("planted.pt", TRUE, "roi-types=tile", &bus);
  GstBuffer *out;
  GPtrArray *tiles;
  guint i;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=64,height=64,framerate=25/1");
  out = gst_harness_push_and_pull (
      h, test_rgb_frame (64, 64, 128, 0, 1, 0, 0, 0));
  fail_unless (classification (test_roi (out, "frame", -1)) == NULL);
  tiles = test_rois (out, "tile");
  fail_unless_equals_int (tiles->len, 4);
  for (i = 0; i < tiles->len; i++)
    fail_unless (classification (g_ptr_array_index (tiles, i)) != NULL);
  g_ptr_array_unref (tiles);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

/* Top-k ids and scores of every classified ROI of @buf, in ROI order. */
static GArray *
all_scores (GstBuffer *buf, GArray **ids)
{
  GPtrArray *rois = test_rois (buf, NULL);
  GArray *scores = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint i, j;

  *ids = g_array_new (FALSE, FALSE, sizeof (gint));
  for (i = 0; i < rois->len; i++) {
    GstStructure *s = classification (g_ptr_array_index (rois, i));
    const GValue *v_ids = gst_structure_get_value (s, "top_ids");
    const GValue *v_scores = gst_structure_get_value (s, "top_scores");
    for (j = 0; j < gst_value_array_get_size (v_ids); j++) {
      gint id = g_value_get_int (gst_value_array_get_value (v_ids, j));
      gdouble sc = g_value_get_double (gst_value_array_get_value (v_scores, j));
      g_array_append_val (*ids, id);
      g_array_append_val (scores, sc);
    }
  }
  g_ptr_array_unref (rois);
  return scores;
}

static GArray *
scores_with (const gchar *extra, guint32 seed, gint pushes, GArray **ids)
{
  GstBus *bus;
  GstHarness *h = classify_harness ("tiny-vgg.pt", TRUE, extra, &bus);
  GArray *scores = NULL;
  gint i;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=320,height=240,framerate=25/1");
  {
    GstElement *tiler = gst_harness_find_element (h, "vggtiler");
    g_object_set (tiler, "rows", 4, "columns", 4, NULL);
    gst_object_unref (tiler);
  }
  for (i = 0; i < pushes; i++) {
    GstBuffer *out = gst_harness_push_and_pull (
        h, test_rgb_frame (320, 240, 100, 100, seed, 0, 0, 0));
    if (scores) {
      /* Repeats must give the very same numbers. */
      GArray *again_ids, *again = all_scores (out, &again_ids);
      fail_unless_equals_int (again->len, scores->len);
      fail_unless (
          memcmp (again->data, scores->data, scores->len * sizeof (gdouble))
              == 0,
          "not repeatable");
      fail_unless (
          memcmp (again_ids->data, (*ids)->data, scores->len * sizeof (gint))
              == 0,
          "not repeatable");
      g_array_unref (again);
      g_array_unref (again_ids);
    } else {
      scores = all_scores (out, ids);
    }
    gst_buffer_unref (out);
  }
  test_harness_teardown (h, bus);
  return scores;
}

GST_START_TEST (test_batch_size_invariance_and_repeatability)
{
  GArray *ids1, *ids16, *ids5;
  /* 16 tiles + the frame: 17 regions, i.e. 17 passes, 2 or 4. */
  GArray *s1 = scores_with ("batch-size=1", 3, 1, &ids1);
  GArray *s16 = scores_with ("batch-size=16", 3, 3, &ids16);
  GArray *s5 = scores_with ("batch-size=5 top-k=3", 3, 1, &ids5);
  guint i;

  fail_unless_equals_int (s1->len, 17 * 5);
  fail_unless_equals_int (s16->len, 17 * 5);
  for (i = 0; i < s1->len; i++) {
    fail_unless_equals_int (
        g_array_index (ids1, gint, i), g_array_index (ids16, gint, i));
    fail_unless (
        fabs (g_array_index (s1, gdouble, i) - g_array_index (s16, gdouble, i))
            < 1e-5,
        "score %u: %f vs %f", i, g_array_index (s1, gdouble, i),
        g_array_index (s16, gdouble, i));
  }
  /* top-k=3 keeps the first three of the five. */
  fail_unless_equals_int (s5->len, 17 * 3);
  for (i = 0; i < 17 * 3; i++)
    fail_unless_equals_int (g_array_index (ids5, gint, i),
        g_array_index (ids1, gint, (i / 3) * 5 + i % 3));
  g_array_unref (s1);
  g_array_unref (s16);
  g_array_unref (s5);
  g_array_unref (ids1);
  g_array_unref (ids16);
  g_array_unref (ids5);
}

GST_END_TEST;

GST_START_TEST (test_inference_interval)
{
  GstBus *bus;
  GstHarness *h = classify_harness (
      "tiny-vgg.pt", TRUE, "inference-interval=3 gradcam=true", &bus);
  gdouble fresh_conf = 0;
  GstStructure *fresh_cam = NULL;
  gint i;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=160,height=120,framerate=25/1");
  for (i = 0; i < 7; i++) {
    GstBuffer *out;
    GstStructure *s, *cam;
    GstMessage *msg;
    gboolean stale = TRUE, msg_stale = TRUE;
    gdouble conf;

    /* Frame 5 changes the grid: new regions need a fresh inference. */
    if (i == 5) {
      GstElement *t = gst_harness_find_element (h, "vggtiler");
      g_object_set (t, "rows", 1, NULL);
      gst_object_unref (t);
    }
    out = gst_harness_push_and_pull (
        h, test_rgb_frame (160, 120, 100, 100, 10 + i, 0, 0, 0));
    s = classification (test_roi (out, "tile", 1));
    fail_unless (gst_structure_get_boolean (s, "stale", &stale));
    conf = get_double (s, "confidence");
    cam = gst_video_region_of_interest_meta_get_param (
        test_roi (out, "tile", 1), "gradcam");
    fail_unless (cam != NULL, "frame %d has no heatmap", i);
    msg = test_pop_element_message (bus, "vggclassify");
    fail_unless (gst_structure_get_boolean (
        gst_message_get_structure (msg), "stale", &msg_stale));
    gst_message_unref (msg);
    fail_unless_equals_int (stale, msg_stale);
    if (i == 0 || i == 3 || i == 5 || i == 6) {
      fail_if (stale, "frame %d should be fresh", i);
      /* Every frame is different noise: fresh results differ. */
      fail_if (i > 0 && conf == fresh_conf);
      fresh_conf = conf;
      if (fresh_cam)
        gst_structure_free (fresh_cam);
      fresh_cam = gst_structure_copy (cam);
    } else {
      fail_unless (stale, "frame %d should be stale", i);
      fail_unless (conf == fresh_conf);
      /* The latest heatmap comes along with the latest results, marked
       * stale like them. */
      GstStructure *carried = gst_structure_copy (cam);
      gboolean cam_stale = FALSE;
      fail_unless (gst_structure_get_boolean (carried, "stale", &cam_stale));
      fail_unless (cam_stale, "frame %d: the heatmap is not marked stale", i);
      gst_structure_set (carried, "stale", G_TYPE_BOOLEAN, FALSE, NULL);
      fail_unless (gst_structure_is_equal (carried, fresh_cam));
      gst_structure_free (carried);
    }
    gst_buffer_unref (out);
  }
  gst_structure_free (fresh_cam);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_rois_outside_the_frame)
{
  GstBus *bus;
  GstHarness *h = classify_harness ("tiny-vgg.pt", FALSE, NULL, &bus);
  GstBuffer *in, *out;
  GstVideoRegionOfInterestMeta *partly, *exact, *outside;
  GstStructure *a, *b;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=640,height=480,framerate=25/1");
  in = test_rgb_frame (640, 480, 100, 100, 4, 0, 0, 0);
  partly = gst_buffer_add_video_region_of_interest_meta (
      in, "tile", 600, 400, 100, 100);
  partly->id = 1;
  exact = gst_buffer_add_video_region_of_interest_meta (
      in, "tile", 600, 400, 40, 80);
  exact->id = 2;
  outside = gst_buffer_add_video_region_of_interest_meta (
      in, "tile", 700, 10, 50, 50);
  outside->id = 3;
  out = gst_harness_push_and_pull (h, in);

  /* Clamped to the frame: the same as the region inside it. */
  a = classification (gst_buffer_get_video_region_of_interest_meta_id (out, 1));
  b = classification (gst_buffer_get_video_region_of_interest_meta_id (out, 2));
  fail_unless (a && b);
  fail_unless (gst_structure_is_equal (a, b));
  /* Wholly outside: skipped, and no frame ROI added for it. */
  fail_unless (
      classification (gst_buffer_get_video_region_of_interest_meta_id (out, 3))
      == NULL);
  fail_unless (test_roi (out, "frame", -1) == NULL);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

/* Pushes one 160x120 frame of gray @level through "vggtiler ! vggclassify
 * model=@model @extra" and returns the error message (NULL if none). */
static gchar *
error_while_flowing (const gchar *model, const gchar *extra, guint8 level)
{
  GstBus *bus;
  GstHarness *h = classify_harness (model, TRUE, extra, &bus);
  GstFlowReturn ret;
  gchar *error;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=160,height=120,framerate=25/1");
  ret = gst_harness_push (h, test_video_buffer ("RGB", 160, 120, level));
  error = test_pop_error (bus);
  if (error)
    fail_unless_equals_int (ret, GST_FLOW_ERROR);
  test_harness_teardown (h, bus);
  return error;
}

GST_START_TEST (test_errors_while_flowing)
{
  gchar *error;

  /* A model that works on one region at a time, given five: one line that
   * says why, the TorchScript traceback only in the debug details. */
  error = error_while_flowing ("batch-of-one.pt", "batch-size=16", 128);
  fail_unless (error != NULL);
  fail_unless (g_str_has_prefix (error, "inference failed: "), "%s", error);
  fail_unless (strstr (error, "Error: ") != NULL, "%s", error);
  fail_unless (strstr (error, "TorchScript") == NULL, "%s", error);
  fail_unless (strchr (error, '\n') == NULL, "%s", error);
  g_free (error);
  /* ... fine one region at a time. */
  fail_unless (
      error_while_flowing ("batch-of-one.pt", "batch-size=1", 128) == NULL);

  /* A model that raises in forward(): its own message. */
  error = error_while_flowing ("raises.pt", NULL, 250);
  fail_unless (error != NULL);
  fail_unless (
      strstr (error, "this frame is too bright for me") != NULL, "%s", error);
  fail_unless (strchr (error, '\n') == NULL, "%s", error);
  g_free (error);
  fail_unless (error_while_flowing ("raises.pt", NULL, 10) == NULL);
}

GST_END_TEST;

/* A conv followed by an in-place ReLU (tiny-vgg's features.6 and .7, like
 * VGG16's features.28 and .29) is a valid Grad-CAM layer. */
GST_START_TEST (test_gradcam_before_inplace_layer)
{
  GstBus *bus;
  GstHarness *h = classify_harness (
      "tiny-vgg.pt", TRUE, "gradcam=true gradcam-layer=features.6", &bus);
  GstBuffer *out;
  GstStructure *cam;
  gint w = 0;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=160,height=120,framerate=25/1");
  out = gst_harness_push_and_pull (
      h, test_rgb_frame (160, 120, 100, 60, 3, 0, 0, 0));
  fail_unless (out != NULL);
  fail_unless (test_pop_error (bus) == NULL);
  cam = gst_video_region_of_interest_meta_get_param (
      test_roi (out, "tile", 2), "gradcam");
  fail_unless (cam != NULL);
  /* features.6 is after two 2x2 max-pools: 56x56 at 224. */
  fail_unless (gst_structure_get_int (cam, "width", &w));
  fail_unless_equals_int (w, 56);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_nonfinite_scores_warned_once)
{
  GstBus *bus;
  GstHarness *h = classify_harness ("nan.pt", TRUE, NULL, &bus);
  GstMessage *msg;
  GError *err = NULL;
  gint i, warnings = 0;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=160,height=120,framerate=25/1");
  for (i = 0; i < 3; i++)
    gst_buffer_unref (
        gst_harness_push_and_pull (h, test_video_buffer ("RGB", 160, 120, 90)));
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING))) {
    gst_message_parse_warning (msg, &err, NULL);
    fail_unless (
        strstr (err->message, "not finite") != NULL, "%s", err->message);
    g_clear_error (&err);
    gst_message_unref (msg);
    warnings++;
  }
  fail_unless_equals_int (warnings, 1);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_buffer_too_small_for_caps)
{
  GstBus *bus;
  GstHarness *h = classify_harness ("tiny-vgg.pt", FALSE, NULL, &bus);
  gchar *error;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=160,height=120,framerate=25/1");
  fail_unless_equals_int (
      gst_harness_push (h, test_video_buffer ("RGB", 160, 60, 0)),
      GST_FLOW_ERROR);
  error = test_pop_error (bus);
  fail_unless (error != NULL);
  fail_unless (strstr (error,
                   "a buffer of 28800 bytes for RGB 160x120, "
                   "which needs 57600")
          != NULL,
      "%s", error);
  g_free (error);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_second_classifier_replaces_params)
{
  GstBus *bus;
  gchar *path = test_model_path ("planted.pt");
  gchar *extra = g_strdup_printf ("! vggclassify model=\"%s\"", path);
  GstHarness *h = classify_harness ("tiny-vgg.pt", FALSE, extra, &bus);
  GstBuffer *out;
  GstVideoRegionOfInterestMeta *frame;
  GList *l;
  gint n = 0;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=64,height=64,framerate=25/1");
  out = gst_harness_push_and_pull (
      h, test_rgb_frame (64, 64, 128, 0, 1, 0, 0, 0));
  frame = test_roi (out, "frame", -1);
  for (l = frame->params; l; l = l->next)
    n += gst_structure_has_name (l->data, "classification");
  fail_unless_equals_int (n, 1);
  fail_unless_equals_string (
      gst_structure_get_string (classification (frame), "model"),
      "planted-red-square");
  gst_buffer_unref (out);
  g_free (extra);
  g_free (path);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

/* Starts a vggclassify with @props (NULL-terminated name/value pairs) and
 * checks that it fails with an error message containing @expected. */
static void
assert_start_fails (const gchar *expected, const gchar *first, ...)
{
  GstElement *e = gst_element_factory_make ("vggclassify", NULL);
  GstBus *bus = gst_bus_new ();
  const gchar *name;
  gchar *text;
  va_list args;

  gst_element_set_bus (e, bus);
  va_start (args, first);
  for (name = first; name; name = va_arg (args, const gchar *)) {
    const gchar *value = va_arg (args, const gchar *);
    gst_util_set_object_arg (G_OBJECT (e), name, value);
  }
  va_end (args);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  text = test_pop_error (bus);
  fail_unless (text != NULL, "no error for %s", expected);
  fail_unless (strstr (text, expected) != NULL, "\"%s\" does not say \"%s\"",
      text, expected);
  g_free (text);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

static gchar *
write_temp (const gchar *dir, const gchar *name, const gchar *text)
{
  gchar *path = g_build_filename (dir, name, NULL);

  fail_unless (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static gchar *
copy_model (const gchar *dir, const gchar *from, const gchar *to)
{
  gchar *src = test_model_path (from), *data, *dst;
  gsize len;

  fail_unless (g_file_get_contents (src, &data, &len, NULL));
  dst = g_build_filename (dir, to, NULL);
  fail_unless (g_file_set_contents (dst, data, len, NULL));
  g_free (data);
  g_free (src);
  return dst;
}

GST_START_TEST (test_bad_inputs)
{
  gchar *dir = g_dir_make_tmp ("vggclassify-XXXXXX", NULL);
  gchar *tiny = test_model_path ("tiny-vgg.pt");
  gchar *flat = test_model_path ("flat.pt");
  gchar *text = write_temp (dir, "text.pt", "this is not a model\n");
  gchar *three = write_temp (dir, "three.txt", "a\nb\nc\n");
  gchar *bad_tsv = write_temp (dir, "bad.tsv", "0\tn1\tx\tx\n5\tn2\ty\ty\n");
  gchar *bad_groups = write_temp (dir, "groups.txt", "[vehicle]\nunicorn\n");
  gchar *sidecar_model = copy_model (dir, "tiny-vgg.pt", "broken.pt");
  gchar *sidecar = write_temp (dir, "broken.json", "{\"input\": {\"width\": ");
  gchar *range_model = copy_model (dir, "tiny-vgg.pt", "range.pt");
  gchar *range
      = write_temp (dir, "range.json", "{\"input\": {\"std\": [1, 0, 1]}}");
  gchar *missing = g_build_filename (dir, "missing.pt", NULL);
  /* Latin-1 "é" in the third of ten labels. */
  gchar *latin1
      = write_temp (dir, "latin1.txt", "a\nb\ncaf\xe9\nd\ne\nf\ng\nh\ni\nj\n");
  gchar *tiny_std_model = copy_model (dir, "tiny-vgg.pt", "tinystd.pt");
  gchar *tiny_std = write_temp (
      dir, "tinystd.json", "{\"input\": {\"std\": [1, 1e-45, 1]}}");
  gchar *huge_model = copy_model (dir, "tiny-vgg.pt", "huge.pt");
  gchar *huge = write_temp (dir, "huge.json", "{\"input\": {\"width\": 4096}}");

  assert_start_fails ("no model given", NULL);
  assert_start_fails ("cannot read model", "model", missing, NULL);
  assert_start_fails ("is not a TorchScript model", "model", text, NULL);
  assert_start_fails ("is not a TorchScript model", "model", dir, NULL);
  assert_start_fails ("outputs 10 classes but labels file", "model", tiny,
      "labels", three, NULL);
  assert_start_fails ("line 2: expected index 1, found \"5\"", "model", tiny,
      "labels", bad_tsv, NULL);
  assert_start_fails ("\"unicorn\" is not a class of the model", "model", tiny,
      "class-groups", bad_groups, NULL);
  assert_start_fails ("is not valid JSON", "model", sidecar_model, NULL);
  assert_start_fails (
      "\"input.std\" must hold positive numbers", "model", range_model, NULL);
  assert_start_fails ("line 3: not valid UTF-8 (byte 4)", "model", tiny,
      "labels", latin1, NULL);
  assert_start_fails ("overflows float for pixel 0 in channel 1 (check "
                      "\"input.std\")",
      "model", tiny_std_model, NULL);
  assert_start_fails (
      "\"input.width\" must be within 1..2048", "model", huge_model, NULL);
  assert_start_fails ("use device=auto", "model", tiny, "device", "cuda", NULL);
  assert_start_fails (
      "use device=auto", "model", tiny, "device", "cuda:1", NULL);
  assert_start_fails ("is not one of auto, cpu, cuda, cuda:N", "model", tiny,
      "device", "tpu", NULL);
  assert_start_fails ("precision=fp16 needs a CUDA device", "model", tiny,
      "device", "cpu", "precision", "fp16", NULL);
  assert_start_fails ("Grad-CAM needs a model laid out like torchvision's VGG",
      "model", flat, "gradcam", "true", NULL);
  assert_start_fails ("Grad-CAM layer \"features.99\" is not in the model; "
                      "use features.0 .. features.8",
      "model", tiny, "gradcam", "true", "gradcam-layer", "features.99", NULL);
  assert_start_fails ("gradcam-target \"unicorn\" is not top1, a class of "
                      "the model (index 0..9",
      "model", tiny, "gradcam", "true", "gradcam-target", "unicorn", NULL);
#ifdef HAVE_GST_ANALYTICS
  assert_start_fails ("gradcam=true needs meta=roi or meta=both", "model", tiny,
      "gradcam", "true", "meta", "analytics", NULL);
#else
  assert_start_fails (
      "this build of gst-vgg has none", "model", tiny, "meta", "both", NULL);
#endif

  g_free (huge);
  g_free (huge_model);
  g_free (tiny_std);
  g_free (tiny_std_model);
  g_free (latin1);
  g_free (missing);
  g_free (range);
  g_free (range_model);
  g_free (sidecar);
  g_free (sidecar_model);
  g_free (bad_groups);
  g_free (bad_tsv);
  g_free (three);
  g_free (text);
  g_free (tiny);
  g_free (flat);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_formats_and_strides)
{
  static const gchar *formats[] = {"RGB", "BGR", "RGBx", "BGRx", "xRGB", "xBGR",
      "RGBA", "BGRA", "ARGB", "ABGR"};
  GstElement *e = gst_element_factory_make ("vggclassify", NULL);
  GstPad *sink = gst_element_get_static_pad (e, "sink");
  GstBus *bus;
  GstHarness *h;
  GstBuffer *rgb_out;
  const GstStructure *reference;
  guint i;

  /* Packed RGB only: other formats are refused at negotiation. */
  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    GstCaps *caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING,
        formats[i], "width", G_TYPE_INT, 64, "height", G_TYPE_INT, 48,
        "framerate", GST_TYPE_FRACTION, 25, 1, NULL);
    fail_unless (gst_pad_query_accept_caps (sink, caps), "%s", formats[i]);
    gst_caps_unref (caps);
  }
  {
    static const gchar *refused[] = {
        "video/x-raw,format=I420,width=64,height=48,framerate=25/1",
        "video/x-raw,format=GRAY8,width=64,height=48,framerate=25/1",
        "video/x-raw,format=RGB,width=0,height=48,framerate=25/1",
        "video/x-raw,format=RGB,width=64,height=0,framerate=25/1",
    };
    for (i = 0; i < G_N_ELEMENTS (refused); i++) {
      GstCaps *caps = gst_caps_from_string (refused[i]);
      fail_if (gst_pad_query_accept_caps (sink, caps), "%s", refused[i]);
      gst_caps_unref (caps);
    }
  }
  gst_object_unref (sink);
  gst_object_unref (e);

  /* The same picture in every channel order, with padded rows, classifies
   * the same. 61 px wide: RGB rows are 183 bytes, padded here to 200. */
  h = classify_harness ("tiny-vgg.pt", FALSE, NULL, &bus);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=61,height=47,framerate=25/1");
  rgb_out = gst_harness_push_and_pull (
      h, test_rgb_frame (61, 47, 100, 100, 9, 0, 0, 0));
  reference = classification (test_roi (rgb_out, "frame", -1));
  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    GstVideoFormat fmt = gst_video_format_from_string (formats[i]);
    const GstVideoFormatInfo *finfo = gst_video_format_get_info (fmt);
    gint ps = GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, 0), stride = 61 * ps + 17;
    gsize offset[4] = {0};
    gint strides[4] = {stride};
    GstBuffer *in = gst_buffer_new_allocate (NULL, stride * 47, NULL);
    GstBuffer *out;
    GstMapInfo src, dst;
    gchar *caps;
    gint x, y, c;

    gst_buffer_memset (in, 0, 0xcc, stride * 47);
    gst_buffer_add_video_meta_full (
        in, GST_VIDEO_FRAME_FLAG_NONE, fmt, 61, 47, 1, offset, strides);
    gst_buffer_map (rgb_out, &src, GST_MAP_READ);
    gst_buffer_map (in, &dst, GST_MAP_WRITE);
    for (y = 0; y < 47; y++)
      for (x = 0; x < 61; x++)
        for (c = 0; c < 3; c++)
          dst.data[y * stride + x * ps
              + GST_VIDEO_FORMAT_INFO_POFFSET (finfo, c)]
              = src.data[y * 184 + x * 3 + c];
    gst_buffer_unmap (in, &dst);
    gst_buffer_unmap (rgb_out, &src);

    caps = g_strdup_printf ("video/x-raw,format=%s,width=61,height=47,"
                            "framerate=25/1",
        formats[i]);
    gst_harness_set_src_caps_str (h, caps);
    g_free (caps);
    out = gst_harness_push_and_pull (h, in);
    fail_unless (gst_structure_is_equal (
                     classification (test_roi (out, "frame", -1)), reference),
        "%s differs", formats[i]);
    gst_buffer_unref (out);
  }
  gst_buffer_unref (rgb_out);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

/* What leaves vggclassify, in order: "b<pts in ms>" per buffer and the
 * names of serialized events. */
static GstPadProbeReturn
record_output (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  GString *log = (GString *) data;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER)
    g_string_append_printf (log, "b%" G_GUINT64_FORMAT " ",
        GST_BUFFER_PTS (GST_PAD_PROBE_INFO_BUFFER (info)) / GST_MSECOND);
  else if (GST_EVENT_IS_SERIALIZED (GST_PAD_PROBE_INFO_EVENT (info)))
    g_string_append_printf (
        log, "%s ", GST_EVENT_TYPE_NAME (GST_PAD_PROBE_INFO_EVENT (info)));
  return GST_PAD_PROBE_OK;
}

static GstBuffer *
timed_frame (gint i, gint w, gint h)
{
  GstBuffer *buf = test_rgb_frame (w, h, 100, 100, 50 + i, 0, 0, 0);

  GST_BUFFER_PTS (buf) = i * 40 * GST_MSECOND;
  GST_BUFFER_DURATION (buf) = 40 * GST_MSECOND;
  if (i == 0)
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
  else
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);
  return buf;
}

/* Runs 10 frames through "vggtiler ! vggclassify @props" and returns every
 * ROI's scores; checks order, timestamps, flags and messages on the way. */
static GArray *
batched_run (const gchar *props, guint batch, GArray **ids, GArray *stale)
{
  GstBus *bus;
  GstHarness *h = classify_harness ("tiny-vgg.pt", TRUE, props, &bus);
  GstElement *c = gst_harness_find_element (h, "vggclassify");
  GstPad *src = gst_element_get_static_pad (c, "src");
  GString *log = g_string_new ("");
  GArray *scores = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gint i;

  *ids = g_array_new (FALSE, FALSE, sizeof (gint));
  gst_pad_add_probe (src,
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      record_output, log, NULL);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=160,height=120,framerate=25/1");
  for (i = 0; i < 10; i++) {
    fail_unless_equals_int (
        gst_harness_push (h, timed_frame (i, 160, 120)), GST_FLOW_OK);
    /* Frames come out a batch at a time. */
    fail_unless_equals_int (
        gst_harness_buffers_received (h), (i + 1) / batch * batch);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless_equals_int (gst_harness_buffers_received (h), 10);
  fail_unless (g_str_has_suffix (log->str,
                   "b0 b40 b80 b120 b160 b200 b240 b280 b320 b360 eos "),
      "%s", log->str);

  for (i = 0; i < 10; i++) {
    GstBuffer *out = gst_harness_pull (h);
    GstMessage *msg = test_pop_element_message (bus, "vggclassify");
    GArray *frame_ids, *frame_scores = all_scores (out, &frame_ids);
    guint64 ts, index;
    gboolean is_stale;

    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), i * 40 * GST_MSECOND);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), 40 * GST_MSECOND);
    fail_unless_equals_int (
        GST_BUFFER_FLAG_IS_SET (out, GST_BUFFER_FLAG_DISCONT), i == 0);
    fail_unless_equals_int (
        GST_BUFFER_FLAG_IS_SET (out, GST_BUFFER_FLAG_DELTA_UNIT), i != 0);
    /* One message per frame, in order. */
    fail_unless (msg != NULL);
    fail_unless (gst_structure_get (gst_message_get_structure (msg),
        "timestamp", G_TYPE_UINT64, &ts, "frame", G_TYPE_UINT64, &index,
        "stale", G_TYPE_BOOLEAN, &is_stale, NULL));
    fail_unless_equals_uint64 (ts, i * 40 * GST_MSECOND);
    fail_unless_equals_uint64 (index, i);
    g_array_append_val (stale, is_stale);
    g_array_append_vals (scores, frame_scores->data, frame_scores->len);
    g_array_append_vals (*ids, frame_ids->data, frame_ids->len);
    g_array_unref (frame_scores);
    g_array_unref (frame_ids);
    gst_message_unref (msg);
    gst_buffer_unref (out);
  }
  fail_unless (test_pop_element_message (bus, "vggclassify") == NULL);
  g_string_free (log, TRUE);
  gst_object_unref (src);
  gst_object_unref (c);
  test_harness_teardown (h, bus);
  return scores;
}

GST_START_TEST (test_batch_frames_same_results_in_order)
{
  static const gchar *variants[][2] = {
      {"batch-frames=1", "1"},
      {"batch-frames=4", "4"},
      {"batch-frames=3 batch-size=7", "3"},
      {"batch-frames=1 inference-interval=3", "1"},
      {"batch-frames=4 inference-interval=3", "4"},
  };
  GArray *ref_ids = NULL, *ref = NULL, *ref_stale = NULL;
  guint v, i;

  for (v = 0; v < G_N_ELEMENTS (variants); v++) {
    GArray *ids, *stale = g_array_new (FALSE, FALSE, sizeof (gboolean));
    GArray *scores
        = batched_run (variants[v][0], atoi (variants[v][1]), &ids, stale);
    if (v == 0 || v == 3) {
      if (ref) {
        g_array_unref (ref);
        g_array_unref (ref_ids);
        g_array_unref (ref_stale);
      }
      ref = scores;
      ref_ids = ids;
      ref_stale = stale;
      continue;
    }
    /* Batching frames changes nothing but rounding. */
    fail_unless_equals_int (scores->len, ref->len);
    for (i = 0; i < scores->len; i++) {
      fail_unless_equals_int (
          g_array_index (ids, gint, i), g_array_index (ref_ids, gint, i));
      fail_unless (fabs (g_array_index (scores, gdouble, i)
                       - g_array_index (ref, gdouble, i))
              < 1e-5,
          "%s: score %u", variants[v][0], i);
    }
    for (i = 0; i < 10; i++)
      fail_unless_equals_int (g_array_index (stale, gboolean, i),
          g_array_index (ref_stale, gboolean, i));
    g_array_unref (scores);
    g_array_unref (ids);
    g_array_unref (stale);
  }
  /* With inference-interval=3, frames 1, 2, 4, 5, 7, 8 reuse results. */
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (g_array_index (ref_stale, gboolean, i), i % 3 != 0);
  g_array_unref (ref);
  g_array_unref (ref_ids);
  g_array_unref (ref_stale);
}

GST_END_TEST;

GST_START_TEST (test_batch_frames_flush_caps_latency)
{
  GstBus *bus;
  GstHarness *h = classify_harness (
      "tiny-vgg.pt", TRUE, "batch-frames=4 max-latency=100000000", &bus);
  GstElement *c = gst_harness_find_element (h, "vggclassify");
  GstPad *src = gst_element_get_static_pad (c, "src");
  GstQuery *q;
  GstSegment segment;
  GstClockTime min, max;
  gboolean live;
  GstBuffer *out;
  gint i;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=160,height=120,framerate=25/1");

  /* 25 frames/s, 4 frames a batch: 3 frames (120 ms) more latency, but
   * max-latency caps it at 100 ms. */
  q = gst_query_new_latency ();
  fail_unless (gst_pad_query (src, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless_equals_uint64 (min, 100 * GST_MSECOND);
  gst_query_unref (q);

  /* A flush drops what is held: nothing comes out, no messages. */
  gst_harness_push (h, timed_frame (0, 160, 120));
  gst_harness_push (h, timed_frame (1, 160, 120));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  fail_unless_equals_int (gst_harness_buffers_received (h), 0);
  fail_unless (test_pop_element_message (bus, "vggclassify") == NULL);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));

  /* max-latency: frames at 0, 40, 80 wait; at 120 ms they span 120 >= 100. */
  for (i = 0; i < 3; i++)
    gst_harness_push (h, timed_frame (i, 160, 120));
  fail_unless_equals_int (gst_harness_buffers_received (h), 0);
  gst_harness_push (h, timed_frame (3, 160, 120));
  fail_unless_equals_int (gst_harness_buffers_received (h), 4);
  for (i = 0; i < 4; i++)
    gst_buffer_unref (gst_harness_pull (h));

  /* New caps drain the frames held with the old ones first. */
  gst_harness_push (h, timed_frame (4, 160, 120));
  gst_harness_push (h, timed_frame (5, 160, 120));
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=80,height=60,framerate=25/1");
  fail_unless_equals_int (gst_harness_buffers_received (h), 6);
  out = gst_harness_pull (h);
  fail_unless_equals_int (test_roi (out, "frame", -1)->w, 160);
  fail_unless (gst_video_region_of_interest_meta_get_param (
                   test_roi (out, "tile", 3), "classification")
      != NULL);
  gst_buffer_unref (out);
  gst_buffer_unref (gst_harness_pull (h));

  /* Frames still held when the element stops are released (leak tracer). */
  gst_harness_push (h, timed_frame (6, 80, 60));
  gst_object_unref (src);
  gst_object_unref (c);
  test_harness_teardown (h, bus);
}

GST_END_TEST;

static Suite *
vggclassify_suite (void)
{
  Suite *s = suite_create ("vggclassify");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_planted_square_missed_by_frame_found_by_tile);
  tcase_add_test (tc, test_frame_without_rois_is_classified_whole);
  tcase_add_test (tc, test_roi_types);
  tcase_add_test (tc, test_batch_size_invariance_and_repeatability);
  tcase_add_test (tc, test_inference_interval);
  tcase_add_test (tc, test_rois_outside_the_frame);
  tcase_add_test (tc, test_second_classifier_replaces_params);
  tcase_add_test (tc, test_errors_while_flowing);
  tcase_add_test (tc, test_gradcam_before_inplace_layer);
  tcase_add_test (tc, test_nonfinite_scores_warned_once);
  tcase_add_test (tc, test_buffer_too_small_for_caps);
  tcase_add_test (tc, test_bad_inputs);
  tcase_add_test (tc, test_formats_and_strides);
  tcase_add_test (tc, test_batch_frames_same_results_in_order);
  tcase_add_test (tc, test_batch_frames_flush_caps_latency);
  return s;
}

GST_CHECK_MAIN (vggclassify);
