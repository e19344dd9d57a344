/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The metadata contract: what the writers put on a buffer is what the
 * README documents (field names and types, read here with plain GStreamer
 * calls), and the readers give back exactly what was written.
 */
#include "roimeta.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

class Gst : public ::testing::Environment
{
public:
  void SetUp () override { gst_init (NULL, NULL); }
};
const auto *gst_env = ::testing::AddGlobalTestEnvironment (new Gst);

vgg::Classification
sample_classification ()
{
  vgg::Classification c;
  c.top = {
      {717, "pickup", 0.5}, {656, "minivan", 0.25}, {3, "tiger_shark", 0.125}};
  c.wnid = "n03930630";
  c.model = "vgg16-imagenet";
  c.stale = true;
  /* A group may be named like a field: group scores have their own arrays. */
  c.groups = {{"vehicle", 0.75}, {"label", 0.0625}};
  return c;
}

const GValue *
array_item (const GstStructure *s, const char *field, guint i)
{
  const GValue *array = gst_structure_get_value (s, field);
  EXPECT_TRUE (array && GST_VALUE_HOLDS_ARRAY (array)) << field;
  return gst_value_array_get_value (array, i);
}

} // namespace

TEST (RoiMeta, ClassificationAsDocumented)
{
  GstBuffer *buf = gst_buffer_new ();
  GstVideoRegionOfInterestMeta *roi = vgg_roi_add_frame (buf, 7, 64, 48);

  vgg_roi_set_classification (roi, sample_classification ());
  const GstStructure *s
      = gst_video_region_of_interest_meta_get_param (roi, "classification");
  ASSERT_NE (s, nullptr);
  gint label_id = 0;
  gdouble confidence = 0;
  gboolean stale = FALSE;
  EXPECT_STREQ (gst_structure_get_string (s, "label"), "pickup");
  EXPECT_TRUE (gst_structure_get_int (s, "label_id", &label_id));
  EXPECT_EQ (label_id, 717);
  EXPECT_TRUE (gst_structure_get_double (s, "confidence", &confidence));
  EXPECT_EQ (confidence, 0.5);
  EXPECT_STREQ (gst_structure_get_string (s, "wnid"), "n03930630");
  EXPECT_STREQ (gst_structure_get_string (s, "model"), "vgg16-imagenet");
  EXPECT_TRUE (gst_structure_get_boolean (s, "stale", &stale));
  EXPECT_TRUE (stale);
  EXPECT_EQ (g_value_get_int (array_item (s, "top_ids", 1)), 656);
  EXPECT_STREQ (
      g_value_get_string (array_item (s, "top_labels", 2)), "tiger_shark");
  EXPECT_EQ (g_value_get_double (array_item (s, "top_scores", 2)), 0.125);
  EXPECT_STREQ (g_value_get_string (array_item (s, "group_names", 1)), "label");
  EXPECT_EQ (g_value_get_double (array_item (s, "group_scores", 0)), 0.75);
  /* The group named "label" did not clobber the label. */
  EXPECT_EQ (gst_structure_get_field_type (s, "label"), G_TYPE_STRING);
  EXPECT_EQ (roi->id, 7);
  EXPECT_EQ (roi->parent_id, VGG_ROI_NO_PARENT);
  gst_buffer_unref (buf);
}

