/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "roimeta.h"

#include <algorithm>

double
vgg::Classification::group_score (const std::string &name) const
{
  for (const GroupScore &g : groups)
    if (g.name == name)
      return g.score;
  return -1.0;
}

std::vector<GstVideoRegionOfInterestMeta *>
vgg_buffer_rois (GstBuffer *buffer)
{
  std::vector<GstVideoRegionOfInterestMeta *> rois;
  gpointer state = NULL;
  GstMeta *meta;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buffer, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    rois.push_back ((GstVideoRegionOfInterestMeta *) meta);
  return rois;
}

gint
vgg_roi_next_ids (GstBuffer *buffer, gint count)
{
  std::vector<gint64> used;

  count = std::max (count, 1);
  for (GstVideoRegionOfInterestMeta *roi : vgg_buffer_rois (buffer))
    if (roi->id >= 0)
      used.push_back (roi->id);
  if (used.empty ())
    return 0;
  gint64 above = *std::max_element (used.begin (), used.end ()) + 1;
  if (above + count - 1 <= G_MAXINT)
    return (gint) above;
  /* Another element took ids up to G_MAXINT: ids need only be unique, so
   * take the lowest gap long enough. */
  std::sort (used.begin (), used.end ());
  gint64 start = 0;
  for (gint64 id : used) {
    if (id - start >= count)
      return (gint) start;
    start = std::max (start, id + 1);
  }
  return -1;
}

gint
vgg_roi_next_id (GstBuffer *buffer)
{
  return vgg_roi_next_ids (buffer, 1);
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
    guint w, guint h, const vgg::TilePosition &tile)
{
  GstVideoRegionOfInterestMeta *meta;

  meta = gst_buffer_add_video_region_of_interest_meta (
      buffer, VGG_ROI_TYPE_TILE, x, y, w, h);
  meta->id = id;
  meta->parent_id = parent_id;
  gst_video_region_of_interest_meta_add_param (meta,
      gst_structure_new ("tile", "row", G_TYPE_UINT, tile.row, "column",
          G_TYPE_UINT, tile.column, "index", G_TYPE_UINT, tile.index, NULL));
  return meta;
}

/* The meta API only appends: a second classifier replaces the first's. */
static void
set_param (GstVideoRegionOfInterestMeta *meta, GstStructure *param)
{
  for (GList *l = meta->params; l; l = l->next) {
    GstStructure *old = (GstStructure *) l->data;
    if (gst_structure_has_name (old, gst_structure_get_name (param))) {
      gst_structure_free (old);
      meta->params = g_list_delete_link (meta->params, l);
      break;
    }
  }
  gst_video_region_of_interest_meta_add_param (meta, param);
}

/* A GstValueArray field of @s filled from @values by @set. */
template <typename T, typename Set>
static void
set_array (GstStructure *s, const gchar *field, GType type,
    const std::vector<T> &values, Set set)
{
  GValue array = G_VALUE_INIT;

  g_value_init (&array, GST_TYPE_ARRAY);
  for (const T &v : values) {
    GValue item = G_VALUE_INIT;
    g_value_init (&item, type);
    set (&item, v);
    gst_value_array_append_and_take_value (&array, &item);
  }
  gst_structure_take_value (s, field, &array);
}

/* The items of the GstValueArray field @field of @s holding @type; FALSE if
 * there is no such field or an item of another type. */
template <typename T, typename Get>
static gboolean
get_array (const GstStructure *s, const gchar *field, GType type,
    std::vector<T> &values, Get get)
{
  const GValue *array = gst_structure_get_value (s, field);

  values.clear ();
  if (!array || !GST_VALUE_HOLDS_ARRAY (array))
    return FALSE;
  for (guint i = 0; i < gst_value_array_get_size (array); i++) {
    const GValue *item = gst_value_array_get_value (array, i);
    if (!G_VALUE_HOLDS (item, type))
      return FALSE;
    values.push_back (get (item));
  }
  return TRUE;
}

static void
set_int (GValue *v, int i)
{
  g_value_set_int (v, i);
}

static void
set_double (GValue *v, double d)
{
  g_value_set_double (v, d);
}

static void
set_string (GValue *v, const std::string &str)
{
  g_value_set_string (v, str.c_str ());
}

void
vgg_roi_set_classification (
    GstVideoRegionOfInterestMeta *meta, const vgg::Classification &c)
{
  g_return_if_fail (!c.top.empty ());
  std::vector<int> ids;
  std::vector<std::string> labels, group_names;
  std::vector<double> scores, group_scores;
  GstStructure *s;

  for (const vgg::Prediction &p : c.top) {
    ids.push_back (p.id);
    labels.push_back (p.label);
    scores.push_back (p.score);
  }
  for (const vgg::GroupScore &g : c.groups) {
    group_names.push_back (g.name);
    group_scores.push_back (g.score);
  }
  s = gst_structure_new ("classification", "label", G_TYPE_STRING,
      c.top[0].label.c_str (), "label_id", G_TYPE_INT, c.top[0].id,
      "confidence", G_TYPE_DOUBLE, c.top[0].score, "model", G_TYPE_STRING,
      c.model.c_str (), "stale", G_TYPE_BOOLEAN, (gboolean) c.stale, NULL);
  set_array (s, "top_ids", G_TYPE_INT, ids, set_int);
  set_array (s, "top_labels", G_TYPE_STRING, labels, set_string);
  set_array (s, "top_scores", G_TYPE_DOUBLE, scores, set_double);
  if (!c.wnid.empty ())
    gst_structure_set (s, "wnid", G_TYPE_STRING, c.wnid.c_str (), NULL);
  set_array (s, "group_names", G_TYPE_STRING, group_names, set_string);
  set_array (s, "group_scores", G_TYPE_DOUBLE, group_scores, set_double);
  set_param (meta, s);
}

