#!/usr/bin/python3
"""Benchmark: what each gradcam-method costs over classification alone, in
one invocation, side by side, with the same model, frames and threads.

  pipeline: videotestsrc 1280x720 ! vggtiler (2x2 + frame)
            ! vggclassify (full VGG16, random weights) ! fakesink
  rows: classification only; gradcam=true with each method; gradcam with
        gradcam-interval=4

The configurations run in turn, --rounds times (interleaved, so that load
from other processes spreads over all of them); each row reports its best
round. Prints the load average before and after: the machine may be shared.

Usage: tests/bench/cam_methods.py [--build build] [--frames 4] [--rounds 2]
"""
import os

import benchsetup

METHODS = ["gradcam", "gradcam++", "xgradcam", "hirescam", "layercam", "eigencam"]


def parse_args():
    p = benchsetup.parser(__doc__)
    p.add_argument("--frames", type=int, default=4, help="timed frames per run")
    p.add_argument("--rounds", type=int, default=2, help="runs of each configuration")
    p.add_argument("--device", default="cpu", help="vggclassify device (default: cpu)")
    return p.parse_args()


args = parse_args()
_, model = benchsetup.setup(args)

import gi  # noqa: E402

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

Gst.init(None)


def run_pipeline(props):
    """Frames/s of the pipeline (see benchsetup.frames_per_second)."""
    return benchsetup.frames_per_second(
        f"videotestsrc num-buffers={args.frames + 1} pattern=snow "
        f"! video/x-raw,format=RGB,width=1280,height=720,framerate=25/1 "
        f"! vggtiler rows=2 columns=2 ! vggclassify model={model} device={args.device} "
        f"threads={args.threads} post-messages=false {props} ! fakesink sync=false",
        args.frames)


def main():
    rows = [("classify only", "")]
    rows += [(m, f"gradcam=true gradcam-method={m}") for m in METHODS]
    rows += [("gradcam, gradcam-interval=4", "gradcam=true gradcam-interval=4")]
    print(f"gst-vgg CAM methods: 1280x720, 5 regions a frame, VGG16 ({model}), "
          f"{args.device}, {args.threads} threads, {args.frames} timed frames, "
          f"best of {args.rounds} rounds, {os.cpu_count()} CPUs")
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())
    best = {}
    for _ in range(args.rounds):
        for name, props in rows:
            best[name] = max(best.get(name, 0.0), run_pipeline(props))
    base = best["classify only"]
    for name, _ in rows:
        print(f"{name:28s} {best[name]:7.3f} frames/s   time x{base / best[name]:5.2f}")
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
