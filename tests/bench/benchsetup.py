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
