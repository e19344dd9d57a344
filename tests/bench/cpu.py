#!/usr/bin/python3
"""CPU benchmark: vggclassify against eager PyTorch and OpenVINO, one run.

Every side classifies the same frames (1280x720 noise, the 2x2 tiles and the
whole frame: 5 regions, 224x224, full VGG16 with one set of random weights),
one frame at a time, with the same number of threads:

  gst-vgg     appsrc ! vggtiler rows=2 columns=2 ! vggclassify ! appsink,
              the model prepared for inference (GST_VGG_PREPARE unset) and
              plain (GST_VGG_PREPARE=off, fp32 only), fp32 and bf16, with
              and without Grad-CAM
  eager       torchvision's VGG16 with the same weights: crop, interpolate,
              normalise, forward, softmax, top-5 (Grad-CAM: backbone without
              autograd, one backward pass through the head)
  OpenVINO    the same VGG16 exported through ONNX, compiled for the CPU with
              f32 or bf16 inference precision, on the same crops

Models are loaded and run once (warm-up) before any timing; the timed
rounds then go round all sides in turn, one frame each, so that the load of
a shared machine falls on all of them alike. Prints seconds per frame (the
median over rounds) and the ratios, with the load average before and after.

Usage: .venv/bin/python tests/bench/cpu.py [--build build] [--rounds 6]
       [--threads N]        (the venv of scripts/setup-python: OpenVINO)
"""
import os
import statistics
import sys
import time

import benchsetup


def parse_args():
    p = benchsetup.parser(__doc__)
    p.add_argument("--rounds", type=int, default=6, help="timed frames per side")
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=720)
    p.add_argument("--no-bf16", action="store_true", help="fp32 sides only")
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

try:
    import openvino as ov  # noqa: E402
except ImportError:
    sys.exit("cpu.py: no openvino here; run it with the venv of "
             "scripts/setup-python: .venv/bin/python tests/bench/cpu.py")

