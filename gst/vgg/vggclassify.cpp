/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-vggclassify
 * @title: vggclassify
 *
 * Classifies regions of each frame with a TorchScript image classifier
 * (VGG16 by default) on the CPU or a CUDA GPU, all regions of a frame in one
 * batch. Regions are the #GstVideoRegionOfInterestMeta of the selected
 * types (from vggtiler, or any other element); a frame without any is
 * classified whole and gets a "frame" ROI. Each region gets a
 * "classification" param with the top-k predictions and the summed
 * probability of each class group, and per frame an element message named
 * "vggclassify" says which groups are present.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -m videotestsrc ! videoconvert ! vggtiler \
 *     ! vggclassify model=models/vgg16.pt ! fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "vggclassify.h"
#include "classifybatch.h"
#include "framequeue.h"
#include "packedrgb.h"
#include "roimeta.h"
#include "vggenums.h"
#include "inference.h"
#include "engine/text.h"

#include <gio/gio.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

GST_DEBUG_CATEGORY (gst_vgg_classify_debug);
#define GST_CAT_DEFAULT gst_vgg_classify_debug

#define DEFAULT_DEVICE "auto"
#define DEFAULT_PRECISION vgg::Precision::FP32
#define DEFAULT_BATCH_SIZE 16
#define DEFAULT_TOP_K 5
#define DEFAULT_PREPROCESS vgg::Preset::Auto
#define DEFAULT_INTERPOLATION vgg::Interpolation::Bilinear
#define DEFAULT_ROI_TYPES "tile,frame"
#define DEFAULT_INFERENCE_INTERVAL 1
#define DEFAULT_POST_MESSAGES TRUE
#define DEFAULT_THREADS 0
#define DEFAULT_GRADCAM FALSE
#define DEFAULT_GRADCAM_TARGET "top1"
#define DEFAULT_GRADCAM_METHOD vgg::CamMethod::GradCam
#define DEFAULT_GRADCAM_INTERVAL 1
#define DEFAULT_BATCH_FRAMES 1
#define DEFAULT_MAX_LATENCY 0
#define MAX_BATCH_FRAMES 64
#ifdef HAVE_GST_ANALYTICS
#define DEFAULT_META VggMeta::Both
#else
#define DEFAULT_META VggMeta::Roi
#endif

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_LABELS,
  PROP_DEVICE,
  PROP_PRECISION,
  PROP_BATCH_SIZE,
  PROP_TOP_K,
  PROP_PREPROCESS,
  PROP_INTERPOLATION,
  PROP_ROI_TYPES,
  PROP_INFERENCE_INTERVAL,
  PROP_CLASS_GROUPS,
  PROP_GROUP_THRESHOLD,
  PROP_POST_MESSAGES,
  PROP_THREADS,
  PROP_GRADCAM,
  PROP_GRADCAM_TARGET,
  PROP_GRADCAM_LAYER,
  PROP_GRADCAM_METHOD,
  PROP_GRADCAM_INTERVAL,
  PROP_BATCH_FRAMES,
  PROP_MAX_LATENCY,
  PROP_META,
  PROP_SHARED_INSTANCE,
};

/* The roi_type quarks of a comma-separated list; empty for "*" (any). */
static std::vector<GQuark>
parse_roi_types (const std::string &list)
{
  std::vector<GQuark> quarks;

  for (const std::string &item : vgg::split (list, ',')) {
    std::string t = vgg::trim (item);
    if (t == "*")
      return {};
    if (!t.empty ())
      quarks.push_back (g_quark_from_string (t.c_str ()));
  }
  return quarks;
}

