#!/usr/bin/python3
"""How far precision=bf16 moves vggclassify's answers from fp32 on the CPU.

Runs the same frames of the demo's street clip (~/.cache/gst-vgg/vtest.avi,
fetched by scripts/setup-debian; generated frames if it is absent) through
'vggtiler rows=2 columns=2 ! vggclassify gradcam=true top-k=1000' once at
fp32 and once at bf16 (5 regions a frame, VGG16) and prints, over all
regions: how often the top-1 class agrees, the largest difference of any
class's probability, and the largest difference of the Grad-CAM maps
(normalised to their maximum, as vggclassify gives them) where both explain
the same class.

Usage: /usr/bin/python3 tests/bench/bf16.py [--build build] [--frames 60]
"""
import os
import sys
import time

import benchsetup

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "reference"))


def parse_args():
    p = benchsetup.parser(__doc__)
    p.add_argument("--clip", default=os.path.expanduser("~/.cache/gst-vgg/vtest.avi"))
    p.add_argument("--frames", type=int, default=60,
                   help="frames, evenly spread over the clip (5 regions each)")
    return p.parse_args()


args = parse_args()
_, model = benchsetup.setup(args)

import pipeline  # noqa: E402  (loads libgcc_s before torch and OpenCV)
import cv2  # noqa: E402
import numpy as np  # noqa: E402


def frames():
    """@args.frames RGB frames spread over the clip, or smoothed noise."""
    cap = cv2.VideoCapture(args.clip)
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) if cap.isOpened() else 0
    if total <= 0:
        print(f"no clip at {args.clip}: generated frames")
        rng = np.random.default_rng(0)
        return [cv2.GaussianBlur(rng.integers(0, 256, (576, 768, 3), np.uint8), (0, 0), 6)
                for _ in range(args.frames)], "generated"
    out = []
    for i in range(args.frames):
        cap.set(cv2.CAP_PROP_POS_FRAMES, i * total // args.frames)
        ok, bgr = cap.read()
        if ok:
            out.append(np.ascontiguousarray(bgr[:, :, ::-1]))
    return out, f"{args.clip}, {len(out)} of its {total} frames"


def classify(rgbs, precision):
    """Per region: (probabilities by class id, explained class, map)."""
    h, w, _ = rgbs[0].shape
    p = pipeline.Gst.parse_launch(
        f"appsrc name=src format=time caps=video/x-raw,format=RGB,width={w},height={h},"
        f"framerate=25/1 ! vggtiler rows=2 columns=2 ! vggclassify model={model} "
        f"precision={precision} gradcam=true top-k=1000 batch-size=5 "
        f"threads={args.threads} post-messages=false ! appsink name=sink sync=false")
    src, sink = p.get_by_name("src"), p.get_by_name("sink")
    p.set_state(pipeline.Gst.State.PLAYING)
    start = time.perf_counter()
    regions = []
    for i, rgb in enumerate(rgbs):
        buf = pipeline.wrap(rgb.tobytes(), "RGB", w, h, w * 3)
        buf.pts = i * pipeline.Gst.SECOND // 25
        src.emit("push-buffer", buf)
        # bf16 without BF16 instructions takes minutes a frame: no timeout.
        sample = sink.emit("try-pull-sample", pipeline.Gst.CLOCK_TIME_NONE)
        if sample is None:
            msg = p.get_bus().pop_filtered(pipeline.Gst.MessageType.ERROR)
            sys.exit(f"{precision}: " + (msg.parse_error()[0].message if msg else "no output"))
        for roi in pipeline.rois(sample.get_buffer()):
            c, g = roi["classification"], roi["gradcam"]
            probs = np.zeros(1000)
            probs[list(c.get_value("top_ids"))] = list(c.get_value("top_scores"))
            cw, ch = g.get_value("width"), g.get_value("height")
            cam = np.frombuffer(g.get_value("data").extract_dup(0, cw * ch * 4), np.float32)
            regions.append((probs, g.get_value("class_id"), cam))
    p.set_state(pipeline.Gst.State.NULL)
    print(f"{precision}: {len(regions)} regions in {time.perf_counter() - start:.0f} s")
    return regions


def main():
    rgbs, source = frames()
    print(f"bf16 against fp32: {source}, model {model}, vggclassify on the CPU")
    fp32, bf16 = classify(rgbs, "fp32"), classify(rgbs, "bf16")
    assert len(fp32) == len(bf16) and fp32
    top1 = [a[0].argmax() == b[0].argmax() for a, b in zip(fp32, bf16)]
    prob = [np.abs(a[0] - b[0]).max() for a, b in zip(fp32, bf16)]
    top_prob = [a[0].max() for a in fp32]
    same = [i for i, (a, b) in enumerate(zip(fp32, bf16)) if a[1] == b[1]]
    cam = [np.abs(fp32[i][2] - bf16[i][2]).max() for i in same]
    print(f"regions: {len(fp32)}; fp32 top-1 probability: median "
          f"{np.median(top_prob):.4f}, max {max(top_prob):.4f}")
    print(f"top-1 agreement: {sum(top1)}/{len(top1)} ({100 * np.mean(top1):.1f}%)")
    print(f"probabilities, max |bf16 - fp32| over all classes: max {max(prob):.2e}, "
          f"median {np.median(prob):.2e}")
    if cam:
        print(f"Grad-CAM maps (same class, {len(same)} regions), max |bf16 - fp32|: "
              f"max {max(cam):.3f}, median {np.median(cam):.3f}")


if __name__ == "__main__":
    main()
