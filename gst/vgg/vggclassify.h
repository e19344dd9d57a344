/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/video/gstvideofilter.h>

G_BEGIN_DECLS

#define GST_TYPE_VGG_CLASSIFY (gst_vgg_classify_get_type ())
G_DECLARE_FINAL_TYPE (
    GstVggClassify, gst_vgg_classify, GST, VGG_CLASSIFY, GstVideoFilter)

GST_ELEMENT_REGISTER_DECLARE (vggclassify);

G_END_DECLS