/* Properties; copied out under the object lock at start and per batch. */
struct Settings
{
  std::string model, labels, class_groups, device = DEFAULT_DEVICE;
  gboolean gradcam = DEFAULT_GRADCAM;
  std::string gradcam_target = DEFAULT_GRADCAM_TARGET, gradcam_layer;
  vgg::CamMethod gradcam_method = DEFAULT_GRADCAM_METHOD;
  guint gradcam_interval = DEFAULT_GRADCAM_INTERVAL;
  vgg::Precision precision = DEFAULT_PRECISION;
  vgg::Preset preprocess = DEFAULT_PREPROCESS;
  vgg::Interpolation interpolation = DEFAULT_INTERPOLATION;
  std::string roi_types = DEFAULT_ROI_TYPES;
  std::vector<GQuark> roi_quarks = parse_roi_types (DEFAULT_ROI_TYPES);
  guint batch_size = DEFAULT_BATCH_SIZE, top_k = DEFAULT_TOP_K;
  guint inference_interval = DEFAULT_INFERENCE_INTERVAL;
  guint threads = DEFAULT_THREADS;
  guint batch_frames = DEFAULT_BATCH_FRAMES;
  guint64 max_latency = DEFAULT_MAX_LATENCY;
  gdouble group_threshold = VGG_DEFAULT_GROUP_THRESHOLD;
  gboolean post_messages = DEFAULT_POST_MESSAGES;
  VggMeta meta = DEFAULT_META;
  std::string shared_instance;
};

/* Built in start(), dropped in stop(). */
struct State
{
  std::unique_ptr<vgg::Inference> inference;
  vgg::PixelLayout pixels;
  FrameQueue queue;
  IntervalState interval;
  /* A failed drain before a serialized event, returned for the next frame. */
  GstFlowReturn drain_flow = GST_FLOW_OK;
  /* Non-finite scores are warned about once per stream. */
  bool warned_nonfinite = false;
};

struct _GstVggClassify
{
  GstVideoFilter parent;

  Settings *settings;
  State *state;
};

#define gst_vgg_classify_parent_class parent_class
G_DEFINE_TYPE (GstVggClassify, gst_vgg_classify, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE (
    vggclassify, "vggclassify", GST_RANK_NONE, GST_TYPE_VGG_CLASSIFY);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (VGG_PACKED_RGB_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE (
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (VGG_PACKED_RGB_CAPS));

static std::string
resource_text (const gchar *name)
{
  std::string path = std::string ("/org/gst-vgg/") + name;
  GBytes *bytes = g_resources_lookup_data (
      path.c_str (), G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  std::string text;

  if (bytes) {
    gsize size;
    const gchar *data = (const gchar *) g_bytes_get_data (bytes, &size);
    text.assign (data, size);
    g_bytes_unref (bytes);
  }
  return text;
}

static void
log_to_gst (GstVggClassify *self, vgg::LogLevel level, const std::string &msg)
{
  switch (level) {
    case vgg::LogLevel::Error:
      GST_ERROR_OBJECT (self, "%s", msg.c_str ());
      break;
    case vgg::LogLevel::Warning:
      GST_WARNING_OBJECT (self, "%s", msg.c_str ());
      break;
    case vgg::LogLevel::Info:
      GST_INFO_OBJECT (self, "%s", msg.c_str ());
      break;
    default:
      GST_DEBUG_OBJECT (self, "%s", msg.c_str ());
      break;
  }
}

static gboolean
gst_vgg_classify_start (GstBaseTransform *trans)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (trans);
  vgg::ClassifierOptions opts;

  GST_OBJECT_LOCK (self);
  Settings s = *self->settings;
  GST_OBJECT_UNLOCK (self);

#ifndef HAVE_GST_ANALYTICS
  if (s.meta != VggMeta::Roi) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
        ("meta=analytics and meta=both need GstAnalytics, and this build of "
         "gst-vgg has none (GStreamer < 1.24 or built without "
         "gstreamer-analytics-1.0); use meta=roi"),
        (NULL));
    return FALSE;
  }
#endif
  if (s.meta == VggMeta::Analytics && s.gradcam) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
        ("gradcam=true needs meta=roi or meta=both: Grad-CAM maps are "
         "carried by the ROIs' gradcam params"),
        (NULL));
    return FALSE;
  }

  opts.model_path = s.model;
  opts.labels_path = s.labels;
  opts.class_groups_path = s.class_groups;
  opts.default_labels_text = resource_text ("imagenet-labels.tsv");
  opts.default_class_groups_text = resource_text ("imagenet-class-groups.txt");
  opts.device = s.device;
  opts.precision = s.precision;
  opts.preset = s.preprocess;
  opts.threads = s.threads;
  opts.gradcam = s.gradcam;
  opts.gradcam_target = s.gradcam_target;
  opts.gradcam_layer = s.gradcam_layer;
  opts.gradcam_method = s.gradcam_method;
  opts.log = [self] (vgg::LogLevel level, const std::string &msg) {
    log_to_gst (self, level, msg);
  };

  std::unique_ptr<vgg::Inference> inference;
  try {
    inference = s.shared_instance.empty ()
        ? vgg::make_private_inference (opts)
        : vgg::make_shared_inference (
            s.shared_instance, GST_OBJECT_NAME (self), opts);
  } catch (const vgg::Error &e) {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS, ("%s", e.what ()),
        ("model=%s device=%s%s%s", s.model.c_str (), s.device.c_str (),
            e.details ().empty () ? "" : "\n", e.details ().c_str ()));
    return FALSE;
  } catch (const std::exception &e) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT,
        ("cannot load model \"%s\": %s", s.model.c_str (), e.what ()), (NULL));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->state->inference = std::move (inference);
  GST_OBJECT_UNLOCK (self);
  self->state->interval = IntervalState ();
  self->state->drain_flow = GST_FLOW_OK;
  self->state->warned_nonfinite = false;
  return TRUE;
}

