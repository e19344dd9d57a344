#!/usr/bin/python3
"""Benchmark: N streams on one shared model against N private models, in one
run: resident memory and total frames/s.

Each side runs in a process of its own: N pipelines
  videotestsrc 1280x720 ! vggtiler (2x2 + frame) ! vggclassify (full VGG16,
  random weights) ! fakesink
all PLAYING at once, with shared-instance=cams or without. Frames/s are
counted from the moment every stream has passed its first (warm-up) frame to
the last one; memory is the process's peak resident set.

Usage: tests/bench/shared.py [--build build] [--streams 4] [--frames 6]
       [--threads N]
"""
import argparse
import json
import os
import subprocess
import sys
import time

import benchsetup


def parse_args():
    p = benchsetup.parser(__doc__)
    p.add_argument("--streams", type=int, default=4)
    p.add_argument("--frames", type=int, default=6, help="timed frames per stream")
    p.add_argument("--child", choices=["shared", "private"], help=argparse.SUPPRESS)
    return p.parse_args()


def child(args, model):
    """One side: prints {"frames": n, "seconds": s} after EOS of all."""
    import threading

    import gi
    gi.require_version("Gst", "1.0")
    from gi.repository import Gst
    Gst.init(None)

    share = "shared-instance=cams" if args.child == "shared" else ""
    lock = threading.Lock()
    counts = [0] * args.streams
    marks = {}

    def on_buffer(pad, info, i):
        with lock:
            counts[i] += 1
            if "start" not in marks and all(c >= 1 for c in counts):
                marks["start"] = (time.monotonic(), sum(counts))
            marks["end"] = (time.monotonic(), sum(counts))
        return Gst.PadProbeReturn.OK

    pipelines = []
    for i in range(args.streams):
        p = Gst.parse_launch(
            f"videotestsrc num-buffers={args.frames + 1} pattern=snow "
            "! video/x-raw,format=RGB,width=1280,height=720,framerate=25/1 "
            f"! vggtiler rows=2 columns=2 ! vggclassify model={model} "
            f"threads={args.threads} post-messages=false {share} "
            "! fakesink name=sink sync=false")
        p.get_by_name("sink").get_static_pad("sink").add_probe(
            Gst.PadProbeType.BUFFER, on_buffer, i)
        pipelines.append(p)
    for p in pipelines:
        p.set_state(Gst.State.PLAYING)
    for p in pipelines:
        msg = p.get_bus().timed_pop_filtered(
            3600 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if msg is None or msg.type != Gst.MessageType.EOS:
            sys.exit(f"stream failed: {msg.parse_error()[0].message if msg else 'timeout'}")
    for p in pipelines:
        p.set_state(Gst.State.NULL)
    (t0, n0), (t1, n1) = marks["start"], marks["end"]
    print(json.dumps({"frames": n1 - n0, "seconds": t1 - t0}))


def side(args, model, name):
    """Runs one side in a process of its own: its result and peak RSS."""
    proc = subprocess.Popen([sys.executable, __file__, "--build", args.build,
                             "--model", model, "--streams", str(args.streams),
                             "--frames", str(args.frames), "--threads", str(args.threads),
                             "--child", name], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{name} side failed")
    result = json.loads(out.strip().splitlines()[-1])
    result["rss_mb"] = usage.ru_maxrss / 1024  # kB on Linux
    return result


def main():
    args = parse_args()
    _, model = benchsetup.setup(args)
    if args.child:
        child(args, model)
        return
    results = {name: side(args, model, name) for name in ("private", "shared")}
    load = os.getloadavg()[0]
    print(f"{args.streams} streams x {args.frames} frames, 1280x720, 2x2 tiles + frame "
          f"(5 regions a frame), VGG16, {args.threads} threads, load average {load:.1f}")
    print(f"{'':10s} {'frames/s':>9s} {'peak RSS':>10s}")
    for name, r in results.items():
        print(f"{name:10s} {r['frames'] / r['seconds']:9.3f} {r['rss_mb']:8.0f} MB")
    p, s = results["private"], results["shared"]
    print(f"shared / private: frames/s x{(s['frames'] / s['seconds']) / (p['frames'] / p['seconds']):.2f}, "
          f"memory x{s['rss_mb'] / p['rss_mb']:.2f}")


if __name__ == "__main__":
    main()