gboolean
vgg_roi_get_classification (
    GstVideoRegionOfInterestMeta *meta, vgg::Classification &c)
{
  const GstStructure *s
      = gst_video_region_of_interest_meta_get_param (meta, "classification");
  std::vector<int> ids;
  std::vector<std::string> labels, group_names;
  std::vector<double> scores, group_scores;
  gboolean stale = FALSE;
  auto get_int = [] (const GValue *v) { return g_value_get_int (v); };
  auto get_double = [] (const GValue *v) { return g_value_get_double (v); };
  auto get_string = [] (const GValue *v) {
    const gchar *str = g_value_get_string (v);
    return std::string (str ? str : "");
  };

  c = vgg::Classification ();
  if (!s || !get_array (s, "top_ids", G_TYPE_INT, ids, get_int)
      || !get_array (s, "top_labels", G_TYPE_STRING, labels, get_string)
      || !get_array (s, "top_scores", G_TYPE_DOUBLE, scores, get_double)
      || ids.empty () || ids.size () != labels.size ()
      || ids.size () != scores.size ())
    return FALSE;
  for (size_t i = 0; i < ids.size (); i++)
    c.top.push_back ({ids[i], labels[i], scores[i]});
  if (get_array (s, "group_names", G_TYPE_STRING, group_names, get_string)
      && get_array (s, "group_scores", G_TYPE_DOUBLE, group_scores, get_double)
      && group_names.size () == group_scores.size ())
    for (size_t i = 0; i < group_names.size (); i++)
      c.groups.push_back ({group_names[i], group_scores[i]});
  if (const gchar *wnid = gst_structure_get_string (s, "wnid"))
    c.wnid = wnid;
  if (const gchar *model = gst_structure_get_string (s, "model"))
    c.model = model;
  gst_structure_get_boolean (s, "stale", &stale);
  c.stale = stale;
  return TRUE;
}

gboolean
vgg_roi_get_tile (GstVideoRegionOfInterestMeta *meta, vgg::TilePosition &tile)
{
  const GstStructure *s
      = gst_video_region_of_interest_meta_get_param (meta, "tile");

  return s && gst_structure_get_uint (s, "row", &tile.row)
      && gst_structure_get_uint (s, "column", &tile.column)
      && gst_structure_get_uint (s, "index", &tile.index);
}

void
vgg_roi_set_gradcam (
    GstVideoRegionOfInterestMeta *meta, const vgg::GradCam &cam)
{
  GstBuffer *data = gst_buffer_new_memdup (
      cam.data.data (), cam.data.size () * sizeof (float));

  set_param (meta,
      gst_structure_new ("gradcam", "class_id", G_TYPE_INT, cam.class_id,
          "method", G_TYPE_STRING,
          cam.method.empty () ? "gradcam" : cam.method.c_str (), "stale",
          G_TYPE_BOOLEAN, (gboolean) cam.stale, "width", G_TYPE_INT, cam.width,
          "height", G_TYPE_INT, cam.height, "max", G_TYPE_DOUBLE,
          (gdouble) cam.max, "data", GST_TYPE_BUFFER, data, NULL));
  gst_buffer_unref (data);
}

gboolean
vgg_roi_get_gradcam (
    GstVideoRegionOfInterestMeta *meta, vgg::GradCam &cam, std::string &why)
{
  const GstStructure *s
      = gst_video_region_of_interest_meta_get_param (meta, "gradcam");
  const GValue *v = s ? gst_structure_get_value (s, "data") : NULL;
  GstBuffer *data = v && G_VALUE_HOLDS (v, GST_TYPE_BUFFER)
      ? gst_value_get_buffer (v)
      : NULL;
  gint w = 0, h = 0, id = -1;
  gdouble max = 0;

  why.clear ();
  if (!s)
    return FALSE;
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
  /* Older writers had one method and no stale field. */
  const gchar *method = gst_structure_get_string (s, "method");
  gboolean stale = FALSE;
  gst_structure_get_boolean (s, "stale", &stale);
  cam.method = method ? method : "gradcam";
  cam.stale = stale;
  cam.class_id = id;
  cam.width = w;
  cam.height = h;
  cam.max = max;
  cam.data.resize ((gsize) w * h);
  gst_buffer_extract (data, 0, cam.data.data (), expected);
  return TRUE;
}

