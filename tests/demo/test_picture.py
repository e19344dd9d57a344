#!/usr/bin/python3
"""scripts/demo-picture on gst-vgg-traffic's outputs for the planted
red-square clip (tests/traffic/clip.py: a 24 px square at 420,300 in frames
10-24 of 40, 640x480): it must pick a frame with the square (where the
vehicle group scores highest) and write, at half size, that frame from the
annotated video, with the heatmap of the tile that found the square around
it, and the same frame classified whole, where the square is plainly there.

Run by meson test with VGG_TRAFFIC, GST_PLUGIN_PATH and VGG_TEST_MODELS set.
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "traffic"))
import clip  # noqa: E402

PICTURE = os.path.join(HERE, "..", "..", "scripts", "demo-picture")
TOOL = os.environ.get("VGG_TRAFFIC", "gst-vgg-traffic")
MODELS = os.environ.get("VGG_TEST_MODELS", "")
MODEL = os.path.join(MODELS, "planted.pt")
GROUPS = os.path.join(MODELS, "planted-groups.txt")


def picture(*args):
    return subprocess.run([sys.executable, PICTURE, *args], capture_output=True, text=True,
                          timeout=300)


class Picture(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.results = cls.tmp.name
        video = os.path.join(cls.results, "clip.mp4")
        clip.make(video, 40, 10, 25)
        r = subprocess.run([TOOL, "--model", MODEL, "--class-groups", GROUPS, "--gradcam",
                            "-o", os.path.join(cls.results, "annotated.mp4"),
                            "-j", os.path.join(cls.results, "frames.jsonl"),
                            "-s", os.path.join(cls.results, "summary.json"), video],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_tiles_and_whole(self):
        docs = os.path.join(self.results, "docs")
        r = picture("--results", self.results, "--model", MODEL, "--class-groups", GROUPS,
                    "--width", "320", "--output", docs)
        self.assertEqual(r.returncode, 0, r.stderr)
        frame = int(re.search(r"demo-picture: frame (\d+) ", r.stdout)[1])
        self.assertTrue(10 <= frame <= 24, r.stdout)
        self.assertEqual(sorted(os.listdir(docs)), ["demo-tiles.png", "demo-whole.png"])
        images = {}
        for name in ("tiles", "whole"):
            path = os.path.join(docs, f"demo-{name}.png")
            self.assertLess(os.path.getsize(path), 300 * 1024)
            with Image.open(path) as image:
                self.assertEqual((image.format, image.size), ("PNG", (320, 240)))
                images[name] = np.asarray(image.convert("RGB")).astype(int)
        # The square, halved: 210..222 x 150..162. Whole: it is there, red.
        r, g, _ = images["whole"][156, 216]
        self.assertGreater(r - g, 100, images["whole"][156, 216])
        r, g, _ = images["whole"][200, 40]
        self.assertLess(abs(r - g), 40, images["whole"][200, 40])
        # Tiles: the bottom-right tile's heatmap peaks on the square, so the
        # colours around it are far from the whole frame's there, and those
        # far from it in the same tile are not (a blob's edge moves by a
        # pixel or two with the encoder and the palette: test bands, not a
        # pixel).
        diff = np.abs(images["tiles"] - images["whole"]).max(axis=2)
        self.assertGreater(diff[140:150, 204:228].max(), 50)  # above the square
        self.assertGreater(diff[163:172, 204:228].max(), 50)  # below it
        self.assertLess(diff[200:228, 250:300].max(), 40)     # the tile's far corner

    def test_bad_input(self):
        out = os.path.join(self.results, "bad")
        r = picture("--results", "/no/such", "--output", out)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.strip(), "demo-picture: cannot read /no/such/summary.json: "
                         "No such file or directory (run scripts/demo)")
        r = picture("--results", self.results, "--model", MODEL, "--frame", "99",
                    "--output", out)
        self.assertEqual(r.returncode, 1)
        self.assertIn("frames.jsonl has no frame 99", r.stderr)
        r = picture("--results", self.results, "--model", GROUPS, "--output", out)
        self.assertEqual(r.returncode, 1)
        self.assertIn("is not a TorchScript model", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main(verbosity=2)
