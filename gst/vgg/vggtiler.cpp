/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-vggtiler
 * @title: vggtiler
 *
 * Marks tiles of each frame as #GstVideoRegionOfInterestMeta (roi_type
 * "tile", with a "tile" param holding row, column and index), plus one ROI
 * of roi_type "frame" for the whole frame. No pixel is copied or touched:
 * downstream elements such as vggclassify work on the regions.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc ! vggtiler rows=2 columns=2 ! fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "vggtiler.h"
#include "roimeta.h"
#include "tilelayout.h"

#include <gst/video/video.h>

#include <stdexcept>

GST_DEBUG_CATEGORY_STATIC (gst_vgg_tiler_debug);
#define GST_CAT_DEFAULT gst_vgg_tiler_debug

#define DEFAULT_ROWS 2
#define DEFAULT_COLUMNS 2
#define DEFAULT_TILE_WIDTH 0
#define DEFAULT_TILE_HEIGHT 0
#define DEFAULT_OVERLAP 0.0
#define DEFAULT_REGION "0,0,1,1"
#define DEFAULT_INCLUDE_FULL_FRAME TRUE
#define MAX_GRID 64
#define MAX_OVERLAP 0.9

enum
{
  PROP_0,
  PROP_ROWS,
  PROP_COLUMNS,
  PROP_TILE_WIDTH,
  PROP_TILE_HEIGHT,
  PROP_OVERLAP,
  PROP_REGION,
  PROP_INCLUDE_FULL_FRAME,
};

struct _GstVggTiler
{
  GstBaseTransform parent;

  /* Properties, under the object lock; copied out at the top of each frame. */
  vgg::TileSpec spec;
  gboolean include_full_frame;

  /* Streaming thread only. */
  GstVideoInfo info;
  gboolean have_info;
  /* Last layout that was too small for the settings, to warn only once. */
  gint warned_width, warned_height;
};

#define gst_vgg_tiler_parent_class parent_class
G_DEFINE_TYPE (GstVggTiler, gst_vgg_tiler, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (
    vggtiler, "vggtiler", GST_RANK_NONE, GST_TYPE_VGG_TILER);

/* Metadata only, so any raw video in any memory will do. */
static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE (
    "sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw(ANY)"));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE (
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw(ANY)"));

static gboolean
gst_vgg_tiler_set_caps (
    GstBaseTransform *trans, GstCaps *incaps, GstCaps *outcaps)
{
  GstVggTiler *self = GST_VGG_TILER (trans);

  if (!gst_video_info_from_caps (&self->info, incaps)) {
    GST_ERROR_OBJECT (self, "invalid caps %" GST_PTR_FORMAT, incaps);
    return FALSE;
  }
  self->have_info = TRUE;
  self->warned_width = self->warned_height = -1;
  return TRUE;
}

static gboolean
gst_vgg_tiler_stop (GstBaseTransform *trans)
{
  GstVggTiler *self = GST_VGG_TILER (trans);

  self->have_info = FALSE;
  return TRUE;
}

static GstFlowReturn
gst_vgg_tiler_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstVggTiler *self = GST_VGG_TILER (trans);
  vgg::TileSpec spec;
  gboolean full_frame;
  vgg::TileLayout layout;
  gint width, height, id, frame_id = VGG_ROI_NO_PARENT;

  if (G_UNLIKELY (!self->have_info)) {
    GST_ELEMENT_ERROR (
        self, CORE, NEGOTIATION, (NULL), ("received a buffer before caps"));
    return GST_FLOW_NOT_NEGOTIATED;
  }

  GST_OBJECT_LOCK (self);
  spec = self->spec;
  full_frame = self->include_full_frame;
  GST_OBJECT_UNLOCK (self);

  width = GST_VIDEO_INFO_WIDTH (&self->info);
  height = GST_VIDEO_INFO_HEIGHT (&self->info);
  try {
    layout = vgg::layout_tiles (width, height, spec);
  } catch (const std::invalid_argument &) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
        ("tile-width=%u tile-height=%u gives more than %u tiles on a %dx%d "
         "frame",
            spec.tile_width, spec.tile_height, vgg::kMaxTiles, width, height),
        ("use larger tiles or a smaller region"));
    return GST_FLOW_ERROR;
  }

  if (layout.reduced
      && (width != self->warned_width || height != self->warned_height)) {
    GST_ELEMENT_WARNING (self, STREAM, FORMAT, ("%s", layout.note.c_str ()),
        ("frame %dx%d", width, height));
    self->warned_width = width;
    self->warned_height = height;
  } else if (!layout.reduced) {
    self->warned_width = self->warned_height = -1;
  }

  full_frame = full_frame && width > 0 && height > 0;
  id = vgg_roi_next_ids (
      buf, (gint) layout.tiles.size () + (full_frame ? 1 : 0));
  if (id < 0) {
    /* Only with ROIs spread over the whole id range by other elements. */
    GST_WARNING_OBJECT (self, "no free ROI ids: frame not tiled");
    return GST_FLOW_OK;
  }
  if (full_frame) {
    frame_id = id++;
    vgg_roi_add_frame (buf, frame_id, width, height);
  }
  for (const vgg::Tile &t : layout.tiles) {
    GST_LOG_OBJECT (self, "tile %u (row %u, column %u): %dx%d at %d,%d",
        t.index, t.row, t.column, t.rect.width, t.rect.height, t.rect.x,
        t.rect.y);
    vgg_roi_add_tile (buf, id++, frame_id, t.rect.x, t.rect.y, t.rect.width,
        t.rect.height, {t.row, t.column, t.index});
  }
  return GST_FLOW_OK;
}

