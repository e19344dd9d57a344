#!/usr/bin/python3
"""Grad-CAM in vggclassify against an independent PyTorch Grad-CAM
(vggref.Reference.gradcam), an analytic case, the planted model, and the
Adebayo et al. model-randomisation sanity check.
"""
import os
import sys
import tempfile
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
import pipeline  # noqa: E402  (loads libgcc_s before torch; see there)
import cv2  # noqa: E402
from test_parity import frame, pack  # noqa: E402
from vggref import Reference, clamp  # noqa: E402

MODELS = os.environ.get("VGG_TEST_MODELS", "")
TOL = 1e-4


def run(model, frames, description="vggtiler ! ", props=""):
    h, w, _ = frames[0].shape
    buffers = [pipeline.wrap(pack(f, "RGB", 0)[0], "RGB", w, h, pack(f, "RGB", 0)[1])
               for f in frames]
    out, _, errors = pipeline.run(
        f"{description} vggclassify model={os.path.join(MODELS, model)} gradcam=true {props}",
        f"video/x-raw,format=RGB,width={w},height={h},framerate=25/1", buffers)
    assert errors == [], errors
    return out


def cam_of(roi):
    s = roi["gradcam"]
    w, h = s.get_value("width"), s.get_value("height")
    data = s.get_value("data").extract_dup(0, w * h * 4)
    return (s.get_value("class_id"), s.get_value("max"),
            np.frombuffer(data, dtype=np.float32).reshape(h, w))


def ranks(a):
    r = np.empty(a.size)
    r[np.argsort(a.ravel(), kind="stable")] = np.arange(a.size)
    return r


def spearman(a, b):
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


