#!/usr/bin/python3
"""Benchmark: gradcamoverlay alone against the blog's Python overlay code
(numpy + OpenCV), in one invocation, on one core.

Both draw five 14x14 heatmaps (the whole frame and its 2x2 tiles, combined
by maximum, JET, blended as saturate(0.4 * heat + img)) on 1920x1080 BGRx
frames. The element is timed by tests/bench/overlay-bench (built with the
project); it also runs with labels and boxes on. Goal: at most 2 ms a frame.

Usage: tests/bench/overlay.py [--build build] [--frames 100]
"""
import argparse
import os
import subprocess
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
p.add_argument("--build", default=os.path.join(ROOT, "build"))
p.add_argument("--frames", type=int, default=100)
p.add_argument("--width", type=int, default=1920)
p.add_argument("--height", type=int, default=1080)
args = p.parse_args()

# One core for both sides.
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
os.environ["OPENCV_FOR_THREADS_NUM"] = "1"
import cv2  # noqa: E402

cv2.setNumThreads(1)
W, H = args.width, args.height


def element(props):
    env = dict(os.environ, GST_PLUGIN_PATH=os.path.join(os.path.abspath(args.build),
                                                        "gst", "vgg"))
    out = subprocess.run([os.path.join(args.build, "tests", "bench", "overlay-bench"),
                          str(args.frames), str(W), str(H), "BGRx", *props],
                         env=env, check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def blog():
    rng = np.random.default_rng(1)
    img = rng.integers(0, 256, (H, W, 4), dtype=np.uint8)
    maps = [rng.random((14, 14), dtype=np.float32) for _ in range(5)]
    rects = [(0, 0, W, H), (0, 0, W // 2, H // 2), (W // 2, 0, W - W // 2, H // 2),
             (0, H // 2, W // 2, H - H // 2), (W // 2, H // 2, W - W // 2, H - H // 2)]

    def frame(bgrx):
        canvas = np.full((H, W), -1.0, np.float32)
        for (x, y, w, h), cam in zip(rects, maps):
            view = canvas[y:y + h, x:x + w]
            np.maximum(view, cv2.resize(cam, (w, h)), out=view)
        heat = cv2.applyColorMap(np.uint8(255 * canvas), cv2.COLORMAP_JET)
        bgr = bgrx[:, :, :3]
        bgrx[:, :, :3] = np.clip(np.rint(heat * 0.4 + bgr), 0, 255)

    frame(img.copy())
    total = 0.0
    for _ in range(args.frames // 4 or 1):
        f = img.copy()
        start = time.perf_counter()
        frame(f)
        total += time.perf_counter() - start
    return total / (args.frames // 4 or 1) * 1000


ours = element(["draw-labels=false", "draw-boxes=false"])
full = element([])
ref = blog()
print(f"gradcamoverlay benchmark: {W}x{H} BGRx, 5 heatmaps of 14x14, one core")
print(f"gradcamoverlay (heatmaps)          {ours:7.3f} ms/frame")
print(f"gradcamoverlay (+ labels, boxes)   {full:7.3f} ms/frame")
print(f"blog's numpy + OpenCV code         {ref:7.3f} ms/frame")
print(f"ratio (blog time / element time)   {ref / ours:7.2f}x")
