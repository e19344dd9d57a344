/* gst-vgg
 * Copyright (C) 2026 gst-vgg authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gst-vgg-traffic: runs a recorded video through vggtiler, vggclassify and
 * gradcamoverlay and writes what was found: an annotated video, one JSON
 * line per frame, a summary with the intervals where each class group
 * (e.g. vehicle) is present, and a PNG where each interval starts.
 *
 * It reads results only through the public metadata contract (ROI params
 * and "vggclassify" messages, see frameresult.cpp): a reference for
 * applications that embed gst-vgg.
 */
#include "frameresult.h"
#include "intervals.h"
#include "outputfile.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

enum ExitCode
{
  EXIT_OK = 0,
  EXIT_FAILURE_RUN = 1,
  EXIT_USAGE = 2,
  EXIT_INTERRUPTED = 130
};

/* A file that decodes gives its first frame in well under a second; some
 * broken ones (a truncated MP4 on GStreamer 1.26) make decodebin swallow the
 * demuxer's error and wait for ever. */
static guint
start_timeout_s ()
{
  /* VGG_TRAFFIC_START_TIMEOUT: for the tests, and inputs on slow media. */
  const char *s = g_getenv ("VGG_TRAFFIC_START_TIMEOUT");
  guint64 v = s ? g_ascii_strtoull (s, nullptr, 10) : 0;
  return v > 0 && v < G_MAXUINT ? (guint) v : 60;
}

/* An option that sets an element property; the value is checked against the
 * property's own range. */
struct PropertyOption
{
  const char *option, *element, *property, *arg, *help;
  char *value;
};

static PropertyOption property_options[] = {
    {"model", "classify", "model", "FILE",
        "TorchScript model (default: "
        "$GST_VGG_MODEL; models/export-vgg16 makes one)",
        nullptr},
    {"device", "classify", "device", "DEV",
        "auto, cpu, cuda or cuda:N "
        "(default auto)",
        nullptr},
    {"precision", "classify", "precision", "P", "fp32, fp16 (CUDA) or bf16",
        nullptr},
    {"threads", "classify", "threads", "N",
        "LibTorch CPU threads (0: one per "
        "core)",
        nullptr},
    {"batch-size", "classify", "batch-size", "N",
        "regions per forward pass "
        "(default 16)",
        nullptr},
    {"top-k", "classify", "top-k", "K",
        "predictions kept per region (default 5)", nullptr},
    {"class-groups", "classify", "class-groups", "FILE",
        "class-group file "
        "(default: the built-in ImageNet groups, vehicle)",
        nullptr},
    {"threshold", "classify", "group-threshold", "X",
        "a group is present when "
        "a region's summed probability reaches X (default 0.25)",
        nullptr},
    {"batch-frames", "classify", "batch-frames", "N",
        "classify N frames together (GPU throughput; default 1)", nullptr},
    {"inference-interval", "classify", "inference-interval", "N",
        "classify every Nth frame, reuse results in between (default 1)",
        nullptr},
    {"gradcam-target", "classify", "gradcam-target", "T",
        "what heatmaps "
        "explain: top1, a class (668, mosque) or a group (vehicle)",
        nullptr},
    {"gradcam-layer", "classify", "gradcam-layer", "L",
        "layer for Grad-CAM "
        "(default: the model's, features.29 on VGG16)",
        nullptr},
    {"gradcam-method", "classify", "gradcam-method", "M",
        "how heatmaps are made: gradcam (default), gradcam++, xgradcam, "
        "hirescam, layercam or eigencam (no gradients)",
        nullptr},
    {"gradcam-interval", "classify", "gradcam-interval", "N",
        "heatmaps every Nth classified frame, the last ones (stale) in "
        "between (default 1)",
        nullptr},
    {"meta", "classify", "meta", "roi|analytics|both",
        "results as ROI params, "
        "GstAnalytics or both (default both where GStreamer >= 1.24)",
        nullptr},
    {"rows", "tiler", "rows", "N", "tile grid rows (default 2)", nullptr},
    {"columns", "tiler", "columns", "N", "tile grid columns (default 2)",
        nullptr},
    {"tile-width", "tiler", "tile-width", "PX",
        "fixed tile width instead of a "
        "grid (e.g. 448 on 4K video)",
        nullptr},
    {"tile-height", "tiler", "tile-height", "PX", "fixed tile height", nullptr},
    {"overlap", "tiler", "overlap", "F",
        "fraction of a tile neighbours share "
        "(0..0.9)",
        nullptr},
    {"region", "tiler", "region", "X,Y,W,H",
        "tile only this part of the frame, "
        "as fractions (e.g. 0,0.4,1,0.6)",
        nullptr},
    {"alpha", "overlay", "alpha", "A",
        "heatmap weight in the annotated video "
        "(default 0.4)",
        nullptr},
    {"colormap", "overlay", "colormap", "NAME",
        "heatmap colormap (default jet)", nullptr},
    {"blend", "overlay", "blend", "add|mix",
        "heatmap blend (default add, the "
        "blog's)",
        nullptr},
    {"draw", "overlay", "rois", "WHICH",
        "regions drawn: all, tiles, frame or "
        "best (default all)",
        nullptr},
};

