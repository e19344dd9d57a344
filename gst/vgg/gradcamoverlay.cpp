/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-gradcamoverlay
 * @title: gradcamoverlay
 *
 * Draws what vggclassify found onto the video: the Grad-CAM heatmap of each
 * region ("gradcam" ROI params) blended as in the Keras Grad-CAM blog, the
 * top-1 label and score ("classification" params), and region outlines
 * coloured by whether a class group is present. Frames with nothing to draw
 * pass through untouched.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc ! videoconvert ! vggtiler \
 *     ! vggclassify model=models/vgg16.pt gradcam=true ! gradcamoverlay \
 *     ! videoconvert ! autovideosink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gradcamoverlay.h"
#include "packedrgb.h"
#include "roimeta.h"
#include "vggenums.h"
#include "render/annotate.h"
#include "render/heatmap.h"

#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <string>
#include <vector>

GST_DEBUG_CATEGORY_STATIC (gst_gradcam_overlay_debug);
#define GST_CAT_DEFAULT gst_gradcam_overlay_debug

#define DEFAULT_ALPHA 0.4
#define DEFAULT_COLORMAP cv::COLORMAP_JET
#define DEFAULT_BLEND vgg::render::Blend::Add
#define DEFAULT_ROIS VggRoiSelection::All
#define DEFAULT_DRAW_LABELS TRUE
#define DEFAULT_DRAW_BOXES TRUE
#define DEFAULT_MIN_CONFIDENCE 0.0

enum
{
  PROP_0,
  PROP_ALPHA,
  PROP_COLORMAP,
  PROP_BLEND,
  PROP_ROIS,
  PROP_DRAW_LABELS,
  PROP_DRAW_BOXES,
  PROP_MIN_CONFIDENCE,
  PROP_GROUP,
  PROP_GROUP_THRESHOLD,
};

/* Properties; copied out under the object lock per frame. */
struct OverlaySettings
{
  vgg::render::HeatmapStyle style;
  VggRoiSelection rois = DEFAULT_ROIS;
  gboolean draw_labels = DEFAULT_DRAW_LABELS, draw_boxes = DEFAULT_DRAW_BOXES;
  gdouble min_confidence = DEFAULT_MIN_CONFIDENCE;
  std::string group; /* empty: the first group of the classification */
  gdouble group_threshold = VGG_DEFAULT_GROUP_THRESHOLD;
};

struct OverlayState
{
  vgg::render::HeatmapRenderer renderer;
  vgg::PixelLayout pixels;
  gboolean warned = FALSE;
};

/* One region to draw. */
struct Item
{
  cv::Rect rect;
  vgg::Classification classification;
  vgg::GradCam cam;
  bool has_classification = false, has_cam = false, has_group = false;
  double confidence = 0.0, group_score = 0.0;
  std::string group;
};

struct _GstGradcamOverlay
{
  GstVideoFilter parent;

  OverlaySettings *settings;
  OverlayState *state;
};

