#!/usr/bin/python3
"""Benchmark: the gst-vgg pipeline against the eager PyTorch reference doing
the same work, in one invocation, with the same model and threads.

  pipeline: videotestsrc 1280x720 ! vggtiler (2x2 + frame)
            ! vggclassify (full VGG16, random weights) ! fakesink
  reference: the same frames in Python: crop the five regions, interpolate
            to 224x224, normalise, one eager VGG16 forward on the batch of
            five, softmax, top-5

Prints frames/s of each and the ratio pipeline / reference (goal on CPU:
>= 0.95, i.e. GStreamer adds no measurable cost).

Usage: tests/bench/classify.py [--build build] [--frames 8] [--threads N]
"""
import os
import time

import benchsetup


def parse_args():
    p = benchsetup.parser(__doc__)
    p.add_argument("--frames", type=int, default=8, help="timed frames per side")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=720)
    p.add_argument("--gradcam", action="store_true",
                   help="also time both sides with Grad-CAM")
    return p.parse_args()


args = parse_args()
_, model = benchsetup.setup(args)

import ctypes  # noqa: E402

# Keep the GCC unwinder ahead of the libunwind that Debian's torch loads
# (see tests/reference/pipeline.py).
ctypes.CDLL("libgcc_s.so.1", mode=ctypes.RTLD_GLOBAL)
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import gi  # noqa: E402
gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

torch.set_num_threads(args.threads)
Gst.init(None)
W, H = args.width, args.height


def run_pipeline(gradcam):
    """Frames/s of the pipeline (see benchsetup.frames_per_second)."""
    extra = "gradcam=true" if gradcam else ""
    return benchsetup.frames_per_second(
        f"videotestsrc num-buffers={args.frames + 1} pattern=snow "
        f"! video/x-raw,format=RGB,width={W},height={H},framerate=25/1 "
        f"! vggtiler rows=2 columns=2 ! vggclassify model={model} "
        f"threads={args.threads} post-messages=false {extra} ! fakesink sync=false",
        args.frames)


def run_reference(gradcam):
    m = benchsetup.eager_model(model)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (H, W, 3), dtype=np.uint8) for _ in range(2)]
    boxes = [(0, 0, W, H), (0, 0, W // 2, H // 2), (W // 2, 0, W - W // 2, H // 2),
             (0, H // 2, W // 2, H - H // 2), (W // 2, H // 2, W - W // 2, H - H // 2)]

    def job(rgb):
        f = torch.from_numpy(rgb).permute(2, 0, 1).unsqueeze(0).float()
        x = torch.cat([F.interpolate(f[:, :, y:y + h, x:x + w], size=(224, 224),
                                     mode="bilinear", align_corners=False)
                       for x, y, w, h in boxes])
        x = (x / 255 - mean) / std
        if not gradcam:
            with torch.no_grad():
                return F.softmax(m(x), 1).topk(5)
        with torch.no_grad():
            a = m.features[:30](x)
        a.requires_grad_(True)
        out = m.classifier(torch.flatten(m.avgpool(m.features[30:](a)), 1))
        idx = out.argmax(1)
        g, = torch.autograd.grad(out.gather(1, idx[:, None]).sum(), a)
        cam = torch.relu((g.mean((2, 3), keepdim=True) * a).sum(1))
        cam = cam / cam.amax((1, 2), keepdim=True).clamp_min(1e-12)
        return F.softmax(out.detach(), 1).topk(5), cam

    job(frames[0])  # warm-up, like the pipeline's preroll
    start = time.perf_counter()
    for i in range(args.frames):
        job(frames[i % 2])
    return args.frames / (time.perf_counter() - start)


def main():
    print(f"gst-vgg benchmark: {W}x{H}, 5 regions a frame, VGG16 ({model}), "
          f"{args.threads} threads, {args.frames} timed frames, "
          f"torch {torch.__version__}, {os.cpu_count()} CPUs")
    rows = [False] + ([True] if args.gradcam else [])
    results = {}
    for gradcam in rows:
        ours = run_pipeline(gradcam)
        ref = run_reference(gradcam)
        results[gradcam] = ours
        label = "classify+gradcam" if gradcam else "classify"
        print(f"{label:17s} pipeline {ours:7.3f} frames/s   eager reference "
              f"{ref:7.3f} frames/s   ratio {ours / ref:5.3f}")
    if args.gradcam:
        print(f"gradcam cost: pipeline with Grad-CAM takes "
              f"{results[False] / results[True]:.3f}x the time of classification alone")


if __name__ == "__main__":
    main()