struct App
{
  /* Options. */
  std::string input;
  gboolean gradcam = FALSE, no_full_frame = FALSE, quiet = FALSE;
  OutputFile video, jsonl, summary;
  std::string snapshots;

  bool made_snapshots_dir = false;

  GstElement *pipeline = nullptr, *tiler = nullptr, *classify = nullptr,
             *overlay = nullptr, *convert = nullptr, *video_sink = nullptr;
  GMainLoop *loop = nullptr;

  /* Streaming thread state, under the lock. */
  std::mutex lock;
  GstStructure *pending_summary = nullptr;
  IntervalTracker intervals;
  std::set<GstClockTime> snapshot_pts;
  std::vector<std::pair<GstClockTime, std::string>> snapshot_names;
  std::vector<std::string> snapshots_written;
  std::vector<std::string> stream_types; /* the input's, as decoded */
  guint64 frames = 0;
  GstClockTime last_pts = GST_CLOCK_TIME_NONE;
  std::atomic<bool> decoding{false}; /* a decoded frame has arrived */

  /* The first failure, from any thread; read once the pipeline stopped. */
  std::mutex error_lock;
  std::string error;
  bool interrupted = false;
  std::chrono::steady_clock::time_point started;
};

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit ((GMainLoop *) loop);
  return G_SOURCE_REMOVE;
}

/* Ends the run with @msg, from any thread: the loop is quit from within
 * (a streaming thread may fail before the loop runs). */
static void
fail (App &app, const std::string &msg)
{
  {
    std::lock_guard<std::mutex> guard (app.error_lock);
    if (app.error.empty ())
      app.error = msg;
  }
  g_idle_add (quit_loop, app.loop);
}

/* JSON of any string: a byte that is not UTF-8 (a file name, another
 * element's region type) becomes U+FFFD instead of an exception. */