#define gst_gradcam_overlay_parent_class parent_class
G_DEFINE_TYPE (GstGradcamOverlay, gst_gradcam_overlay, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE (
    gradcamoverlay, "gradcamoverlay", GST_RANK_NONE, GST_TYPE_GRADCAM_OVERLAY);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (VGG_PACKED_RGB_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE (
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (VGG_PACKED_RGB_CAPS));

static gboolean
gst_gradcam_overlay_set_info (GstVideoFilter *filter, GstCaps *incaps,
    GstVideoInfo *in_info, GstCaps *outcaps, GstVideoInfo *out_info)
{
  GstGradcamOverlay *self = GST_GRADCAM_OVERLAY (filter);

  self->state->pixels = vgg_pixel_layout (in_info->finfo);
  self->state->warned = FALSE;
  return TRUE;
}

/* The score of the class group named @group, or without a name the first
 * group of @c; FALSE if @c has no such group. */
static gboolean
group_score (const vgg::Classification &c, const std::string &group,
    std::string &name, gdouble *score)
{
  for (const vgg::GroupScore &g : c.groups) {
    if (group.empty () || g.name == group) {
      name = g.name;
      *score = g.score;
      return TRUE;
    }
  }
  return FALSE;
}

/* The regions of @buf to draw, per the settings. */
static std::vector<Item>
collect_items (GstGradcamOverlay *self, GstBuffer *buf,
    const OverlaySettings &s, gint width, gint height)
{
  std::vector<Item> items;

  /* ROIs and, with GstAnalytics, ODMtds: whichever kind was written. */
  for (vgg::Region &r : vgg_buffer_regions (buf)) {
    Item it;

    if ((s.rois == VggRoiSelection::Tiles && r.type != VGG_ROI_TYPE_TILE)
        || (s.rois == VggRoiSelection::Frame && r.type != VGG_ROI_TYPE_FRAME))
      continue;
    it.rect = cv::Rect (r.rect.x, r.rect.y, r.rect.width, r.rect.height)
        & cv::Rect (0, 0, width, height);
    it.has_classification = r.has_classification;
    it.classification = std::move (r.classification);
    it.has_cam = r.has_gradcam;
    it.cam = std::move (r.gradcam);
    if (!r.gradcam_error.empty () && !self->state->warned) {
      GST_ELEMENT_WARNING (self, STREAM, FORMAT,
          ("ignoring a malformed gradcam param: %s", r.gradcam_error.c_str ()),
          ("ROI %d; further ones are ignored silently", r.roi->id));
      self->state->warned = TRUE;
    } else if (!r.gradcam_error.empty ()) {
      GST_DEBUG_OBJECT (self, "ignoring gradcam of ROI %d: %s", r.roi->id,
          r.gradcam_error.c_str ());
    }
    if (it.rect.empty () || (!it.has_classification && !it.has_cam))
      continue;
    if (it.has_classification) {
      it.confidence = it.classification.top[0].score;
      it.has_group
          = group_score (it.classification, s.group, it.group, &it.group_score);
    }
    if (it.confidence < s.min_confidence)
      continue;
    items.push_back (std::move (it));
  }

  if (s.rois == VggRoiSelection::Best && !items.empty ()) {
    bool groups = false;
    for (const Item &it : items)
      groups |= it.has_group;
    size_t best = 0;
    for (size_t i = 1; i < items.size (); i++) {
      double a = groups ? items[i].group_score : items[i].confidence;
      double b = groups ? items[best].group_score : items[best].confidence;
      if (a > b)
        best = i;
    }
    items = {items[best]};
  }
  return items;
}

static void
draw (GstGradcamOverlay *self, cv::Mat &image, const OverlaySettings &s,
    const std::vector<Item> &items)
{
  OverlayState &st = *self->state;
  std::vector<vgg::render::Heatmap> maps;

  for (const Item &it : items) {
    if (it.has_cam)
      maps.push_back ({it.rect,
          cv::Mat (it.cam.height, it.cam.width, CV_32FC1,
              (void *) it.cam.data.data ())});
  }
  st.renderer.set_style (s.style);
  st.renderer.draw (image, st.pixels, maps);

  vgg::render::Annotator annotate (image, st.pixels);
  if (s.draw_boxes) {
    for (const Item &it : items) {
      if (it.has_group && it.group_score >= s.group_threshold)
        annotate.box (it.rect, 0, 230, 0);
      else
        annotate.box (it.rect, 200, 200, 200);
    }
  }
  if (s.draw_labels) {
    for (const Item &it : items) {
      if (!it.has_classification)
        continue;
      const gchar *label = it.classification.top[0].label.c_str ();
      gchar *text = it.has_group
          ? g_strdup_printf ("%s %.2f | %s %.2f", label, it.confidence,
              it.group.c_str (), it.group_score)
          : g_strdup_printf ("%s %.2f", label, it.confidence);
      annotate.label (it.rect, text);
      g_free (text);
    }
  }
}

static GstFlowReturn
gst_gradcam_overlay_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstGradcamOverlay *self = GST_GRADCAM_OVERLAY (trans);
  GstVideoFilter *filter = GST_VIDEO_FILTER (trans);
  GstVideoFrame frame;
  std::vector<Item> items;
  bool any_cam = false;

  if (G_UNLIKELY (!filter->negotiated)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL), ("not negotiated"));
    return GST_FLOW_NOT_NEGOTIATED;
  }

  GST_OBJECT_LOCK (self);
  OverlaySettings s = *self->settings;
  GST_OBJECT_UNLOCK (self);

  items = collect_items (self, buf, s, GST_VIDEO_INFO_WIDTH (&filter->in_info),
      GST_VIDEO_INFO_HEIGHT (&filter->in_info));
  for (const Item &it : items)
    any_cam |= it.has_cam;
  /* Nothing to draw: the frame is not even mapped. */
  if (!any_cam && (items.empty () || (!s.draw_boxes && !s.draw_labels)))
    return GST_FLOW_OK;

  if (!gst_video_frame_map (&frame, &filter->in_info, buf, GST_MAP_READWRITE)) {
    GST_ELEMENT_ERROR (
        self, STREAM, FAILED, (NULL), ("cannot map the frame for writing"));
    return GST_FLOW_ERROR;
  }
  cv::Mat image (GST_VIDEO_FRAME_HEIGHT (&frame),
      GST_VIDEO_FRAME_WIDTH (&frame), CV_8UC (self->state->pixels.pixel_stride),
      GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
      GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0));
  try {
    draw (self, image, s, items);
  } catch (const cv::Exception &e) {
    gst_video_frame_unmap (&frame);
    GST_ELEMENT_ERROR (
        self, LIBRARY, FAILED, ("drawing failed: %s", e.what ()), (NULL));
    return GST_FLOW_ERROR;
  }
  gst_video_frame_unmap (&frame);
  return GST_FLOW_OK;
}