static void
gst_vgg_tiler_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstVggTiler *self = GST_VGG_TILER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ROWS:
      self->spec.rows = g_value_get_uint (value);
      break;
    case PROP_COLUMNS:
      self->spec.columns = g_value_get_uint (value);
      break;
    case PROP_TILE_WIDTH:
      self->spec.tile_width = g_value_get_uint (value);
      break;
    case PROP_TILE_HEIGHT:
      self->spec.tile_height = g_value_get_uint (value);
      break;
    case PROP_OVERLAP:
      self->spec.overlap = g_value_get_double (value);
      break;
    case PROP_REGION: {
      const gchar *str = g_value_get_string (value);
      if (!vgg::parse_region (str ? str : DEFAULT_REGION, self->spec.region))
        g_warning ("vggtiler: ignoring invalid region \"%s\": expected "
                   "x,y,width,height as fractions of the frame, within 0..1",
            str);
      break;
    }
    case PROP_INCLUDE_FULL_FRAME:
      self->include_full_frame = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_vgg_tiler_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstVggTiler *self = GST_VGG_TILER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ROWS:
      g_value_set_uint (value, self->spec.rows);
      break;
    case PROP_COLUMNS:
      g_value_set_uint (value, self->spec.columns);
      break;
    case PROP_TILE_WIDTH:
      g_value_set_uint (value, self->spec.tile_width);
      break;
    case PROP_TILE_HEIGHT:
      g_value_set_uint (value, self->spec.tile_height);
      break;
    case PROP_OVERLAP:
      g_value_set_double (value, self->spec.overlap);
      break;
    case PROP_REGION: {
      const double *r = self->spec.region;
      g_value_take_string (
          value, g_strdup_printf ("%g,%g,%g,%g", r[0], r[1], r[2], r[3]));
      break;
    }
    case PROP_INCLUDE_FULL_FRAME:
      g_value_set_boolean (value, self->include_full_frame);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_vgg_tiler_class_init (GstVggTilerClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  const GParamFlags flags = (GParamFlags) (G_PARAM_READWRITE
      | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING);

  gobject_class->set_property = gst_vgg_tiler_set_property;
  gobject_class->get_property = gst_vgg_tiler_get_property;

  g_object_class_install_property (gobject_class, PROP_ROWS,
      g_param_spec_uint ("rows", "Rows",
          "Rows of the tile grid over the region (used when tile-width and "
          "tile-height are 0)",
          1, MAX_GRID, DEFAULT_ROWS, flags));
  g_object_class_install_property (gobject_class, PROP_COLUMNS,
      g_param_spec_uint ("columns", "Columns",
          "Columns of the tile grid over the region (used when tile-width "
          "and tile-height are 0)",
          1, MAX_GRID, DEFAULT_COLUMNS, flags));
  g_object_class_install_property (gobject_class, PROP_TILE_WIDTH,
      g_param_spec_uint ("tile-width", "Tile width",
          "Fixed tile width in pixels instead of a grid: tiles are laid left "
          "to right, the last column shifted inward to end at the region's "
          "edge (0 = grid; if only one of tile-width/tile-height is set, "
          "tiles are square)",
          0, G_MAXINT, DEFAULT_TILE_WIDTH, flags));
  g_object_class_install_property (gobject_class, PROP_TILE_HEIGHT,
      g_param_spec_uint ("tile-height", "Tile height",
          "Fixed tile height in pixels instead of a grid: rows are laid top "
          "to bottom, the last row shifted inward to end at the region's "
          "edge (0 = grid)",
          0, G_MAXINT, DEFAULT_TILE_HEIGHT, flags));
  g_object_class_install_property (gobject_class, PROP_OVERLAP,
      g_param_spec_double ("overlap", "Overlap",
          "Fraction of a tile's width/height that neighbouring tiles share: "
          "grid tiles grow into each neighbour by half of it (staying within "
          "the region), fixed-size tiles are laid closer together",
          0.0, MAX_OVERLAP, DEFAULT_OVERLAP, flags));
  g_object_class_install_property (gobject_class, PROP_REGION,
      g_param_spec_string ("region", "Region",
          "Part of the frame to tile, \"x,y,width,height\" as fractions of "
          "the frame (e.g. \"0,0.5,1,0.5\" for the lower half)",
          DEFAULT_REGION, flags));
  g_object_class_install_property (gobject_class, PROP_INCLUDE_FULL_FRAME,
      g_param_spec_boolean ("include-full-frame", "Include full frame",
          "Also add a \"frame\" ROI covering the whole frame, the tiles' "
          "parent",
          DEFAULT_INCLUDE_FULL_FRAME, flags));

  gst_element_class_set_static_metadata (element_class, "VGG tiler",
      "Filter/Analyzer/Video",
      "Marks a grid of tiles (and the whole frame) as regions of interest "
      "for vggclassify, without touching the pixels",
      "gst-vgg authors <gst-vgg@example.org>");
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);

  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_vgg_tiler_set_caps);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_vgg_tiler_stop);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_vgg_tiler_transform_ip);

  GST_DEBUG_CATEGORY_INIT (gst_vgg_tiler_debug, "vggtiler", 0, "VGG tiler");
}

static void
gst_vgg_tiler_init (GstVggTiler *self)
{
  self->spec = vgg::TileSpec ();
  self->include_full_frame = DEFAULT_INCLUDE_FULL_FRAME;
  self->warned_width = self->warned_height = -1;
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
}