torch.set_num_threads(args.threads)
Gst.init(None)
W, H = args.width, args.height
REGIONS = 5
BOXES = [(0, 0, W, H), (0, 0, W // 2, H // 2), (W // 2, 0, W - W // 2, H // 2),
         (0, H // 2, W // 2, H - H // 2), (W // 2, H // 2, W - W // 2, H - H // 2)]
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
FRAMES = [np.random.default_rng(i).integers(0, 256, (H, W, 3), dtype=np.uint8)
          for i in range(2)]


def crops(rgb):
    """The five regions of @rgb, bilinear to 224x224, normalised: what the
    eager and OpenVINO sides classify (vggclassify does this in C++)."""
    f = torch.from_numpy(rgb).permute(2, 0, 1).unsqueeze(0).float()
    x = torch.cat([F.interpolate(f[:, :, y:y + h, x:x + w], size=(224, 224),
                                 mode="bilinear", align_corners=False)
                   for x, y, w, h in BOXES])
    return (x / 255 - MEAN) / STD


class Pipeline:
    """vggclassify on frames pushed one at a time; run() waits for the
    frame's buffer at the sink."""

    def __init__(self, precision, gradcam, prepare):
        if prepare:
            os.environ.pop("GST_VGG_PREPARE", None)
        else:
            os.environ["GST_VGG_PREPARE"] = "off"
        self.pipeline = Gst.parse_launch(
            f"appsrc name=src format=time "
            f"caps=video/x-raw,format=RGB,width={W},height={H},framerate=25/1 "
            f"! vggtiler rows=2 columns=2 ! vggclassify model={model} "
            f"precision={precision} gradcam={'true' if gradcam else 'false'} "
            f"threads={args.threads} batch-size={REGIONS} post-messages=false "
            f"! appsink name=sink sync=false max-buffers=1")
        self.src = self.pipeline.get_by_name("src")
        self.sink = self.pipeline.get_by_name("sink")
        self.n = 0
        self.pipeline.set_state(Gst.State.PLAYING)
        self.run(FRAMES[0])  # loads the model (at the first caps) and warms up
        os.environ.pop("GST_VGG_PREPARE", None)

    def run(self, rgb):
        buf = Gst.Buffer.new_wrapped(rgb.tobytes())
        buf.pts = self.n * Gst.SECOND // 25
        buf.duration = Gst.SECOND // 25
        self.n += 1
        self.src.emit("push-buffer", buf)
        sample = self.sink.emit("try-pull-sample", 600 * Gst.SECOND)
        if sample is None:
            msg = self.pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR)
            sys.exit("pipeline failed: "
                     + (msg.parse_error()[0].message if msg else "no output"))

    def close(self):
        self.pipeline.set_state(Gst.State.NULL)


class Eager:
    def __init__(self, dtype, gradcam):
        self.m = benchsetup.eager_model(model).to(dtype)
        self.dtype, self.gradcam = dtype, gradcam
        self.run(FRAMES[0])

    def run(self, rgb):
        m, x = self.m, crops(rgb).to(self.dtype)
        if not self.gradcam:
            with torch.no_grad():
                return F.softmax(m(x).float(), 1).topk(5)
        with torch.no_grad():
            a = m.features[:30](x)
        a.requires_grad_(True)
        out = m.classifier(torch.flatten(m.avgpool(m.features[30:](a.clone())), 1))
        idx = out.argmax(1)
        g, = torch.autograd.grad(out.gather(1, idx[:, None]).sum(), a)
        cam = torch.relu((g.float().mean((2, 3), keepdim=True) * a.float()).sum(1))
        cam = cam / cam.amax((1, 2), keepdim=True).clamp_min(1e-12)
        return F.softmax(out.detach().float(), 1).topk(5), cam


def onnx_model():
    """The same weights through ONNX (torch.onnx.export needs no onnx
    package), made once next to the TorchScript model."""
    path = os.path.splitext(model)[0] + ".onnx"
    if not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(model):
        torch.onnx.export(benchsetup.eager_model(model), torch.zeros(REGIONS, 3, 224, 224), path,
                          input_names=["x"], output_names=["logits"])
    return path


class OpenVino:
    def __init__(self, precision):
        core = ov.Core()
        self.compiled = core.compile_model(core.read_model(onnx_model()), "CPU", {
            "INFERENCE_NUM_THREADS": args.threads,
            "INFERENCE_PRECISION_HINT": precision,
            "PERFORMANCE_HINT": "LATENCY",
        })
        # What it runs: without BF16 instructions the CPU plugin keeps f32.
        self.precision = self.compiled.get_property("INFERENCE_PRECISION_HINT").to_string()
        self.request = self.compiled.create_infer_request()
        self.run(FRAMES[0])

    def run(self, rgb):
        logits = self.request.infer({"x": crops(rgb).numpy()})[self.compiled.output(0)]
        return F.softmax(torch.from_numpy(logits), 1).topk(5)


def blas():
    """The BLAS library mapped into this process (Debian's LibTorch uses the
    system's libblas.so.3: the reference one unless an optimised one is
    installed; see scripts/setup-debian)."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    with open("/proc/self/maps") as maps:
        found = {line.split()[-1] for line in maps
                 if "blas" in os.path.basename(line.split()[-1])}
    return ", ".join(sorted(found)) or "none of its own (in LibTorch)"


def load_average():
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def main():
    print(f"gst-vgg CPU benchmark: {W}x{H}, {REGIONS} regions a frame, VGG16 "
          f"({model}), {args.threads} threads, {args.rounds} timed frames a side, "
          f"torch {torch.__version__}, OpenVINO {ov.__version__}, "
          f"{os.cpu_count()} CPUs")
    print(f"BLAS: {blas()}")
    precisions = ["fp32"] + ([] if args.no_bf16 else ["bf16"])
    sides = {}
    for p in precisions:
        dtype = torch.float32 if p == "fp32" else torch.bfloat16
        sides[f"gst-vgg {p}"] = Pipeline(p, False, True)
        if p == "fp32":
            sides[f"gst-vgg {p}, not prepared"] = Pipeline(p, False, False)
        sides[f"eager PyTorch {p}"] = Eager(dtype, False)
        sides[f"OpenVINO {p}"] = OpenVino("f32" if p == "fp32" else "bf16")
        sides[f"gst-vgg {p} + Grad-CAM"] = Pipeline(p, True, True)
        if p == "fp32":
            sides[f"eager PyTorch {p} + Grad-CAM"] = Eager(dtype, True)
    for name, side in sides.items():
        if isinstance(side, OpenVino):
            print(f"{name}: OpenVINO's CPU plugin runs it in {side.precision}")
    print(f"load average before: {load_average()}")
    times = {name: [] for name in sides}
    for r in range(args.rounds):
        for name, side in sides.items():
            start = time.perf_counter()
            side.run(FRAMES[r % 2])
            times[name].append(time.perf_counter() - start)
    print(f"load average after:  {load_average()}")
    for side in sides.values():
        if isinstance(side, Pipeline):
            side.close()

    med = {name: statistics.median(t) for name, t in times.items()}
    print(f"\n{'side':32s} {'s/frame':>8s} {'frames/s':>9s} {'min..max s':>14s}")
    for name, t in times.items():
        print(f"{name:32s} {med[name]:8.3f} {1 / med[name]:9.3f} "
              f"{min(t):6.3f}..{max(t):6.3f}")

    def ratio(label, slow, fast):
        if slow in med and fast in med:
            print(f"{label:58s} {med[slow] / med[fast]:6.2f}")

    print("\nratios (speed-up: time of the first / time of the second)")
    for p in precisions:
        ratio(f"{p}: gst-vgg vs eager PyTorch", f"eager PyTorch {p}", f"gst-vgg {p}")
        ratio(f"{p}: gst-vgg vs OpenVINO", f"OpenVINO {p}", f"gst-vgg {p}")
        ratio(f"{p}: gst-vgg prepared vs not prepared",
              f"gst-vgg {p}, not prepared", f"gst-vgg {p}")
        ratio(f"{p}: OpenVINO vs eager PyTorch", f"eager PyTorch {p}", f"OpenVINO {p}")
    if "bf16" in precisions:
        ratio("gst-vgg bf16 vs fp32", "gst-vgg fp32", "gst-vgg bf16")
        ratio("OpenVINO bf16 vs fp32", "OpenVINO fp32", "OpenVINO bf16")
    ratio("fp32: gst-vgg + Grad-CAM vs eager PyTorch + Grad-CAM",
          "eager PyTorch fp32 + Grad-CAM", "gst-vgg fp32 + Grad-CAM")
    print("\nGrad-CAM cost (time with / without)")
    for p in precisions:
        ratio(f"{p}: gst-vgg", f"gst-vgg {p} + Grad-CAM", f"gst-vgg {p}")
    ratio("fp32: eager PyTorch", "eager PyTorch fp32 + Grad-CAM", "eager PyTorch fp32")


if __name__ == "__main__":
    main()