static std::string
dump (const nlohmann::json &j, int indent = -1)
{
  return j.dump (indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

/* "x,y,width,height", fractions of the frame, as vggtiler's region takes:
 * x, y >= 0, width, height > 0, within the frame. */
static bool
valid_region (const char *value)
{
  gchar **parts = g_strsplit (value, ",", -1);
  double v[4];
  bool ok = g_strv_length (parts) == 4;
  for (int i = 0; ok && i < 4; i++) {
    char *end;
    v[i] = g_ascii_strtod (parts[i], &end);
    while (*end == ' ')
      end++;
    ok = end != parts[i] && *end == '\0' && std::isfinite (v[i]);
  }
  g_strfreev (parts);
  const double eps = 1e-9;
  return ok && v[0] >= 0 && v[1] >= 0 && v[2] > 0 && v[3] > 0
      && v[0] + v[2] <= 1 + eps && v[1] + v[3] <= 1 + eps;
}

/* Sets @value on @element's @property, checked against the property. */
static bool
set_checked (GstElement *element, const char *option, const char *property,
    const char *value, std::string &error)
{
  GParamSpec *pspec
      = g_object_class_find_property (G_OBJECT_GET_CLASS (element), property);
  GValue v = G_VALUE_INIT;
  bool ok;

  g_value_init (&v, G_PARAM_SPEC_VALUE_TYPE (pspec));
  ok = gst_value_deserialize (&v, value);
  if (ok) {
    GValue checked = G_VALUE_INIT;
    g_value_init (&checked, G_PARAM_SPEC_VALUE_TYPE (pspec));
    g_value_copy (&v, &checked);
    ok = !g_param_value_validate (pspec, &checked);
    g_value_unset (&checked);
  }
  /* vggtiler ignores an invalid region with a warning: check it here. */
  if (ok && g_str_equal (property, "region"))
    ok = valid_region (value);
  if (ok)
    g_object_set_property (G_OBJECT (element), property, &v);
  else
    error = std::string ("--") + option + " " + value + ": not a valid value ("
        + g_param_spec_get_blurb (pspec) + ")";
  g_value_unset (&v);
  return ok;
}

static GstElement *
make (const char *factory, const char *name, std::string &error)
{
  GstElement *e = gst_element_factory_make (factory, name);
  if (!e && error.empty ()) {
    error = std::string ("GStreamer element ") + factory + " is missing";
    if (g_str_has_prefix (factory, "vgg")
        || g_str_equal (factory, "gradcamoverlay"))
      error += " (build gst-vgg and set GST_PLUGIN_PATH to build/gst/vgg)";
    else if (g_str_equal (factory, "x264enc"))
      error += " (install gstreamer1.0-plugins-ugly, or write .webm or .avi)";
  }
  return e;
}

/* Encoder and muxer for the annotated video, by its file extension. */
static bool
pick_encoder (const std::string &path, const char *&encoder, const char *&muxer)
{
  auto ends
      = [&] (const char *ext) { return g_str_has_suffix (path.c_str (), ext); };
  if (ends (".mp4") || ends (".m4v") || ends (".mov"))
    encoder = "x264enc", muxer = "mp4mux";
  else if (ends (".mkv"))
    encoder = "x264enc", muxer = "matroskamux";
  else if (ends (".webm"))
    encoder = "vp8enc", muxer = "webmmux";
  else if (ends (".avi"))
    encoder = "jpegenc", muxer = "avimux";
  else
    return false;
  return true;
}

/* The per-frame summary arrives just before its buffer, in the same
 * streaming thread: keep it for the buffer probe. */
static GstBusSyncReply
on_sync_message (GstBus *bus, GstMessage *msg, gpointer data)
{
  App &app = *(App *) data;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
      && GST_MESSAGE_SRC (msg) == GST_OBJECT (app.classify)
      && gst_message_has_name (msg, "vggclassify")) {
    std::lock_guard<std::mutex> guard (app.lock);
    if (app.pending_summary)
      gst_structure_free (app.pending_summary);
    app.pending_summary = gst_structure_copy (gst_message_get_structure (msg));
    return GST_BUS_DROP;
  }
  return GST_BUS_PASS;
}

static GstPadProbeReturn
on_classified (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  App &app = *(App *) data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  FrameResult r;

  r.pts = GST_BUFFER_PTS (buf);
  r.duration = GST_BUFFER_DURATION (buf);
  r.rois = read_rois (buf);

  std::lock_guard<std::mutex> guard (app.lock);
  if (app.pending_summary) {
    read_summary (app.pending_summary, r);
    gst_structure_free (app.pending_summary);
    app.pending_summary = nullptr;
  }
  if (app.jsonl.wanted () && !app.jsonl.write (dump (r.to_json ()) + '\n'))
    fail (app, app.jsonl.error ());
  app.intervals.add (r);
  app.frames++;
  app.last_pts = r.pts;
  return GST_PAD_PROBE_OK;
}

/* Saves the annotated frames where an interval starts as PNG. */
static GstPadProbeReturn
on_annotated (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  App &app = *(App *) data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  std::string name;
  {
    std::lock_guard<std::mutex> guard (app.lock);
    if (!app.snapshot_pts.erase (GST_BUFFER_PTS (buf)))
      return GST_PAD_PROBE_OK;
    for (const auto &[pts, n] : app.snapshot_names)
      if (pts == GST_BUFFER_PTS (buf))
        name += name.empty () ? n : "+" + n;
  }
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstSample *sample = gst_sample_new (buf, caps, nullptr, nullptr);
  GstCaps *png_caps = gst_caps_new_empty_simple ("image/png");
  GError *err = nullptr;
  GstSample *png
      = gst_video_convert_sample (sample, png_caps, 10 * GST_SECOND, &err);
  if (png) {
    GstMapInfo map;
    GstBuffer *out = gst_sample_get_buffer (png);
    OutputFile file (app.snapshots + "/" + name + ".png");
    gst_buffer_map (out, &map, GST_MAP_READ);
    bool ok
        = file.create () && file.write (map.data, map.size) && file.commit ();
    gst_buffer_unmap (out, &map);
    if (ok) {
      std::lock_guard<std::mutex> guard (app.lock);
      app.snapshots_written.push_back (file.path ());
    } else {
      fail (app, file.error ());
    }
    gst_sample_unref (png);
  } else {
    g_printerr ("warning: no PNG snapshot: %s\n", err ? err->message : "?");
    g_clear_error (&err);
  }
  gst_caps_unref (png_caps);
  gst_sample_unref (sample);
  gst_caps_unref (caps);
  return GST_PAD_PROBE_OK;
}

static void
on_pad_added (GstElement *decode, GstPad *pad, gpointer data)
{
  App &app = *(App *) data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  if (!caps)
    caps = gst_pad_query_caps (pad, nullptr);
  const char *type = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  GstPad *sink = gst_element_get_static_pad (app.convert, "sink");
  {
    std::lock_guard<std::mutex> guard (app.lock);
    app.stream_types.push_back (type);
  }
  if (g_str_has_prefix (type, "video/") && !gst_pad_is_linked (sink)) {
    if (GST_PAD_LINK_FAILED (gst_pad_link (pad, sink)))
      g_printerr ("warning: cannot use the input's video stream\n");
  } else {
    /* Audio and further video streams are dropped. */
    GstElement *drop = gst_element_factory_make ("fakesink", nullptr);
    g_object_set (drop, "sync", FALSE, "async", FALSE, nullptr);
    gst_bin_add (GST_BIN (app.pipeline), drop);
    gst_element_sync_state_with_parent (drop);
    GstPad *dsink = gst_element_get_static_pad (drop, "sink");
    gst_pad_link (pad, dsink);
    gst_object_unref (dsink);
  }
  gst_object_unref (sink);
  gst_caps_unref (caps);
}

/* decodebin has added a pad for every stream: without a video stream the
 * results branch would wait for one for ever. */
static void
on_no_more_pads (GstElement *decode, gpointer data)
{
  App &app = *(App *) data;
  GstPad *sink = gst_element_get_static_pad (app.convert, "sink");
  if (!gst_pad_is_linked (sink)) {
    std::string found;
    {
      std::lock_guard<std::mutex> guard (app.lock);
      for (const std::string &t : app.stream_types)
        found += (found.empty () ? "" : ", ") + t;
    }
    fail (app,
        app.input + ": no video stream"
            + (found.empty () ? "" : " (found " + found + ")"));
  }
  gst_object_unref (sink);
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer data)
{
  App &app = *(App *) data;
  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_EOS:
      g_main_loop_quit (app.loop);
      break;
    case GST_MESSAGE_ERROR: {
      GError *err = nullptr;
      gst_message_parse_error (msg, &err, nullptr);
      GstObject *src = GST_MESSAGE_SRC (msg);
      std::string where = GST_OBJECT_NAME (src);
      if (src == GST_OBJECT (app.classify) || src == GST_OBJECT (app.tiler)
          || src == GST_OBJECT (app.overlay))
        fail (app, err->message);
      else if (src == GST_OBJECT (app.video_sink))
        fail (app, "cannot write " + app.video.path () + ": " + err->message);
      else if (g_str_has_prefix (where.c_str (), "filesrc"))
        fail (app, "cannot read " + app.input + ": " + err->message);
      else if (g_str_has_prefix (where.c_str (), "decode")
          || g_str_has_prefix (where.c_str (), "typefind")
          || err->domain == GST_STREAM_ERROR)
        fail (app, app.input + ": cannot decode: " + err->message);
      else
        fail (app, where + ": " + err->message);
      g_error_free (err);
      break;
    }
    case GST_MESSAGE_WARNING: {
      GError *err = nullptr;
      gst_message_parse_warning (msg, &err, nullptr);
      if (!app.quiet)
        g_printerr ("\rwarning: %s\n", err->message);
      g_error_free (err);
      break;
    }
    default:
      break;
  }
  return TRUE;
}

