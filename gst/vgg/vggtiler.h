/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

#define GST_TYPE_VGG_TILER (gst_vgg_tiler_get_type ())
G_DECLARE_FINAL_TYPE (
    GstVggTiler, gst_vgg_tiler, GST, VGG_TILER, GstBaseTransform)

GST_ELEMENT_REGISTER_DECLARE (vggtiler);

G_END_DECLS
