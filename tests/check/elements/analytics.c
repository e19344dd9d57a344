/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * vggclassify and GstAnalytics (GStreamer >= 1.24), read here with the
 * analytics library's own calls: every ODMtd/ClsMtd it writes says what the
 * ROI params of the same region say; meta=roi and meta=analytics leave no
 * trace of the other kind; a detector's ODMtds are classified when their
 * type is selected, clamped like ROIs, and ignored otherwise.
 */
#include "../testutil.h"

#include <gst/analytics/analytics.h>
#include <glib/gstdio.h>

#include <string.h>

#define W 160
#define H 120

static const gchar *GROUPS = "[odd]\nthing_1\nthing_3\nthing_5\nthing_7\n"
                             "[even]\nthing_0\nthing_2\nthing_4\n";

static gchar *
groups_file (void)
{
  gchar *dir = g_dir_make_tmp ("vgg-analytics-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "groups.txt", NULL);

  fail_unless (g_file_set_contents (path, GROUPS, -1, NULL));
  g_free (dir);
  return path;
}

static void
remove_groups_file (gchar *path)
{
  gchar *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
  g_free (dir);
  g_free (path);
}

static GstHarness *
harness (const gchar *props, gboolean tiler, gchar **groups, GstBus **bus)
{
  gchar *model = test_model_path ("tiny-vgg.pt");
  gchar *launch;
  GstHarness *h;

  *groups = groups_file ();
  launch = g_strdup_printf ("%s vggclassify model=\"%s\" class-groups=\"%s\" "
                            "top-k=3 %s",
      tiler ? "vggtiler !" : "", model, *groups, props);
  h = test_harness_new (launch, bus);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=160,height=120,framerate=25/1");
  g_free (launch);
  g_free (model);
  return h;
}

/* The ODMtd id in @roi's "analytics" param; -1 if none. */
static gint
link_of (GstVideoRegionOfInterestMeta *roi)
{
  GstStructure *link
      = gst_video_region_of_interest_meta_get_param (roi, "analytics");
  gint od_id = -1;

  if (link)
    fail_unless (gst_structure_get_int (link, "od_id", &od_id));
  return od_id;
}

static gboolean
clamp (gint *x, gint *y, gint *w, gint *h)
{
  gint x1 = CLAMP (*x + *w, 0, W), y1 = CLAMP (*y + *h, 0, H);

  *x = CLAMP (*x, 0, W);
  *y = CLAMP (*y, 0, H);
  *w = x1 - *x;
  *h = y1 - *y;
  return *w > 0 && *h > 0;
}

static GstBuffer *
frame (void)
{
  return test_rgb_frame (W, H, 120, 60, 7, 100, 60, 20);
}

/* The ClsMtd related to @od_id (RELATE_TO) that is (@part_of_classes) or is
 * not part of another ClsMtd. */
static gboolean
related_cls (GstAnalyticsRelationMeta *rmeta, guint od_id,
    gboolean part_of_classes, GstAnalyticsClsMtd *out)
{
  GstAnalyticsMtdType type = gst_analytics_cls_mtd_get_mtd_type ();
  gpointer state = NULL;
  GstAnalyticsClsMtd cls;

  while (gst_analytics_relation_meta_get_direct_related (
      rmeta, od_id, GST_ANALYTICS_REL_TYPE_RELATE_TO, type, &state, &cls)) {
    gpointer inner = NULL;
    GstAnalyticsClsMtd parent;
    gboolean is_part = gst_analytics_relation_meta_get_direct_related (rmeta,
        cls.id, GST_ANALYTICS_REL_TYPE_IS_PART_OF, type, &inner, &parent);
    if (is_part == part_of_classes) {
      *out = cls;
      return TRUE;
    }
  }
  return FALSE;
}

static void
check_levels (
    GstAnalyticsClsMtd *cls, const GValue *names, const GValue *scores)
{
  guint i, n = gst_value_array_get_size (names);

  fail_unless_equals_int (gst_analytics_cls_mtd_get_length (cls), n);
  for (i = 0; i < n; i++) {
    const gchar *name
        = g_value_get_string (gst_value_array_get_value (names, i));
    gdouble score = g_value_get_double (gst_value_array_get_value (scores, i));
    fail_unless_equals_string (
        g_quark_to_string (gst_analytics_cls_mtd_get_quark (cls, i)), name);
    /* A ClsMtd holds floats; the param doubles. */
    fail_unless (ABS (gst_analytics_cls_mtd_get_level (cls, i) - score) < 1e-6,
        "%s: %f vs %f", name, gst_analytics_cls_mtd_get_level (cls, i), score);
  }
}

/* Every classified ROI of @buf against its ODMtd and ClsMtds. */
static guint
check_rois_match_analytics (GstBuffer *buf)
{
  GstAnalyticsRelationMeta *rmeta
      = gst_buffer_get_analytics_relation_meta (buf);
  GPtrArray *rois = test_rois (buf, NULL);
  guint i, checked = 0;

  fail_unless (rmeta != NULL);
  for (i = 0; i < rois->len; i++) {
    GstVideoRegionOfInterestMeta *roi = g_ptr_array_index (rois, i);
    GstStructure *c
        = gst_video_region_of_interest_meta_get_param (roi, "classification");
    GstAnalyticsODMtd od;
    GstAnalyticsClsMtd classes, groups;
    gint od_id = link_of (roi), x, y, w, h;
    gint rx = roi->x, ry = roi->y, rw = roi->w, rh = roi->h;
    gfloat confidence;

    if (!c)
      continue;
    fail_unless (od_id >= 0, "ROI %d is not linked", roi->id);
    fail_unless (gst_analytics_relation_meta_get_od_mtd (rmeta, od_id, &od));
    fail_unless (
        gst_analytics_od_mtd_get_location (&od, &x, &y, &w, &h, &confidence));
    /* What was classified: both clamped to the frame. */
    fail_unless (clamp (&x, &y, &w, &h) && clamp (&rx, &ry, &rw, &rh));
    fail_unless_equals_int (x, rx);
    fail_unless_equals_int (y, ry);
    fail_unless_equals_int (w, rw);
    fail_unless_equals_int (h, rh);
    fail_unless_equals_int (
        gst_analytics_od_mtd_get_obj_type (&od), roi->roi_type);

    fail_unless (related_cls (rmeta, od_id, FALSE, &classes));
    check_levels (&classes, gst_structure_get_value (c, "top_labels"),
        gst_structure_get_value (c, "top_scores"));
    fail_unless (
        gst_analytics_relation_meta_get_relation (rmeta, classes.id, od_id)
        & GST_ANALYTICS_REL_TYPE_IS_PART_OF);
    fail_unless (related_cls (rmeta, od_id, TRUE, &groups));
    check_levels (&groups, gst_structure_get_value (c, "group_names"),
        gst_structure_get_value (c, "group_scores"));

    /* A tile's ODMtd is part of its frame region's. */
    if (gst_video_region_of_interest_meta_get_param (roi, "tile")) {
      gint parent_od
          = link_of (gst_buffer_get_video_region_of_interest_meta_id (
              buf, roi->parent_id));
      fail_unless (
          gst_analytics_relation_meta_get_relation (rmeta, od_id, parent_od)
          & GST_ANALYTICS_REL_TYPE_IS_PART_OF);
      fail_unless (
          gst_analytics_relation_meta_get_relation (rmeta, parent_od, od_id)
          & GST_ANALYTICS_REL_TYPE_CONTAIN);
    }
    checked++;
  }
  g_ptr_array_unref (rois);
  return checked;
}

GST_START_TEST (test_both_kinds_agree)
{
  gchar *groups;
  GstBus *bus;
  GstHarness *h = harness ("meta=both roi-types=*", TRUE, &groups, &bus);
  GstBuffer *in = frame (), *out;
  GstVideoRegionOfInterestMeta *user;
  GstMessage *msg;
  gint od = -1, roi = -1;

  /* A user-placed region, reaching past the frame. */
  user = gst_buffer_add_video_region_of_interest_meta (
      in, "user", 120, 90, 60, 40);
  user->id = 100;
  out = gst_harness_push_and_pull (h, in);
  /* Frame, four tiles and the user's region. */
  fail_unless_equals_int (check_rois_match_analytics (out), 6);

  /* The message names both the ROI and the ODMtd of the best region. */
  msg = test_pop_element_message (bus, "vggclassify");
  fail_unless (msg != NULL);
  fail_unless (
      gst_structure_get_int (gst_message_get_structure (msg), "roi", &roi));
  fail_unless (
      gst_structure_get_int (gst_message_get_structure (msg), "od", &od));
  fail_unless_equals_int (
      link_of (gst_buffer_get_video_region_of_interest_meta_id (out, roi)), od);
  gst_message_unref (msg);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
  remove_groups_file (groups);
}

GST_END_TEST;

GST_START_TEST (test_meta_roi_writes_no_analytics)
{
  gchar *groups;
  GstBus *bus;
  GstHarness *h = harness ("meta=roi", TRUE, &groups, &bus);
  GstBuffer *out = gst_harness_push_and_pull (h, frame ());
  GPtrArray *rois = test_rois (out, NULL);
  guint i;

  fail_unless (gst_buffer_get_analytics_relation_meta (out) == NULL);
  for (i = 0; i < rois->len; i++) {
    GstVideoRegionOfInterestMeta *roi = g_ptr_array_index (rois, i);
    fail_unless (
        gst_video_region_of_interest_meta_get_param (roi, "classification")
        != NULL);
    fail_unless (
        gst_video_region_of_interest_meta_get_param (roi, "analytics") == NULL);
  }
  g_ptr_array_unref (rois);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
  remove_groups_file (groups);
}

GST_END_TEST;

GST_START_TEST (test_meta_analytics_writes_no_roi_params)
{
  gchar *groups;
  GstBus *bus;
  GstHarness *h = harness ("meta=analytics", TRUE, &groups, &bus);
  GstBuffer *out = gst_harness_push_and_pull (h, frame ());
  GstAnalyticsRelationMeta *rmeta;
  GPtrArray *rois = test_rois (out, NULL);
  GstAnalyticsODMtd od;
  gpointer state = NULL;
  guint i, objects = 0;

  /* The tiler's ROIs stay as they were: tile params only. */
  fail_unless_equals_int (rois->len, 5);
  for (i = 0; i < rois->len; i++) {
    GstVideoRegionOfInterestMeta *roi = g_ptr_array_index (rois, i);
    fail_unless_equals_int (g_list_length (roi->params), roi->parent_id >= 0);
  }
  g_ptr_array_unref (rois);
  rmeta = gst_buffer_get_analytics_relation_meta (out);
  fail_unless (rmeta != NULL);
  while (gst_analytics_relation_meta_iterate (
      rmeta, &state, gst_analytics_od_mtd_get_mtd_type (), &od)) {
    GstAnalyticsClsMtd cls;
    fail_unless (related_cls (rmeta, od.id, FALSE, &cls));
    objects++;
  }
  fail_unless_equals_int (objects, 5);
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
  remove_groups_file (groups);

  /* Without a tiler the frame region is an ODMtd, not an ROI. */
  h = harness ("meta=analytics", FALSE, &groups, &bus);
  out = gst_harness_push_and_pull (h, frame ());
  fail_unless (gst_buffer_get_video_region_of_interest_meta (out) == NULL);
  rmeta = gst_buffer_get_analytics_relation_meta (out);
  fail_unless (rmeta != NULL);
  state = NULL;
  fail_unless (gst_analytics_relation_meta_iterate (
      rmeta, &state, gst_analytics_od_mtd_get_mtd_type (), &od));
  fail_unless_equals_string (
      g_quark_to_string (gst_analytics_od_mtd_get_obj_type (&od)), "frame");
  gst_buffer_unref (out);
  test_harness_teardown (h, bus);
  remove_groups_file (groups);
}

GST_END_TEST;

GST_START_TEST (test_meta_analytics_refuses_gradcam)
{
  GstElement *e = gst_element_factory_make ("vggclassify", NULL);
  gchar *model = test_model_path ("tiny-vgg.pt"), *error;
  GstBus *bus = gst_bus_new ();

  gst_element_set_bus (e, bus);
  g_object_set (e, "model", model, "gradcam", TRUE, NULL);
  gst_util_set_object_arg (G_OBJECT (e), "meta", "analytics");
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  error = test_pop_error (bus);
  fail_unless (error != NULL);
  fail_unless (
      strstr (error, "gradcam=true needs meta=roi or meta=both") != NULL, "%s",
      error);
  g_free (error);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  g_free (model);
}

GST_END_TEST;

/* A detector's objects: a car, a car reaching past the frame, a person. */
static GstPadProbeReturn
add_objects (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstAnalyticsRelationMeta *rmeta;
  GstVideoRegionOfInterestMeta *ref;
  GstAnalyticsODMtd od;

  buf = gst_buffer_make_writable (buf);
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  rmeta = gst_buffer_add_analytics_relation_meta (buf);
  gst_analytics_relation_meta_add_od_mtd (
      rmeta, g_quark_from_string ("car"), 10, 20, 50, 40, 0.9f, &od);
  gst_analytics_relation_meta_add_od_mtd (
      rmeta, g_quark_from_string ("car"), -10, 70, 40, 80, 0.8f, &od);
  gst_analytics_relation_meta_add_od_mtd (
      rmeta, g_quark_from_string ("person"), 100, 10, 30, 60, 0.7f, &od);
  /* The same rectangles as ROIs, to compare with: the clamped one as the
   * element should clamp it. */
  ref = gst_buffer_add_video_region_of_interest_meta (
      buf, "ref", 10, 20, 50, 40);
  ref->id = 50;
  ref->parent_id = -1;
  ref = gst_buffer_add_video_region_of_interest_meta (
      buf, "ref", 0, 70, 30, 50);
  ref->id = 51;
  ref->parent_id = -1;
  return GST_PAD_PROBE_OK;
}

/* The top-1 level of the ClsMtd related to ODMtd @od_id; -1 if none. */
static gfloat
od_top1 (GstBuffer *buf, guint od_id)
{
  GstAnalyticsRelationMeta *rmeta
      = gst_buffer_get_analytics_relation_meta (buf);
  GstAnalyticsClsMtd cls;

  return related_cls (rmeta, od_id, FALSE, &cls)
      ? gst_analytics_cls_mtd_get_level (&cls, 0)
      : -1;
}

static gdouble
roi_top1 (GstBuffer *buf, guint index)
{
  GPtrArray *refs = test_rois (buf, "ref");
  GstStructure *c = gst_video_region_of_interest_meta_get_param (
      g_ptr_array_index (refs, index), "classification");
  gdouble v = -1;

  fail_unless (gst_structure_get_double (c, "confidence", &v));
  g_ptr_array_unref (refs);
  return v;
}

GST_START_TEST (test_detector_objects)
{
  gchar *groups;
  GstBus *bus;
  GstHarness *h = harness ("meta=both roi-types=car,ref", FALSE, &groups, &bus);
  GstElement *c = gst_harness_find_element (h, "vggclassify");
  GstPad *sink = gst_element_get_static_pad (c, "sink");
  GstBuffer *out;
  GPtrArray *cars;

  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, add_objects, NULL, NULL);
  out = gst_harness_push_and_pull (h, frame ());
  /* ODMtds 0 and 1 are the cars, 2 the person (not selected). */
  fail_unless (ABS (od_top1 (out, 0) - roi_top1 (out, 0)) < 1e-6);
  fail_unless (ABS (od_top1 (out, 1) - roi_top1 (out, 1)) < 1e-6);
  fail_unless_equals_float (od_top1 (out, 2), -1);
  /* Each car also got an ROI of its own, clamped, linked to it. */
  cars = test_rois (out, "car");
  fail_unless_equals_int (cars->len, 2);
  fail_unless_equals_int (link_of (g_ptr_array_index (cars, 0)), 0);
  fail_unless_equals_int (link_of (g_ptr_array_index (cars, 1)), 1);
  fail_unless_equals_int (
      ((GstVideoRegionOfInterestMeta *) g_ptr_array_index (cars, 1))->x, 0);
  fail_unless_equals_int (
      ((GstVideoRegionOfInterestMeta *) g_ptr_array_index (cars, 1))->h, 50);
  g_ptr_array_unref (cars);
  fail_unless_equals_int (check_rois_match_analytics (out), 4);
  gst_buffer_unref (out);
  gst_object_unref (sink);
  gst_object_unref (c);
  test_harness_teardown (h, bus);
  remove_groups_file (groups);
}

