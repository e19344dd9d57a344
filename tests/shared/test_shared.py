#!/usr/bin/python3
"""vggclassify shared-instance: streams of several pipelines (and two
branches of one) share one model, loaded once, with each stream's results
equal to a private model's, its frames in order, and one stream's flushing
seek, stop or error never holding up the others.

Run by meson test with GST_PLUGIN_PATH and VGG_TEST_MODELS set.
"""
import os
import threading
import unittest

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstVideo  # noqa: E402

Gst.init(None)

MODELS = os.environ["VGG_TEST_MODELS"]
TINY = os.path.join(MODELS, "tiny-vgg.pt")
PATTERNS = ["smpte", "ball", "colors", "spokes"]
CAPS = "video/x-raw,format=RGB,width=160,height=120"

loads = []


def on_log(category, level, file, function, line, obj, message, *data):
    if category.get_name() == "vggclassify" and "loading the model" in message.get():
        loads.append(message.get())


Gst.debug_add_log_function(on_log, None)
Gst.debug_remove_log_function(None)  # the default one: tests print no debug log
Gst.debug_set_threshold_for_name("vggclassify", Gst.DebugLevel.INFO)


def scores(buf):
    """Each classified ROI's top scores, by ROI id."""
    found = {}
    for i in range(8):
        meta = GstVideo.buffer_get_video_region_of_interest_meta_id(buf, i)
        if meta is not None and meta.get_param("classification") is not None:
            found[i] = list(meta.get_param("classification").get_value("top_scores"))
    return found


def branch(i, shared, sink="sink0", frames=8, fps=25, live=False, model=TINY, extra="",
           pattern=None):
    """Stream @i: its own test pattern through vggtiler ! vggclassify."""
    share = f"shared-instance={shared}" if shared else ""
    return (f"videotestsrc num-buffers={frames} pattern={pattern or PATTERNS[i % 4]} "
            f"is-live={'true' if live else 'false'} ! {CAPS},framerate={fps}/1 "
            f"! vggtiler ! vggclassify model={model} {share} {extra} "
            f"! fakesink name={sink} sync=false")


