/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The GstAnalytics half of the metadata contract (GStreamer >= 1.24).
 * Relations, as upstream's writers and its objectdetectionoverlay use them:
 *
 *   ODMtd (region) --RELATE_TO--> ClsMtd (top-k classes)
 *   ODMtd (region) --RELATE_TO--> ClsMtd (group scores)
 *   ClsMtd (top-k) <--IS_PART_OF-- ClsMtd (group scores)
 *   ClsMtd --IS_PART_OF--> ODMtd, for readers that start from the classes
 *   ODMtd (frame) --CONTAIN--> ODMtd (tile), tile --IS_PART_OF--> frame
 *
 * The top-k ClsMtd is added first, so readers that take the first ClsMtd
 * related to a region get the classes.
 */
#include "roimeta.h"

#include <gst/analytics/analytics.h>

static GstAnalyticsRelationMeta *
relation_meta (GstBuffer *buffer)
{
  GstAnalyticsRelationMeta *rmeta
      = gst_buffer_get_analytics_relation_meta (buffer);

  return rmeta ? rmeta : gst_buffer_add_analytics_relation_meta (buffer);
}

static gboolean
add_cls (GstAnalyticsRelationMeta *rmeta, const std::vector<GQuark> &quarks,
    const std::vector<gfloat> &levels, GstAnalyticsClsMtd *cls)
{
  return gst_analytics_relation_meta_add_cls_mtd (rmeta, quarks.size (),
      (gfloat *) levels.data (), (GQuark *) quarks.data (), cls);
}

gint
vgg_analytics_add_classification (GstBuffer *buffer, gint od_id, GQuark type,
    const vgg::Rect &rect, const vgg::Classification &c)
{
  GstAnalyticsRelationMeta *rmeta = relation_meta (buffer);
  GstAnalyticsODMtd od;
  GstAnalyticsClsMtd classes, groups;
  std::vector<GQuark> quarks;
  std::vector<gfloat> levels;

  if (!rmeta)
    return -1;
  if (od_id < 0) {
    if (!gst_analytics_relation_meta_add_od_mtd (
            rmeta, type, rect.x, rect.y, rect.width, rect.height, 1.0f, &od))
      return -1;
    od_id = od.id;
  }
  for (const vgg::Prediction &p : c.top) {
    quarks.push_back (g_quark_from_string (p.label.c_str ()));
    levels.push_back (p.score);
  }
  if (!add_cls (rmeta, quarks, levels, &classes))
    return od_id;
  gst_analytics_relation_meta_set_relation (
      rmeta, GST_ANALYTICS_REL_TYPE_RELATE_TO, od_id, classes.id);
  gst_analytics_relation_meta_set_relation (
      rmeta, GST_ANALYTICS_REL_TYPE_IS_PART_OF, classes.id, od_id);
  if (c.groups.empty ())
    return od_id;

  quarks.clear ();
  levels.clear ();
  for (const vgg::GroupScore &g : c.groups) {
    quarks.push_back (g_quark_from_string (g.name.c_str ()));
    levels.push_back (g.score);
  }
  if (add_cls (rmeta, quarks, levels, &groups)) {
    gst_analytics_relation_meta_set_relation (
        rmeta, GST_ANALYTICS_REL_TYPE_RELATE_TO, od_id, groups.id);
    gst_analytics_relation_meta_set_relation (
        rmeta, GST_ANALYTICS_REL_TYPE_IS_PART_OF, groups.id, classes.id);
  }
  return od_id;
}

void
vgg_analytics_relate_tile (GstBuffer *buffer, gint tile_od, gint frame_od)
{
  GstAnalyticsRelationMeta *rmeta
      = gst_buffer_get_analytics_relation_meta (buffer);

  if (!rmeta || tile_od < 0 || frame_od < 0)
    return;
  gst_analytics_relation_meta_set_relation (
      rmeta, GST_ANALYTICS_REL_TYPE_IS_PART_OF, tile_od, frame_od);
  gst_analytics_relation_meta_set_relation (
      rmeta, GST_ANALYTICS_REL_TYPE_CONTAIN, frame_od, tile_od);
}

