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

  for (const vgg::Region &region : vgg_buffer_regions (buf)) {
    if (!region.has_classification)
      continue;
    RoiResult r;
    r.id = region.roi ? region.roi->id : -1;
    r.od = region.od_id;
    r.type = region.type;
    r.x = region.rect.x;
    r.y = region.rect.y;
    r.width = region.rect.width;
    r.height = region.rect.height;
    if (region.has_tile)
      r.tile_index = region.tile.index;
    r.top = region.classification.top;
    for (const vgg::GroupScore &g : region.classification.groups)
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
    result.groups[g.name] = {g.present, g.score, g.roi, g.od};
}

const RoiResult *
FrameResult::region (int roi, int od) const
{
  for (const RoiResult &r : rois)
    if ((roi >= 0 && r.id == roi) || (od >= 0 && r.od == od))
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
    if (r.od >= 0)
      jr["od"] = r.od;
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
  for (const auto &[name, g] : groups) {
    j["groups"][name]
        = {{"present", g.present}, {"score", g.score}, {"roi", g.roi}};
    if (g.od >= 0)
      j["groups"][name]["od"] = g.od;
  }
  return j;
}
