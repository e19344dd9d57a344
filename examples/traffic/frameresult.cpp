/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "frameresult.h"

#include <cstring>

using nlohmann::json;

std::vector<RoiResult>
read_rois (GstBuffer *buf)
{
  std::vector<RoiResult> rois;
  gpointer state = NULL;
  GstMeta *meta;

  while ((meta = gst_buffer_iterate_meta_filtered (
              buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    auto *m = (GstVideoRegionOfInterestMeta *) meta;
    GstStructure *c
        = gst_video_region_of_interest_meta_get_param (m, "classification");
    GstStructure *tile
        = gst_video_region_of_interest_meta_get_param (m, "tile");
    if (!c)
      continue;
    RoiResult r;
    r.id = m->id;
    r.type = g_quark_to_string (m->roi_type);
    r.x = m->x;
    r.y = m->y;
    r.width = m->w;
    r.height = m->h;
    guint index;
    if (tile && gst_structure_get_uint (tile, "index", &index))
      r.tile_index = index;

    const GValue *ids = gst_structure_get_value (c, "top_ids");
    const GValue *labels = gst_structure_get_value (c, "top_labels");
    const GValue *scores = gst_structure_get_value (c, "top_scores");
    if (ids && labels && scores) {
      for (guint i = 0; i < gst_value_array_get_size (ids); i++)
        r.top.push_back ({g_value_get_int (gst_value_array_get_value (ids, i)),
            g_value_get_string (gst_value_array_get_value (labels, i)),
            g_value_get_double (gst_value_array_get_value (scores, i))});
    }
    /* Group scores: the gdouble fields besides confidence. */
    for (gint i = 0; i < gst_structure_n_fields (c); i++) {
      const gchar *f = gst_structure_nth_field_name (c, i);
      gdouble v;
      if (strcmp (f, "confidence") != 0
          && gst_structure_get_field_type (c, f) == G_TYPE_DOUBLE
          && gst_structure_get_double (c, f, &v))
        r.groups[f] = v;
    }
    rois.push_back (std::move (r));
  }
  return rois;
}

void
read_summary (const GstStructure *s, FrameResult &result)
{
  const gchar *label = gst_structure_get_string (s, "label");
  gboolean stale = FALSE;

  gst_structure_get_uint64 (s, "frame", &result.frame);
  gst_structure_get_double (s, "score", &result.score);
  gst_structure_get_boolean (s, "stale", &stale);
  result.stale = stale;
  result.label = label ? label : "";
  for (gint i = 0; i < gst_structure_n_fields (s); i++) {
    std::string f = gst_structure_nth_field_name (s, i);
    const std::string suffix = "-present";
    if (f.size () <= suffix.size ()
        || f.compare (f.size () - suffix.size (), suffix.size (), suffix) != 0)
      continue;
    std::string g = f.substr (0, f.size () - suffix.size ());
    GroupState st;
    gboolean present = FALSE;
    gst_structure_get_boolean (s, f.c_str (), &present);
    st.present = present;
    gst_structure_get_double (s, (g + "-score").c_str (), &st.score);
    gst_structure_get_int (s, (g + "-roi").c_str (), &st.roi);
    result.groups[g] = st;
  }
}

const RoiResult *
FrameResult::roi (int id) const
{
  for (const RoiResult &r : rois)
    if (r.id == id)
      return &r;
  return nullptr;
}

static json
time_json (GstClockTime t)
{
  return GST_CLOCK_TIME_IS_VALID (t) ? json (t) : json (nullptr);
}

json
FrameResult::to_json () const
{
  json j;
  j["frame"] = frame;
  j["pts"] = time_json (pts);
  j["time"] = GST_CLOCK_TIME_IS_VALID (pts) ? json ((double) pts / GST_SECOND)
                                            : json (nullptr);
  j["stale"] = stale;
  j["label"] = label;
  j["score"] = score;
  j["rois"] = json::array ();
  for (const RoiResult &r : rois) {
    json jr = {{"id", r.id}, {"type", r.type},
        {"rect", {r.x, r.y, r.width, r.height}}};
    if (r.tile_index >= 0)
      jr["tile"] = r.tile_index;
    jr["top"] = json::array ();
    for (const Prediction &p : r.top)
      jr["top"].push_back (
          {{"id", p.id}, {"label", p.label}, {"score", p.score}});
    jr["groups"] = r.groups;
    j["rois"].push_back (jr);
  }
  j["groups"] = json::object ();
  for (const auto &[name, g] : groups)
    j["groups"][name]
        = {{"present", g.present}, {"score", g.score}, {"roi", g.roi}};
  return j;
}