static gboolean
gst_vgg_classify_stop (GstBaseTransform *trans)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (trans);

  std::unique_ptr<vgg::Inference> inference;

  self->state->queue.clear ();
  GST_OBJECT_LOCK (self);
  inference = std::move (self->state->inference);
  GST_OBJECT_UNLOCK (self);
  /* The last user of a shared instance frees it here, outside the lock. */
  inference.reset ();
  self->state->interval = IntervalState ();
  return TRUE;
}

/* The pad templates admit only packed 8-bit RGB of a positive size. */
static gboolean
gst_vgg_classify_set_info (GstVideoFilter *filter, GstCaps *incaps,
    GstVideoInfo *in_info, GstCaps *outcaps, GstVideoInfo *out_info)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (filter);

  self->state->pixels = vgg_pixel_layout (in_info->finfo);
  self->state->interval.have_last = false;
  return TRUE;
}

static bool
has_nonfinite (const std::vector<std::vector<vgg::RoiResult>> &results)
{
  for (const std::vector<vgg::RoiResult> &frame : results)
    for (const vgg::RoiResult &r : frame)
      for (float score : r.top_scores)
        if (!std::isfinite (score))
          return true;
  return false;
}

/* Classifies the held frames, attaches the results and messages, and
 * makes the frames ready to push; on failure drops them. */
static GstFlowReturn
process_held (GstVggClassify *self)
{
  State &st = *self->state;
  std::vector<FrameJob> jobs;
  std::vector<std::vector<vgg::RoiResult>> results;
  BatchSettings b;
  guint64 max_wait;

  GST_OBJECT_LOCK (self);
  const Settings &s = *self->settings;
  b.roi_types = s.roi_quarks;
  b.inference_interval = s.inference_interval;
  b.gradcam_interval = s.gradcam_interval;
  b.run.top_k = s.top_k;
  b.run.batch_size = s.batch_size;
  b.run.interpolation = s.interpolation;
  b.group_threshold = s.group_threshold;
  b.post_messages = s.post_messages;
  b.write_rois = s.meta != VggMeta::Analytics;
  b.write_analytics = s.meta != VggMeta::Roi;
  /* A shared instance's worker may wait this long for other streams. */
  max_wait = s.max_latency;
  GST_OBJECT_UNLOCK (self);

  jobs = plan_batch (GST_ELEMENT (self), &GST_VIDEO_FILTER (self)->in_info, b,
      st.queue.held (), st.interval);
  GstFlowReturn ret
      = run_batch (GST_ELEMENT (self), &GST_VIDEO_FILTER (self)->in_info,
          st.pixels, *st.inference, b.run, max_wait, jobs, results);
  if (ret != GST_FLOW_OK) {
    st.queue.clear ();
    return ret;
  }
  if (!st.warned_nonfinite && has_nonfinite (results)) {
    GST_ELEMENT_WARNING (self, STREAM, DECODE,
        ("the model gives scores that are not finite numbers (NaN or "
         "infinity): its results are meaningless"),
        ("model %s; warned once per stream",
            st.inference->classifier ().name ().c_str ()));
    st.warned_nonfinite = true;
  }
  attach_batch (st.inference->classifier (), b, jobs, results, st.interval);
  st.queue.release ();
  return GST_FLOW_OK;
}

