#!/usr/bin/python3
"""vggclassify's GstAnalytics metadata seen by real clients (GStreamer >=
1.24): upstream's objectdetectionoverlay draws the regions without a
warning, and the PyGObject reader of examples/vgg-print-analytics.py finds
exactly what the ROI params say.
"""
import importlib.util
import os
import subprocess
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import pipeline  # noqa: E402
from gi.repository import Gst  # noqa: E402

MODELS = os.environ["VGG_TEST_MODELS"]
TINY = os.path.join(MODELS, "tiny-vgg.pt")
EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples",
                       "vgg-print-analytics.py")
W, H = 320, 240

spec = importlib.util.spec_from_file_location("vgg_print_analytics", EXAMPLE)
example = importlib.util.module_from_spec(spec)
spec.loader.exec_module(example)


def frames(n):
    rng = np.random.default_rng(5)
    return [Gst.Buffer.new_wrapped(
        rng.integers(0, 256, (H, W, 4), dtype=np.uint8).tobytes()) for _ in range(n)]


def run(description, n=2, warnings=None):
    caps = f"video/x-raw,format=BGRx,width={W},height={H},framerate=25/1"
    return pipeline.run(description, caps, frames(n), warnings)


class Analytics(unittest.TestCase):
    def test_objectdetectionoverlay_draws_our_regions(self):
        plain, _, errors = run(f'vggtiler ! vggclassify model="{TINY}" meta=analytics')
        self.assertEqual(errors, [])
        warnings = []
        drawn, _, errors = run(f'vggtiler ! vggclassify model="{TINY}" meta=analytics '
                               "! objectdetectionoverlay ! videoconvert "
                               f"! video/x-raw,format=BGRx", warnings=warnings)
        self.assertEqual(errors, [])
        self.assertEqual(len(drawn), len(plain))
        for a, b in zip(plain, drawn):
            before = np.frombuffer(a.extract_dup(0, a.get_size()), np.uint8).reshape(H, W, 4)
            after = np.frombuffer(b.extract_dup(0, b.get_size()), np.uint8).reshape(H, W, 4)
            changed = np.any(before[:, :, :3] != after[:, :, :3], axis=2)
            # The outline between the left and right tiles, half-way down.
            self.assertTrue(changed[H // 4:3 * H // 4, W // 2 - 3:W // 2 + 3].any(axis=1).all())
            # Inside the top-left tile, away from outlines and from the labels
            # drawn above the tiles below it: untouched.
            self.assertFalse(changed[16:H // 2 - 24, 16:W // 2 - 16].any())
        self.assertEqual(warnings, [])

    def test_gi_reader_finds_what_roi_params_say(self):
        out, _, errors = run(f'vggtiler ! vggclassify model="{TINY}" meta=both')
        self.assertEqual(errors, [])
        for buf in out:
            found = {r[0]: r for r in example.regions(buf)}
            rois = pipeline.rois(buf)
            self.assertEqual(len(found), 5)
            self.assertEqual(len(rois), 5)
            for roi in rois:
                c, link = roi["classification"], roi["analytics"]
                od_id, kind, rect, top, groups = found[link.get_value("od_id")]
                self.assertEqual(kind, roi["type"])
                self.assertEqual(rect, roi["rect"])
                self.assertEqual([label for label, _ in top], list(c.get_value("top_labels")))
                for (_, level), score in zip(top, c.get_value("top_scores")):
                    self.assertAlmostEqual(level, score, places=6)
                self.assertEqual(groups, {})  # tiny-vgg has no class groups

    def test_example_prints_every_region(self):
        env = dict(os.environ)
        result = subprocess.run([sys.executable, EXAMPLE, TINY], capture_output=True,
                                text=True, timeout=300, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(sum(line.startswith("frame at") for line in lines), 3)
        self.assertEqual(sum(" tile " in line for line in lines), 12)
        self.assertEqual(sum(" frame " in line for line in lines), 3)


if __name__ == "__main__":
    unittest.main(verbosity=2)
