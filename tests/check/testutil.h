/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Helpers shared by the element tests.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

/* A harness on the @launch description whose elements post on a bus of
 * their own (@bus), so that tests can read errors and messages. */
GstHarness *test_harness_new (const gchar *launch, GstBus **bus);

/* Tears down a harness made by test_harness_new() and its bus. */
void test_harness_teardown (GstHarness *h, GstBus *bus);

/* A frame of @format filled with @value. */
GstBuffer *test_video_buffer (
    const gchar *format, gint width, gint height, guint8 value);

/* RGB frame filled with (r, g, b) noise of amplitude @noise around @base,
 * seeded with @seed, plus an optional red square (size 0 for none). */
GstBuffer *test_rgb_frame (gint width, gint height, guint8 base, gint noise,
    guint32 seed, gint sq_x, gint sq_y, gint sq_size);

/* The ROI metas of @buf of @type (NULL: all), in the order they were added. */
GPtrArray *test_rois (GstBuffer *buf, const gchar *type);

/* The first ROI of @buf with roi_type @type and "tile" index @index (or -1
 * for no tile param). */
GstVideoRegionOfInterestMeta *test_roi (
    GstBuffer *buf, const gchar *type, gint index);

/* A "classification" param as vggclassify writes it: top-1 @label
 * (@label_id) with @confidence, and one class group @group with @score. */
GstStructure *test_classification (const gchar *label, gint label_id,
    gdouble confidence, const gchar *group, gdouble score);

/* The score of class group @group in a "classification" param; fails the
 * test if there is none. */
gdouble test_group_score (
    const GstStructure *classification, const gchar *group);

/* Pops the next error message's text from @bus (g_free it); NULL if none. */
gchar *test_pop_error (GstBus *bus);

/* Pops the next element message named @name (unref it); NULL if none. */
GstMessage *test_pop_element_message (GstBus *bus, const gchar *name);

/* Path of a generated test model or data file (g_free it). */
gchar *test_model_path (const gchar *name);
