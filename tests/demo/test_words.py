#!/usr/bin/python3
"""scripts/describe-results on gst-vgg-traffic's outputs for the planted
red-square clip (tests/traffic/clip.py): the square is in the lower right
quadrant in frames 10-24 of 40 at 10 frames/s, which the planted model finds
in that tile only, so the words must name 1.0 s to 2.5 s, frames 10-24, the
bottom-right tile (tile 3) and the planted model's label red_square.

Run by meson test with VGG_TRAFFIC, GST_PLUGIN_PATH and VGG_TEST_MODELS set.
"""
import importlib.machinery
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "traffic"))
import clip  # noqa: E402

DESCRIBE = os.path.join(HERE, "..", "..", "scripts", "describe-results")
TOOL = os.environ.get("VGG_TRAFFIC", "gst-vgg-traffic")
MODELS = os.environ.get("VGG_TEST_MODELS", "")
PLANTED = ["--model", os.path.join(MODELS, "planted.pt"),
           "--class-groups", os.path.join(MODELS, "planted-groups.txt")]


def describe(*args):
    return subprocess.run([sys.executable, DESCRIBE, *args], capture_output=True, text=True,
                          timeout=60)


class Words(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.clip = os.path.join(cls.tmp.name, "clip.mp4")
        clip.make(cls.clip, 40, 10, 25)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def traffic(self, prefix, *args):
        summary, jsonl = self.path(prefix + ".json"), self.path(prefix + ".jsonl")
        r = subprocess.run([TOOL, *PLANTED, *args, "-s", summary, "-j", jsonl, self.clip],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        return summary, jsonl

    def test_planted_interval_and_tile(self):
        r = describe("--name", "clip.mp4", *self.traffic("tiles"))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "What gst-vgg found in clip.mp4 (40 frames, 4.0 s):")
        self.assertEqual(lines[1], "  vehicle: present in 1 interval, 15 of 40 frames:")
        self.assertEqual(len(lines), 3, r.stdout)
        words = lines[2]
        self.assertTrue(words.startswith("    1.0 s to 2.5 s (frames 10-24): strongest in "
                                         "the bottom-right tile (tile 3, 320x240 at 320,240)"),
                        words)
        self.assertIn("top label there: red_square (", words)

    def test_whole_frame_misses_the_square(self):
        # One tile, the whole frame: the square is too small there.
        summary, jsonl = self.traffic("whole", "--rows", "1", "--columns", "1",
                                      "--no-full-frame")
        r = describe(summary, jsonl)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertIn(self.clip, lines[0])
        self.assertEqual(lines[1], "  vehicle: not present in any frame")
        self.assertEqual(len(lines), 3, r.stdout)
        # Closest while the square is there (1.0 s to 2.4 s), below the 0.25
        # threshold, and the whole frame's label is the background.
        m = re.fullmatch(r"    highest vehicle score (0\.\d\d), in the whole frame \(tile 0\) "
                         r"at (\d\.\d) s; top label there: background \(\d\.\d\d\)", lines[2])
        self.assertTrue(m, lines[2])
        self.assertLess(float(m[1]), 0.25)
        self.assertTrue(1.0 <= float(m[2]) <= 2.4, lines[2])

    def test_positions(self):
        loader = importlib.machinery.SourceFileLoader("describe", DESCRIBE)
        words = importlib.util.module_from_spec(
            importlib.util.spec_from_loader("describe", loader))
        loader.exec_module(words)
        # A 3x3 grid over 900x600: each tile's name by hand.
        names = [["top-left", "top", "top-right"], ["left", "centre", "right"],
                 ["bottom-left", "bottom", "bottom-right"]]
        for row in range(3):
            for col in range(3):
                self.assertEqual(words.position([col * 300, row * 200, 300, 200], 900, 600),
                                 names[row][col])
        self.assertEqual(words.region_words({"type": "frame", "rect": [0, 0, 9, 6]}, 9, 6),
                         "the whole frame")
        self.assertEqual(words.region_words({"type": "tile", "tile": 0, "rect": [0, 0, 9, 6]},
                                            9, 6), "the whole frame (tile 0)")
        self.assertEqual(words.region_words({"type": "tile", "tile": 1, "rect": [5, 0, 4, 3]},
                                            9, 6), "the top-right tile (tile 1, 4x3 at 5,0)")

    def test_many_intervals(self):
        # Hand-made outputs: 12 one-frame intervals in the whole frame.
        frames = [{"frame": i, "time": i / 10, "rois": [
            {"id": 0, "type": "frame", "rect": [0, 0, 64, 48],
             "top": [{"label": "cab", "score": 0.5}]}]} for i in range(24)]
        intervals = [{"start": i / 5, "end": i / 5 + 0.1, "first_frame": 2 * i, "frames": 1,
                      "peak_frame": 2 * i, "peak_score": 0.5,
                      "best_roi": {"id": 0, "type": "frame", "rect": [0, 0, 64, 48]}}
                     for i in range(12)]
        summary, jsonl = self.path("many.json"), self.path("many.jsonl")
        with open(summary, "w") as f:
            json.dump({"groups": {"vehicle": {"intervals": intervals, "frames_present": 12}},
                       "stats": {"frames": 24, "duration_s": 2.4}}, f)
        with open(jsonl, "w") as f:
            f.write("".join(json.dumps(frame) + "\n" for frame in frames))
        r = describe("--name", "many", summary, jsonl)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[:3], [
            "What gst-vgg found in many (24 frames, 2.4 s):",
            "  vehicle: present in 12 intervals, 12 of 24 frames:",
            "    0.0 s to 0.1 s (frame 0): strongest in the whole frame at 0.0 s, "
            "vehicle score 0.50; top label there: cab (0.50)"])
        self.assertTrue(lines[11].startswith("    1.8 s to 1.9 s (frame 18): "), lines[11])
        self.assertEqual(lines[12:], ["    ... and 2 more intervals (see the summary)"])

    def test_bad_input(self):
        missing = self.path("no-such.json")
        r = describe(missing, missing)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.strip(),
                         f"describe-results: cannot read {missing}: No such file or directory")
        junk, lines = self.path("junk.json"), self.path("lines.jsonl")

        def check(summary, frames, message):
            with open(junk, "w") as f:
                f.write(summary)
            with open(lines, "w") as f:
                f.write(frames)
            r = describe(junk, lines)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
            self.assertIn(message, r.stderr)

        good_line = json.dumps({"frame": 0, "rois": []}) + "\n"
        check("{not json", good_line, f"describe-results: {junk}: not JSON")
        check('{"groups": {}}', good_line + "not json\n",
              f"describe-results: {lines}:2: not a gst-vgg-traffic JSON line")
        check('{"groups": {"vehicle": {"intervals": [{"start": 1}]}}}', good_line,
              f"describe-results: {junk}: not a gst-vgg-traffic summary")
        check("[]", good_line, f"describe-results: {junk}: not a gst-vgg-traffic summary")


if __name__ == "__main__":
    unittest.main(verbosity=2)