/* The next ready frame, its message posted first; NULL if none. */
static GstBuffer *
pop_ready (GstVggClassify *self)
{
  FrameQueue::Frame f;

  if (!self->state->queue.pop (f))
    return NULL;
  if (f.message)
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_element (GST_OBJECT (self), f.message));
  return f.buffer;
}

/* Frames are held until batch-frames of them (or max-latency of stream
 * time) are there; then they are classified together and pushed one by one
 * from generate_output. */
static GstFlowReturn
gst_vgg_classify_submit_input_buffer (
    GstBaseTransform *trans, gboolean is_discont, GstBuffer *buf)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (trans);
  State &st = *self->state;

  if (G_UNLIKELY (!st.inference || !GST_VIDEO_FILTER (trans)->negotiated)) {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (
        self, CORE, NEGOTIATION, (NULL), ("not started or not negotiated"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (G_UNLIKELY (st.drain_flow != GST_FLOW_OK)) {
    gst_buffer_unref (buf);
    return st.drain_flow;
  }
  GST_OBJECT_LOCK (self);
  guint batch_frames = self->settings->batch_frames;
  GstClockTime max_latency = self->settings->max_latency;
  GST_OBJECT_UNLOCK (self);

  /* Metadata only: a shared buffer gets a new GstBuffer, never a pixel copy. */
  if (st.queue.hold (gst_buffer_make_writable (buf), batch_frames, max_latency))
    return process_held (self);
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_vgg_classify_generate_output (GstBaseTransform *trans, GstBuffer **outbuf)
{
  *outbuf = pop_ready (GST_VGG_CLASSIFY (trans));
  return GST_FLOW_OK;
}

/* Classifies and pushes every held frame, e.g. before EOS or new caps. */
static GstFlowReturn
drain (GstVggClassify *self)
{
  State &st = *self->state;
  GstFlowReturn ret = GST_FLOW_OK;
  GstBuffer *buf;

  if (!st.queue.held ().empty () && st.inference)
    ret = process_held (self);
  while ((buf = pop_ready (self))) {
    if (ret == GST_FLOW_OK)
      ret = gst_pad_push (GST_BASE_TRANSFORM_SRC_PAD (self), buf);
    else
      gst_buffer_unref (buf);
  }
  return ret;
}

static gboolean
gst_vgg_classify_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (trans);

  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_START) {
    /* A frame waiting for a shared instance's worker gives up now. */
    GST_OBJECT_LOCK (self);
    if (self->state->inference)
      self->state->inference->cancel ();
    GST_OBJECT_UNLOCK (self);
  } else if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
    /* A flush throws away what was held. */
    self->state->queue.clear ();
    self->state->drain_flow = GST_FLOW_OK;
    GST_OBJECT_LOCK (self);
    if (self->state->inference)
      self->state->inference->resume ();
    GST_OBJECT_UNLOCK (self);
  } else if (GST_EVENT_IS_SERIALIZED (event)) {
    /* Nothing may overtake the held frames: EOS, caps, segments, gaps...
     * The event goes on even if pushing them failed (EOS must arrive);
     * the failure is returned for the next frame. */
    GstFlowReturn ret = drain (self);
    if (ret != GST_FLOW_OK) {
      GST_DEBUG_OBJECT (self, "draining before %s: %s",
          GST_EVENT_TYPE_NAME (event), gst_flow_get_name (ret));
      self->state->drain_flow = ret;
    }
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

/* A frame waiting for a shared instance's worker must not hold up the
 * state change: the streaming thread gives up its wait first. */
static GstStateChangeReturn
gst_vgg_classify_change_state (GstElement *element, GstStateChange transition)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (element);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    GST_OBJECT_LOCK (self);
    if (self->state->inference)
      self->state->inference->cancel ();
    GST_OBJECT_UNLOCK (self);
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

/* Holding frames adds up to max-latency, or batch-frames - 1 frames; a
 * shared instance's worker may wait max-latency more. */
static gboolean
gst_vgg_classify_query (
    GstBaseTransform *trans, GstPadDirection direction, GstQuery *query)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (trans);
  gboolean ret = GST_BASE_TRANSFORM_CLASS (parent_class)
                     ->query (trans, direction, query);

  if (ret && direction == GST_PAD_SRC
      && GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    GstVideoInfo *info = &GST_VIDEO_FILTER (trans)->in_info;
    gboolean live;
    GstClockTime min, max, extra = 0;
    GST_OBJECT_LOCK (self);
    guint frames = self->settings->batch_frames;
    guint64 max_latency = self->settings->max_latency;
    bool shared = !self->settings->shared_instance.empty ();
    GST_OBJECT_UNLOCK (self);
    if (frames > 1 && GST_VIDEO_INFO_FPS_N (info) > 0)
      extra = gst_util_uint64_scale_int ((frames - 1) * GST_SECOND,
          GST_VIDEO_INFO_FPS_D (info), GST_VIDEO_INFO_FPS_N (info));
    if (frames > 1 && max_latency > 0 && (extra == 0 || max_latency < extra))
      extra = max_latency;
    if (shared)
      extra += max_latency;
    gst_query_parse_latency (query, &live, &min, &max);
    gst_query_set_latency (query, live, min + extra,
        GST_CLOCK_TIME_IS_VALID (max) ? max + extra : max);
  }
  return ret;
}

static void
set_string (std::string &dst, const GValue *value)
{
  const gchar *str = g_value_get_string (value);
  dst = str ? str : "";
}

static void
gst_vgg_classify_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (object);
  Settings &s = *self->settings;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      set_string (s.model, value);
      break;
    case PROP_LABELS:
      set_string (s.labels, value);
      break;
    case PROP_DEVICE:
      set_string (s.device, value);
      if (s.device.empty ())
        s.device = DEFAULT_DEVICE;
      break;
    case PROP_PRECISION:
      s.precision = (vgg::Precision) g_value_get_enum (value);
      break;
    case PROP_BATCH_SIZE:
      s.batch_size = g_value_get_uint (value);
      break;
    case PROP_TOP_K:
      s.top_k = g_value_get_uint (value);
      break;
    case PROP_PREPROCESS:
      s.preprocess = (vgg::Preset) g_value_get_enum (value);
      break;
    case PROP_INTERPOLATION:
      s.interpolation = (vgg::Interpolation) g_value_get_enum (value);
      break;
    case PROP_ROI_TYPES:
      set_string (s.roi_types, value);
      s.roi_quarks = parse_roi_types (s.roi_types);
      break;
    case PROP_INFERENCE_INTERVAL:
      s.inference_interval = g_value_get_uint (value);
      break;
    case PROP_CLASS_GROUPS:
      set_string (s.class_groups, value);
      break;
    case PROP_GROUP_THRESHOLD:
      s.group_threshold = g_value_get_double (value);
      break;
    case PROP_POST_MESSAGES:
      s.post_messages = g_value_get_boolean (value);
      break;
    case PROP_THREADS:
      s.threads = g_value_get_uint (value);
      break;
    case PROP_GRADCAM:
      s.gradcam = g_value_get_boolean (value);
      break;
    case PROP_GRADCAM_TARGET:
      set_string (s.gradcam_target, value);
      if (s.gradcam_target.empty ())
        s.gradcam_target = DEFAULT_GRADCAM_TARGET;
      break;
    case PROP_GRADCAM_LAYER:
      set_string (s.gradcam_layer, value);
      break;
    case PROP_GRADCAM_METHOD:
      s.gradcam_method = (vgg::CamMethod) g_value_get_enum (value);
      break;
    case PROP_GRADCAM_INTERVAL:
      s.gradcam_interval = g_value_get_uint (value);
      break;
    case PROP_BATCH_FRAMES:
      s.batch_frames = g_value_get_uint (value);
      break;
    case PROP_MAX_LATENCY:
      s.max_latency = g_value_get_uint64 (value);
      break;
    case PROP_META:
      s.meta = (VggMeta) g_value_get_enum (value);
      break;
    case PROP_SHARED_INSTANCE:
      set_string (s.shared_instance, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_vgg_classify_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (object);
  const Settings &s = *self->settings;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_value_set_string (value, s.model.empty () ? NULL : s.model.c_str ());
      break;
    case PROP_LABELS:
      g_value_set_string (value, s.labels.empty () ? NULL : s.labels.c_str ());
      break;
    case PROP_DEVICE:
      g_value_set_string (value, s.device.c_str ());
      break;
    case PROP_PRECISION:
      g_value_set_enum (value, (gint) s.precision);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, s.batch_size);
      break;
    case PROP_TOP_K:
      g_value_set_uint (value, s.top_k);
      break;
    case PROP_PREPROCESS:
      g_value_set_enum (value, (gint) s.preprocess);
      break;
    case PROP_INTERPOLATION:
      g_value_set_enum (value, (gint) s.interpolation);
      break;
    case PROP_ROI_TYPES:
      g_value_set_string (value, s.roi_types.c_str ());
      break;
    case PROP_INFERENCE_INTERVAL:
      g_value_set_uint (value, s.inference_interval);
      break;
    case PROP_CLASS_GROUPS:
      g_value_set_string (
          value, s.class_groups.empty () ? NULL : s.class_groups.c_str ());
      break;
    case PROP_GROUP_THRESHOLD:
      g_value_set_double (value, s.group_threshold);
      break;
    case PROP_POST_MESSAGES:
      g_value_set_boolean (value, s.post_messages);
      break;
    case PROP_THREADS:
      g_value_set_uint (value, s.threads);
      break;
    case PROP_GRADCAM:
      g_value_set_boolean (value, s.gradcam);
      break;
    case PROP_GRADCAM_TARGET:
      g_value_set_string (value, s.gradcam_target.c_str ());
      break;
    case PROP_GRADCAM_LAYER:
      g_value_set_string (
          value, s.gradcam_layer.empty () ? NULL : s.gradcam_layer.c_str ());
      break;
    case PROP_GRADCAM_METHOD:
      g_value_set_enum (value, (gint) s.gradcam_method);
      break;
    case PROP_GRADCAM_INTERVAL:
      g_value_set_uint (value, s.gradcam_interval);
      break;
    case PROP_BATCH_FRAMES:
      g_value_set_uint (value, s.batch_frames);
      break;
    case PROP_MAX_LATENCY:
      g_value_set_uint64 (value, s.max_latency);
      break;
    case PROP_META:
      g_value_set_enum (value, (gint) s.meta);
      break;
    case PROP_SHARED_INSTANCE:
      g_value_set_string (value,
          s.shared_instance.empty () ? NULL : s.shared_instance.c_str ());
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_vgg_classify_finalize (GObject *object)
{
  GstVggClassify *self = GST_VGG_CLASSIFY (object);

  delete self->state;
  delete self->settings;
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_vgg_classify_class_init (GstVggClassifyClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);
  /* Model-related settings apply at the next start (READY -> PAUSED);
   * the rest from the next frame. */
  const GParamFlags at_start = (GParamFlags) (G_PARAM_READWRITE
      | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  const GParamFlags live = (GParamFlags) (G_PARAM_READWRITE
      | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING);

  gobject_class->set_property = gst_vgg_classify_set_property;
  gobject_class->get_property = gst_vgg_classify_get_property;
  gobject_class->finalize = gst_vgg_classify_finalize;

  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "TorchScript model file (required); its sidecar is the same path "
          "with .json instead of .pt",
          NULL, at_start));
  g_object_class_install_property (gobject_class, PROP_LABELS,
      g_param_spec_string ("labels", "Labels",
          "Labels file overriding the sidecar's: one label per line, or the "
          "TSV of imagenet-labels.tsv (default: the sidecar's; the built-in "
          "ImageNet labels for 1000 classes; else \"class N\")",
          NULL, at_start));
  g_object_class_install_property (gobject_class, PROP_DEVICE,
      g_param_spec_string ("device", "Device",
          "Where the model runs: auto (CUDA when available, else CPU), cpu, "
          "cuda or cuda:N",
          DEFAULT_DEVICE, at_start));
  g_object_class_install_property (gobject_class, PROP_PRECISION,
      g_param_spec_enum ("precision", "Precision",
          "Arithmetic of the model's forward pass (softmax is always fp32)",
          GST_TYPE_VGG_PRECISION, (gint) DEFAULT_PRECISION, at_start));
  g_object_class_install_property (gobject_class, PROP_BATCH_SIZE,
      g_param_spec_uint ("batch-size", "Batch size",
          "Regions per forward pass; a frame with more regions takes several",
          1, 1024, DEFAULT_BATCH_SIZE, live));
  g_object_class_install_property (gobject_class, PROP_TOP_K,
      g_param_spec_uint ("top-k", "Top k",
          "Predictions kept per region (at most the number of classes)", 1,
          1000, DEFAULT_TOP_K, live));
  g_object_class_install_property (gobject_class, PROP_PREPROCESS,
      g_param_spec_enum ("preprocess", "Preprocess",
          "Channel order and normalisation of the input",
          GST_TYPE_VGG_PREPROCESS, (gint) DEFAULT_PREPROCESS, at_start));
  g_object_class_install_property (gobject_class, PROP_INTERPOLATION,
      g_param_spec_enum ("interpolation", "Interpolation",
          "How regions are resized to the model's input size",
          GST_TYPE_VGG_INTERPOLATION, (gint) DEFAULT_INTERPOLATION, live));
  g_object_class_install_property (gobject_class, PROP_ROI_TYPES,
      g_param_spec_string ("roi-types", "ROI types",
          "Comma-separated region types to classify (\"*\" for all): ROI "
          "roi_type values and, with GstAnalytics, ODMtd object types (e.g. "
          "car); a frame with none of them is classified whole and gets a "
          "\"frame\" region",
          DEFAULT_ROI_TYPES, live));
  g_object_class_install_property (gobject_class, PROP_INFERENCE_INTERVAL,
      g_param_spec_uint ("inference-interval", "Inference interval",
          "Classify every Nth frame; the frames in between carry the latest "
          "results with stale=true (while the regions stay the same)",
          1, G_MAXINT, DEFAULT_INFERENCE_INTERVAL, live));
  g_object_class_install_property (gobject_class, PROP_CLASS_GROUPS,
      g_param_spec_string ("class-groups", "Class groups",
          "Class-group file (\"[group]\" lines, then one class per line); "
          "default: the built-in ImageNet groups (vehicle) when they fit the "
          "model's labels",
          NULL, at_start));
  g_object_class_install_property (gobject_class, PROP_GROUP_THRESHOLD,
      g_param_spec_double ("group-threshold", "Group threshold",
          "A group is present in a frame when a region's summed probability "
          "of its classes reaches this",
          0.0, 1.0, VGG_DEFAULT_GROUP_THRESHOLD, live));
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post a \"vggclassify\" element message per frame",
          DEFAULT_POST_MESSAGES, live));
  g_object_class_install_property (gobject_class, PROP_THREADS,
      g_param_spec_uint ("threads", "Threads",
          "LibTorch intra-op CPU threads (process-wide; 0 = LibTorch's "
          "default, one per core)",
          0, 1024, DEFAULT_THREADS, at_start));

  g_object_class_install_property (gobject_class, PROP_GRADCAM,
      g_param_spec_boolean ("gradcam", "Grad-CAM",
          "Compute a Grad-CAM heatmap for every region (one backward pass "
          "through the layers after gradcam-layer) and attach it as the "
          "\"gradcam\" param",
          DEFAULT_GRADCAM, at_start));
  g_object_class_install_property (gobject_class, PROP_GRADCAM_TARGET,
      g_param_spec_string ("gradcam-target", "Grad-CAM target",
          "Class the heatmaps explain: top1 (each region's best class), a "
          "class (index such as 668, name or WordNet id), or a class group "
          "such as vehicle (the group's most probable class in each region)",
          DEFAULT_GRADCAM_TARGET, at_start));
  g_object_class_install_property (gobject_class, PROP_GRADCAM_LAYER,
      g_param_spec_string ("gradcam-layer", "Grad-CAM layer",
          "Layer whose activations the heatmaps weigh, e.g. features.29 "
          "(VGG16's last conv + ReLU, Keras block5_conv3); default: the "
          "sidecar's gradcam_layer, else the last layer of features before "
          "its final max-pool",
          NULL, at_start));
  /**
   * GstVggClassify:gradcam-method:
   *
   * How the heatmaps are made, each method as pytorch-grad-cam defines
   * it; eigencam takes no gradient (frozen or optimised models).
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_GRADCAM_METHOD,
      g_param_spec_enum ("gradcam-method", "Grad-CAM method",
          "How the heatmaps are made: gradcam, gradcam++, xgradcam, "
          "hirescam, layercam (one backward pass through the layers after "
          "gradcam-layer) or eigencam (no gradients)",
          GST_TYPE_VGG_CAM_METHOD, (gint) DEFAULT_GRADCAM_METHOD, at_start));
  /**
   * GstVggClassify:gradcam-interval:
   *
   * Compute the heatmaps every Nth classified frame only.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_GRADCAM_INTERVAL,
      g_param_spec_uint ("gradcam-interval", "Grad-CAM interval",
          "With gradcam=true, compute the heatmaps on every Nth classified "
          "frame; those in between are classified without (no backward "
          "pass) and carry the latest maps with stale=true (while the "
          "regions stay the same)",
          1, G_MAXINT, DEFAULT_GRADCAM_INTERVAL, live));

  g_object_class_install_property (gobject_class, PROP_BATCH_FRAMES,
      g_param_spec_uint ("batch-frames", "Batch frames",
          "Hold up to this many consecutive frames and classify their regions "
          "together (throughput on GPUs; adds latency); held frames are "
          "pushed in order before EOS, new caps and other serialized events",
          1, MAX_BATCH_FRAMES, DEFAULT_BATCH_FRAMES, live));
  g_object_class_install_property (gobject_class, PROP_MAX_LATENCY,
      g_param_spec_uint64 ("max-latency", "Maximum latency",
          "With batch-frames > 1, classify the held frames as soon as they "
          "span this much stream time, in nanoseconds (0 = only when "
          "batch-frames are held)",
          0, G_MAXUINT64, DEFAULT_MAX_LATENCY, live));
  /**
   * GstVggClassify:meta:
   *
   * The metadata the results are written as: ROI params, GstAnalytics
   * ODMtd/ClsMtd, or both (linked by the ROI's "analytics" param).
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_META,
      g_param_spec_enum ("meta", "Metadata",
          "What results are written as: roi (GstVideoRegionOfInterestMeta "
          "params), analytics (GstAnalytics ODMtd and ClsMtd; GStreamer >= "
          "1.24; no Grad-CAM maps) or both (the default where gst-vgg is "
          "built with GstAnalytics)",
          GST_TYPE_VGG_META, (gint) DEFAULT_META, at_start));
  /**
   * GstVggClassify:shared-instance:
   *
   * Elements of the process with the same non-empty name share one model
   * and one inference thread that batches their streams' regions.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_SHARED_INSTANCE,
      g_param_spec_string ("shared-instance", "Shared instance",
          "Name of a model shared by every vggclassify of the process with "
          "the same name (one copy of the weights, one thread batching all "
          "their streams' regions, up to batch-size at a time, waiting up to "
          "max-latency to fill a batch); they must agree on the model "
          "settings. Empty: a model of its own",
          NULL, at_start));

  gst_element_class_set_static_metadata (element_class, "VGG classifier",
      "Filter/Analyzer/Video",
      "Classifies regions of interest with a TorchScript VGG16 in batches "
      "and attaches the predictions as metadata",
      "gst-vgg authors <gst-vgg@example.org>");
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);

  element_class->change_state
      = GST_DEBUG_FUNCPTR (gst_vgg_classify_change_state);
  trans_class->start = GST_DEBUG_FUNCPTR (gst_vgg_classify_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_vgg_classify_stop);
  trans_class->submit_input_buffer
      = GST_DEBUG_FUNCPTR (gst_vgg_classify_submit_input_buffer);
  trans_class->generate_output
      = GST_DEBUG_FUNCPTR (gst_vgg_classify_generate_output);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_vgg_classify_sink_event);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_vgg_classify_query);
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_vgg_classify_set_info);

  gst_type_mark_as_plugin_api (GST_TYPE_VGG_META, (GstPluginAPIFlags) 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VGG_PRECISION, (GstPluginAPIFlags) 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VGG_PREPROCESS, (GstPluginAPIFlags) 0);
  gst_type_mark_as_plugin_api (
      GST_TYPE_VGG_INTERPOLATION, (GstPluginAPIFlags) 0);
  gst_type_mark_as_plugin_api (GST_TYPE_VGG_CAM_METHOD, (GstPluginAPIFlags) 0);
  GST_DEBUG_CATEGORY_INIT (
      gst_vgg_classify_debug, "vggclassify", 0, "VGG classifier");
}

static void
gst_vgg_classify_init (GstVggClassify *self)
{
  self->settings = new Settings ();
  self->state = new State ();
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  /* An analyser must see every frame: no dropping late ones. */
  gst_base_transform_set_qos_enabled (GST_BASE_TRANSFORM (self), FALSE);
}
