/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/video/gstvideofilter.h>

G_BEGIN_DECLS

#define GST_TYPE_GRADCAM_OVERLAY (gst_gradcam_overlay_get_type ())
G_DECLARE_FINAL_TYPE (GstGradcamOverlay, gst_gradcam_overlay, GST,
    GRADCAM_OVERLAY, GstVideoFilter)

GST_ELEMENT_REGISTER_DECLARE (gradcamoverlay);

G_END_DECLS
