"""Runs frames through a gst-vgg pipeline from Python and reads the results
back through GObject-Introspection only (no gst-vgg headers): the metadata
contract as an application sees it.
"""
import ctypes

# Debian's torch loads libunwind into the global symbol scope ahead of
# libgcc_s; C++ exceptions in any library loaded after it then abort. Loading
# libgcc_s globally first keeps the GCC unwinder in front. (Only needed when
# the same process imports torch, as these tests do.)
ctypes.CDLL("libgcc_s.so.1", mode=ctypes.RTLD_GLOBAL)

import gi  # noqa: E402

gi.require_version("Gst", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstVideo  # noqa: E402

Gst.init(None)


def run(description, caps, buffers, warnings=None):
    """Pushes @buffers (Gst.Buffer) through 'appsrc ! @description ! appsink'
    and returns (output buffers, element messages, errors); warning messages
    go to the list @warnings if given."""
    pipeline = Gst.parse_launch(
        f"appsrc name=src format=time caps={caps} ! {description} "
        "! appsink name=sink sync=false wait-on-eos=false")
    src, sink = pipeline.get_by_name("src"), pipeline.get_by_name("sink")
    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PLAYING)
    for i, buf in enumerate(buffers):
        buf.pts = i * Gst.SECOND // 25
        buf.duration = Gst.SECOND // 25
        src.emit("push-buffer", buf)
    src.emit("end-of-stream")
    out, messages, errors = [], [], []
    while True:
        msg = bus.timed_pop_filtered(60 * Gst.SECOND,
                                     Gst.MessageType.EOS | Gst.MessageType.ERROR
                                     | Gst.MessageType.ELEMENT | Gst.MessageType.WARNING)
        if msg is None or msg.type == Gst.MessageType.EOS:
            break
        if msg.type == Gst.MessageType.ERROR:
            errors.append(msg.parse_error()[0].message)
            break
        if msg.type == Gst.MessageType.WARNING:
            if warnings is not None:
                warnings.append(msg.parse_warning()[0].message)
            continue
        messages.append(msg.get_structure().copy())
    while True:
        sample = sink.emit("try-pull-sample", 0)
        if sample is None:
            break
        out.append(sample.get_buffer())
    pipeline.set_state(Gst.State.NULL)
    return out, messages, errors


def rois(buf, max_id=256):
    """The ROIs of @buf with ids below @max_id, as dicts, by id."""
    found = []
    for i in range(max_id):
        meta = GstVideo.buffer_get_video_region_of_interest_meta_id(buf, i)
        if meta is None:
            continue
        roi = dict(id=meta.id, type=GLib.quark_to_string(meta.roi_type),
                   rect=(meta.x, meta.y, meta.w, meta.h))
        for name in ("classification", "gradcam", "tile", "analytics"):
            s = meta.get_param(name)
            if s is not None:
                roi[name] = s
        found.append(roi)
    return found


def wrap(data, fmt, width, height, stride):
    """A Gst.Buffer holding @data with a video meta giving @stride."""
    buf = Gst.Buffer.new_wrapped(bytes(data))
    GstVideo.buffer_add_video_meta_full(
        buf, GstVideo.VideoFrameFlags.NONE, GstVideo.VideoFormat.from_string(fmt),
        width, height, 1, [0, 0, 0, 0], [stride, 0, 0, 0])
    return buf


def add_roi(buf, roi_type, rect, roi_id):
    meta = GstVideo.buffer_add_video_region_of_interest_meta(buf, roi_type, *rect)
    meta.id = roi_id
    meta.parent_id = -1
    return meta
