"""What the benchmarks here share: the options naming the build, the model
and the threads, and the model itself (VGG16 with random weights, exported
into BUILD/bench/ on first use: the speed of VGG16 does not depend on its
weights)."""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parser(doc):
    """An argument parser described by @doc's first paragraph, with --build,
    --model and --threads."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"),
                   help="meson build directory (default: %(default)s)")
    p.add_argument("--model", help="TorchScript VGG16 (default: a random-weights "
                   "export in BUILD/bench/, made on first use)")
    p.add_argument("--threads", type=int, default=os.cpu_count(),
                   help="threads of every side (default: %(default)s)")
    return p


def setup(args):
    """Points GStreamer at the build's plugin; returns the absolute build
    directory and the model's path, exporting the model if it is missing."""
    build = os.path.abspath(args.build)
    os.environ["GST_PLUGIN_PATH"] = os.path.join(build, "gst", "vgg")
    model = args.model or os.path.join(build, "bench", "vgg16.pt")
    if not os.path.exists(model):
        subprocess.run([sys.executable, os.path.join(ROOT, "models", "export-vgg16"),
                        "--random", "-o", model], check=True)
    return build, model


def eager_model(model):
    """torchvision's eager VGG16 with the weights of the TorchScript @model,
    in eval mode, without gradients for its parameters."""
    import torch
    import torchvision
    m = torchvision.models.vgg16(weights=None)
    m.load_state_dict(torch.jit.load(model).state_dict())
    m.eval()
    for p in m.parameters():
        p.requires_grad_(False)
    return m


def frames_per_second(description, frames):
    """Frames/s of the pipeline @description, whose source gives @frames + 1
    frames: timed from PLAYING to EOS after the first frame prerolled (the
    model loads and warms up before that). Exits on a pipeline error."""
    import time

    import gi
    gi.require_version("Gst", "1.0")
    from gi.repository import Gst
    pipeline = Gst.parse_launch(description)
    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PAUSED)
    if pipeline.get_state(600 * Gst.SECOND)[0] != Gst.StateChangeReturn.SUCCESS:
        msg = bus.pop_filtered(Gst.MessageType.ERROR)
        sys.exit(f"pipeline failed: {msg.parse_error()[0].message if msg else '?'}")
    start = time.perf_counter()
    pipeline.set_state(Gst.State.PLAYING)
    msg = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE,
                                 Gst.MessageType.EOS | Gst.MessageType.ERROR)
    elapsed = time.perf_counter() - start
    pipeline.set_state(Gst.State.NULL)
    if msg.type == Gst.MessageType.ERROR:
        sys.exit(f"pipeline failed: {msg.parse_error()[0].message}")
    return frames / elapsed