TEST (RoiMeta, RoundTrip)
{
  GstBuffer *buf = gst_buffer_new ();
  GstVideoRegionOfInterestMeta *frame = vgg_roi_add_frame (buf, 0, 640, 480);
  GstVideoRegionOfInterestMeta *tile
      = vgg_roi_add_tile (buf, 1, 0, 320, 240, 320, 240, {1, 1, 3});
  vgg::Classification in = sample_classification (), out;
  vgg::GradCam cam, cam_out;
  vgg::TilePosition pos;
  std::string why;

  cam.class_id = 717;
  cam.method = "layercam";
  cam.stale = true;
  cam.width = 3;
  cam.height = 2;
  cam.max = 4.5f;
  cam.data = {0.0f, 0.25f, 0.5f, 0.75f, 1.0f, 0.125f};
  vgg_roi_set_classification (tile, in);
  vgg_roi_set_gradcam (tile, cam);

  ASSERT_TRUE (vgg_roi_get_classification (tile, out));
  ASSERT_EQ (out.top.size (), 3u);
  for (size_t i = 0; i < 3; i++) {
    EXPECT_EQ (out.top[i].id, in.top[i].id);
    EXPECT_EQ (out.top[i].label, in.top[i].label);
    EXPECT_EQ (out.top[i].score, in.top[i].score);
  }
  EXPECT_EQ (out.wnid, in.wnid);
  EXPECT_EQ (out.model, in.model);
  EXPECT_EQ (out.stale, in.stale);
  ASSERT_EQ (out.groups.size (), 2u);
  EXPECT_EQ (out.group_score ("vehicle"), 0.75);
  EXPECT_EQ (out.group_score ("label"), 0.0625);
  EXPECT_EQ (out.group_score ("animal"), -1.0);

  ASSERT_TRUE (vgg_roi_get_gradcam (tile, cam_out, why)) << why;
  EXPECT_EQ (cam_out.class_id, 717);
  EXPECT_EQ (cam_out.method, "layercam");
  EXPECT_TRUE (cam_out.stale);
  EXPECT_EQ (cam_out.width, 3);
  EXPECT_EQ (cam_out.height, 2);
  EXPECT_EQ (cam_out.max, 4.5f);
  EXPECT_EQ (cam_out.data, cam.data);

  ASSERT_TRUE (vgg_roi_get_tile (tile, pos));
  EXPECT_EQ (pos.row, 1u);
  EXPECT_EQ (pos.column, 1u);
  EXPECT_EQ (pos.index, 3u);
  EXPECT_EQ (tile->parent_id, 0);
  EXPECT_FALSE (vgg_roi_get_tile (frame, pos));
  EXPECT_FALSE (vgg_roi_get_classification (frame, out));
  EXPECT_FALSE (vgg_roi_get_gradcam (frame, cam_out, why));
  EXPECT_TRUE (why.empty ());

  /* A second classifier replaces the params; ids continue above. */
  in.top = {{1, "other", 0.9}};
  in.groups.clear ();
  vgg_roi_set_classification (tile, in);
  ASSERT_TRUE (vgg_roi_get_classification (tile, out));
  EXPECT_EQ (out.top.size (), 1u);
  EXPECT_TRUE (out.groups.empty ());
  EXPECT_EQ (
      g_list_length (tile->params), 3u); /* tile, classification, gradcam */
  EXPECT_EQ (vgg_roi_next_id (buf), 2);
  EXPECT_EQ (vgg_buffer_rois (buf).size (), 2u);
  gst_buffer_unref (buf);
}

/* New ids never wrap past G_MAXINT into negative or repeated ones. */
TEST (RoiMeta, NextIdAtTheTop)
{
  GstBuffer *buf = gst_buffer_new ();
  EXPECT_EQ (vgg_roi_next_id (buf), 0);
  vgg_roi_add_frame (buf, G_MAXINT - 1, 8, 8);
  EXPECT_EQ (vgg_roi_next_id (buf), G_MAXINT);
  EXPECT_EQ (vgg_roi_next_ids (buf, 2), 0);
  vgg_roi_add_frame (buf, G_MAXINT, 8, 8);
  vgg_roi_add_frame (buf, 0, 8, 8);
  EXPECT_EQ (vgg_roi_next_id (buf), 1);
  vgg_roi_add_frame (buf, 1, 8, 8);
  vgg_roi_add_frame (buf, 3, 8, 8);
  EXPECT_EQ (vgg_roi_next_id (buf), 2);
  EXPECT_EQ (vgg_roi_next_ids (buf, 2), 4);
  gst_buffer_unref (buf);
}

