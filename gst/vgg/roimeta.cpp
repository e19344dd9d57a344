/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "roimeta.h"

#include <string>

gint
vgg_roi_next_id (GstBuffer *buffer)
{
  gpointer state = NULL;
  GstMeta *meta;
  gint next = 0;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buffer, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    gint id = ((GstVideoRegionOfInterestMeta *) meta)->id;
    if (id >= next)
      next = id + 1;
  }
  return next;
}

GstVideoRegionOfInterestMeta *
vgg_roi_add_frame (GstBuffer *buffer, gint id, guint width, guint height)
{
  GstVideoRegionOfInterestMeta *meta;

  meta = gst_buffer_add_video_region_of_interest_meta (
      buffer, VGG_ROI_TYPE_FRAME, 0, 0, width, height);
  meta->id = id;
  meta->parent_id = VGG_ROI_NO_PARENT;
  return meta;
}

GstVideoRegionOfInterestMeta *
vgg_roi_add_tile (GstBuffer *buffer, gint id, gint parent_id, guint x, guint y,
    guint w, guint h, guint row, guint column, guint index)
{
  GstVideoRegionOfInterestMeta *meta;

  meta = gst_buffer_add_video_region_of_interest_meta (
      buffer, VGG_ROI_TYPE_TILE, x, y, w, h);
  meta->id = id;
  meta->parent_id = parent_id;
  gst_video_region_of_interest_meta_add_param (meta,
      gst_structure_new ("tile", "row", G_TYPE_UINT, row, "column", G_TYPE_UINT,
          column, "index", G_TYPE_UINT, index, NULL));
  return meta;
}

void
vgg_roi_set_param (GstVideoRegionOfInterestMeta *meta, GstStructure *param)
{
  GList *l;

  /* The meta API only appends; a second classifier replaces the first's. */
  for (l = meta->params; l; l = l->next) {
    GstStructure *old = (GstStructure *) l->data;
    if (gst_structure_has_name (old, gst_structure_get_name (param))) {
      gst_structure_free (old);
      meta->params = g_list_delete_link (meta->params, l);
      break;
    }
  }
  gst_video_region_of_interest_meta_add_param (meta, param);
}

static void
append_to_array (GValue *array, GType type, ...)
{
  GValue v = G_VALUE_INIT;
  va_list args;

  g_value_init (&v, type);
  va_start (args, type);
  if (type == G_TYPE_INT)
    g_value_set_int (&v, va_arg (args, gint));
  else if (type == G_TYPE_DOUBLE)
    g_value_set_double (&v, va_arg (args, gdouble));
  else
    g_value_set_string (&v, va_arg (args, const gchar *));
  va_end (args);
  gst_value_array_append_and_take_value (array, &v);
}

GstStructure *
vgg_classification_new (
    const vgg::RoiResult &result, const vgg::Classifier &model, gboolean stale)
{
  const std::vector<vgg::Label> &labels = model.labels ();
  const std::vector<vgg::ClassGroup> &groups = model.groups ();
  GValue ids = G_VALUE_INIT, names = G_VALUE_INIT, scores = G_VALUE_INIT;
  GstStructure *s;
  const vgg::Label *best;
  size_t i;

  g_value_init (&ids, GST_TYPE_ARRAY);
  g_value_init (&names, GST_TYPE_ARRAY);
  g_value_init (&scores, GST_TYPE_ARRAY);
  for (i = 0; i < result.top_ids.size (); i++) {
    append_to_array (&ids, G_TYPE_INT, result.top_ids[i]);
    append_to_array (
        &names, G_TYPE_STRING, labels[result.top_ids[i]].name.c_str ());
    append_to_array (&scores, G_TYPE_DOUBLE, (gdouble) result.top_scores[i]);
  }

  best = &labels[result.top_ids[0]];
  s = gst_structure_new ("classification", "label", G_TYPE_STRING,
      best->name.c_str (), "label_id", G_TYPE_INT, result.top_ids[0],
      "confidence", G_TYPE_DOUBLE, (gdouble) result.top_scores[0], "model",
      G_TYPE_STRING, model.name ().c_str (), "stale", G_TYPE_BOOLEAN, stale,
      NULL);
  gst_structure_take_value (s, "top_ids", &ids);
  gst_structure_take_value (s, "top_labels", &names);
  gst_structure_take_value (s, "top_scores", &scores);
  if (!best->wnid.empty ())
    gst_structure_set (s, "wnid", G_TYPE_STRING, best->wnid.c_str (), NULL);
  for (i = 0; i < groups.size () && i < result.group_scores.size (); i++)
    gst_structure_set (s, groups[i].name.c_str (), G_TYPE_DOUBLE,
        (gdouble) result.group_scores[i], NULL);
  return s;
}

