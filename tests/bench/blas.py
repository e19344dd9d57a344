#!/usr/bin/python3
"""vggclassify on the CPU with the system's BLAS and the reference BLAS.

The same pipeline (1280x720, 2x2 tiles + frame: 5 regions, full VGG16,
random weights), each side a run of tests/bench/pipeline-bench in a process
of its own, the sides taken in turn round after round:

  system BLAS     as installed: Debian's LibTorch takes its matrix products
                  (VGG16's fully-connected layers, and their gradients for
                  Grad-CAM) from the system's libblas.so.3
  reference BLAS  the same with Debian's reference BLAS put first
                  (LD_LIBRARY_PATH), as on a system without an optimised one

Prints the element's median milliseconds per frame (pipeline-bench's time
from its sink pad to its source pad) and their ratio.

Usage: tests/bench/blas.py [--build build] [--rounds 3] [--frames 6]
       [--gradcam]
"""
import glob
import os
import re
import statistics
import subprocess
import sys

import benchsetup


def parse_args():
    p = benchsetup.parser(__doc__)
    p.add_argument("--rounds", type=int, default=3, help="runs of each side")
    p.add_argument("--frames", type=int, default=6, help="timed frames per run")
    p.add_argument("--gradcam", action="store_true", help="with Grad-CAM")
    return p.parse_args()


def main():
    args = parse_args()
    build, model = benchsetup.setup(args)
    reference = glob.glob("/usr/lib/*/blas/libblas.so.3")
    if not reference:
        sys.exit("no Debian reference BLAS here (/usr/lib/*/blas/libblas.so.3)")
    sides = {"system BLAS": {},
             "reference BLAS": {"LD_LIBRARY_PATH": os.path.dirname(reference[0])}}
    pipeline = (
        "appsrc name=src caps=video/x-raw,format=RGB,width=1280,height=720,framerate=25/1 "
        "! vggtiler rows=2 columns=2 "
        f"! vggclassify name=c model={model} threads={args.threads} "
        f"gradcam={'true' if args.gradcam else 'false'} post-messages=false "
        "! fakesink")
    bench = os.path.join(build, "tests", "bench", "pipeline-bench")
    print(f"vggclassify, 1280x720, 5 regions a frame, VGG16 ({model}), "
          f"{args.threads} threads, Grad-CAM {'on' if args.gradcam else 'off'}, "
          f"{args.rounds} x {args.frames} frames a side, load average "
          f"{os.getloadavg()[0]:.1f} before")
    times = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, env in sides.items():
            out = subprocess.run([bench, str(args.frames), pipeline], check=True,
                                 env=dict(os.environ, **env), capture_output=True,
                                 text=True).stdout
            m = re.search(r"([0-9.]+) ms in vggclassify", out)
            if not m:
                sys.exit(f"{name}: no timing in pipeline-bench's output: {out!r}")
            times[name].append(float(m.group(1)))
    print(f"load average after: {os.getloadavg()[0]:.1f}\n")
    base = statistics.median(times["system BLAS"])
    print(f"{'side':16s} {'ms/frame':>9s} {'runs (ms)':>30s}  time / system BLAS")
    for name, t in times.items():
        med = statistics.median(t)
        runs = " ".join(f"{v:.0f}" for v in t)
        print(f"{name:16s} {med:9.0f} {runs:>30s}  {med / base:.2f}")


if __name__ == "__main__":
    main()