TEST (RoiMeta, MalformedParamsAreRefused)
{
  GstBuffer *buf = gst_buffer_new ();
  GstVideoRegionOfInterestMeta *roi = vgg_roi_add_frame (buf, 0, 8, 8);
  vgg::Classification c;
  vgg::GradCam cam;
  std::string why;

  /* A classification without its top-k, or with arrays that disagree. */
  gst_video_region_of_interest_meta_add_param (roi,
      gst_structure_from_string ("classification, label=cab, "
                                 "confidence=0.5, top_ids=<(int)1, (int)2>, "
                                 "top_labels=<a>, top_scores=<(double)0.5>",
          NULL));
  EXPECT_FALSE (vgg_roi_get_classification (roi, c));

  float data[4] = {0, 0, 0, 0};
  GstBuffer *bytes = gst_buffer_new_memdup (data, sizeof data);
  gst_video_region_of_interest_meta_add_param (roi,
      gst_structure_new ("gradcam", "width", G_TYPE_INT, 3, "height",
          G_TYPE_INT, 2, "data", GST_TYPE_BUFFER, bytes, NULL));
  gst_buffer_unref (bytes);
  EXPECT_FALSE (vgg_roi_get_gradcam (roi, cam, why));
  EXPECT_EQ (why, "16 bytes of data for 3x2 floats");

  /* A writer older than "method" and "stale": Grad-CAM, fresh. */
  GstVideoRegionOfInterestMeta *old = vgg_roi_add_frame (buf, 1, 8, 8);
  bytes = gst_buffer_new_memdup (data, sizeof data);
  gst_video_region_of_interest_meta_add_param (old,
      gst_structure_new ("gradcam", "class_id", G_TYPE_INT, 2, "width",
          G_TYPE_INT, 2, "height", G_TYPE_INT, 2, "data", GST_TYPE_BUFFER,
          bytes, NULL));
  gst_buffer_unref (bytes);
  ASSERT_TRUE (vgg_roi_get_gradcam (old, cam, why)) << why;
  EXPECT_EQ (cam.method, "gradcam");
  EXPECT_FALSE (cam.stale);

  vgg::GradCam zero;
  zero.width = 0;
  zero.height = 4;
  vgg_roi_set_gradcam (roi, zero);
  EXPECT_FALSE (vgg_roi_get_gradcam (roi, cam, why));
  EXPECT_EQ (why, "size 0x4 is out of range");
  gst_buffer_unref (buf);
}

TEST (RoiMeta, FrameMessageRoundTrip)
{
  vgg::FrameMessage m, out;
  m.timestamp = 40 * GST_MSECOND;
  m.frame = 1;
  m.label = "minivan";
  m.label_id = 656;
  m.score = 0.625;
  m.roi = 3;
  m.stale = true;
  m.groups = {{"vehicle", true, 0.75, 3}, {"animal", false, 0.0, 0}};

  GstStructure *s = vgg_frame_message_new (m);
  gboolean present = FALSE;
  gint roi = -1;
  guint64 ts = 0;
  EXPECT_TRUE (gst_structure_has_name (s, "vggclassify"));
  EXPECT_TRUE (gst_structure_get_uint64 (s, "timestamp", &ts));
  EXPECT_EQ (ts, 40 * GST_MSECOND);
  EXPECT_TRUE (gst_structure_get_boolean (s, "vehicle-present", &present));
  EXPECT_TRUE (present);
  EXPECT_TRUE (gst_structure_get_int (s, "vehicle-roi", &roi));
  EXPECT_EQ (roi, 3);
  EXPECT_STREQ (g_value_get_string (array_item (s, "groups", 1)), "animal");

  ASSERT_TRUE (vgg_frame_message_read (s, out));
  EXPECT_EQ (out.timestamp, m.timestamp);
  EXPECT_EQ (out.frame, m.frame);
  EXPECT_EQ (out.label, m.label);
  EXPECT_EQ (out.label_id, m.label_id);
  EXPECT_EQ (out.score, m.score);
  EXPECT_EQ (out.roi, m.roi);
  EXPECT_EQ (out.stale, m.stale);
  ASSERT_EQ (out.groups.size (), 2u);
  EXPECT_EQ (out.groups[0].name, "vehicle");
  EXPECT_TRUE (out.groups[0].present);
  EXPECT_EQ (out.groups[0].score, 0.75);
  EXPECT_EQ (out.groups[1].roi, 0);
  gst_structure_free (s);

  s = gst_structure_new_empty ("other");
  EXPECT_FALSE (vgg_frame_message_read (s, out));
  gst_structure_free (s);
}
