"""Makes the test clips with GStreamer's own elements: numpy frames through
appsrc, x264enc and mp4mux. A gray, slightly noisy 640x480 scene at 10
frames/s where a 24 px red square is visible in frames [first, last) inside
the lower right quadrant (the planted model's case). Other sizes scale the
square with the frame, so that the planted model sees the same case;
spans, a list of (first, last), shows it several times."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
import pipeline  # noqa: E402
from gi.repository import Gst  # noqa: E402

W, H, FPS = 640, 480, 10
SQUARE = (420, 300, 24)


def frame(i, spans, size=(W, H)):
    w, h = size
    rng = np.random.default_rng(i)
    f = np.clip(128 + rng.integers(-12, 13, (h, w, 3)), 0, 255).astype(np.uint8)
    if any(first <= i < last for first, last in spans):
        x, y, s = (v * w // W for v in SQUARE)
        f[y:y + s, x:x + s] = (255, 0, 0)
    return f


def make(path, frames, first=0, last=0, size=(W, H), spans=None):
    spans = [(first, last)] if spans is None else spans
    w, h = size
    p = Gst.parse_launch(
        f"appsrc name=src format=time caps=video/x-raw,format=RGB,width={w},height={h},"
        f"framerate={FPS}/1 ! videoconvert ! x264enc pass=quant quantizer=18 "
        f"speed-preset=ultrafast key-int-max=10 ! mp4mux ! filesink location={path}")
    src = p.get_by_name("src")
    p.set_state(Gst.State.PLAYING)
    for i in range(frames):
        buf = Gst.Buffer.new_wrapped(frame(i, spans, size).tobytes())
        buf.pts = i * Gst.SECOND // FPS
        buf.duration = Gst.SECOND // FPS
        src.emit("push-buffer", buf)
    src.emit("end-of-stream")
    msg = p.get_bus().timed_pop_filtered(60 * Gst.SECOND,
                                         Gst.MessageType.EOS | Gst.MessageType.ERROR)
    p.set_state(Gst.State.NULL)
    assert msg and msg.type == Gst.MessageType.EOS, "clip encoding failed"


if __name__ == "__main__":
    make(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