GstStructure *
vgg_frame_message_new (const vgg::FrameMessage &m)
{
  std::vector<std::string> names;
  GstStructure *s = gst_structure_new ("vggclassify", "timestamp",
      G_TYPE_UINT64, (guint64) m.timestamp, "frame", G_TYPE_UINT64, m.frame,
      "label", G_TYPE_STRING, m.label.c_str (), "label_id", G_TYPE_INT,
      m.label_id, "score", G_TYPE_DOUBLE, m.score, "roi", G_TYPE_INT, m.roi,
      "stale", G_TYPE_BOOLEAN, (gboolean) m.stale, NULL);

  gst_structure_set (s, "od", G_TYPE_INT, m.od, NULL);
  for (const vgg::GroupState &g : m.groups) {
    std::string present = g.name + "-present", score = g.name + "-score",
                roi = g.name + "-roi", od = g.name + "-od";
    gst_structure_set (s, present.c_str (), G_TYPE_BOOLEAN,
        (gboolean) g.present, score.c_str (), G_TYPE_DOUBLE, g.score,
        roi.c_str (), G_TYPE_INT, g.roi, od.c_str (), G_TYPE_INT, g.od, NULL);
    names.push_back (g.name);
  }
  set_array (s, "groups", G_TYPE_STRING, names, set_string);
  return s;
}

gboolean
vgg_frame_message_read (const GstStructure *s, vgg::FrameMessage &m)
{
  std::vector<std::string> names;
  guint64 timestamp = GST_CLOCK_TIME_NONE;
  gboolean stale = FALSE;

  m = vgg::FrameMessage ();
  if (!gst_structure_has_name (s, "vggclassify"))
    return FALSE;
  gst_structure_get_uint64 (s, "timestamp", &timestamp);
  m.timestamp = timestamp;
  gst_structure_get_uint64 (s, "frame", &m.frame);
  if (const gchar *label = gst_structure_get_string (s, "label"))
    m.label = label;
  gst_structure_get_int (s, "label_id", &m.label_id);
  gst_structure_get_double (s, "score", &m.score);
  gst_structure_get_int (s, "roi", &m.roi);
  gst_structure_get_int (s, "od", &m.od);
  gst_structure_get_boolean (s, "stale", &stale);
  m.stale = stale;
  get_array (s, "groups", G_TYPE_STRING, names, [] (const GValue *v) {
    const gchar *str = g_value_get_string (v);
    return std::string (str ? str : "");
  });
  for (const std::string &name : names) {
    vgg::GroupState g;
    gboolean present = FALSE;
    g.name = name;
    gst_structure_get_boolean (s, (name + "-present").c_str (), &present);
    g.present = present;
    gst_structure_get_double (s, (name + "-score").c_str (), &g.score);
    gst_structure_get_int (s, (name + "-roi").c_str (), &g.roi);
    gst_structure_get_int (s, (name + "-od").c_str (), &g.od);
    m.groups.push_back (g);
  }
  return TRUE;
}

void
vgg_roi_set_analytics_link (GstVideoRegionOfInterestMeta *meta, gint od_id)
{
  set_param (
      meta, gst_structure_new ("analytics", "od_id", G_TYPE_INT, od_id, NULL));
}

gint
vgg_roi_get_analytics_link (GstVideoRegionOfInterestMeta *meta)
{
  const GstStructure *s
      = gst_video_region_of_interest_meta_get_param (meta, "analytics");
  gint od_id = -1;

  if (s)
    gst_structure_get_int (s, "od_id", &od_id);
  return od_id;
}

std::vector<vgg::Region>
vgg_buffer_regions (GstBuffer *buffer)
{
  std::vector<vgg::Region> regions;
  std::vector<gint> linked;

  for (GstVideoRegionOfInterestMeta *roi : vgg_buffer_rois (buffer)) {
    vgg::Region r;
    if (roi->x > G_MAXINT || roi->y > G_MAXINT || roi->w > G_MAXINT
        || roi->h > G_MAXINT)
      continue;
    r.roi = roi;
    r.od_id = vgg_roi_get_analytics_link (roi);
    r.type = g_quark_to_string (roi->roi_type);
    r.rect = {(int) roi->x, (int) roi->y, (int) roi->w, (int) roi->h};
    r.has_tile = vgg_roi_get_tile (roi, r.tile);
    r.has_classification = vgg_roi_get_classification (roi, r.classification);
    r.has_gradcam = vgg_roi_get_gradcam (roi, r.gradcam, r.gradcam_error);
    if (r.od_id >= 0)
      linked.push_back (r.od_id);
    if (r.has_classification || r.has_gradcam || !r.gradcam_error.empty ())
      regions.push_back (std::move (r));
  }
#ifdef VGG_HAVE_ANALYTICS
  for (const vgg::DetectedObject &o : vgg_buffer_objects (buffer)) {
    vgg::Region r;
    if (std::find (linked.begin (), linked.end (), o.od_id) != linked.end ()
        || !vgg_analytics_get_classification (
            buffer, o.od_id, r.classification))
      continue;
    r.od_id = o.od_id;
    r.type = g_quark_to_string (o.type);
    r.rect = o.rect;
    r.has_classification = true;
    regions.push_back (std::move (r));
  }
#endif
  return regions;
}
