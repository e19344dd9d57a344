/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * vggtiler: exact tile rectangles, metadata layout, passthrough of the
 * buffer itself, and property and caps changes while running.
 */
#include <gst/check/gstharness.h>

#include "../testutil.h"

typedef struct
{
  gint x, y, w, h;
} Rect;

typedef struct
{
  gint id, parent_id;
  const gchar *type;
  Rect r;
  guint row, column, index;
} Roi;

/* The ROIs of @buf in the order they were added. */
static GArray *
collect_rois (GstBuffer *buf)
{
  GArray *rois = g_array_new (FALSE, TRUE, sizeof (Roi));
  gpointer state = NULL;
  GstMeta *meta;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *m = (GstVideoRegionOfInterestMeta *) meta;
    GstStructure *s = gst_video_region_of_interest_meta_get_param (m, "tile");
    Roi roi = {m->id, m->parent_id, g_quark_to_string (m->roi_type),
        {m->x, m->y, m->w, m->h}, 0, 0, 0};
    if (s) {
      fail_unless (gst_structure_get (s, "row", G_TYPE_UINT, &roi.row, "column",
          G_TYPE_UINT, &roi.column, "index", G_TYPE_UINT, &roi.index, NULL));
    }
    g_array_append_val (rois, roi);
  }
  return rois;
}

/* Only the "tile" ROIs, in index order. */
static GArray *
collect_tiles (GstBuffer *buf)
{
  GArray *all = collect_rois (buf), *tiles;
  guint i;

  tiles = g_array_new (FALSE, TRUE, sizeof (Roi));
  for (i = 0; i < all->len; i++) {
    Roi *r = &g_array_index (all, Roi, i);
    if (g_str_equal (r->type, "tile")) {
      fail_unless_equals_int (r->index, tiles->len);
      g_array_append_val (tiles, *r);
    }
  }
  g_array_unref (all);
  return tiles;
}

static GstHarness *
tiler_harness (const gchar *format, gint width, gint height)
{
  GstHarness *h = gst_harness_new ("vggtiler");
  gchar *caps = g_strdup_printf ("video/x-raw,format=%s,width=%d,height=%d,"
                                 "framerate=30/1",
      format, width, height);

  gst_harness_set_src_caps_str (h, caps);
  g_free (caps);
  return h;
}

/* Pushes one frame through and returns the output's tiles. */
static GArray *
tiles_for (GstHarness *h, const gchar *format, gint width, gint height)
{
  GstBuffer *out;
  GArray *tiles;

  out = gst_harness_push_and_pull (
      h, test_video_buffer (format, width, height, 0x5a));
  fail_unless (out != NULL);
  tiles = collect_tiles (out);
  gst_buffer_unref (out);
  return tiles;
}

static void
assert_tiles (GArray *tiles, const Rect *expected, guint n)
{
  guint i;

  fail_unless_equals_int (tiles->len, n);
  for (i = 0; i < n; i++) {
    Rect *r = &g_array_index (tiles, Roi, i).r;
    if (r->x != expected[i].x || r->y != expected[i].y || r->w != expected[i].w
        || r->h != expected[i].h)
      fail ("tile %u is %dx%d at %d,%d, expected %dx%d at %d,%d", i, r->w, r->h,
          r->x, r->y, expected[i].w, expected[i].h, expected[i].x,
          expected[i].y);
  }
}