static GstPadProbeReturn
on_first_frame (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  ((App *) data)->decoding = true;
  return GST_PAD_PROBE_REMOVE;
}

static gboolean
on_start_timeout (gpointer data)
{
  App &app = *(App *) data;
  if (!app.decoding)
    fail (app,
        app.input + ": cannot decode: no video frame within "
            + std::to_string (start_timeout_s ()) + " s");
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer data)
{
  App &app = *(App *) data;
  if (!app.interrupted && !app.decoding) {
    /* Nothing to finish, and an EOS could not flow yet. */
    app.interrupted = true;
    g_main_loop_quit (app.loop);
  } else if (!app.interrupted) {
    /* Finish cleanly: end the stream so that every output is complete up
     * to the current frame. */
    app.interrupted = true;
    if (!app.quiet)
      g_printerr ("\ninterrupted: finishing the outputs (again to abort)\n");
    gst_element_send_event (app.pipeline, gst_event_new_eos ());
  } else {
    fail (app, "aborted");
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_progress (gpointer data)
{
  App &app = *(App *) data;
  gint64 duration = -1;
  guint64 frames;
  GstClockTime pts;
  {
    std::lock_guard<std::mutex> guard (app.lock);
    frames = app.frames;
    pts = app.last_pts;
  }
  double elapsed = std::chrono::duration<double> (
      std::chrono::steady_clock::now () - app.started)
                       .count ();
  double fps = elapsed > 0 ? frames / elapsed : 0;
  gst_element_query_duration (app.pipeline, GST_FORMAT_TIME, &duration);
  if (duration > 0 && GST_CLOCK_TIME_IS_VALID (pts) && pts > 0) {
    double done = std::min (1.0, (double) pts / duration);
    double eta = elapsed * (1.0 - done) / done;
    g_printerr ("\r%5.1f%%  %" G_GUINT64_FORMAT " frames  %.2f frames/s  ETA "
                "%02d:%02d:%02d ",
        100 * done, frames, fps, (int) eta / 3600, (int) eta / 60 % 60,
        (int) eta % 60);
  } else {
    g_printerr ("\r%" G_GUINT64_FORMAT " frames  %.2f frames/s ", frames, fps);
  }
  return G_SOURCE_CONTINUE;
}

static bool
build (App &app, std::string &error)
{
  GstElement *src, *decode, *caps, *tee, *q1, *sink1;
  app.pipeline = gst_pipeline_new ("traffic");
  src = make ("filesrc", "filesrc", error);
  decode = make ("decodebin", "decode", error);
  app.convert = make ("videoconvert", nullptr, error);
  caps = make ("capsfilter", nullptr, error);
  app.tiler = make ("vggtiler", "tiler", error);
  app.classify = make ("vggclassify", "classify", error);
  tee = make ("tee", nullptr, error);
  q1 = make ("queue", nullptr, error);
  sink1 = make ("fakesink", nullptr, error);
  if (!error.empty ())
    return false;
  gst_bin_add_many (GST_BIN (app.pipeline), src, decode, app.convert, caps,
      app.tiler, app.classify, tee, q1, sink1, nullptr);
  g_object_set (src, "location", app.input.c_str (), nullptr);
  /* BGRx: what the overlay blends fastest, and vggclassify reads as is. */
  GstCaps *bgrx = gst_caps_from_string ("video/x-raw,format=BGRx");
  g_object_set (caps, "caps", bgrx, nullptr);
  gst_caps_unref (bgrx);
  /* The results branch must not hold up preroll: the encoder needs several
   * frames before its sink prerolls. */
  g_object_set (sink1, "sync", FALSE, "async", FALSE, nullptr);
  g_object_set (app.classify, "gradcam", app.gradcam, nullptr);
  g_object_set (app.tiler, "include-full-frame", !app.no_full_frame, nullptr);
  gst_element_link (src, decode);
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_pad_added), &app);
  g_signal_connect (decode, "no-more-pads", G_CALLBACK (on_no_more_pads), &app);
  gst_element_link_many (
      app.convert, caps, app.tiler, app.classify, tee, q1, sink1, nullptr);

  if (app.video.wanted () || !app.snapshots.empty ()) {
    GstElement *q2 = make ("queue", nullptr, error);
    app.overlay = make ("gradcamoverlay", "overlay", error);
    if (!error.empty ())
      return false;
    /* Room for the encoder's latency, bounded so that a slow encoder
     * holds back inference instead of filling memory. */
    g_object_set (q2, "max-size-buffers", 64, "max-size-bytes", 0,
        "max-size-time", (guint64) 0, nullptr);
    gst_bin_add_many (GST_BIN (app.pipeline), q2, app.overlay, nullptr);
    gst_element_link_many (tee, q2, app.overlay, nullptr);
    GstElement *tail;
    if (app.video.wanted ()) {
      const char *enc_name, *mux_name;
      pick_encoder (app.video.path (), enc_name, mux_name);
      GstElement *conv = make ("videoconvert", nullptr, error);
      GstElement *enc = make (enc_name, nullptr, error);
      GstElement *mux = make (mux_name, nullptr, error);
      tail = app.video_sink = make ("filesink", "videosink", error);
      if (!error.empty ())
        return false;
      if (g_str_equal (enc_name, "x264enc")) {
        gst_util_set_object_arg (G_OBJECT (enc), "speed-preset", "veryfast");
        gst_util_set_object_arg (G_OBJECT (enc), "tune", "zerolatency");
      } else if (g_str_equal (enc_name, "vp8enc")) {
        g_object_set (enc, "deadline", (gint64) 1, nullptr);
      }
      g_object_set (tail, "location", app.video.temp ().c_str (), nullptr);
      gst_bin_add_many (GST_BIN (app.pipeline), conv, enc, mux, tail, nullptr);
      gst_element_link_many (app.overlay, conv, enc, mux, tail, nullptr);
    } else {
      tail = make ("fakesink", nullptr, error);
      gst_bin_add (GST_BIN (app.pipeline), tail);
      gst_element_link (app.overlay, tail);
    }
    g_object_set (tail, "sync", FALSE, nullptr);
    if (!app.snapshots.empty ()) {
      GstPad *pad = gst_element_get_static_pad (app.overlay, "src");
      gst_pad_add_probe (
          pad, GST_PAD_PROBE_TYPE_BUFFER, on_annotated, &app, nullptr);
      gst_object_unref (pad);
    }
  }

  GstPad *pad = gst_element_get_static_pad (app.classify, "src");
  gst_pad_add_probe (
      pad, GST_PAD_PROBE_TYPE_BUFFER, on_classified, &app, nullptr);
  gst_object_unref (pad);

  for (PropertyOption &o : property_options) {
    if (!o.value)
      continue;
    GstElement *e = g_str_equal (o.element, "tiler") ? app.tiler
        : g_str_equal (o.element, "classify")        ? app.classify
                                                     : app.overlay;
    if (e && !set_checked (e, o.option, o.property, o.value, error))
      return false;
    /* The overlay colours boxes by the same threshold. */
    if (app.overlay && g_str_equal (o.option, "threshold")
        && !set_checked (app.overlay, o.option, o.property, o.value, error))
      return false;
  }
  return true;
}

