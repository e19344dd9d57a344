#!/usr/bin/python3
"""Prints what vggclassify found in each frame, reading the ROI metadata from
a pad probe with PyGObject alone: no gst-vgg headers or bindings.

Usage: examples/vgg-print-results.py MODEL [VIDEO]
(without VIDEO: a few frames of videotestsrc; GST_PLUGIN_PATH must reach
the plugin, e.g. build/gst/vgg)
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstVideo  # noqa: E402


def rois(buf):
    """The buffer's ROIs. Python cannot iterate metas, so look them up by id
    (vggtiler and vggclassify number them from 0)."""
    found, misses, i = [], 0, 0
    while misses < 8:
        meta = GstVideo.buffer_get_video_region_of_interest_meta_id(buf, i)
        i += 1
        if meta is None:
            misses += 1
            continue
        misses = 0
        found.append(meta)
    return found


def on_buffer(pad, info):
    buf = info.get_buffer()
    print(f"frame at {buf.pts / Gst.SECOND:8.3f} s")
    for meta in rois(buf):
        c = meta.get_param("classification")
        if c is None:
            continue
        kind = GLib.quark_to_string(meta.roi_type)
        tile = meta.get_param("tile")
        where = f"tile {tile.get_value('index')}" if tile else kind
        top = ", ".join(f"{label} {score:.3f}" for label, score in
                        zip(c.get_value("top_labels"), c.get_value("top_scores")))
        groups = dict(zip(c.get_value("group_names"), c.get_value("group_scores")))
        cam = meta.get_param("gradcam")
        heat = (f", heatmap {cam.get_value('width')}x{cam.get_value('height')}"
                f" of class {cam.get_value('class_id')}") if cam else ""
        print(f"  {where:8s} {meta.w}x{meta.h} at {meta.x},{meta.y}: {top}"
              f"{''.join(f', {g} {v:.3f}' for g, v in groups.items())}{heat}")
    return Gst.PadProbeReturn.OK


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    Gst.init(None)
    source = (f'filesrc location="{sys.argv[2]}" ! decodebin' if len(sys.argv) == 3
              else "videotestsrc num-buffers=3 ! video/x-raw,width=640,height=480")
    pipeline = Gst.parse_launch(
        f'{source} ! videoconvert ! vggtiler ! vggclassify name=classify '
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
