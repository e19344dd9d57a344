/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "frameresult.h"

using nlohmann::json;

std::vector<RoiResult>
read_rois (GstBuffer *buf)
{
  std::vector<RoiResult> rois;

  for (GstVideoRegionOfInterestMeta *m : vgg_buffer_rois (buf)) {
    vgg::Classification c;
    vgg::TilePosition tile;
    if (!vgg_roi_get_classification (m, c))
      continue;
    RoiResult r;
    r.id = m->id;
    r.type = g_quark_to_string (m->roi_type);
    r.x = m->x;
    r.y = m->y;
    r.width = m->w;
    r.height = m->h;
    if (vgg_roi_get_tile (m, tile))
      r.tile_index = tile.index;
    r.top = c.top;
    for (const vgg::GroupScore &g : c.groups)
      r.groups[g.name] = g.score;
    rois.push_back (std::move (r));
  }
  return rois;
}

void
read_summary (const GstStructure *s, FrameResult &result)
{
  vgg::FrameMessage m;

  if (!vgg_frame_message_read (s, m))
    return;
  result.frame = m.frame;
  result.score = m.score;
  result.stale = m.stale;
  result.label = m.label;
  for (const vgg::GroupState &g : m.groups)
    result.groups[g.name] = {g.present, g.score, g.roi};
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
    for (const vgg::Prediction &p : r.top)
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