GST_END_TEST;

/* gradcamoverlay draws the same boxes and labels from either kind. */
static GstBuffer *
overlaid (const gchar *meta)
{
  gchar *groups, *props = g_strdup_printf ("meta=%s ! gradcamoverlay", meta);
  GstBus *bus;
  GstHarness *h = harness (props, TRUE, &groups, &bus);
  GstBuffer *out = gst_harness_push_and_pull (h, frame ());

  test_harness_teardown (h, bus);
  remove_groups_file (groups);
  g_free (props);
  return out;
}

GST_START_TEST (test_overlay_reads_either_kind)
{
  GstBuffer *plain = frame ();
  GstBuffer *from_rois = overlaid ("roi");
  GstBuffer *from_analytics = overlaid ("analytics");
  GstMapInfo a, b, c;

  fail_unless (gst_buffer_map (plain, &a, GST_MAP_READ));
  fail_unless (gst_buffer_map (from_rois, &b, GST_MAP_READ));
  fail_unless (gst_buffer_map (from_analytics, &c, GST_MAP_READ));
  fail_unless_equals_int (a.size, b.size);
  fail_unless_equals_int (b.size, c.size);
  /* Boxes and labels were drawn, and the same from either kind. */
  fail_unless (memcmp (a.data, b.data, a.size) != 0);
  fail_unless (memcmp (b.data, c.data, b.size) == 0);
  gst_buffer_unmap (plain, &a);
  gst_buffer_unmap (from_rois, &b);
  gst_buffer_unmap (from_analytics, &c);
  gst_buffer_unref (plain);
  gst_buffer_unref (from_rois);
  gst_buffer_unref (from_analytics);
}

GST_END_TEST;

static Suite *
analytics_suite (void)
{
  Suite *s = suite_create ("analytics");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_both_kinds_agree);
  tcase_add_test (tc, test_meta_roi_writes_no_analytics);
  tcase_add_test (tc, test_meta_analytics_writes_no_roi_params);
  tcase_add_test (tc, test_meta_analytics_refuses_gradcam);
  tcase_add_test (tc, test_detector_objects);
  tcase_add_test (tc, test_overlay_reads_either_kind);
  return s;
}

GST_CHECK_MAIN (analytics);
