/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>

#include "gradcamoverlay.h"
#include "vggclassify.h"
#include "vggtiler.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (vggtiler, plugin);
  ret |= GST_ELEMENT_REGISTER (vggclassify, plugin);
  ret |= GST_ELEMENT_REGISTER (gradcamoverlay, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, vgg,
    "Explainable VGG16 classification: tiles, LibTorch inference, Grad-CAM",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
