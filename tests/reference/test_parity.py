#!/usr/bin/python3
"""vggclassify against the independent PyTorch reference (vggref.py) on the
generated tiny models: the same top-k classes and probabilities within 1e-4,
over frame sizes, ROI layouts, both preprocessing presets, both
interpolations, several pixel formats and padded strides.

Run by meson test with GST_PLUGIN_PATH and VGG_TEST_MODELS set.
"""
import os
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
import pipeline  # noqa: E402
from vggref import Reference, clamp  # noqa: E402

MODELS = os.environ.get("VGG_TEST_MODELS", "")
TOL = 1e-4

# Byte offsets of R, G, B and the pixel size of each packed format.
FORMATS = {"RGB": (0, 1, 2, 3), "BGR": (2, 1, 0, 3), "BGRx": (2, 1, 0, 4),
           "xRGB": (1, 2, 3, 4), "RGBA": (0, 1, 2, 4), "ABGR": (3, 2, 1, 4),
           "ARGB": (1, 2, 3, 4)}


def frame(width, height, seed):
    """Smooth shapes plus noise: a picture the tiny models respond to."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.stack([(xx * 255 // max(width - 1, 1)), (yy * 255 // max(height - 1, 1)),
                     ((xx + yy) * 7) % 256], axis=-1)
    return np.clip(base + rng.integers(-60, 61, base.shape), 0, 255).astype(np.uint8)


def pack(rgb, fmt, pad):
    """@rgb in @fmt with each row padded by @pad bytes; returns bytes, stride."""
    h, w, _ = rgb.shape
    r, g, b, ps = FORMATS[fmt]
    stride = w * ps + pad
    out = np.full((h, stride), 0xAB, np.uint8)
    for off, c in ((r, 0), (g, 1), (b, 2)):
        out[:, off:w * ps:ps] = rgb[:, :, c]
    return out.tobytes(), stride


class Parity(unittest.TestCase):
    def check(self, model, frames, description="", props="", fmt="RGB", pad=0,
              rois=None, preset=None, interpolation="bilinear", top_k=5):
        ref = Reference(os.path.join(MODELS, model), preset)
        h, w, _ = frames[0].shape
        buffers = []
        for rgb in frames:
            data, stride = pack(rgb, fmt, pad)
            buf = pipeline.wrap(data, fmt, w, h, stride)
            for i, rect in enumerate(rois or []):
                pipeline.add_roi(buf, "tile", rect, i)
            buffers.append(buf)
        caps = f"video/x-raw,format={fmt},width={w},height={h},framerate=25/1"
        launch = (f"{description} vggclassify model={os.path.join(MODELS, model)} "
                  f"interpolation={interpolation} top-k={top_k} {props}")
        out, _, errors = pipeline.run(launch, caps, buffers)
        self.assertEqual(errors, [])
        self.assertEqual(len(out), len(frames))
        checked = 0
        for rgb, buf in zip(frames, out):
            for roi in pipeline.rois(buf):
                if "classification" not in roi:
                    continue
                s = roi["classification"]
                rect = clamp(roi["rect"], w, h)
                ids, scores, probs = ref.top_k(rgb, rect, top_k, interpolation)
                got_ids = list(s.get_value("top_ids"))
                got_scores = list(s.get_value("top_scores"))
                # Where two classes are within the tolerance, either order is right.
                for i, (a, b) in enumerate(zip(got_ids, ids)):
                    if a != b:
                        self.assertAlmostEqual(probs[a].item(), probs[b].item(), delta=TOL,
                                               msg=f"ROI {roi['id']} {rect}: rank {i}")
                np.testing.assert_allclose(got_scores, scores, atol=TOL, rtol=0,
                                           err_msg=f"ROI {roi['id']} {rect}")
                self.assertEqual(s.get_value("label_id"), got_ids[0])
                if ref.labels:
                    self.assertEqual(s.get_value("label"), ref.labels[got_ids[0]])
                    self.assertEqual(list(s.get_value("top_labels")),
                                     [ref.labels[i] for i in got_ids])
                self.assertAlmostEqual(s.get_value("confidence"), got_scores[0], places=12)
                checked += 1
        self.assertGreater(checked, 0)
        return checked

    def test_tiles_and_frame_sizes(self):
        for w, h in ((320, 240), (97, 61), (1280, 720)):
            with self.subTest(size=(w, h)):
                n = self.check("tiny-vgg.pt", [frame(w, h, 1)], "vggtiler ! ")
                self.assertEqual(n, 5)

    def test_small_frame_upsampled(self):
        # Regions smaller than the 224 px input: upsampling, edge clamping.
        self.check("tiny-vgg.pt", [frame(7, 5, 2)], "vggtiler rows=2 columns=3 ! ")

    def test_layouts(self):
        f = [frame(400, 300, 3), frame(400, 300, 4)]
        for desc in ("vggtiler rows=3 columns=3 overlap=0.3 !",
                     "vggtiler tile-width=100 tile-height=80 include-full-frame=false !",
                     "vggtiler region=0.1,0.5,0.8,0.5 rows=1 !"):
            with self.subTest(layout=desc):
                self.check("tiny-vgg.pt", f, desc, props="batch-size=4")

    def test_custom_rois(self):
        rois = [(0, 0, 1, 1), (13, 7, 31, 77), (399, 299, 1, 1), (350, 250, 200, 200),
                (100, 100, 224, 224)]
        self.check("tiny-vgg.pt", [frame(400, 300, 5)], rois=rois, props="roi-types=tile")

    def test_presets(self):
        f = [frame(160, 120, 6)]
        # The caffe model's sidecar: BGR, mean subtracted, 64x48 input.
        self.check("tiny-vgg-caffe.pt", f, "vggtiler ! ", top_k=12)
        self.check("tiny-vgg-caffe.pt", f, "vggtiler ! ", preset="torchvision",
                   props="preprocess=torchvision")
        self.check("tiny-vgg.pt", f, "vggtiler ! ", preset="caffe", props="preprocess=caffe")

    def test_nearest(self):
        for model in ("tiny-vgg.pt", "tiny-vgg-caffe.pt"):
            for size in ((320, 240), (9, 7)):
                with self.subTest(model=model, size=size):
                    self.check(model, [frame(*size, 7)], "vggtiler ! ",
                               interpolation="nearest")

    def test_formats_and_padded_strides(self):
        f = [frame(101, 67, 8)]
        for fmt in FORMATS:
            for pad in (0, 13):
                with self.subTest(format=fmt, pad=pad):
                    self.check("tiny-vgg.pt", f, "vggtiler ! ", fmt=fmt, pad=pad)

    def test_nolabels_model(self):
        self.check("nolabels.pt", [frame(64, 64, 9)], top_k=7)
        out, _, _ = pipeline.run(
            f"vggclassify model={os.path.join(MODELS, 'nolabels.pt')}",
            "video/x-raw,format=RGB,width=64,height=64,framerate=25/1",
            [pipeline.wrap(pack(frame(64, 64, 9), "RGB", 0)[0], "RGB", 64, 64, 192)])
        s = pipeline.rois(out[0])[0]["classification"]
        self.assertEqual(s.get_value("label"), f"class {s.get_value('label_id')}")
        self.assertFalse(s.has_field("wnid"))

    def test_errors_reach_python(self):
        # In a process that also imports torch, a bad model is an error
        # message, not an abort (see the libgcc_s note in pipeline.py).
        _, _, errors = pipeline.run(
            f"vggclassify model={os.path.join(MODELS, 'tiny-labels.txt')}",
            "video/x-raw,format=RGB,width=8,height=8,framerate=25/1",
            [pipeline.wrap(bytes(8 * 8 * 3), "RGB", 8, 8, 24)])
        self.assertEqual(len(errors), 1)
        self.assertIn("is not a TorchScript model", errors[0])


if __name__ == "__main__":
    torch.set_num_threads(1)
    unittest.main(verbosity=2)
