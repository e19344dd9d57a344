#!/usr/bin/python3
"""gst-vgg-archive on this machine's pool: every clip processed once, the
index holding exactly the planted intervals, reruns that skip what is
complete and redo what is not, corrupt videos among good ones, a video
that stalls gst-vgg-traffic, a clean Ctrl-C with the progress line on a
terminal, and bad usage.

Run by meson test with VGG_ARCHIVE, VGG_TRAFFIC, GST_PLUGIN_PATH and
VGG_TEST_MODELS set; needs no PyPI package.
"""
import importlib.machinery
import importlib.util
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from archive_util import (ARCHIVE, PLANTED, SIZE, TRAFFIC, archive, clip,  # noqa: E402
                          expected_intervals, intervals_of, key, leftovers, logging_tool,
                          make_clips, runs_of, videos_of)


def folder(out, video):
    return os.path.join(out, video.lstrip("/"))


class Pool(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.videos = os.path.join(cls.tmp.name, "videos")
        cls.clips = make_clips(cls.videos)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=self.tmp.name)
        self.out = os.path.join(self.dir, "out")
        self.tool, self.log = logging_tool(self.dir)

    def run_archive(self, *args, env=None, expect=0):
        r = archive("--tool", self.tool, "-O", self.out, *PLANTED, *args, env=env)
        self.assertEqual(r.returncode, expect, r.stderr)
        return r

    def assert_index(self, clips):
        rows = intervals_of(self.out)
        self.assertEqual([key(r) for r in rows], expected_intervals(clips))
        for r in rows:
            # The planted model is sure of the square, and peaks inside the interval.
            self.assertGreater(r["peak_score"], 0.9)
            self.assertTrue(r["first_frame"] <= r["peak_frame"] < r["first_frame"] + r["frames"])
            self.assertAlmostEqual(r["start"], r["start_ns"] / 1e9)
            self.assertAlmostEqual(r["end"], r["end_ns"] / 1e9)
            with open(os.path.join(self.out, r["snapshot"]), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertEqual(leftovers(self.out), [])

    def test_pool_rerun_and_redo(self):
        # Two (pretend) GPUs: two workers, one GPU each.
        env = dict(os.environ, CUDA_VISIBLE_DEVICES="3,5")
        r = self.run_archive(self.videos, env=env)
        self.assertIn("4 videos, 2 at once (one per GPU)", r.stderr)
        runs = runs_of(self.log)
        self.assertEqual(sorted(v for _, _, v in runs), sorted(self.clips))
        self.assertEqual({gpu for _, gpu, _ in runs}, {"3", "5"})
        self.assert_index(self.clips)
        status = videos_of(self.out)
        self.assertEqual(set(status), set(self.clips))
        for video, (frames, spans) in self.clips.items():
            row = status[video]
            self.assertEqual((row["status"], row["attempts"], row["frames"], row["intervals"]),
                             ("done", "1", str(frames), str(len(spans))), video)
            self.assertEqual(row["folder"], video.lstrip("/"))
        first_index = intervals_of(self.out)

        # A rerun finds everything complete.
        r = self.run_archive(self.videos)
        self.assertEqual(len(runs_of(self.log)), 4)
        self.assertEqual({r["status"] for r in videos_of(self.out).values()}, {"skipped"})
        self.assertEqual(intervals_of(self.out), first_index)
        self.assertIn("4 of 4 videos already done, skipped", r.stderr)

        # A deleted output is redone, alone.
        b = os.path.join(self.videos, "b.mp4")
        os.remove(os.path.join(folder(self.out, b), "summary.json"))
        self.run_archive(self.videos)
        self.assertEqual([v for _, _, v in runs_of(self.log)[4:]], [b])
        status = videos_of(self.out)
        self.assertEqual({v: r["status"] for v, r in status.items()},
                         {v: "done" if v == b else "skipped" for v in self.clips})
        self.assert_index(self.clips)

        # Other options are other results: done again; speed options are not.
        self.run_archive(os.path.join(self.videos, "**", "*.mp4"), "--threads", "2",
                         "--batch-size", "3")
        self.assertEqual(len(runs_of(self.log)), 5)
        self.assertEqual(len(videos_of(self.out)), 4)
        d = os.path.join(self.videos, "day2/night/d.mp4")
        self.run_archive(d, "--jsonl")
        self.assertEqual([v for _, _, v in runs_of(self.log)[5:]], [d])
        self.assertTrue(os.path.exists(os.path.join(folder(self.out, d), "frames.jsonl")))
        # More outputs than asked for are still complete.
        self.run_archive(d)
        self.assertEqual(len(runs_of(self.log)), 6)

        # The index, rebuilt from the folders alone.
        os.remove(os.path.join(self.out, "intervals.jsonl"))
        os.remove(os.path.join(self.out, "videos.csv"))
        r = archive("-O", self.out, "--index-only")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_index(self.clips)
        self.assertEqual({r["status"] for r in videos_of(self.out).values()}, {"done"})
        self.assertEqual(len(runs_of(self.log)), 6)

        # ... of the videos of a list, one of them never processed.
        other = os.path.join(self.dir, "other.mp4")
        open(other, "w").close()
        listing = os.path.join(self.dir, "some.txt")
        with open(listing, "w") as f:
            f.write("# relative to this file\n../videos/a.mp4\n\nother.mp4\n")
        r = archive("-O", self.out, "--index-only", "--list", listing)
        self.assertEqual(r.returncode, 0, r.stderr)
        a = os.path.join(self.videos, "a.mp4")
        self.assertEqual({v: r["status"] for v, r in videos_of(self.out).items()},
                         {a: "done", other: "pending"})
        self.assert_index({a: self.clips[a]})

    def test_corrupt_video_among_good_ones(self):
        videos = os.path.join(self.dir, "videos")
        good = {v: c for v, c in self.clips.items() if os.path.dirname(v) == self.videos}
        os.makedirs(videos)
        for v in good:
            shutil.copy(v, videos)
        good = {os.path.join(videos, os.path.basename(v)): c for v, c in good.items()}
        # Not random bytes: those can pass for some stream now and then.
        junk = os.path.join(videos, "junk.mp4")
        with open(junk, "wb") as f:
            f.write(b"this is not a video\n" * 2500)
        # The first half of a good clip: the end of the file is missing.
        cut = os.path.join(videos, "cut.mp4")
        with open(next(iter(good)), "rb") as f:
            data = f.read()
        with open(cut, "wb") as f:
            f.write(data[:len(data) // 2])

        r = self.run_archive(videos, "--retries", "1", expect=1)
        runs = [v for _, _, v in runs_of(self.log)]
        self.assertEqual(sorted(runs), sorted([*good, junk, junk, cut, cut]))
        status = videos_of(self.out)
        for bad in (junk, cut):
            row = status[bad]
            self.assertEqual((row["status"], row["attempts"]), ("failed", "2"), row)
            # gst-vgg-traffic's one line; the rest is GStreamer's wording.
            self.assertRegex(row["reason"], "^" + re.escape(f"{bad}: cannot decode: ") + ".")
            self.assertIn("FAILED " + bad, r.stderr)
            self.assertTrue(os.path.exists(os.path.join(folder(self.out, bad), "failed.json")))
        for v in good:
            self.assertEqual(status[v]["status"], "done")
        self.assert_index(good)
        self.assertIn("2 done, 2 failed", r.stderr)

        # Failed videos are tried again on a rerun, complete ones are not.
        self.run_archive(videos, "--retries", "0", expect=1)
        self.assertEqual(sorted(v for _, _, v in runs_of(self.log)[len(runs):]),
                         sorted([junk, cut]))
        r = archive("-O", self.out, "--index-only")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(videos_of(self.out)[junk]["status"], "failed")

    def test_same_failure_everywhere_stops_the_run(self):
        # No plugin: every video would fail the same way.
        env = {k: v for k, v in os.environ.items() if not k.startswith("GST_PLUGIN_PATH")}
        env["GST_PLUGIN_SYSTEM_PATH_1_0"] = self.dir
        env["GST_REGISTRY_1_0"] = os.path.join(self.dir, "registry.bin")
        r = self.run_archive(self.videos, "--workers", "1", "--retries", "0", env=env,
                             expect=1)
        self.assertIn("stopped: the first 3 videos all failed: GStreamer element ", r.stderr)
        self.assertEqual(len(runs_of(self.log)), 3)
        status = sorted(r["status"] for r in videos_of(self.out).values())
        self.assertEqual(status, ["failed", "failed", "failed", "pending"])

    def test_stalled_video(self):
        # A gst-vgg-traffic that makes no progress: stopped before it starts
        # (the real one no longer waits on a file without a video stream).
        video = os.path.join(self.videos, "a.mp4")
        stuck = os.path.join(self.dir, "traffic-stuck")
        with open(stuck, "w") as f:
            f.write(f'#!/bin/sh\nkill -STOP $$\nexec "{TRAFFIC}" "$@"\n')
        os.chmod(stuck, 0o755)
        self.tool, self.log = logging_tool(self.dir, real=stuck)
        started = time.monotonic()
        self.run_archive(video, "--retries", "0", "--stall-timeout", "3", expect=1)
        self.assertLess(time.monotonic() - started, 60)
        row = videos_of(self.out)[video]
        self.assertEqual((row["status"], row["attempts"]), ("failed", "1"))
        self.assertEqual(row["reason"],
                         "no new frame for 3 s: gst-vgg-traffic stalled and was killed")
        (pid, _, _), = runs_of(self.log)
        self.assertFalse(os.path.exists(f"/proc/{pid}"))

    def test_ctrl_c(self):
        videos = os.path.join(self.dir, "videos")
        os.makedirs(videos)
        short = os.path.join(videos, "1-short.mp4")
        shutil.copy(os.path.join(self.videos, "a.mp4"), short)
        long = os.path.join(videos, "2-long.mp4")
        clip.make(long, 200, size=SIZE, spans=[(5, 190)])

        # stderr on a terminal, for the progress line.
        master, slave = pty.openpty()
        p = subprocess.Popen([sys.executable, ARCHIVE, "--tool", self.tool, "-O", self.out,
                              *PLANTED, "--workers", "1", videos], stderr=slave)
        os.close(slave)
        screen = []

        def read():
            while True:
                try:
                    data = os.read(master, 4096)
                except OSError:
                    return
                if not data:
                    return
                screen.append(data.decode(errors="replace"))
        reader = threading.Thread(target=read)
        reader.start()
        # Stop once gst-vgg-traffic has classified some frames of the long clip.
        progress = re.compile(r"1/2 videos  1 done  0 failed  1 running  (\d+) frames  "
                              r"[\d.]+ frames/s  ETA \d\d:\d\d:\d\d")
        deadline = time.time() + 120
        while time.time() < deadline and not any(
                int(n) >= 40 + 10 for n in progress.findall("".join(screen))):
            time.sleep(0.1)
        self.assertRegex("".join(screen), progress)
        running = [pid for pid, _, v in runs_of(self.log) if v == long]
        p.send_signal(signal.SIGINT)
        self.assertEqual(p.wait(timeout=120), 130, "".join(screen))
        reader.join()
        os.close(master)
        self.assertIn("interrupted: ending the running videos cleanly", "".join(screen))
        # gst-vgg-traffic was stopped, not left behind.
        self.assertEqual(len(running), 1)
        self.assertFalse(os.path.exists(f"/proc/{running[0]}"))

        status = videos_of(self.out)
        self.assertEqual((status[short]["status"], status[long]["status"]),
                         ("done", "interrupted"))
        self.assert_index({short: self.clips[os.path.join(self.videos, "a.mp4")]})
        self.assertFalse(os.path.exists(folder(self.out, long)))

        # The rerun does what was interrupted, only that.
        self.run_archive(videos, "--workers", "1")
        self.assertEqual([v for _, _, v in runs_of(self.log)], [short, long, long])
        self.assert_index({short: self.clips[os.path.join(self.videos, "a.mp4")],
                           long: (200, [(5, 190)])})

    def test_pass_through_options_match_gst_vgg_traffic(self):
        loader = importlib.machinery.SourceFileLoader("archive", ARCHIVE)
        spec = importlib.util.spec_from_loader("archive", loader)
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
        help_text = subprocess.run([TRAFFIC, "--help"], capture_output=True, text=True).stdout
        options = dict(re.findall(r"^\s+(?:-\w, )?--([\w-]+)(=?)", help_text, re.M))
        for own in ("help", "help-all", "help-gst", "video", "jsonl", "summary", "snapshots",
                    "quiet"):
            options.pop(own)
        self.assertEqual({name: value == "=" for name, value in options.items()},
                         module.TRAFFIC_OPTIONS)

    def assert_usage(self, message, *args, env=None):
        r = archive(*args, env=env)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(message, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.out, "videos.csv")))

    def test_bad_usage(self):
        out = ["-O", self.out]
        self.assert_usage("give the videos", *out, *PLANTED)
        self.assert_usage("no such file or directory: /no/such.mp4", *out, *PLANTED,
                          "/no/such.mp4")
        self.assert_usage("no file matches /no/*.mp4", *out, *PLANTED, "/no/*.mp4")
        empty = os.path.join(self.dir, "empty")
        os.makedirs(empty)
        self.assert_usage("no video found in " + empty, *out, *PLANTED, empty)
        env = {k: v for k, v in os.environ.items() if k != "GST_VGG_MODEL"}
        self.assert_usage("no model", *out, self.videos, env=env)
        self.assert_usage("--tool /no/tool: not an executable", *out, *PLANTED, "--tool",
                          "/no/tool", self.videos)
        self.assert_usage("--model /no/such.pt: no such file", *out, "--model", "/no/such.pt",
                          self.videos)
        # gst-vgg-traffic's own checks stop the whole run.
        self.assert_usage("--rows 0: not a valid value", *out, *PLANTED, "--tool", self.tool,
                          "--rows", "0", self.videos)
        if importlib.util.find_spec("ray") is None:
            self.assert_usage("--ray needs the ray package", *out, *PLANTED, "--ray", "auto",
                              self.videos)


if __name__ == "__main__":
    unittest.main(verbosity=2)