/* What names a file: its device and inode where it exists (so that links
 * and symbolic links are the same file), else its folder's real path and
 * its name. */
static std::string
file_identity (std::string path)
{
  struct stat st;
  if (stat (path.c_str (), &st) == 0)
    return "inode " + std::to_string (st.st_dev) + ":"
        + std::to_string (st.st_ino);
  while (path.size () > 1 && path.back () == '/')
    path.pop_back ();
  gchar *dir = g_path_get_dirname (path.c_str ());
  gchar *base = g_path_get_basename (path.c_str ());
  char *real = realpath (dir, nullptr);
  std::string id = std::string ("path ") + (real ? real : dir) + "/" + base;
  free (real);
  g_free (dir);
  g_free (base);
  return id;
}

/* An output that is the input, or another output, would be overwritten:
 * the usage error that says which. */
static std::string
clashing_outputs (const App &app)
{
  const std::pair<const char *, std::string> outputs[] = {
      {"--video", app.video.path ()},
      {"--jsonl", app.jsonl.path ()},
      {"--summary", app.summary.path ()},
      {"--snapshots", app.snapshots},
  };
  const std::string input = file_identity (app.input);
  std::vector<std::pair<const char *, std::string>> seen;
  for (const auto &[option, path] : outputs) {
    if (path.empty ())
      continue;
    std::string id = file_identity (path);
    if (id == input)
      return std::string (option) + " " + path + ": that is the input video";
    for (const auto &[other, other_id] : seen)
      if (id == other_id)
        return std::string (option) + " " + path + ": the same file as "
            + other;
    seen.emplace_back (option, id);
  }
  return "";
}