static void
gst_gradcam_overlay_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstGradcamOverlay *self = GST_GRADCAM_OVERLAY (object);
  OverlaySettings &s = *self->settings;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ALPHA:
      s.style.alpha = g_value_get_double (value);
      break;
    case PROP_COLORMAP:
      s.style.colormap = g_value_get_enum (value);
      break;
    case PROP_BLEND:
      s.style.blend = (vgg::render::Blend) g_value_get_enum (value);
      break;
    case PROP_ROIS:
      s.rois = (VggRoiSelection) g_value_get_enum (value);
      break;
    case PROP_DRAW_LABELS:
      s.draw_labels = g_value_get_boolean (value);
      break;
    case PROP_DRAW_BOXES:
      s.draw_boxes = g_value_get_boolean (value);
      break;
    case PROP_MIN_CONFIDENCE:
      s.min_confidence = g_value_get_double (value);
      break;
    case PROP_GROUP: {
      const gchar *g = g_value_get_string (value);
      s.group = g ? g : "";
      break;
    }
    case PROP_GROUP_THRESHOLD:
      s.group_threshold = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_gradcam_overlay_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstGradcamOverlay *self = GST_GRADCAM_OVERLAY (object);
  const OverlaySettings &s = *self->settings;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ALPHA:
      g_value_set_double (value, s.style.alpha);
      break;
    case PROP_COLORMAP:
      g_value_set_enum (value, s.style.colormap);
      break;
    case PROP_BLEND:
      g_value_set_enum (value, (gint) s.style.blend);
      break;
    case PROP_ROIS:
      g_value_set_enum (value, (gint) s.rois);
      break;
    case PROP_DRAW_LABELS:
      g_value_set_boolean (value, s.draw_labels);
      break;
    case PROP_DRAW_BOXES:
      g_value_set_boolean (value, s.draw_boxes);
      break;
    case PROP_MIN_CONFIDENCE:
      g_value_set_double (value, s.min_confidence);
      break;
    case PROP_GROUP:
      g_value_set_string (value, s.group.empty () ? NULL : s.group.c_str ());
      break;
    case PROP_GROUP_THRESHOLD:
      g_value_set_double (value, s.group_threshold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_gradcam_overlay_finalize (GObject *object)
{
  GstGradcamOverlay *self = GST_GRADCAM_OVERLAY (object);

  delete self->state;
  delete self->settings;
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_gradcam_overlay_class_init (GstGradcamOverlayClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);
  const GParamFlags flags = (GParamFlags) (G_PARAM_READWRITE
      | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING);

  gobject_class->set_property = gst_gradcam_overlay_set_property;
  gobject_class->get_property = gst_gradcam_overlay_get_property;
  gobject_class->finalize = gst_gradcam_overlay_finalize;

  g_object_class_install_property (gobject_class, PROP_ALPHA,
      g_param_spec_double ("alpha", "Alpha",
          "Weight of the heatmap colour "
          "in the blend",
          0.0, 1.0, DEFAULT_ALPHA, flags));
  g_object_class_install_property (gobject_class, PROP_COLORMAP,
      g_param_spec_enum ("colormap", "Colormap",
          "OpenCV colormap that "
          "colours the heatmaps",
          GST_TYPE_GRADCAM_COLORMAP, DEFAULT_COLORMAP, flags));
  g_object_class_install_property (gobject_class, PROP_BLEND,
      g_param_spec_enum ("blend", "Blend",
          "How heatmap colours combine with "
          "the image",
          GST_TYPE_GRADCAM_BLEND, (gint) DEFAULT_BLEND, flags));
  g_object_class_install_property (gobject_class, PROP_ROIS,
      g_param_spec_enum ("rois", "ROIs",
          "Which regions to draw; where "
          "heatmaps overlap, the maximum is coloured",
          GST_TYPE_GRADCAM_ROIS, (gint) DEFAULT_ROIS, flags));
  g_object_class_install_property (gobject_class, PROP_DRAW_LABELS,
      g_param_spec_boolean ("draw-labels", "Draw labels",
          "Write each drawn "
          "region's top-1 label and score (and group score), sized to the "
          "frame",
          DEFAULT_DRAW_LABELS, flags));
  g_object_class_install_property (gobject_class, PROP_DRAW_BOXES,
      g_param_spec_boolean ("draw-boxes", "Draw boxes",
          "Outline each drawn "
          "region: green where its group score reaches group-threshold, grey "
          "elsewhere",
          DEFAULT_DRAW_BOXES, flags));
  g_object_class_install_property (gobject_class, PROP_MIN_CONFIDENCE,
      g_param_spec_double ("min-confidence", "Minimum confidence",
          "Skip "
          "regions whose top-1 confidence is below this",
          0.0, 1.0, DEFAULT_MIN_CONFIDENCE, flags));
  g_object_class_install_property (gobject_class, PROP_GROUP,
      g_param_spec_string ("group", "Group",
          "Class group for box colours "
          "and rois=best (default: the first group in the classification)",
          NULL, flags));
  g_object_class_install_property (gobject_class, PROP_GROUP_THRESHOLD,
      g_param_spec_double ("group-threshold", "Group threshold",
          "Group score "
          "from which a region's box is drawn as present",
          0.0, 1.0, VGG_DEFAULT_GROUP_THRESHOLD, flags));

  gst_element_class_set_static_metadata (element_class, "Grad-CAM overlay",
      "Filter/Effect/Video",
      "Draws Grad-CAM heatmaps, labels and region outlines from vggclassify "
      "metadata onto the video",
      "gst-vgg authors <gst-vgg@example.org>");
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);

  trans_class->transform_ip
      = GST_DEBUG_FUNCPTR (gst_gradcam_overlay_transform_ip);
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_gradcam_overlay_set_info);

  gst_type_mark_as_plugin_api (
      GST_TYPE_GRADCAM_COLORMAP, (GstPluginAPIFlags) 0);
  gst_type_mark_as_plugin_api (GST_TYPE_GRADCAM_BLEND, (GstPluginAPIFlags) 0);
  gst_type_mark_as_plugin_api (GST_TYPE_GRADCAM_ROIS, (GstPluginAPIFlags) 0);
  GST_DEBUG_CATEGORY_INIT (
      gst_gradcam_overlay_debug, "gradcamoverlay", 0, "Grad-CAM overlay");
}

static void
gst_gradcam_overlay_init (GstGradcamOverlay *self)
{
  self->settings = new OverlaySettings ();
  self->state = new OverlayState ();
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_qos_enabled (GST_BASE_TRANSFORM (self), FALSE);
}