class GradCam(unittest.TestCase):
    def check(self, model, frames, target="top1", ref_target="top1", props="",
              description="vggtiler ! "):
        ref = Reference(os.path.join(MODELS, model))
        layer = None
        sidecar = os.path.join(MODELS, os.path.splitext(model)[0] + ".json")
        if os.path.exists(sidecar):
            import json
            with open(sidecar) as f:
                layer = json.load(f).get("gradcam_layer")
        out = run(model, frames, description, f"gradcam-target={target} {props}")
        h, w, _ = frames[0].shape
        n = 0
        for rgb, buf in zip(frames, out):
            for roi in pipeline.rois(buf):
                cls, peak, cam = cam_of(roi)
                r_cls, r_peak, r_cam = ref.gradcam(rgb, clamp(roi["rect"], w, h), layer,
                                                   ref_target)
                self.assertEqual(cls, r_cls, f"ROI {roi['id']}")
                self.assertEqual(cam.shape, r_cam.shape)
                np.testing.assert_allclose(cam, r_cam, atol=TOL, rtol=0,
                                           err_msg=f"ROI {roi['id']}")
                self.assertAlmostEqual(peak, r_peak, delta=max(1e-6, 1e-4 * r_peak))
                self.assertAlmostEqual(float(cam.max()), 1.0 if r_peak > 0 else 0.0, places=5)
                n += 1
        self.assertGreater(n, 0)
        return out

    def test_targets_and_batch_sizes(self):
        frames = [frame(200, 150, 11), frame(200, 150, 12)]
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as groups:
            groups.write("[odd]\nthing_1\nthing_3\nthing_5\nthing_7\n")
            groups.flush()
            for batch in (1, 16):
                with self.subTest(target="top1", batch=batch):
                    self.check("tiny-vgg.pt", frames, props=f"batch-size={batch}")
                with self.subTest(target="class 3", batch=batch):
                    self.check("tiny-vgg.pt", frames, "3", 3, f"batch-size={batch}")
                with self.subTest(target="group", batch=batch):
                    self.check("tiny-vgg.pt", frames, "odd", [1, 3, 5, 7],
                               f"batch-size={batch} class-groups={groups.name}")
        with self.subTest(target="class by name"):
            self.check("tiny-vgg.pt", frames[:1], "thing_6", 6)

    def test_other_layouts(self):
        # 64x48 BGR input, other layer; a model with backbone()/head() methods.
        self.check("tiny-vgg-caffe.pt", [frame(160, 120, 13)])
        self.check("methods.pt", [frame(160, 120, 14)])
        # A layer given by property instead of the sidecar.
        ref = Reference(os.path.join(MODELS, "tiny-vgg.pt"))
        rgb = frame(96, 96, 15)
        out = run("tiny-vgg.pt", [rgb], "", "gradcam-layer=features.4")
        cls, _, cam = cam_of(pipeline.rois(out[0])[0])
        _, _, r_cam = ref.gradcam(rgb, (0, 0, 96, 96), "features.4")
        self.assertEqual(cam.shape, (112, 112))
        np.testing.assert_allclose(cam, r_cam, atol=TOL, rtol=0)
        # A conv followed by an in-place ReLU, as VGG16's features.28.
        out = run("tiny-vgg.pt", [rgb], "", "gradcam-layer=features.6")
        cls, _, cam = cam_of(pipeline.rois(out[0])[0])
        r_cls, _, r_cam = ref.gradcam(rgb, (0, 0, 96, 96), "features.6")
        self.assertEqual(cls, r_cls)
        self.assertEqual(cam.shape, (56, 56))
        np.testing.assert_allclose(cam, r_cam, atol=TOL, rtol=0)

    def test_analytic_gap_model(self):
        # conv -> ReLU -> global average pool -> linear: dy/dA_kij = w_ck / HW,
        # so Grad-CAM is ReLU(sum_k w_ck A_k) up to the positive 1 / HW.
        model = torch.jit.load(os.path.join(MODELS, "gap.pt"))
        p = dict(model.named_parameters())
        rgb = frame(120, 90, 16)
        out = run("gap.pt", [rgb], "")
        cls, _, cam = cam_of(pipeline.rois(out[0])[0])
        x = Reference(os.path.join(MODELS, "gap.pt")).preprocess(rgb, (0, 0, 120, 90))
        with torch.no_grad():
            a = torch.relu(torch.nn.functional.conv2d(
                x, p["features.0.weight"], p["features.0.bias"], stride=4, padding=2))[0]
            logits = p["classifier.0.weight"] @ a.mean((1, 2)) + p["classifier.0.bias"]
            expected = torch.relu(torch.einsum("k,kij->ij", p["classifier.0.weight"][cls], a))
        self.assertEqual(cls, int(logits.argmax()))
        expected = (expected / expected.max()).numpy()
        np.testing.assert_allclose(cam, expected, atol=TOL, rtol=0)

    def test_planted_square_heatmap_peak(self):
        # The blog's heatmap finding, made checkable: the map of the tile that
        # holds the square, resized to the tile as the overlay does, peaks on it.
        rgb = np.full((480, 640, 3), 128, np.uint8)
        x0, y0, size = 420, 300, 24
        rgb[y0:y0 + size, x0:x0 + size] = (255, 0, 0)
        out = run("planted.pt", [rgb])
        tiles = [r for r in pipeline.rois(out[0]) if r["type"] == "tile"]
        tile = next(r for r in tiles if r["tile"].get_value("index") == 3)
        cls, peak, cam = cam_of(tile)
        self.assertEqual(cls, 1)  # red_square
        x, y, w, h = tile["rect"]
        full = cv2.resize(cam, (w, h), interpolation=cv2.INTER_LINEAR)
        py, px = np.unravel_index(np.argmax(full), full.shape)
        self.assertTrue(x0 <= x + px < x0 + size and y0 <= y + py < y0 + size,
                        f"peak at {x + px},{y + py}")
        # Tiles without the square have nothing to show: all-zero maps, not NaN.
        for r in tiles:
            if r["tile"].get_value("index") != 3:
                _, peak, cam = cam_of(r)
                self.assertFalse(np.isnan(cam).any())

    def test_gradcam_interval(self):
        # Maps on every 3rd frame only, equal to a run without the interval
        # there; the frames in between carry them with stale=true, while
        # their classification stays fresh. With several frames per batch
        # too (frames with and without maps in one engine call).
        frames = [frame(200, 150, 30 + i) for i in range(7)]
        every = run("tiny-vgg.pt", frames)
        for batch_frames in (1, 4):
            with self.subTest(batch_frames=batch_frames):
                out = run("tiny-vgg.pt", frames,
                          props=f"gradcam-interval=3 batch-frames={batch_frames}")
                self.assertEqual(len(out), len(frames))
                for i, (buf, ref) in enumerate(zip(out, every)):
                    fresh = i % 3 == 0
                    last = pipeline.rois(every[i - i % 3])
                    for roi, r_roi, l_roi in zip(pipeline.rois(buf), pipeline.rois(ref), last):
                        c, r_c = roi["classification"], r_roi["classification"]
                        self.assertEqual(c.get_value("label"), r_c.get_value("label"))
                        self.assertFalse(c.get_value("stale"))
                        self.assertEqual(roi["gradcam"].get_value("stale"), not fresh,
                                         f"frame {i}")
                        self.assertEqual(roi["gradcam"].get_value("method"), "gradcam")
                        cls, peak, cam = cam_of(roi)
                        l_cls, l_peak, l_cam = cam_of(l_roi)
                        self.assertEqual((cls, peak), (l_cls, l_peak), f"frame {i}")
                        self.assertTrue(np.array_equal(cam, l_cam), f"frame {i}")
                        if not fresh:  # the frames do differ: the maps would
                            self.assertFalse(np.array_equal(cam, cam_of(r_roi)[2]))

    def test_sanity_model_randomisation(self):
        # Adebayo et al. 2018: with the head re-randomised the maps must
        # change; with the same weights they must not. (Regions where the
        # layer's ReLU is zero stay zero in both, so the rank correlation
        # does not drop to 0: about 0.5 here.)
        frames = [frame(200, 150, 17)]
        a = run("tiny-vgg.pt", frames, props="gradcam-target=3")
        b = run("tiny-vgg.pt", frames, props="gradcam-target=3")
        c = run("tiny-vgg-rehead.pt", frames, props="gradcam-target=3")
        rhos = []
        for ra, rb, rc in zip(pipeline.rois(a[0]), pipeline.rois(b[0]), pipeline.rois(c[0])):
            ma, mb, mc = cam_of(ra)[2], cam_of(rb)[2], cam_of(rc)[2]
            self.assertTrue(np.array_equal(ma, mb))
            rhos.append(spearman(ma, mc))
        self.assertLess(float(np.mean(rhos)), 0.8, f"rank correlations {rhos}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    unittest.main(verbosity=2)