/* After a failure: nothing written is left (the .part files go with their
 * OutputFile). */
static void
remove_outputs (App &app)
{
  for (const std::string &path : app.snapshots_written)
    std::remove (path.c_str ());
  if (app.made_snapshots_dir)
    g_rmdir (app.snapshots.c_str ());
}

static std::string
format_seconds (GstClockTime t)
{
  char buf[32];
  std::snprintf (buf, sizeof buf, "%09.3f", (double) t / GST_SECOND);
  return buf;
}

int
main (int argc, char **argv)
{
  App app;
  gchar *video = nullptr, *jsonl = nullptr, *summary = nullptr,
        *snapshots = nullptr;
  std::vector<GOptionEntry> entries = {
      {"video", 'o', 0, G_OPTION_ARG_FILENAME, &video,
          "write the annotated "
          "video (.mp4/.mkv: H.264, .webm: VP8, .avi: MJPEG)",
          "FILE"},
      {"jsonl", 'j', 0, G_OPTION_ARG_FILENAME, &jsonl,
          "write one JSON object "
          "per frame",
          "FILE"},
      {"summary", 's', 0, G_OPTION_ARG_FILENAME, &summary,
          "write the presence "
          "intervals per group and run statistics as JSON (default: print "
          "them when no output is named)",
          "FILE"},
      {"snapshots", 0, 0, G_OPTION_ARG_FILENAME, &snapshots,
          "write an "
          "annotated PNG where each interval starts into DIR",
          "DIR"},
      {"gradcam", 'g', 0, G_OPTION_ARG_NONE, &app.gradcam,
          "compute Grad-CAM "
          "heatmaps (drawn in the video and snapshots)",
          nullptr},
      {"no-full-frame", 0, 0, G_OPTION_ARG_NONE, &app.no_full_frame,
          "classify the tiles only, not the whole frame", nullptr},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &app.quiet,
          "no progress or "
          "warnings on stderr",
          nullptr},
  };
  for (PropertyOption &o : property_options)
    entries.push_back (
        {o.option, 0, 0, G_OPTION_ARG_STRING, &o.value, o.help, o.arg});
  entries.push_back (GOptionEntry{});

  GOptionContext *ctx = g_option_context_new (
      "INPUT - find vehicles (or any "
      "class group) in a recorded video with VGG16 and Grad-CAM");
  g_option_context_set_summary (ctx,
      "Splits each frame into tiles, "
      "classifies the tiles and the whole frame with vggclassify, and writes\n"
      "what it found. Exit status: 0 done, 1 failure, 2 bad usage, 130 "
      "interrupted (outputs complete\nup to the last frame).");
  g_option_context_add_main_entries (ctx, entries.data (), nullptr);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  GError *err = nullptr;
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("gst-vgg-traffic: %s (see --help)\n", err->message);
    return EXIT_USAGE;
  }
  g_option_context_free (ctx);
  if (argc != 2) {
    g_printerr ("gst-vgg-traffic: give one input video (see --help)\n");
    return EXIT_USAGE;
  }
  app.input = argv[1];
  if (!property_options[0].value && g_getenv ("GST_VGG_MODEL"))
    property_options[0].value = g_strdup (g_getenv ("GST_VGG_MODEL"));
  if (!property_options[0].value) {
    g_printerr ("gst-vgg-traffic: no model: give --model FILE "
                "(models/export-vgg16 makes one)\n");
    return EXIT_USAGE;
  }
  const char *enc, *mux;
  if (video && !pick_encoder (video, enc, mux)) {
    g_printerr ("gst-vgg-traffic: --video %s: name it .mp4, .mkv, .webm or "
                ".avi\n",
        video);
    return EXIT_USAGE;
  }
  bool print_summary = !video && !jsonl && !summary && !snapshots;
  app.video = OutputFile (video ? video : "");
  app.jsonl = OutputFile (jsonl ? jsonl : "");
  app.summary = OutputFile (summary ? summary : "");
  app.snapshots = snapshots ? snapshots : "";

  std::string error;
  GStatBuf st;
  /* A named pipe is a recorder writing as it goes. */
  bool readable = g_stat (app.input.c_str (), &st) == 0
      && (S_ISREG (st.st_mode) || S_ISFIFO (st.st_mode));
  if (!readable) {
    g_printerr ("gst-vgg-traffic: cannot read %s: %s\n", app.input.c_str (),
        g_file_test (app.input.c_str (), G_FILE_TEST_EXISTS) ? "not a file"
                                                             : "no such file");
    return EXIT_FAILURE_RUN;
  }
  std::string clash = clashing_outputs (app);
  if (!clash.empty ()) {
    g_printerr ("gst-vgg-traffic: %s\n", clash.c_str ());
    return EXIT_USAGE;
  }
  for (OutputFile *f : {&app.video, &app.jsonl, &app.summary}) {
    if (f->wanted () && !f->create ()) {
      g_printerr ("gst-vgg-traffic: %s\n", f->error ().c_str ());
      return EXIT_FAILURE_RUN;
    }
  }
  /* The annotated video's filesink writes its own. */
  app.video.hand_over ();
  if (!app.snapshots.empty ()) {
    app.made_snapshots_dir
        = !g_file_test (app.snapshots.c_str (), G_FILE_TEST_EXISTS);
    if (g_mkdir_with_parents (app.snapshots.c_str (), 0755) != 0) {
      g_printerr ("gst-vgg-traffic: cannot create %s: %s\n",
          app.snapshots.c_str (), g_strerror (errno));
      return EXIT_FAILURE_RUN;
    }
  }

  app.loop = g_main_loop_new (nullptr, FALSE);
  if (!build (app, error)) {
    g_printerr ("gst-vgg-traffic: %s\n", error.c_str ());
    return error.rfind ("--", 0) == 0 ? EXIT_USAGE : EXIT_FAILURE_RUN;
  }
  app.intervals.on_start
      = [&app] (const std::string &group, const FrameResult &f) {
          if (app.snapshots.empty () || !GST_CLOCK_TIME_IS_VALID (f.pts))
            return;
          /* Called from on_classified, under the lock. */
          app.snapshot_pts.insert (f.pts);
          app.snapshot_names.emplace_back (
              f.pts, group + "-" + format_seconds (f.pts) + "s");
        };

  GstBus *bus = gst_element_get_bus (app.pipeline);
  gst_bus_set_sync_handler (bus, on_sync_message, &app, nullptr);
  gst_bus_add_watch (bus, on_bus, &app);
  g_unix_signal_add (SIGINT, on_signal, &app);
  g_unix_signal_add (SIGTERM, on_signal, &app);
  if (!app.quiet && isatty (STDERR_FILENO))
    g_timeout_add (500, on_progress, &app);
  GstPad *decoded = gst_element_get_static_pad (app.convert, "sink");
  gst_pad_add_probe (
      decoded, GST_PAD_PROBE_TYPE_BUFFER, on_first_frame, &app, nullptr);
  gst_object_unref (decoded);
  g_timeout_add_seconds (start_timeout_s (), on_start_timeout, &app);

  app.started = std::chrono::steady_clock::now ();
  if (gst_element_set_state (app.pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    /* The reason is on the bus (e.g. the model failed to load). */
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    if (msg) {
      on_bus (bus, msg, &app);
      gst_message_unref (msg);
    }
    if (app.error.empty ())
      app.error = "cannot start the pipeline";
  } else {
    g_main_loop_run (app.loop);
  }
  double wall = std::chrono::duration<double> (
      std::chrono::steady_clock::now () - app.started)
                    .count ();
  gint64 duration = -1;
  gst_element_query_duration (app.pipeline, GST_FORMAT_TIME, &duration);
  /* Errors posted while stopping (a filesink that cannot close its file),
   * read before the pipeline flushes its bus on the way to NULL. */
  gst_element_set_state (app.pipeline, GST_STATE_READY);
  while (GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR)) {
    on_bus (bus, msg, &app);
    gst_message_unref (msg);
  }
  gst_element_set_state (app.pipeline, GST_STATE_NULL);
  if (!app.quiet && isatty (STDERR_FILENO))
    g_printerr ("\n");

  if (!app.error.empty ()) {
    g_printerr ("gst-vgg-traffic: %s\n", app.error.c_str ());
    /* OutputFile's destructors remove the temporary files. */
    remove_outputs (app);
    return EXIT_FAILURE_RUN;
  }

  app.intervals.finish ();
  nlohmann::json report = {
      {"input", app.input},
      {"model", property_options[0].value},
      {"interrupted", app.interrupted},
      {"groups", app.intervals.to_json ()},
      {"stats",
          {{"frames", app.frames}, {"wall_time_s", wall},
              {"frames_per_s", wall > 0 ? app.frames / wall : 0.0},
              {"duration_s",
                  duration > 0 ? nlohmann::json ((double) duration / GST_SECOND)
                               : nlohmann::json (nullptr)}}},
  };
  if (app.summary.wanted ())
    app.summary.write (dump (report, 2) + '\n');
  /* All outputs complete before any is renamed into place. */
  std::vector<OutputFile *> outputs = {&app.video, &app.jsonl, &app.summary};
  for (OutputFile *f : outputs) {
    if (!f->finish ()) {
      g_printerr ("gst-vgg-traffic: %s\n", f->error ().c_str ());
      remove_outputs (app);
      return EXIT_FAILURE_RUN;
    }
  }
  for (OutputFile *f : outputs) {
    if (!f->commit ()) {
      g_printerr ("gst-vgg-traffic: %s\n", f->error ().c_str ());
      for (OutputFile *g : outputs)
        g->retract ();
      remove_outputs (app);
      return EXIT_FAILURE_RUN;
    }
  }
  if (print_summary) {
    std::string text = dump (report, 2) + '\n';
    if (std::fwrite (text.data (), 1, text.size (), stdout) != text.size ()
        || std::fflush (stdout) != 0) {
      g_printerr ("gst-vgg-traffic: cannot write the summary to stdout: %s\n",
          g_strerror (errno));
      return EXIT_FAILURE_RUN;
    }
  } else if (!app.quiet)
    g_printerr ("%" G_GUINT64_FORMAT " frames in %.1f s (%.2f frames/s)\n",
        app.frames, wall, wall > 0 ? app.frames / wall : 0.0);
  gst_object_unref (bus);
  gst_object_unref (app.pipeline);
  g_main_loop_unref (app.loop);
  return app.interrupted ? EXIT_INTERRUPTED : EXIT_OK;
}