GST_START_TEST (test_grid_exact_rectangles)
{
  /* 641 = 213 + 214 + 214 and 361 = 180 + 181 (cell edges at floor(i*n/k)). */
  static const Rect expected[] = {
      {0, 0, 213, 180},
      {213, 0, 214, 180},
      {427, 0, 214, 180},
      {0, 180, 213, 181},
      {213, 180, 214, 181},
      {427, 180, 214, 181},
  };
  GstHarness *h = tiler_harness ("RGB", 641, 361);
  GArray *tiles;
  guint i;

  g_object_set (h->element, "rows", 2, "columns", 3, NULL);
  tiles = tiles_for (h, "RGB", 641, 361);
  assert_tiles (tiles, expected, G_N_ELEMENTS (expected));
  for (i = 0; i < tiles->len; i++) {
    Roi *t = &g_array_index (tiles, Roi, i);
    fail_unless_equals_int (t->row, i / 3);
    fail_unless_equals_int (t->column, i % 3);
  }
  g_array_unref (tiles);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Checks that the grid covers the frame exactly: rows and columns of equal
 * spans (within one pixel), each starting where the previous one ends. */
static void
assert_partition (
    GArray *tiles, guint rows, guint cols, gint width, gint height)
{
  guint r, c;
  gint min_w = G_MAXINT, max_w = 0, min_h = G_MAXINT, max_h = 0;

  fail_unless_equals_int (tiles->len, rows * cols);
  for (r = 0; r < rows; r++) {
    for (c = 0; c < cols; c++) {
      Roi *t = &g_array_index (tiles, Roi, r * cols + c);
      Roi *top = &g_array_index (tiles, Roi, c);
      Roi *left = &g_array_index (tiles, Roi, r * cols);
      fail_unless_equals_int (t->row, r);
      fail_unless_equals_int (t->column, c);
      /* Same column, same x span; same row, same y span. */
      fail_unless_equals_int (t->r.x, top->r.x);
      fail_unless_equals_int (t->r.w, top->r.w);
      fail_unless_equals_int (t->r.y, left->r.y);
      fail_unless_equals_int (t->r.h, left->r.h);
      fail_unless (t->r.w > 0 && t->r.h > 0);
      if (c == 0) {
        fail_unless_equals_int (t->r.x, 0);
      } else {
        Rect *prev = &g_array_index (tiles, Roi, r * cols + c - 1).r;
        fail_unless_equals_int (t->r.x, prev->x + prev->w);
      }
      if (r == 0) {
        fail_unless_equals_int (t->r.y, 0);
      } else {
        Rect *above = &g_array_index (tiles, Roi, (r - 1) * cols + c).r;
        fail_unless_equals_int (t->r.y, above->y + above->h);
      }
      min_w = MIN (min_w, t->r.w);
      max_w = MAX (max_w, t->r.w);
      min_h = MIN (min_h, t->r.h);
      max_h = MAX (max_h, t->r.h);
    }
  }
  /* The last column and row end at the frame's edge. */
  {
    Roi *last = &g_array_index (tiles, Roi, rows * cols - 1);
    fail_unless_equals_int (last->r.x + last->r.w, width);
    fail_unless_equals_int (last->r.y + last->r.h, height);
  }
  fail_unless (max_w - min_w <= 1, "widths %d..%d", min_w, max_w);
  fail_unless (max_h - min_h <= 1, "heights %d..%d", min_h, max_h);
}

GST_START_TEST (test_grid_partition_many_sizes)
{
  static const gint sizes[][2] = {
      {1, 1},
      {2, 2},
      {3, 5},
      {7, 3},
      {17, 9},
      {641, 361},
      {1920, 1080},
      {7680, 4320},
  };
  static const guint grids[][2] = {{1, 1}, {2, 2}, {3, 3}, {4, 7}, {64, 64}};
  guint s, g;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++) {
    gint w = sizes[s][0], hgt = sizes[s][1];
    GstHarness *h = tiler_harness ("GRAY8", w, hgt);
    for (g = 0; g < G_N_ELEMENTS (grids); g++) {
      guint rows = grids[g][0], cols = grids[g][1];
      GArray *tiles;
      g_object_set (h->element, "rows", rows, "columns", cols, NULL);
      tiles = tiles_for (h, "GRAY8", w, hgt);
      /* A frame smaller than the grid gets one tile per pixel line. */
      assert_partition (
          tiles, MIN (rows, (guint) hgt), MIN (cols, (guint) w), w, hgt);
      g_array_unref (tiles);
    }
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

GST_START_TEST (test_grid_7680x4320_exact)
{
  /* 7680 / 3 = 2560 exactly; 4320 / 7 = 617.14: edges 0 617 1234 1851 2468
   * 3085 3702 4320. */
  static const gint ys[] = {0, 617, 1234, 1851, 2468, 3085, 3702, 4320};
  GstHarness *h = tiler_harness ("NV12", 7680, 4320);
  GArray *tiles;
  guint r, c;

  g_object_set (h->element, "rows", 7, "columns", 3, NULL);
  tiles = tiles_for (h, "NV12", 7680, 4320);
  fail_unless_equals_int (tiles->len, 21);
  for (r = 0; r < 7; r++) {
    for (c = 0; c < 3; c++) {
      Rect *t = &g_array_index (tiles, Roi, r * 3 + c).r;
      fail_unless_equals_int (t->x, 2560 * c);
      fail_unless_equals_int (t->w, 2560);
      fail_unless_equals_int (t->y, ys[r]);
      fail_unless_equals_int (t->h, ys[r + 1] - ys[r]);
    }
  }
  g_array_unref (tiles);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_small_frame_fewer_tiles_and_warning)
{
  static const Rect one[] = {{0, 0, 1, 1}};
  static const Rect three[] = {{0, 0, 1, 2}, {1, 0, 1, 2}, {2, 0, 1, 2}};
  GstHarness *h = tiler_harness ("RGB", 1, 1);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GArray *tiles;
  GError *err = NULL;

  gst_element_set_bus (h->element, bus);
  tiles = tiles_for (h, "RGB", 1, 1);
  assert_tiles (tiles, one, 1);
  g_array_unref (tiles);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (strstr (err->message, "too small for a 2x2 grid") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (msg);

  /* Warned once, not on every frame. */
  tiles = tiles_for (h, "RGB", 1, 1);
  g_array_unref (tiles);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);

  /* 3x2 with a 4x4 grid: three columns of one pixel, two rows of one. */
  g_object_set (h->element, "rows", 4, "columns", 4, NULL);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=3,height=2,framerate=30/1");
  tiles = tiles_for (h, "RGB", 3, 2);
  fail_unless_equals_int (tiles->len, 6);
  {
    /* First row: 1x1 tiles at x = 0, 1, 2. */
    guint i;
    for (i = 0; i < 3; i++) {
      Rect *r = &g_array_index (tiles, Roi, i).r;
      fail_unless (r->x == three[i].x && r->y == 0 && r->w == 1 && r->h == 1);
    }
  }
  g_array_unref (tiles);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_fixed_size_tiles)
{
  /* 1920 wide, 500 px tiles: 0 500 1000 and the last shifted in to 1420;
   * 1080 high, 400 px: 0 400 and the last at 680. */
  static const gint xs[] = {0, 500, 1000, 1420}, ys[] = {0, 400, 680};
  GstHarness *h = tiler_harness ("BGRx", 1920, 1080);
  GArray *tiles;
  guint r, c;

  g_object_set (h->element, "tile-width", 500, "tile-height", 400, NULL);
  tiles = tiles_for (h, "BGRx", 1920, 1080);
  fail_unless_equals_int (tiles->len, 12);
  for (r = 0; r < 3; r++) {
    for (c = 0; c < 4; c++) {
      Roi *t = &g_array_index (tiles, Roi, r * 4 + c);
      fail_unless_equals_int (t->r.x, xs[c]);
      fail_unless_equals_int (t->r.y, ys[r]);
      fail_unless_equals_int (t->r.w, 500);
      fail_unless_equals_int (t->r.h, 400);
      fail_unless_equals_int (t->row, r);
      fail_unless_equals_int (t->column, c);
    }
  }
  g_array_unref (tiles);

  /* Only tile-width set: square 224 px tiles; 1920 = 8 * 224 + 128, so 9
   * columns, the last at 1696; 1080: 0 224 448 672 and 856. */
  g_object_set (h->element, "tile-width", 224, "tile-height", 0, NULL);
  tiles = tiles_for (h, "BGRx", 1920, 1080);
  fail_unless_equals_int (tiles->len, 9 * 5);
  fail_unless_equals_int (g_array_index (tiles, Roi, 8).r.x, 1696);
  fail_unless_equals_int (g_array_index (tiles, Roi, 44).r.y, 856);
  fail_unless_equals_int (g_array_index (tiles, Roi, 44).r.h, 224);
  g_array_unref (tiles);

  /* Overlap 0.5 with 400 px tiles on 1000 px: stride 200, x = 0..600. */
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=BGRx,width=1000,height=400,framerate=30/1");
  g_object_set (
      h->element, "tile-width", 400, "tile-height", 400, "overlap", 0.5, NULL);
  tiles = tiles_for (h, "BGRx", 1000, 400);
  {
    static const Rect expected[] = {
        {0, 0, 400, 400},
        {200, 0, 400, 400},
        {400, 0, 400, 400},
        {600, 0, 400, 400},
    };
    assert_tiles (tiles, expected, 4);
  }
  g_array_unref (tiles);

  /* Tiles larger than the frame shrink to it. */
  g_object_set (h->element, "tile-width", 2000, "tile-height", 2000, "overlap",
      0.0, NULL);
  tiles = tiles_for (h, "BGRx", 1000, 400);
  {
    static const Rect expected[] = {{0, 0, 1000, 400}};
    assert_tiles (tiles, expected, 1);
  }
  g_array_unref (tiles);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_fixed_size_too_many_tiles_is_an_error)
{
  GstHarness *h = tiler_harness ("GRAY8", 7680, 4320);
  GstBus *bus = gst_bus_new ();
  gchar *text;

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "tile-width", 8, NULL);
  fail_unless_equals_int (
      gst_harness_push (h, test_video_buffer ("GRAY8", 7680, 4320, 0x5a)),
      GST_FLOW_ERROR);
  text = test_pop_error (bus);
  fail_unless (text && strstr (text, "more than 4096 tiles"), "%s", text);
  g_free (text);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_grid_overlap)
{
  /* 400x200 in 2x2 cells of 200x100; overlap 0.5 moves each shared edge
   * 50 px into the neighbour horizontally and 25 px vertically. */
  static const Rect expected[] = {
      {0, 0, 250, 125},
      {150, 0, 250, 125},
      {0, 75, 250, 125},
      {150, 75, 250, 125},
  };
  GstHarness *h = tiler_harness ("RGB", 400, 200);
  GArray *tiles;

  g_object_set (h->element, "overlap", 0.5, NULL);
  tiles = tiles_for (h, "RGB", 400, 200);
  assert_tiles (tiles, expected, 4);
  g_array_unref (tiles);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_region)
{
  /* The lower half of 1000x800 in 2x2: 500x200 tiles from y = 400. */
  static const Rect lower[] = {
      {0, 400, 500, 200},
      {500, 400, 500, 200},
      {0, 600, 500, 200},
      {500, 600, 500, 200},
  };
  /* Region 0.1,0.25,0.5,0.5 = 100,200 500x400; 1x2 grid with overlap 0.2:
   * cells 250 wide, the shared edge moved 25 px into each neighbour, the
   * outer edges staying on the region's. */
  static const Rect inner[] = {{100, 200, 275, 400}, {325, 200, 275, 400}};
  GstHarness *h = tiler_harness ("I420", 1000, 800);
  GArray *tiles;
  gchar *region;

  g_object_set (h->element, "region", "0,0.5,1,0.5", NULL);
  tiles = tiles_for (h, "I420", 1000, 800);
  assert_tiles (tiles, lower, 4);
  g_array_unref (tiles);

  g_object_set (h->element, "region", "0.1, 0.25, 0.5, 0.5", "rows", 1,
      "overlap", 0.2, NULL);
  g_object_get (h->element, "region", &region, NULL);
  fail_unless_equals_string (region, "0.1,0.25,0.5,0.5");
  g_free (region);
  tiles = tiles_for (h, "I420", 1000, 800);
  assert_tiles (tiles, inner, 2);
  g_array_unref (tiles);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_full_frame_roi)
{
  GstHarness *h = tiler_harness ("RGB", 320, 240);
  GstBuffer *out;
  GArray *rois;
  guint i;

  out = gst_harness_push_and_pull (
      h, test_video_buffer ("RGB", 320, 240, 0x5a));
  rois = collect_rois (out);
  fail_unless_equals_int (rois->len, 5);
  {
    Roi *frame = &g_array_index (rois, Roi, 0);
    fail_unless_equals_string (frame->type, "frame");
    fail_unless (frame->r.x == 0 && frame->r.y == 0 && frame->r.w == 320
        && frame->r.h == 240);
    fail_unless_equals_int (frame->parent_id, -1);
    for (i = 1; i < 5; i++) {
      Roi *t = &g_array_index (rois, Roi, i);
      fail_unless_equals_string (t->type, "tile");
      fail_unless_equals_int (t->parent_id, frame->id);
      fail_unless_equals_int (t->index, i - 1);
    }
    /* Ids unique within the buffer. */
    for (i = 0; i < 5; i++) {
      guint j;
      for (j = i + 1; j < 5; j++)
        fail_if (
            g_array_index (rois, Roi, i).id == g_array_index (rois, Roi, j).id);
    }
  }
  g_array_unref (rois);
  gst_buffer_unref (out);

  g_object_set (h->element, "include-full-frame", FALSE, NULL);
  out = gst_harness_push_and_pull (
      h, test_video_buffer ("RGB", 320, 240, 0x5a));
  rois = collect_rois (out);
  fail_unless_equals_int (rois->len, 4);
  for (i = 0; i < 4; i++) {
    fail_unless_equals_string (g_array_index (rois, Roi, i).type, "tile");
    fail_unless_equals_int (g_array_index (rois, Roi, i).parent_id, -1);
  }
  g_array_unref (rois);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_existing_rois_kept)
{
  GstHarness *h = tiler_harness ("RGB", 320, 240);
  GstBuffer *in = test_video_buffer ("RGB", 320, 240, 0x5a), *out;
  GstVideoRegionOfInterestMeta *face;
  GArray *rois;
  guint i;

  face = gst_buffer_add_video_region_of_interest_meta (
      in, "face", 10, 20, 30, 40);
  face->id = 7;
  out = gst_harness_push_and_pull (h, in);
  rois = collect_rois (out);
  fail_unless_equals_int (rois->len, 6);
  fail_unless_equals_string (g_array_index (rois, Roi, 0).type, "face");
  fail_unless_equals_int (g_array_index (rois, Roi, 0).id, 7);
  fail_unless_equals_int (g_array_index (rois, Roi, 0).r.w, 30);
  /* New ids come after the existing ones. */
  for (i = 1; i < 6; i++)
    fail_unless_equals_int (g_array_index (rois, Roi, i).id, 7 + i);
  g_array_unref (rois);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Pushes a 320x240 frame carrying "face" ROIs with @n ids through a 2x2
 * tiler (frame ROI and four tiles) and checks the five new ids. */
static void
assert_new_ids (const gint *existing, guint n, gint first_new)
{
  GstHarness *h = tiler_harness ("RGB", 320, 240);
  GstBuffer *in = test_video_buffer ("RGB", 320, 240, 0x5a), *out;
  GArray *rois;
  guint i;

  for (i = 0; i < n; i++)
    gst_buffer_add_video_region_of_interest_meta (in, "face", 0, 0, 8, 8)->id
        = existing[i];
  out = gst_harness_push_and_pull (h, in);
  rois = collect_rois (out);
  fail_unless_equals_int (rois->len, n + 5);
  fail_unless_equals_string (g_array_index (rois, Roi, n).type, "frame");
  for (i = 0; i < 5; i++) {
    Roi *r = &g_array_index (rois, Roi, n + i);
    fail_unless_equals_int (r->id, first_new + (gint) i);
    if (i > 0)
      fail_unless_equals_int (r->parent_id, first_new);
  }
  g_array_unref (rois);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_START_TEST (test_ids_never_wrap)
{
  /* Ids above the largest, up to G_MAXINT exactly. */
  static const gint below[] = {G_MAXINT - 5};
  /* No room above G_MAXINT - 2: the lowest five free ids, 0..4. */
  static const gint near[] = {G_MAXINT - 2};
  /* G_MAXINT taken, 1 and 3..7 free: the first gap of five is 3..7 (a
   * negative id, an element's "none", is no id). */
  static const gint full[] = {0, 2, G_MAXINT, -1, 8};

  assert_new_ids (below, G_N_ELEMENTS (below), G_MAXINT - 4);
  assert_new_ids (near, G_N_ELEMENTS (near), 0);
  assert_new_ids (full, G_N_ELEMENTS (full), 3);
}

GST_END_TEST;

GST_START_TEST (test_property_change_while_playing)
{
  GstHarness *h = tiler_harness ("RGB", 300, 300);
  GArray *tiles;

  tiles = tiles_for (h, "RGB", 300, 300);
  fail_unless_equals_int (tiles->len, 4);
  g_array_unref (tiles);

  fail_unless_equals_int (GST_STATE (h->element), GST_STATE_PLAYING);
  g_object_set (h->element, "rows", 3, "columns", 3, NULL);
  tiles = tiles_for (h, "RGB", 300, 300);
  {
    static const Rect expected[] = {
        {0, 0, 100, 100},
        {100, 0, 100, 100},
        {200, 0, 100, 100},
        {0, 100, 100, 100},
        {100, 100, 100, 100},
        {200, 100, 100, 100},
        {0, 200, 100, 100},
        {100, 200, 100, 100},
        {200, 200, 100, 100},
    };
    assert_tiles (tiles, expected, 9);
  }
  g_array_unref (tiles);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_renegotiation)
{
  static const Rect small[] = {
      {0, 0, 80, 60},
      {80, 0, 80, 60},
      {0, 60, 80, 60},
      {80, 60, 80, 60},
  };
  GstHarness *h = tiler_harness ("RGB", 640, 480);
  GArray *tiles;

  tiles = tiles_for (h, "RGB", 640, 480);
  fail_unless_equals_int (g_array_index (tiles, Roi, 3).r.x, 320);
  g_array_unref (tiles);

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=RGB,width=160,height=120,framerate=30/1");
  tiles = tiles_for (h, "RGB", 160, 120);
  assert_tiles (tiles, small, 4);
  g_array_unref (tiles);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_buffer_passes_through_unmodified)
{
  GstHarness *h = tiler_harness ("BGRx", 64, 48);
  GstBuffer *in = test_video_buffer ("BGRx", 64, 48, 0x5a), *out;
  GstMemory *mem = gst_buffer_peek_memory (in, 0);
  GstMapInfo map_in, map_out;
  guint8 *copy;
  gsize i;

  /* A recognisable pattern to compare against afterwards. */
  gst_buffer_map (in, &map_in, GST_MAP_WRITE);
  for (i = 0; i < map_in.size; i++)
    map_in.data[i] = (guint8) (i * 31 + 7);
  copy = g_memdup2 (map_in.data, map_in.size);
  gst_buffer_unmap (in, &map_in);

  GST_BUFFER_PTS (in) = 40 * GST_MSECOND;
  GST_BUFFER_DTS (in) = 33 * GST_MSECOND;
  GST_BUFFER_DURATION (in) = 33 * GST_MSECOND;
  GST_BUFFER_OFFSET (in) = 12;
  GST_BUFFER_FLAG_SET (
      in, GST_BUFFER_FLAG_DISCONT | GST_BUFFER_FLAG_DELTA_UNIT);

  out = gst_harness_push_and_pull (h, in);
  fail_unless (out == in, "the output buffer is not the input buffer");
  fail_unless (gst_buffer_peek_memory (out, 0) == mem);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (out), 40 * GST_MSECOND);
  fail_unless_equals_uint64 (GST_BUFFER_DTS (out), 33 * GST_MSECOND);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), 33 * GST_MSECOND);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (out), 12);
  fail_unless (GST_BUFFER_FLAG_IS_SET (out, GST_BUFFER_FLAG_DISCONT));
  fail_unless (GST_BUFFER_FLAG_IS_SET (out, GST_BUFFER_FLAG_DELTA_UNIT));
  gst_buffer_map (out, &map_out, GST_MAP_READ);
  fail_unless (memcmp (map_out.data, copy, map_out.size) == 0);
  gst_buffer_unmap (out, &map_out);
  g_free (copy);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_shared_buffer_keeps_its_memory)
{
  /* A buffer that is not writable gets a new GstBuffer for the meta but the
   * same memory: no pixel is copied. */
  GstHarness *h = tiler_harness ("RGB", 32, 32);
  GstBuffer *in = test_video_buffer ("RGB", 32, 32, 0x5a), *out;
  GstMemory *mem = gst_buffer_peek_memory (in, 0);

  gst_buffer_ref (in);
  out = gst_harness_push_and_pull (h, in);
  fail_unless (gst_buffer_peek_memory (out, 0) == mem);
  fail_unless (gst_buffer_get_video_region_of_interest_meta (in) == NULL);
  fail_unless (gst_buffer_get_video_region_of_interest_meta (out) != NULL);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_raw_formats)
{
  static const gchar *formats[] = {"RGB", "BGRx", "I420", "NV12", "GRAY8"};
  static const Rect expected[] = {
      {0, 0, 88, 36},
      {88, 0, 88, 36},
      {0, 36, 88, 36},
      {88, 36, 88, 36},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    GstHarness *h = tiler_harness (formats[i], 176, 72);
    GArray *tiles = tiles_for (h, formats[i], 176, 72);
    assert_tiles (tiles, expected, 4);
    g_array_unref (tiles);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

static gboolean
value_rejected (GstElement *element, const gchar *name, const GValue *v)
{
  GParamSpec *pspec
      = g_object_class_find_property (G_OBJECT_GET_CLASS (element), name);
  GValue copy = G_VALUE_INIT;
  gboolean changed;

  fail_unless (pspec != NULL);
  g_value_init (&copy, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_value_copy (v, &copy);
  /* TRUE when the value had to be modified to fit the range. */
  changed = g_param_value_validate (pspec, &copy);
  g_value_unset (&copy);
  return changed;
}

GST_START_TEST (test_out_of_range_properties_rejected)
{
  GstElement *tiler = gst_element_factory_make ("vggtiler", NULL);
  GValue v = G_VALUE_INIT;
  static const gchar *bad_regions[] = {
      "",
      "0,0,1",
      "0,0,1,1,1",
      "a,b,c,d",
      "0,0,0,1",
      "-0.1,0,1,1",
      "0.5,0,0.6,1",
      "0,0.2,1,0.9",
      "0,0,1,1x",
      "nan,0,1,1",
  };
  gchar *region;
  guint i;

  g_value_init (&v, G_TYPE_UINT);
  g_value_set_uint (&v, 0);
  fail_unless (value_rejected (tiler, "rows", &v));
  fail_unless (value_rejected (tiler, "columns", &v));
  g_value_set_uint (&v, 65);
  fail_unless (value_rejected (tiler, "rows", &v));
  fail_unless (value_rejected (tiler, "columns", &v));
  g_value_set_uint (&v, 64);
  fail_if (value_rejected (tiler, "rows", &v));
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, 0.95);
  fail_unless (value_rejected (tiler, "overlap", &v));
  g_value_set_double (&v, -0.1);
  fail_unless (value_rejected (tiler, "overlap", &v));
  g_value_unset (&v);

  gst_check_add_log_filter (NULL, G_LOG_LEVEL_WARNING,
      g_regex_new ("ignoring invalid region", 0, 0, NULL), NULL, NULL, NULL);
  g_object_set (tiler, "region", "0,0.5,1,0.5", NULL);
  for (i = 0; i < G_N_ELEMENTS (bad_regions); i++) {
    g_object_set (tiler, "region", bad_regions[i], NULL);
    g_object_get (tiler, "region", &region, NULL);
    fail_unless_equals_string (region, "0,0.5,1,0.5");
    g_free (region);
  }
  gst_check_clear_log_filter ();
  gst_object_unref (tiler);
}

GST_END_TEST;

static Suite *
vggtiler_suite (void)
{
  Suite *s = suite_create ("vggtiler");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_grid_exact_rectangles);
  tcase_add_test (tc, test_grid_partition_many_sizes);
  tcase_add_test (tc, test_grid_7680x4320_exact);
  tcase_add_test (tc, test_small_frame_fewer_tiles_and_warning);
  tcase_add_test (tc, test_fixed_size_tiles);
  tcase_add_test (tc, test_fixed_size_too_many_tiles_is_an_error);
  tcase_add_test (tc, test_grid_overlap);
  tcase_add_test (tc, test_region);
  tcase_add_test (tc, test_full_frame_roi);
  tcase_add_test (tc, test_existing_rois_kept);
  tcase_add_test (tc, test_property_change_while_playing);
  tcase_add_test (tc, test_renegotiation);
  tcase_add_test (tc, test_buffer_passes_through_unmodified);
  tcase_add_test (tc, test_shared_buffer_keeps_its_memory);
  tcase_add_test (tc, test_raw_formats);
  tcase_add_test (tc, test_out_of_range_properties_rejected);
  tcase_add_test (tc, test_ids_never_wrap);
  return s;
}

GST_CHECK_MAIN (vggtiler);