GstStructure *
vgg_gradcam_new (const vgg::GradCam &cam)
{
  GstBuffer *data = gst_buffer_new_memdup (
      cam.data.data (), cam.data.size () * sizeof (float));
  GstStructure *s = gst_structure_new ("gradcam", "class_id", G_TYPE_INT,
      cam.class_id, "width", G_TYPE_INT, cam.width, "height", G_TYPE_INT,
      cam.height, "max", G_TYPE_DOUBLE, (gdouble) cam.max, "data",
      GST_TYPE_BUFFER, data, NULL);

  gst_buffer_unref (data);
  return s;
}

gboolean
vgg_gradcam_read (const GstStructure *s, vgg::GradCam &cam, std::string &why)
{
  const GValue *v = gst_structure_get_value (s, "data");
  GstBuffer *data = v && G_VALUE_HOLDS (v, GST_TYPE_BUFFER)
      ? gst_value_get_buffer (v)
      : NULL;
  gint w = 0, h = 0, id = -1;
  gdouble max = 0;

  if (!gst_structure_get_int (s, "width", &w)
      || !gst_structure_get_int (s, "height", &h) || !data) {
    why = "no width, height or data";
    return FALSE;
  }
  if (w <= 0 || h <= 0 || w > 4096 || h > 4096) {
    why = "size " + std::to_string (w) + "x" + std::to_string (h)
        + " is out of range";
    return FALSE;
  }
  gsize expected = (gsize) w * h * sizeof (float);
  if (gst_buffer_get_size (data) != expected) {
    why = std::to_string (gst_buffer_get_size (data)) + " bytes of data for "
        + std::to_string (w) + "x" + std::to_string (h) + " floats";
    return FALSE;
  }
  gst_structure_get_int (s, "class_id", &id);
  gst_structure_get_double (s, "max", &max);
  cam.class_id = id;
  cam.width = w;
  cam.height = h;
  cam.max = max;
  cam.data.resize ((gsize) w * h);
  gst_buffer_extract (data, 0, cam.data.data (), expected);
  return TRUE;
}

GstStructure *
vgg_frame_summary_new (const vgg::FrameSummary &summary,
    const vgg::Classifier &model, const std::vector<gint> &roi_ids,
    GstClockTime timestamp, guint64 frame, gboolean stale)
{
  auto roi_id = [&] (int index) {
    return index >= 0 ? roi_ids[index] : VGG_ROI_NO_PARENT;
  };
  const gchar *label = summary.label_id >= 0
      ? model.labels ()[summary.label_id].name.c_str ()
      : "";
  GstStructure *s = gst_structure_new ("vggclassify", "timestamp",
      G_TYPE_UINT64, (guint64) timestamp, "frame", G_TYPE_UINT64, frame,
      "label", G_TYPE_STRING, label, "label_id", G_TYPE_INT, summary.label_id,
      "score", G_TYPE_DOUBLE, (gdouble) summary.score, "roi", G_TYPE_INT,
      roi_id (summary.best_roi), "stale", G_TYPE_BOOLEAN, stale, NULL);

  for (const vgg::GroupSummary &g : summary.groups) {
    std::string present = g.name + "-present", score = g.name + "-score",
                roi = g.name + "-roi";
    gst_structure_set (s, present.c_str (), G_TYPE_BOOLEAN,
        (gboolean) g.present, score.c_str (), G_TYPE_DOUBLE, (gdouble) g.score,
        roi.c_str (), G_TYPE_INT, roi_id (g.roi), NULL);
  }
  return s;
}