std::vector<vgg::DetectedObject>
vgg_buffer_objects (GstBuffer *buffer)
{
  std::vector<vgg::DetectedObject> objects;
  GstAnalyticsRelationMeta *rmeta
      = gst_buffer_get_analytics_relation_meta (buffer);
  gpointer state = NULL;
  GstAnalyticsODMtd od;

  if (!rmeta)
    return objects;
  while (gst_analytics_relation_meta_iterate (
      rmeta, &state, gst_analytics_od_mtd_get_mtd_type (), &od)) {
    vgg::DetectedObject o;
    gfloat confidence;
    if (!gst_analytics_od_mtd_get_location (&od, &o.rect.x, &o.rect.y,
            &o.rect.width, &o.rect.height, &confidence))
      continue;
    o.od_id = od.id;
    o.type = gst_analytics_od_mtd_get_obj_type (&od);
    objects.push_back (o);
  }
  return objects;
}

static void
read_cls (GstAnalyticsClsMtd *cls, std::vector<GQuark> &quarks,
    std::vector<gfloat> &levels)
{
  gsize n = gst_analytics_cls_mtd_get_length (cls);

  for (gsize i = 0; i < n; i++) {
    quarks.push_back (gst_analytics_cls_mtd_get_quark (cls, i));
    levels.push_back (gst_analytics_cls_mtd_get_level (cls, i));
  }
}

gboolean
vgg_analytics_get_classification (
    GstBuffer *buffer, gint od_id, vgg::Classification &c)
{
  GstAnalyticsRelationMeta *rmeta
      = gst_buffer_get_analytics_relation_meta (buffer);
  GstAnalyticsMtdType cls_type = gst_analytics_cls_mtd_get_mtd_type ();
  GstAnalyticsClsMtd cls, classes;
  gpointer state = NULL;
  bool have_classes = false;
  std::vector<GQuark> quarks;
  std::vector<gfloat> levels;

  c = vgg::Classification ();
  if (!rmeta || od_id < 0)
    return FALSE;
  /* The top-k: the first related ClsMtd that is not part of another. */
  while (!have_classes
      && gst_analytics_relation_meta_get_direct_related (rmeta, od_id,
          GST_ANALYTICS_REL_TYPE_RELATE_TO, cls_type, &state, &cls)) {
    gpointer inner = NULL;
    GstAnalyticsClsMtd parent;
    if (!gst_analytics_relation_meta_get_direct_related (rmeta, cls.id,
            GST_ANALYTICS_REL_TYPE_IS_PART_OF, cls_type, &inner, &parent)) {
      classes = cls;
      have_classes = true;
    }
  }
  if (!have_classes)
    return FALSE;
  read_cls (&classes, quarks, levels);
  if (quarks.empty ())
    return FALSE;
  for (size_t i = 0; i < quarks.size (); i++)
    c.top.push_back ({-1, g_quark_to_string (quarks[i]), levels[i]});

  /* The group scores: the ClsMtd that is part of the top-k one. */
  state = NULL;
  while (gst_analytics_relation_meta_get_direct_related (
      rmeta, od_id, GST_ANALYTICS_REL_TYPE_RELATE_TO, cls_type, &state, &cls)) {
    if (gst_analytics_relation_meta_get_relation (rmeta, cls.id, classes.id)
        & GST_ANALYTICS_REL_TYPE_IS_PART_OF) {
      quarks.clear ();
      levels.clear ();
      read_cls (&cls, quarks, levels);
      for (size_t i = 0; i < quarks.size (); i++)
        c.groups.push_back ({g_quark_to_string (quarks[i]), levels[i]});
      break;
    }
  }
  return TRUE;
}