class Stream:
    """A pipeline and what reached its sink, in order."""

    def __init__(self, description, sinks=("sink0",)):
        self.pipeline = Gst.parse_launch(description)
        self.frames = {name: [] for name in sinks}
        self.lock = threading.Lock()
        for name in sinks:
            pad = self.pipeline.get_by_name(name).get_static_pad("sink")
            pad.add_probe(Gst.PadProbeType.BUFFER, self.on_buffer, name)

    def on_buffer(self, pad, info, name):
        buf = info.get_buffer()
        with self.lock:
            self.frames[name].append((buf.pts, scores(buf)))
        return Gst.PadProbeReturn.OK

    def start(self):
        self.pipeline.set_state(Gst.State.PLAYING)
        return self

    def wait(self, timeout=120):
        msg = self.pipeline.get_bus().timed_pop_filtered(
            timeout * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
        self.pipeline.set_state(Gst.State.NULL)
        assert msg is not None, "timed out"
        return msg

    def run(self):
        msg = self.start().wait()
        assert msg.type == Gst.MessageType.EOS, msg.parse_error()[0].message
        return self


def private(i, **kw):
    """Stream @i's frames with a model of its own."""
    return Stream(branch(i, None, **kw)).run().frames["sink0"]


class Shared(unittest.TestCase):
    def assert_same(self, got, expected):
        self.assertEqual(len(got), len(expected))
        for (_, a), (_, b) in zip(got, expected):
            self.assertEqual(sorted(a), sorted(b))
            for roi in a:
                for x, y in zip(a[roi], b[roi]):
                    self.assertAlmostEqual(x, y, delta=1e-5)

    def assert_in_order(self, frames):
        pts = [p for p, _ in frames]
        self.assertEqual(pts, sorted(pts))
        self.assertEqual(len(set(pts)), len(pts))

    def test_pipelines_share_one_model(self):
        expected = [private(i) for i in range(4)]
        for n in (1, 2, 4):
            with self.subTest(pipelines=n):
                del loads[:]
                streams = [Stream(branch(i, f"cams{n}")).start() for i in range(n)]
                for s in streams:
                    self.assertEqual(s.wait().type, Gst.MessageType.EOS)
                self.assertEqual(len(loads), 1, loads)
                for i, s in enumerate(streams):
                    self.assert_same(s.frames["sink0"], expected[i])
                    self.assert_in_order(s.frames["sink0"])

    def test_tee_branches(self):
        del loads[:]
        s = Stream(f"videotestsrc num-buffers=8 pattern=ball ! {CAPS},framerate=25/1 "
                   "! tee name=t "
                   f"t. ! queue ! vggtiler ! vggclassify model={TINY} shared-instance=tee "
                   "! fakesink name=a sync=false "
                   f"t. ! queue ! vggtiler ! vggclassify model={TINY} shared-instance=tee "
                   "top-k=3 ! fakesink name=b sync=false", sinks=("a", "b")).run()
        self.assertEqual(len(loads), 1)
        expected = private(1)
        self.assert_same(s.frames["a"], expected)
        # top-k=3: another engine call, the same three best scores.
        self.assertEqual(len(s.frames["b"]), len(expected))
        for (_, b), (_, e) in zip(s.frames["b"], expected):
            for roi in e:
                for x, y in zip(b[roi], e[roi][:3]):
                    self.assertAlmostEqual(x, y, delta=1e-5)

    def test_slow_and_fast_live_streams(self):
        expected = [private(i, frames=f) for i, f in ((0, 4), (1, 16))]
        slow = Stream(branch(0, "live", frames=4, fps=5, live=True)).start()
        fast = Stream(branch(1, "live", frames=16, fps=20, live=True)).start()
        self.assertEqual(slow.wait().type, Gst.MessageType.EOS)
        self.assertEqual(fast.wait().type, Gst.MessageType.EOS)
        for s, e in ((slow, expected[0]), (fast, expected[1])):
            self.assert_in_order(s.frames["sink0"])
            self.assert_same(s.frames["sink0"], e)

    def test_flushing_seek_of_one_stream(self):
        expected = private(1, frames=60)
        a = Stream(branch(0, "seek", frames=60))
        b = Stream(branch(1, "seek", frames=60))
        seeked = threading.Event()

        def seek_once(pad, info):
            if len(a.frames["sink0"]) == 10 and not seeked.is_set():
                seeked.set()
                GLib.idle_add(lambda: a.pipeline.seek_simple(
                    Gst.Format.TIME, Gst.SeekFlags.FLUSH, 0) and False)
            return Gst.PadProbeReturn.OK

        a.pipeline.get_by_name("sink0").get_static_pad("sink").add_probe(
            Gst.PadProbeType.BUFFER, seek_once)
        loop = GLib.MainLoop()
        a.start()
        b.start()
        threading.Thread(target=lambda: (seeked.wait(60), loop.quit())).start()
        loop.run()
        self.assertTrue(seeked.is_set())
        self.assertEqual(b.wait().type, Gst.MessageType.EOS)
        self.assertEqual(a.wait().type, Gst.MessageType.EOS)
        self.assert_same(b.frames["sink0"], expected)
        self.assert_in_order(b.frames["sink0"])

    def test_stopping_one_stream(self):
        expected = private(1, frames=40)
        a = Stream(branch(0, "stop", frames=400)).start()
        b = Stream(branch(1, "stop", frames=40)).start()
        while len(a.frames["sink0"]) < 5:
            GLib.usleep(10000)
        a.pipeline.set_state(Gst.State.NULL)
        self.assertEqual(b.wait().type, Gst.MessageType.EOS)
        self.assert_same(b.frames["sink0"], expected)

    def test_one_streams_error_is_its_own(self):
        # raises.pt fails on bright frames: stream 0 is white, stream 1 black.
        model = os.path.join(MODELS, "raises.pt")
        bright = Stream(branch(0, "errors", frames=20, model=model, pattern="white")).start()
        dark = Stream(branch(1, "errors", frames=20, model=model, pattern="black")).start()
        msg = bright.wait()
        self.assertEqual(msg.type, Gst.MessageType.ERROR)
        self.assertIn("too bright", msg.parse_error()[0].message)
        self.assertEqual(dark.wait().type, Gst.MessageType.EOS)
        self.assertEqual(len(dark.frames["sink0"]), 20)

    def test_settings_must_agree(self):
        s = Stream(branch(0, "agree") + " " +
                   branch(1, "agree", sink="other", extra="gradcam=true"))
        msg = s.start().wait()
        self.assertEqual(msg.type, Gst.MessageType.ERROR)
        self.assertIn("differs in gradcam", msg.parse_error()[0].message)


if __name__ == "__main__":
    unittest.main(verbosity=2)
