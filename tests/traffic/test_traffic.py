#!/usr/bin/python3
"""gst-vgg-traffic end to end on clips made by clip.py, with the planted
red-square model: JSON lines, presence intervals to the frame, the annotated
video and snapshots, runs interrupted by SIGINT and SIGTERM, and every bad
input's message and exit code: outputs that would overwrite the input or
each other, write failures (a full disk), inputs without video or without
any frame.

Run by meson test with VGG_TRAFFIC (the tool), GST_PLUGIN_PATH and
VGG_TEST_MODELS set.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import clip  # noqa: E402
from gi.repository import Gst, GstVideo  # noqa: E402

TOOL = os.environ.get("VGG_TRAFFIC", "gst-vgg-traffic")
MODELS = os.environ.get("VGG_TEST_MODELS", "")
PLANTED = ["--model", os.path.join(MODELS, "planted.pt"),
           "--class-groups", os.path.join(MODELS, "planted-groups.txt")]


def run(*args, timeout=300):
    return subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=timeout)


def decoded(path):
    """(frames, width, height) of a video, decoded with GStreamer."""
    p = Gst.parse_launch(f'filesrc location="{path}" ! decodebin ! videoconvert '
                         "! fakesink name=sink signal-handoffs=true")
    count = [0, 0, 0]

    def handoff(sink, buf, pad):
        # VideoInfo, not the caps structure: gst-python >= 1.26 hands out
        # structures as context managers without get_value().
        info = GstVideo.VideoInfo.new_from_caps(pad.get_current_caps())
        count[0] += 1
        count[1], count[2] = info.width, info.height
    p.get_by_name("sink").connect("handoff", handoff)
    p.set_state(Gst.State.PLAYING)
    msg = p.get_bus().timed_pop_filtered(60 * Gst.SECOND,
                                         Gst.MessageType.EOS | Gst.MessageType.ERROR)
    p.set_state(Gst.State.NULL)
    assert msg and msg.type == Gst.MessageType.EOS, "the video does not decode"
    return tuple(count)


def leftovers(directory):
    return [f for f in os.listdir(directory) if f.endswith(".part")]


class Traffic(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.clip = os.path.join(cls.tmp.name, "clip.mp4")
        clip.make(cls.clip, 40, 10, 25)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.out = tempfile.mkdtemp(dir=self.tmp.name)

    def path(self, name):
        return os.path.join(self.out, name)

    def test_end_to_end(self):
        r = run(*PLANTED, "--gradcam", "-o", self.path("a.mp4"), "-j", self.path("f.jsonl"),
                "-s", self.path("s.json"), "--snapshots", self.path("snaps"), self.clip)
        self.assertEqual(r.returncode, 0, r.stderr)

        with open(self.path("f.jsonl")) as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual(len(lines), 40)
        for i, line in enumerate(lines):
            self.assertEqual(line["frame"], i)
            self.assertEqual(line["pts"], i * Gst.SECOND // 10)
            self.assertAlmostEqual(line["time"], i / 10)
            self.assertEqual([r["type"] for r in line["rois"]], ["frame"] + ["tile"] * 4)
            self.assertEqual(line["groups"]["vehicle"]["present"], 10 <= i < 25, f"frame {i}")
            for roi in line["rois"]:
                self.assertEqual(len(roi["top"]), 2)
                self.assertIn("vehicle", roi["groups"])

        with open(self.path("s.json")) as f:
            summary = json.load(f)
        intervals = summary["groups"]["vehicle"]["intervals"]
        self.assertEqual(len(intervals), 1)
        iv = intervals[0]
        self.assertEqual((iv["first_frame"], iv["frames"]), (10, 15))
        self.assertAlmostEqual(iv["start"], 1.0)
        self.assertAlmostEqual(iv["end"], 2.5)
        self.assertEqual(iv["best_roi"]["tile"], 3)
        self.assertEqual(iv["best_roi"]["rect"], [320, 240, 320, 240])
        self.assertGreater(iv["peak_score"], 0.9)
        self.assertEqual(summary["stats"]["frames"], 40)
        self.assertFalse(summary["interrupted"])

        self.assertEqual(decoded(self.path("a.mp4")), (40, 640, 480))
        self.assertEqual(os.listdir(self.path("snaps")), ["vehicle-00001.000s.png"])
        with open(self.path("snaps/vehicle-00001.000s.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertEqual(leftovers(self.out), [])

    @unittest.skipUnless(os.environ.get("VGG_HAVE_ANALYTICS") == "1",
                         "gst-vgg built without GstAnalytics (GStreamer < 1.24)")
    def test_reads_analytics_as_rois(self):
        results = {}
        for meta in ("roi", "analytics"):
            r = run(*PLANTED, "--meta", meta, "-j", self.path(meta + ".jsonl"),
                    "-s", self.path(meta + ".json"), self.clip)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(self.path(meta + ".jsonl")) as f:
                results[meta] = [json.loads(line) for line in f]
            with open(self.path(meta + ".json")) as f:
                results[meta + "-summary"] = json.load(f)["groups"]
        self.assertEqual(len(results["analytics"]), 40)
        for a, b in zip(results["roi"], results["analytics"]):
            self.assertEqual(len(a["rois"]), len(b["rois"]))
            for ra, rb in zip(a["rois"], b["rois"]):
                # GstAnalytics has no ROI ids, tile params or class ids; the
                # rest agrees.
                self.assertEqual(rb["id"], -1)
                self.assertGreaterEqual(rb["od"], 0)
                self.assertNotIn("tile", rb)
                self.assertEqual((ra["type"], ra["rect"]), (rb["type"], rb["rect"]))
                self.assertEqual([p["label"] for p in ra["top"]],
                                 [p["label"] for p in rb["top"]])
                for pa, pb in zip(ra["top"], rb["top"]):
                    self.assertAlmostEqual(pa["score"], pb["score"], places=6)
                self.assertAlmostEqual(ra["groups"]["vehicle"], rb["groups"]["vehicle"],
                                       places=6)
            self.assertEqual(a["groups"]["vehicle"]["present"],
                             b["groups"]["vehicle"]["present"])
        iv_a = results["roi-summary"]["vehicle"]["intervals"]
        iv_b = results["analytics-summary"]["vehicle"]["intervals"]
        self.assertEqual([(i["first_frame"], i["frames"]) for i in iv_a],
                         [(i["first_frame"], i["frames"]) for i in iv_b])
        self.assertEqual(iv_b[0]["best_roi"]["rect"], [320, 240, 320, 240])

    def test_summary_on_stdout_without_outputs(self):
        r = run(*PLANTED, "--rows", "1", "--columns", "1", "--no-full-frame", self.clip)
        self.assertEqual(r.returncode, 0, r.stderr)
        summary = json.loads(r.stdout)
        # A single tile is the whole frame: the square is too small there.
        self.assertEqual(summary["groups"]["vehicle"]["intervals"], [])
        self.assertEqual(summary["stats"]["frames"], 40)

    def test_interrupted_run_leaves_valid_outputs(self):
        long_clip = os.path.join(self.out, "long.mp4")
        clip.make(long_clip, 300, 10, 250)
        # The first SIGINT (Ctrl-C) or SIGTERM (a service manager, a batch
        # system) ends the stream; the outputs are complete up to there.
        for sig in (signal.SIGINT, signal.SIGTERM):
            with self.subTest(signal=sig.name):
                self.out = tempfile.mkdtemp(dir=self.tmp.name)
                self.interrupt(long_clip, sig)

    def interrupt(self, long_clip, sig):
        p = subprocess.Popen([TOOL, *PLANTED, "--batch-size", "1", "-o", self.path("a.mp4"),
                              "-j", self.path("f.jsonl"), "-s", self.path("s.json"),
                              long_clip], stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            part = self.path("f.jsonl.part")
            if os.path.exists(part) and os.path.getsize(part) > 60000:
                break
            time.sleep(0.05)
        p.send_signal(sig)
        _, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 130, err)

        with open(self.path("f.jsonl")) as f:
            lines = [json.loads(line) for line in f]
        n = len(lines)
        self.assertTrue(0 < n < 300, n)
        self.assertEqual([l["frame"] for l in lines], list(range(n)))
        with open(self.path("s.json")) as f:
            summary = json.load(f)
        self.assertTrue(summary["interrupted"])
        self.assertEqual(summary["stats"]["frames"], n)
        self.assertGreater(n, 10)
        # The square is there from frame 10 to the end of what was processed.
        iv = summary["groups"]["vehicle"]["intervals"][0]
        self.assertEqual((iv["first_frame"], iv["frames"]), (10, n - 10))
        frames, w, h = decoded(self.path("a.mp4"))
        self.assertEqual((frames, w, h), (n, 640, 480))
        self.assertEqual(leftovers(self.out), [])

    def assert_fails(self, code, message, *args, timeout=300):
        r = run(*args, timeout=timeout)
        self.assertEqual(r.returncode, code, r.stderr)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(message, lines[0])
        for name in ("x.jsonl", "x.json", "x.mp4"):
            self.assertFalse(os.path.exists(self.path(name)), name)
        self.assertEqual(leftovers(self.out), [])

    def test_bad_input(self):
        outs = ["-j", self.path("x.jsonl"), "-s", self.path("x.json"), "-o", self.path("x.mp4")]
        junk = self.path("junk.mp4")
        with open(junk, "wb") as f:
            f.write(os.urandom(100000))
        text_model = os.path.join(MODELS, "tiny-labels.txt")
        self.assert_fails(1, "cannot read /no/such.mp4: no such file", *PLANTED, *outs,
                          "/no/such.mp4")
        self.assert_fails(1, "cannot decode", *PLANTED, *outs, junk)
        self.assert_fails(1, "is not a TorchScript model", "--model", text_model, *outs,
                          self.clip)
        self.assert_fails(1, "cannot write /no/dir/x.jsonl", *PLANTED, "-j",
                          "/no/dir/x.jsonl", self.clip)

    def test_output_is_the_input_or_another_output(self):
        # A copy: the tool this guards against overwrote its input.
        video = self.path("in.mp4")
        shutil.copyfile(self.clip, video)
        with open(video, "rb") as f:
            before = f.read()
        link = self.path("link.jsonl")
        os.symlink(video, link)
        hard = self.path("hard.json")
        os.link(video, hard)
        relative = os.path.relpath(video)
        self.assert_fails(2, f"--jsonl {video}: that is the input video",
                          *PLANTED, "--jsonl", video, video)
        self.assert_fails(2, f"--jsonl {link}: that is the input video", *PLANTED,
                          "--jsonl", link, video)
        self.assert_fails(2, f"--summary {hard}: that is the input video", *PLANTED,
                          "-j", self.path("x.jsonl"), "--summary", hard, video)
        self.assert_fails(2, f"--video {relative}: that is the input video", *PLANTED,
                          "--video", relative, video)
        self.assert_fails(2, f"--snapshots {video}: that is the input video",
                          *PLANTED, "--snapshots", video, video)
        # Two outputs on one file, the second named another way.
        other = os.path.join(self.out, ".", "x.json")
        self.assert_fails(2, f"--summary {other}: the same file as --jsonl", *PLANTED,
                          "--jsonl", self.path("x.json"), "--summary", other, video)
        self.assert_fails(2, f"--snapshots {self.path('x.mp4')}: the same file as --video",
                          *PLANTED, "-o", self.path("x.mp4"), "--snapshots",
                          self.path("x.mp4"), video)
        with open(video, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertEqual(sorted(os.listdir(self.out)), ["hard.json", "in.mp4", "link.jsonl"])

    def test_write_failures_leave_nothing(self):
        """A full disk, as /dev/full gives it (ENOSPC on every write), under
        each output's temporary file in turn: exit 1, one line naming the
        output, and no output at all, snapshots included."""
        cases = [("f.jsonl.part", "f.jsonl", "No space left on device"),
                 ("s.json.part", "s.json", "No space left on device"),
                 ("a.avi.part", "a.avi", "No space left"),
                 ("snaps/vehicle-00001.000s.png.part", "snaps/vehicle-00001.000s.png",
                  "No space left on device")]
        for part, output, why in cases:
            with self.subTest(output=output):
                self.out = tempfile.mkdtemp(dir=self.tmp.name)
                os.makedirs(os.path.dirname(self.path(part)), exist_ok=True)
                os.symlink("/dev/full", self.path(part))
                r = run(*PLANTED, "-j", self.path("f.jsonl"), "-s", self.path("s.json"),
                        "-o", self.path("a.avi"), "--snapshots", self.path("snaps"),
                        self.clip)
                self.assertEqual(r.returncode, 1, r.stderr)
                lines = r.stderr.strip().splitlines()
                self.assertEqual(len(lines), 1, r.stderr)
                self.assertIn(f"cannot write {self.path(output)}: {why}", lines[0])
                left = [os.path.join(d, f) for d, _, files in os.walk(self.out)
                        for f in files]
                self.assertEqual(left, [])
                # The snapshots folder goes too, unless it was there before.
                self.assertEqual(os.path.exists(self.path("snaps")), "snaps/" in part)

    def test_summary_to_full_stdout(self):
        with open("/dev/full", "w") as full:
            r = subprocess.run([TOOL, *PLANTED, self.clip], stdout=full,
                               stderr=subprocess.PIPE, text=True, timeout=300)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stderr.strip().splitlines(),
                         ["gst-vgg-traffic: cannot write the summary to stdout: "
                          "No space left on device"])

    def test_input_without_video(self):
        for name, encode in (("tone.wav", "wavenc"), ("tone.ogg", "vorbisenc ! oggmux")):
            with self.subTest(input=name):
                audio = self.path(name)
                p = Gst.parse_launch(f"audiotestsrc num-buffers=20 ! audioconvert ! {encode} "
                                     f"! filesink location={audio}")
                p.set_state(Gst.State.PLAYING)
                msg = p.get_bus().timed_pop_filtered(
                    30 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
                p.set_state(Gst.State.NULL)
                self.assertEqual(msg.type, Gst.MessageType.EOS)
                self.assert_fails(1, f"{audio}: no video stream (found audio/x-raw)",
                                  *PLANTED, "-j", self.path("x.jsonl"), "-s",
                                  self.path("x.json"), audio, timeout=60)

    def silent_input(self, close_after):
        """A FIFO that the tool opens and that stays silent for close_after
        seconds: the pipeline starts and no frame comes, as with a broken
        file whose demuxer error decodebin swallowed. Returns the FIFO and
        an event set once the tool has opened it (its pipeline started)."""
        fifo = self.path("silent.mp4")
        os.mkfifo(fifo)
        opened = threading.Event()

        def writer():
            fd = os.open(fifo, os.O_WRONLY)  # until the tool opens it
            opened.set()
            time.sleep(close_after)
            os.close(fd)
        threading.Thread(target=writer, daemon=True).start()
        return fifo, opened

    def test_input_without_frames(self):
        # The watchdog ends the run; without it the run would end when the
        # writer goes, with typefind's error instead.
        fifo, _ = self.silent_input(close_after=8)
        env = dict(os.environ, VGG_TRAFFIC_START_TIMEOUT="2")
        r = subprocess.run([TOOL, *PLANTED, "-j", self.path("x.jsonl"), fifo],
                           capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stderr.strip(),
                         f"gst-vgg-traffic: {fifo}: cannot decode: no video frame within 2 s")
        self.assertFalse(os.path.exists(self.path("x.jsonl")))
        self.assertEqual(leftovers(self.out), [])

    def test_signal_before_the_first_frame(self):
        # No EOS can flow yet: the first SIGTERM ends the run at once.
        fifo, opened = self.silent_input(close_after=5)
        p = subprocess.Popen([TOOL, *PLANTED, "-s", self.path("s.json"), fifo],
                             stderr=subprocess.PIPE, text=True)
        self.assertTrue(opened.wait(60))
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 130, err)
        with open(self.path("s.json")) as f:
            summary = json.load(f)
        self.assertTrue(summary["interrupted"])
        self.assertEqual(summary["stats"]["frames"], 0)

    def test_region(self):
        self.assert_fails(2, "--region 2,2,1,1: not a valid value (Part of the frame",
                          *PLANTED, "--region", "2,2,1,1", self.clip)
        for bad in ("garbage", "0,0,1", "0,0,1,1,0", "0.5,0,0.6,1", "0,0,0,1", "0,0,nan,1",
                    "0,0,1,1x"):
            self.assert_fails(2, f"--region {bad}: not a valid value", *PLANTED,
                              "--region", bad, self.clip)
        # The lower half in two tiles of 320x240.
        r = run(*PLANTED, "--region", "0, 0.5, 1,0.5", "--columns", "2", "--rows", "1",
                "--no-full-frame", "-j", self.path("f.jsonl"), self.clip)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.path("f.jsonl")) as f:
            first = json.loads(f.readline())
        self.assertEqual([roi["rect"] for roi in first["rois"]],
                         [[0, 240, 320, 240], [320, 240, 320, 240]])

    def test_name_not_utf8(self):
        # File names are bytes: the summary's "input" still is valid JSON.
        link = os.path.join(os.fsencode(self.out), b"clip-\xff.mp4")
        os.symlink(self.clip, link)
        r = subprocess.run([os.fsencode(TOOL), *map(os.fsencode, PLANTED), b"-s",
                            os.fsencode(self.path("s.json")), link],
                           capture_output=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.path("s.json"), encoding="utf-8") as f:
            summary = json.load(f)
        self.assertTrue(summary["input"].endswith("clip-\ufffd.mp4"), summary["input"])
        self.assertEqual(summary["stats"]["frames"], 40)

    def test_bad_usage(self):
        self.assert_fails(2, "Unknown option --frobnicate", *PLANTED, "--frobnicate",
                          self.clip)
        self.assert_fails(2, "give one input video", *PLANTED)
        self.assert_fails(2, "--rows 0: not a valid value", *PLANTED, "--rows", "0",
                          self.clip)
        self.assert_fails(2, "--colormap sepia: not a valid value", *PLANTED, "--colormap",
                          "sepia", "-o", self.path("v.mp4"), self.clip)
        self.assert_fails(2, "name it .mp4, .mkv, .webm or .avi", *PLANTED, "-o",
                          self.path("x.txt"), self.clip)
        env_model = os.environ.pop("GST_VGG_MODEL", None)
        try:
            self.assert_fails(2, "no model", self.clip)
        finally:
            if env_model:
                os.environ["GST_VGG_MODEL"] = env_model


if __name__ == "__main__":
    unittest.main(verbosity=2)
