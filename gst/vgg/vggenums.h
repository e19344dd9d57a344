/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The enum types of the elements' properties, in one unit. Their values
 * are those of the engine's and the renderer's own enums.
 */
#pragma once

#include <glib-object.h>

/* Which regions gradcamoverlay draws. */
enum class VggRoiSelection
{
  All,
  Tiles,
  Frame,
  Best
};

/* Which metadata vggclassify writes its results as. */
enum class VggMeta
{
  Roi,
  Analytics,
  Both
};

#define GST_TYPE_VGG_META (gst_vgg_meta_get_type ())
GType gst_vgg_meta_get_type (void);

#define GST_TYPE_VGG_PRECISION (gst_vgg_precision_get_type ())
GType gst_vgg_precision_get_type (void);

#define GST_TYPE_VGG_PREPROCESS (gst_vgg_preprocess_get_type ())
GType gst_vgg_preprocess_get_type (void);

#define GST_TYPE_VGG_INTERPOLATION (gst_vgg_interpolation_get_type ())
GType gst_vgg_interpolation_get_type (void);

#define GST_TYPE_VGG_CAM_METHOD (gst_vgg_cam_method_get_type ())
GType gst_vgg_cam_method_get_type (void);

#define GST_TYPE_GRADCAM_COLORMAP (gst_gradcam_colormap_get_type ())
GType gst_gradcam_colormap_get_type (void);

#define GST_TYPE_GRADCAM_BLEND (gst_gradcam_blend_get_type ())
GType gst_gradcam_blend_get_type (void);

#define GST_TYPE_GRADCAM_ROIS (gst_gradcam_rois_get_type ())
GType gst_gradcam_rois_get_type (void);
