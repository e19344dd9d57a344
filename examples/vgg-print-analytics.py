#!/usr/bin/python3
"""Prints what vggclassify found in each frame, reading GStreamer's analytics
metadata (GstAnalytics, GStreamer >= 1.24) with PyGObject's GstAnalytics
bindings alone: each region is an ODMtd whose classes are the ClsMtds it
RELATE_TOs; the one that IS_PART_OF the other holds the class-group scores.

Usage: examples/vgg-print-analytics.py MODEL [VIDEO]
(without VIDEO: a few frames of videotestsrc; GST_PLUGIN_PATH must reach
the plugin, e.g. build/gst/vgg)
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstAnalytics", "1.0")
from gi.repository import GLib, Gst, GstAnalytics  # noqa: E402


def classes(cls):
    return [(GLib.quark_to_string(cls.get_quark(i)), cls.get_level(i))
            for i in range(cls.get_length())]


def regions(buf):
    """[(id, type, (x, y, w, h), top-k, group scores)] of the buffer's
    ODMtds that have classes."""
    rmeta = GstAnalytics.buffer_get_analytics_relation_meta(buf)
    if rmeta is None:
        return []
    mtds = list(rmeta)
    cls_mtds = [m for m in mtds if isinstance(m, GstAnalytics.ClsMtd)]
    found = []
    for od in (m for m in mtds if isinstance(m, GstAnalytics.ODMtd)):
        related = [c for c in cls_mtds
                   if rmeta.get_relation(od.id, c.id) & GstAnalytics.RelTypes.RELATE_TO]
        top = [c for c in related
               if not any(rmeta.get_relation(c.id, o.id) & GstAnalytics.RelTypes.IS_PART_OF
                          for o in related)]
        groups = [c for c in related if c not in top]
        if not top:
            continue
        _, x, y, w, h, _ = od.get_location()
        found.append((od.id, GLib.quark_to_string(od.get_obj_type()), (x, y, w, h),
                      classes(top[0]), dict(classes(groups[0])) if groups else {}))
    return found


def on_buffer(pad, info):
    buf = info.get_buffer()
    print(f"frame at {buf.pts / Gst.SECOND:8.3f} s")
    for od_id, kind, (x, y, w, h), top, groups in regions(buf):
        best = ", ".join(f"{label} {score:.3f}" for label, score in top)
        extra = "".join(f", {g} {v:.3f}" for g, v in groups.items())
        print(f"  od {od_id:<3d} {kind:8s} {w}x{h} at {x},{y}: {best}{extra}")
    return Gst.PadProbeReturn.OK


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    Gst.init(None)
    source = (f'filesrc location="{sys.argv[2]}" ! decodebin' if len(sys.argv) == 3
              else "videotestsrc num-buffers=3 ! video/x-raw,width=640,height=480")
    pipeline = Gst.parse_launch(
        f'{source} ! videoconvert ! vggtiler ! vggclassify name=classify meta=analytics '
        f'model="{sys.argv[1]}" ! fakesink')
    pad = pipeline.get_by_name("classify").get_static_pad("src")
    pad.add_probe(Gst.PadProbeType.BUFFER, on_buffer)
    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(Gst.CLOCK_TIME_NONE,
                                                Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if msg.type == Gst.MessageType.ERROR:
        sys.exit(f"error: {msg.parse_error()[0].message}")


if __name__ == "__main__":
    main()
