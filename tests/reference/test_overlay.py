#!/usr/bin/python3
"""gradcamoverlay against the Keras Grad-CAM blog's own code (numpy and
OpenCV's Python bindings), for every channel order and both blends.

The blog:
    heatmap = cv2.resize(heatmap, (img.shape[1], img.shape[0]))
    heatmap = np.uint8(255 * heatmap)
    heatmap = cv2.applyColorMap(heatmap, cv2.COLORMAP_JET)
    superimposed_img = heatmap * 0.4 + img        (then written as 8-bit)
applied per region, overlapping maps combined by their maximum.
"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import pipeline  # noqa: E402
import cv2  # noqa: E402
from gi.repository import Gst  # noqa: E402
from test_parity import FORMATS, frame, pack  # noqa: E402

W, H = 160, 120


def gradcam_param(cam):
    s = Gst.Structure.new_empty("gradcam")
    s.set_value("class_id", 0)
    s.set_value("width", cam.shape[1])
    s.set_value("height", cam.shape[0])
    s.set_value("max", 1.0)
    s.set_value("data", Gst.Buffer.new_wrapped(cam.astype(np.float32).tobytes()))
    return s


def maps():
    rng = np.random.default_rng(21)
    a = rng.random((7, 7), dtype=np.float32)
    a[0, 0], a[6, 6] = 0.0, 1.0
    b = rng.random((6, 5), dtype=np.float32)
    b[2, 2] = 1.0
    # The whole frame and a tile it overlaps, plus a region reaching past
    # the frame's edge (clamped).
    return [((0, 0, W, H), a), ((80, 60, 80, 60), b), ((140, 100, 40, 40), b[::-1].copy())]


def blog(rgb, regions, alpha=0.4, blend="add", colormap=cv2.COLORMAP_JET):
    img = rgb[:, :, ::-1].astype(np.float64)  # the blog works in BGR
    canvas = np.full((H, W), -1.0, np.float32)
    for (x, y, w, h), cam in regions:
        # vggclassify explains the region clamped to the frame: so is the map.
        w, h = min(x + w, W) - x, min(y + h, H) - y
        heat = cv2.resize(cam, (w, h))
        view = canvas[y:y + h, x:x + w]
        np.maximum(view, heat, out=view)
    covered = canvas >= 0
    heat = cv2.applyColorMap(np.uint8(255 * np.clip(canvas, 0, 1)), colormap).astype(np.float64)
    out = alpha * heat + img if blend == "add" else (1 - alpha) * img + alpha * heat
    out = np.clip(np.rint(out), 0, 255)
    result = np.where(covered[:, :, None], out, img).astype(np.uint8)
    return result[:, :, ::-1]  # back to RGB


def unpack(data, fmt, stride):
    r, g, b, ps = FORMATS[fmt]
    rows = np.frombuffer(data, np.uint8).reshape(H, stride)
    return np.stack([rows[:, off:W * ps:ps] for off in (r, g, b)], axis=-1)


def overlay(rgb, regions, fmt="RGB", props="draw-labels=false draw-boxes=false",
            pad=0, classification=None):
    data, stride = pack(rgb, fmt, pad)
    buf = pipeline.wrap(data, fmt, W, H, stride)
    for i, (rect, cam) in enumerate(regions):
        meta = pipeline.add_roi(buf, "tile", rect, i)
        if cam is not None:
            meta.add_param(gradcam_param(cam))
        if classification is not None:
            meta.add_param(classification.copy())
    out, _, errors = pipeline.run(f"gradcamoverlay {props}",
                                  f"video/x-raw,format={fmt},width={W},height={H},"
                                  "framerate=25/1", [buf])
    assert errors == [], errors
    ok, info = out[0].map(Gst.MapFlags.READ)
    raw = bytes(info.data)
    out[0].unmap(info)
    return raw, stride, data


class Overlay(unittest.TestCase):
    def assert_close(self, got, expected):
        diff = np.abs(got.astype(int) - expected.astype(int))
        self.assertLessEqual(int(diff.max()), 1, f"{int((diff > 1).sum())} bytes differ by > 1")

    def test_blog_formula_every_format_both_blends(self):
        rgb = frame(W, H, 31)
        for fmt in FORMATS:
            for blend, alpha in (("add", 0.4), ("mix", 0.3), ("add", 0.5)):
                with self.subTest(format=fmt, blend=blend):
                    raw, stride, _ = overlay(rgb, maps(), fmt,
                                             f"draw-labels=false draw-boxes=false "
                                             f"blend={blend} alpha={alpha}", pad=5)
                    self.assert_close(unpack(raw, fmt, stride),
                                      blog(rgb, maps(), alpha, blend))

    def test_colormap(self):
        rgb = frame(W, H, 32)
        raw, stride, _ = overlay(rgb, maps(), "BGRx",
                                 "draw-labels=false draw-boxes=false colormap=viridis")
        self.assert_close(unpack(raw, "BGRx", stride),
                          blog(rgb, maps(), colormap=cv2.COLORMAP_VIRIDIS))

    def test_padding_bytes_untouched(self):
        # The fourth byte of BGRx / ARGB and the row padding are not pixels.
        rgb = frame(W, H, 33)
        for fmt in ("BGRx", "ARGB"):
            raw, stride, before = overlay(rgb, maps(), fmt, pad=7)
            r, g, b, ps = FORMATS[fmt]
            pad_byte = 6 - r - g - b
            a = np.frombuffer(raw, np.uint8).reshape(H, stride)
            o = np.frombuffer(before, np.uint8).reshape(H, stride)
            self.assertTrue(np.array_equal(a[:, pad_byte:W * ps:ps], o[:, pad_byte:W * ps:ps]))
            self.assertTrue(np.array_equal(a[:, W * ps:], o[:, W * ps:]))

    def test_passthrough_bit_exact(self):
        rgb = frame(W, H, 34)
        raw, _, before = overlay(rgb, [], "RGB", "")
        self.assertEqual(raw, before)
        # Classification without heatmaps, labels and boxes off.
        cls = Gst.Structure.from_string(
            "classification, label=(string)cab, label_id=(int)468, confidence=(double)0.9, "
            "top_ids=(int)<468>, top_labels=(string)<cab>, top_scores=(double)<0.9>, "
            "group_names=(string)<vehicle>, group_scores=(double)<0.9>")[0]
        raw, _, before = overlay(rgb, [((0, 0, W, H), None)], "RGB",
                                 "draw-labels=false draw-boxes=false", classification=cls)
        self.assertEqual(raw, before)


if __name__ == "__main__":
    unittest.main(verbosity=2)
