/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "vggenums.h"
#include "engine/options.h"
#include "render/heatmap.h"

static GType
register_enum (GType *type, const gchar *name, const GEnumValue *values)
{
  if (g_once_init_enter (type))
    g_once_init_leave (type, g_enum_register_static (name, values));
  return *type;
}

GType
gst_vgg_meta_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
      {(gint) VggMeta::Roi,
          "GstVideoRegionOfInterestMeta params (classification, gradcam)",
          "roi"},
      {(gint) VggMeta::Analytics,
          "GstAnalytics ODMtd and ClsMtd (GStreamer >= 1.24; no Grad-CAM)",
          "analytics"},
      {(gint) VggMeta::Both, "Both, linked by the ROI's analytics param",
          "both"},
      {0, NULL, NULL},
  };
  return register_enum (&type, "GstVggMeta", values);
}

GType
gst_vgg_precision_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
      {(gint) vgg::Precision::FP32, "32-bit float", "fp32"},
      {(gint) vgg::Precision::FP16, "16-bit float (CUDA only)", "fp16"},
      {(gint) vgg::Precision::BF16, "bfloat16", "bf16"},
      {0, NULL, NULL},
  };
  return register_enum (&type, "GstVggPrecision", values);
}

GType
gst_vgg_preprocess_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
      {(gint) vgg::Preset::Auto,
          "As the model's sidecar says (torchvision without one)", "auto"},
      {(gint) vgg::Preset::Torchvision, "RGB, x/255, ImageNet mean and std",
          "torchvision"},
      {(gint) vgg::Preset::Caffe,
          "Keras VGG16 preprocess_input: BGR, 0..255, mean subtracted",
          "caffe"},
      {0, NULL, NULL},
  };
  return register_enum (&type, "GstVggPreprocess", values);
}

GType
gst_vgg_interpolation_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
      {(gint) vgg::Interpolation::Bilinear,
          "Bilinear, half-pixel centres, no antialiasing (torch interpolate, "
          "align_corners=False)",
          "bilinear"},
      {(gint) vgg::Interpolation::Nearest,
          "Nearest pixel centre (PIL and Keras load_img)", "nearest"},
      {0, NULL, NULL},
  };
  return register_enum (&type, "GstVggInterpolation", values);
}

GType
gst_vgg_cam_method_get_type (void)
{
  static GType type = 0;
  /* The nicks are vgg::cam_method_name's. */
  static const GEnumValue values[] = {
      {(gint) vgg::CamMethod::GradCam,
          "Grad-CAM: channels weighted by their mean gradient", "gradcam"},
      {(gint) vgg::CamMethod::GradCamPlusPlus,
          "Grad-CAM++: channels weighted by positive gradients, second and "
          "third powers",
          "gradcam++"},
      {(gint) vgg::CamMethod::XGradCam,
          "XGrad-CAM: channels weighted by gradient times activation, "
          "normalised",
          "xgradcam"},
      {(gint) vgg::CamMethod::HiResCam,
          "HiResCAM: gradient times activation, element-wise", "hirescam"},
      {(gint) vgg::CamMethod::LayerCam,
          "LayerCAM: positive gradient times activation, element-wise",
          "layercam"},
      {(gint) vgg::CamMethod::EigenCam,
          "EigenCAM: first principal component of the activations, no "
          "gradients",
          "eigencam"},
      {0, NULL, NULL},
  };
  return register_enum (&type, "GstVggCamMethod", values);
}

GType
gst_gradcam_colormap_get_type (void)
{
  static GType type = 0;
  /* OpenCV's colormaps, by their cv::ColormapTypes values. */
  static const GEnumValue values[] = {
      {cv::COLORMAP_AUTUMN, "Autumn", "autumn"},
      {cv::COLORMAP_BONE, "Bone", "bone"},
      {cv::COLORMAP_JET, "Jet (the blog's)", "jet"},
      {cv::COLORMAP_WINTER, "Winter", "winter"},
      {cv::COLORMAP_RAINBOW, "Rainbow", "rainbow"},
      {cv::COLORMAP_OCEAN, "Ocean", "ocean"},
      {cv::COLORMAP_SUMMER, "Summer", "summer"},
      {cv::COLORMAP_SPRING, "Spring", "spring"},
      {cv::COLORMAP_COOL, "Cool", "cool"},
      {cv::COLORMAP_HSV, "HSV", "hsv"},
      {cv::COLORMAP_PINK, "Pink", "pink"},
      {cv::COLORMAP_HOT, "Hot", "hot"},
      {cv::COLORMAP_PARULA, "Parula", "parula"},
      {cv::COLORMAP_MAGMA, "Magma", "magma"},
      {cv::COLORMAP_INFERNO, "Inferno", "inferno"},
      {cv::COLORMAP_PLASMA, "Plasma", "plasma"},
      {cv::COLORMAP_VIRIDIS, "Viridis", "viridis"},
      {cv::COLORMAP_CIVIDIS, "Cividis", "cividis"},
      {cv::COLORMAP_TWILIGHT, "Twilight", "twilight"},
      {cv::COLORMAP_TWILIGHT_SHIFTED, "Twilight shifted", "twilight-shifted"},
      {cv::COLORMAP_TURBO, "Turbo", "turbo"},
      {cv::COLORMAP_DEEPGREEN, "Deep green", "deepgreen"},
      {0, NULL, NULL},
  };
  return register_enum (&type, "GstGradcamColormap", values);
}

GType
gst_gradcam_blend_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
      {(gint) vgg::render::Blend::Add,
          "saturate (alpha * heat + image), as the Keras Grad-CAM blog", "add"},
      {(gint) vgg::render::Blend::Mix,
          "(1 - alpha) * image + alpha * heat, as pytorch-grad-cam", "mix"},
      {0, NULL, NULL},
  };
  return register_enum (&type, "GstGradcamBlend", values);
}

GType
gst_gradcam_rois_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
      {(gint) VggRoiSelection::All, "Every classified region", "all"},
      {(gint) VggRoiSelection::Tiles, "Regions of type tile", "tiles"},
      {(gint) VggRoiSelection::Frame, "Regions of type frame", "frame"},
      {(gint) VggRoiSelection::Best,
          "The region with the highest group score (without groups: the "
          "highest confidence)",
          "best"},
      {0, NULL, NULL},
  };
  return register_enum (&type, "GstGradcamRois", values);
}
