#!/usr/bin/python3
"""The demo's street clip: scripts/cut-demo-clip cuts the default stretch out
of the cached vtest.avi (scripts/fetch-demo-clip) and the result decodes to
the expected frames: 12 at 768x576, 0.5 s apart, and frame k is vtest.avi's
frame 380 + 5k (38 s to 44 s at 2 of its 10 frames/s), checked against
OpenCV's own decoding of vtest.avi.

Skipped (exit 77) when the clip is not in the cache: the test never
downloads it.
"""
import os
import subprocess
import sys
import tempfile
import unittest

import cv2
import gi
import numpy as np

gi.require_version("Gst", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import Gst, GstVideo  # noqa: E402

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")


def cut(*args):
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, "cut-demo-clip"), *args],
                          capture_output=True, text=True, timeout=300)


def gst_frames(path):
    """(timestamps in ns, width, height) of a video, decoded with GStreamer."""
    p = Gst.parse_launch(f'filesrc location="{path}" ! decodebin ! videoconvert '
                         "! fakesink name=sink signal-handoffs=true")
    pts, size = [], []

    def handoff(sink, buf, pad):
        info = GstVideo.VideoInfo.new_from_caps(pad.get_current_caps())
        pts.append(buf.pts)
        size[:] = [info.width, info.height]
    p.get_by_name("sink").connect("handoff", handoff)
    p.set_state(Gst.State.PLAYING)
    msg = p.get_bus().timed_pop_filtered(60 * Gst.SECOND,
                                         Gst.MessageType.EOS | Gst.MessageType.ERROR)
    p.set_state(Gst.State.NULL)
    assert msg and msg.type == Gst.MessageType.EOS, f"{path} does not decode"
    return pts, *size


def cv_frames(path, keep=range(1 << 30)):
    """(frame count, {index: frame} for indices in @keep), decoded by OpenCV."""
    capture = cv2.VideoCapture(path)
    count, frames = 0, {}
    while True:
        ok, frame = capture.read()
        if not ok:
            return count, frames
        if count in keep:
            frames[count] = frame.astype(np.int16)
        count += 1


class DemoClip(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.out = tempfile.mkdtemp(dir=self.tmp.name)

    def test_default_stretch(self):
        out = os.path.join(self.out, "street.mp4")
        r = cut(VTEST, out)
        self.assertEqual(r.returncode, 0, r.stderr)
        pts, width, height = gst_frames(out)
        self.assertEqual((len(pts), width, height), (12, 768, 576))
        self.assertEqual(pts, [k * Gst.SECOND // 2 for k in range(12)])
        self.assertEqual(os.listdir(self.out), ["street.mp4"])

        (count, source), (_, stretch) = cv_frames(VTEST, range(370, 446)), cv_frames(out)
        self.assertEqual((count, len(stretch)), (795, 12))
        for k, frame in stretch.items():
            # The nearest source frame, among 10 either side, is the right one;
            # what differs is H.264 at quantizer 18 (mean |error| about 1.5).
            want = 380 + 5 * k
            errors = {i: np.abs(source[i] - frame).mean() for i in range(want - 10, want + 11)}
            self.assertEqual(min(errors, key=errors.get), want, f"frame {k}")
            self.assertLess(errors[want], 3, f"frame {k}")

    def test_bad_input(self):
        out = os.path.join(self.out, "bad.mp4")
        r = cut("/no/such.avi", out)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.strip(), "cut-demo-clip: cannot read /no/such.avi: no such file")
        r = cut("--start", "78", VTEST, out)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.strip(), f"cut-demo-clip: {VTEST} lasts 79.5 s, "
                         "the stretch ends at 84.0 s")
        junk = os.path.join(self.out, "junk.avi")
        with open(junk, "wb") as f:
            f.write(os.urandom(50000))
        r = cut(junk, out)
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stderr.startswith(f"cut-demo-clip: cannot decode {junk}: "), r.stderr)
        r = cut("--fps", "0", VTEST, out)
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(out))
        self.assertFalse(os.path.exists(out + ".part"))


if __name__ == "__main__":
    found = subprocess.run([os.path.join(SCRIPTS, "fetch-demo-clip"), "--no-download"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        print(f"skipped: {found.stderr.strip()}")
        sys.exit(77)
    VTEST = found.stdout.strip()
    Gst.init(None)
    unittest.main(verbosity=2)
