#!/usr/bin/python3
"""models/export-vgg16 --keras against an independent numpy forward.

A VGG16 with random weights is written in the layout of Keras' published
weights file (vgg16_weights_tf_dim_ordering_tf_kernels.h5: full shapes,
Keras' layer and dataset names and attributes), converted by the exporter,
and run three ways on one 224x224 frame: the converted TorchScript model, a
numpy forward with Keras' semantics written here from Keras' definitions
(channels-last, 'same' 3x3 convolutions, ReLU, 2x2 max-pooling, Flatten of
the 7x7x512 map in (h, w, c) order, dense layers, softmax), and vggclassify
with the converted sidecar (Keras' "caffe" preprocessing). Their outputs must
agree within 1e-4; the same comparison with the converter's fc1 reordering
disabled, or with the reference flattening channels-first, must fail.

Run by meson test with GST_PLUGIN_PATH and VGG_MODELS_DIR set.
"""
import contextlib
import hashlib
import importlib.machinery
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import pipeline  # noqa: E402  (first: it makes torch and GStreamer coexist)

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

MODELS = os.environ.get("VGG_MODELS_DIR",
                        os.path.join(os.path.dirname(__file__), "..", "..", "models"))
EXPORTER = os.path.join(MODELS, "export-vgg16")
TOL = 1e-4

# Keras' VGG16, layer by layer as in its weights file: (name, kernel shape).
BLOCKS = ((1, 2, 64), (2, 2, 128), (3, 3, 256), (4, 3, 512), (5, 3, 512))
LAYERS = [("input_1", None)]
_channels = 3
for _b, _n, _width in BLOCKS:
    for _c in range(1, _n + 1):
        LAYERS.append((f"block{_b}_conv{_c}", (3, 3, _channels, _width)))
        _channels = _width
    LAYERS.append((f"block{_b}_pool", None))
LAYERS += [("flatten", None), ("fc1", (7 * 7 * 512, 4096)), ("fc2", (4096, 4096)),
           ("predictions", (4096, 1000))]
SCALE = {"block1_conv1": 1 / 60, "predictions": 0.6}
CAFFE_MEAN = np.array([103.939, 116.779, 123.68], np.float32)  # B, G, R


def load_exporter():
    loader = importlib.machinery.SourceFileLoader("export_vgg16", EXPORTER)
    spec = importlib.util.spec_from_loader("export_vgg16", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def random_weights(seed=16):
    """He-uniform random weights with small random biases; the first kernel
    is scaled down for the 0..255 input and the last one so that the
    softmax is neither flat nor saturated."""
    rng = np.random.default_rng(seed)
    weights = {}
    for name, shape in LAYERS:
        if shape is None:
            continue
        limit = np.sqrt(6 / np.prod(shape[:-1])) * SCALE.get(name, 1)
        k = rng.random(shape, dtype=np.float32)
        k -= np.float32(0.5)
        k *= np.float32(2 * limit)
        b = (rng.random(shape[-1], dtype=np.float32) - np.float32(0.5)) * np.float32(0.1)
        weights[name] = (k, b)
    return weights


def write_keras1(f, weights, layers=LAYERS):
    """The published file's layout (Keras 1): the root lists every layer in
    layer_names; each layer's group lists its datasets, kernel then bias, in
    weight_names, named <layer>_W_1:0 and <layer>_b_1:0 (none for layers
    without weights)."""
    f.attrs["layer_names"] = np.array([n.encode() for n, _ in layers])
    for name, _ in layers:
        g = f.create_group(name)
        if name not in weights:
            g.attrs["weight_names"] = np.array([], dtype="S1")
            continue
        names = [f"{name}_W_1:0", f"{name}_b_1:0"]
        g.attrs["weight_names"] = np.array([n.encode() for n in names])
        for n, a in zip(names, weights[name]):
            g.create_dataset(n, data=a)


def write_keras2(f, weights, suffix=":0"):
    """Keras 2's save_weights (and, with no suffix, Keras 3's h5 writer):
    datasets <layer>/kernel:0 in a subgroup, backend and version attributes."""
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = b"2.13.1" if suffix else b"3.6.0"
    f.attrs["layer_names"] = np.array([n.encode() for n, _ in LAYERS])
    for name, _ in sorted(LAYERS):
        g = f.create_group(name)
        names = []
        if name in weights:
            names = [f"{name}/kernel{suffix}", f"{name}/bias{suffix}"]
            for n, a in zip(names, weights[name]):
                g.create_dataset(n, data=a)
        g.attrs["weight_names"] = np.array([n.encode() for n in names], dtype="S")


def conv3x3_same(x, kernel, bias):
    """Keras Conv2D(padding='same') + ReLU on an HxWxC map, as a matrix
    product over 3x3 patches (cross-correlation, TensorFlow's convention)."""
    h, w, c = x.shape
    p = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    patches = np.empty((h, w, 3, 3, c), np.float32)
    for i in range(3):
        for j in range(3):
            patches[:, :, i, j] = p[i:i + h, j:j + w]
    y = patches.reshape(h * w, 9 * c) @ kernel.reshape(9 * c, -1) + bias
    return np.maximum(y, 0).reshape(h, w, -1)


def keras_features(x, weights):
    """block1_conv1 .. block5_pool on an HxWx3 input: the 7x7x512 map."""
    for b, n, _ in BLOCKS:
        for c in range(1, n + 1):
            x = conv3x3_same(x, *weights[f"block{b}_conv{c}"])
        h, w, ch = x.shape
        x = x.reshape(h // 2, 2, w // 2, 2, ch).max(axis=(1, 3))
    return x


def keras_head(flat, weights):
    """fc1, fc2 (ReLU) and predictions' logits on a flattened map."""
    x = np.maximum(flat @ weights["fc1"][0] + weights["fc1"][1], 0)
    x = np.maximum(x @ weights["fc2"][0] + weights["fc2"][1], 0)
    return x @ weights["predictions"][0] + weights["predictions"][1]


def softmax(z):
    e = np.exp(z.astype(np.float64) - z.max())
    return e / e.sum()


def caffe(rgb):
    """Keras' vgg16.preprocess_input: RGB -> BGR, mean subtracted."""
    return rgb[:, :, ::-1].astype(np.float32) - CAFFE_MEAN


def test_frame():
    """Smooth gradients plus noise, so the 7x7 map varies across positions."""
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:224, 0:224]
    base = np.stack([xx * 255 // 223, yy * 255 // 223, ((xx + 2 * yy) * 5) % 256], axis=-1)
    return np.clip(base + rng.integers(-50, 51, base.shape), 0, 255).astype(np.uint8)


def torch_logits(model, x_hwc):
    t = torch.from_numpy(np.ascontiguousarray(x_hwc.transpose(2, 0, 1)))[None]
    with torch.no_grad():
        return model(t)[0].numpy()


class KerasConversion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="vgg-keras-")
        cls.weights = random_weights()
        cls.h5 = os.path.join(cls.tmp.name, "vgg16_weights_tf_dim_ordering_tf_kernels.h5")
        with h5py.File(cls.h5, "w") as f:
            write_keras1(f, cls.weights)
        cls.pt = os.path.join(cls.tmp.name, "vgg16-keras.pt")
        cls.export = subprocess.run([sys.executable, EXPORTER, "--keras", cls.h5, "-o", cls.pt],
                                 capture_output=True, text=True, timeout=300)
        cls.rgb = test_frame()
        cls.x = caffe(cls.rgb)
        cls.pool5 = keras_features(cls.x, cls.weights)
        # Keras' Flatten on a channels-last map: (h, w, c) order.
        cls.logits = keras_head(cls.pool5.reshape(-1), cls.weights)
        cls.probs = softmax(cls.logits)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assertClose(self, got, want, what):
        """Max difference within TOL; for logits, TOL of their magnitude
        (float32 sums over 25088 products round differently in each)."""
        scale = max(1.0, float(np.abs(want).max())) if what.startswith("logits") else 1.0
        err = float(np.abs(np.asarray(got, np.float64) - want).max()) / scale
        self.assertLessEqual(err, TOL, f"{what}: max difference {err:.3g}"
                             + (f" of {scale:.3g}" if scale != 1 else ""))
        return err

    def test_reference_is_informative(self):
        # A flat or saturated softmax would make the comparisons below weak.
        top = np.sort(self.probs)[::-1]
        print(f"reference: logits std {self.logits.std():.2f}, top-5 probabilities "
              f"{np.round(top[:5], 4).tolist()}")
        self.assertTrue(0.05 < top[0] < 0.95, top[:5])
        self.assertGreater(top[4], 1e-3)

    def test_torchscript_matches_numpy(self):
        self.assertEqual(self.export.returncode, 0, self.export.stderr)
        model = torch.jit.load(self.pt).eval()
        self.assertEqual([n for n, _ in model.named_children()],
                         ["features", "avgpool", "classifier"])
        logits = torch_logits(model, self.x)
        err = self.assertClose(logits, self.logits, "logits")
        perr = self.assertClose(softmax(logits), self.probs, "probabilities")
        print(f"TorchScript vs numpy: logits {err:.2e} (relative), probabilities {perr:.2e}")

    def test_wrong_flatten_order_fails(self):
        # The converter without fc1's reordering: a model that runs but reads
        # the features in the wrong order.
        exporter = load_exporter()
        with h5py.File(self.h5, "r") as f:
            weights = exporter.read_keras_vgg16(f, self.h5)
        keep = exporter.fc1_rows_hwc_to_chw
        exporter.fc1_rows_hwc_to_chw = lambda k: k
        try:
            unordered = exporter.vgg16_from_keras(weights)
        finally:
            exporter.fc1_rows_hwc_to_chw = keep
        del weights
        bad = torch_logits(unordered, self.x)
        with self.assertRaises(AssertionError):
            self.assertClose(bad, self.logits, "logits without the reordering")
        with self.assertRaises(AssertionError):
            self.assertClose(softmax(bad), self.probs, "probabilities without the reordering")
        # The reference flattening channels-first, against the right model.
        model = torch.jit.load(self.pt).eval()
        chw = keras_head(self.pool5.transpose(2, 0, 1).reshape(-1), self.weights)
        with self.assertRaises(AssertionError):
            self.assertClose(torch_logits(model, self.x), chw, "logits vs a CHW flatten")
        with self.assertRaises(AssertionError):
            self.assertClose(softmax(torch_logits(model, self.x)), softmax(chw),
                             "probabilities vs a CHW flatten")
        print(f"wrong flatten order: probabilities differ by up to "
              f"{np.abs(softmax(bad) - self.probs).max():.3f} (converter) and "
              f"{np.abs(softmax(chw) - self.probs).max():.3f} (reference)")

    def test_sidecar_and_labels(self):
        self.assertEqual(self.export.returncode, 0, self.export.stderr)
        with open(os.path.splitext(self.pt)[0] + ".json") as f:
            sidecar = json.load(f)
        self.assertEqual(sidecar, {
            "name": "vgg16-keras-imagenet",
            "input": {"width": 224, "height": 224, "order": "BGR", "scale": 1.0,
                      "mean": [103.939, 116.779, 123.68], "std": [1.0, 1.0, 1.0]},
            "labels": "imagenet-labels.tsv",
            "gradcam_layer": "features.29"})
        with open(os.path.join(self.tmp.name, "imagenet-labels.tsv")) as f:
            rows = [l.split("\t") for l in f.read().splitlines() if not l.startswith("#")]
        # Keras' imagenet_class_index.json: indices in sorted WordNet id order,
        # a few entries checked by hand.
        self.assertEqual(len(rows), 1000)
        self.assertEqual([int(r[0]) for r in rows], list(range(1000)))
        self.assertEqual([r[1] for r in rows], sorted(r[1] for r in rows))
        for i, wnid, name in ((0, "n01440764", "tench"), (134, "n02012849", "crane"),
                              (517, "n03126707", "crane"), (668, "n03788195", "mosque"),
                              (817, "n04285008", "sports_car"),
                              (999, "n15075141", "toilet_tissue")):
            self.assertEqual(rows[i][1:3], [wnid, name])

    def test_vggclassify_runs_the_converted_model(self):
        self.assertEqual(self.export.returncode, 0, self.export.stderr)
        buf = pipeline.wrap(self.rgb.tobytes(), "RGB", 224, 224, 224 * 3)
        out, _, errors = pipeline.run(
            f"vggclassify model={self.pt} top-k=5 gradcam=true",
            "video/x-raw,format=RGB,width=224,height=224,framerate=25/1", [buf])
        self.assertEqual(errors, [])
        (roi,) = [r for r in pipeline.rois(out[0]) if "classification" in r]
        s = roi["classification"]
        want = np.argsort(-self.probs)[:5]
        self.assertEqual(list(s.get_value("top_ids")), want.tolist())
        self.assertClose(list(s.get_value("top_scores")), self.probs[want],
                         "vggclassify probabilities")
        self.assertEqual(s.get_value("model"), "vgg16-keras-imagenet")
        # Grad-CAM cuts the converted model at features.29: 14x14 maps.
        g = roi["gradcam"]
        self.assertEqual((g.get_value("width"), g.get_value("height")), (14, 14))
        self.assertEqual(g.get_value("class_id"), int(want[0]))


class KerasFiles(unittest.TestCase):
    """The file layouts and bad inputs, on small files."""

    @classmethod
    def setUpClass(cls):
        cls.exporter = load_exporter()
        # Shapes do not matter to the reader; the converter checks them.
        rng = np.random.default_rng(1)
        cls.small = {n: (rng.standard_normal((2, 3), dtype=np.float32),
                         rng.standard_normal(3, dtype=np.float32))
                     for n, shape in LAYERS if shape is not None}

    def memory_file(self):
        return h5py.File(io.BytesIO(), "w")

    def read(self, f):
        return self.exporter.read_keras_vgg16(f, "test.h5")

    def assertSameWeights(self, got):
        self.assertEqual(sorted(got), sorted(self.small))
        for name, (k, b) in self.small.items():
            np.testing.assert_array_equal(got[name][0], k, err_msg=name)
            np.testing.assert_array_equal(got[name][1], b, err_msg=name)

    def test_layouts(self):
        for layout in ("keras1", "keras2", "keras3"):
            with self.subTest(layout=layout), self.memory_file() as f:
                if layout == "keras1":
                    write_keras1(f, self.small)
                elif layout == "keras2":
                    write_keras2(f, self.small)
                else:  # Keras 3's model.save("x.h5"): weights under model_weights
                    f.attrs["model_config"] = b"{}"
                    write_keras2(f.create_group("model_weights"), self.small, suffix="")
                self.assertSameWeights(self.read(f))

    def test_chunked_layer_names(self):
        # Keras splits attributes over HDF5's header limit into name0, name1...
        with self.memory_file() as f:
            write_keras1(f, self.small)
            names = f.attrs["layer_names"]
            del f.attrs["layer_names"]
            f.attrs["layer_names0"], f.attrs["layer_names1"] = names[:10], names[10:]
            self.assertSameWeights(self.read(f))

    def assertFormatError(self, f, *words, weights=None):
        with self.assertRaises(self.exporter.KerasFormatError) as cm:
            if weights is None:
                self.read(f)
            else:
                self.exporter.vgg16_from_keras(weights, "test.h5")
        for w in words:
            self.assertIn(w, str(cm.exception))

    def test_bad_files(self):
        with self.memory_file() as f:
            # The "notop" file: the layers up to block5_pool.
            write_keras1(f, self.small, LAYERS[:LAYERS.index(("flatten", None))])
            self.assertFormatError(f, "notop", "fc1")
        with self.memory_file() as f:
            write_keras1(f, self.small, [l for l in LAYERS if l[0] != "block3_conv2"])
            self.assertFormatError(f, "block3_conv2")
        with self.memory_file() as f:
            write_keras1(f, {n: w for n, w in self.small.items() if n != "fc1"})
            self.assertFormatError(f, "fc1", "0 weights")
        with self.memory_file() as f:
            f.create_group("layers").create_group("conv2d").create_group("vars")
            f.create_group("vars")
            self.assertFormatError(f, "Keras 3", ".weights.h5")
        with self.memory_file() as f:
            f.create_dataset("x", data=np.zeros(3))
            self.assertFormatError(f, "not a Keras weights file")
        with self.memory_file() as f:
            write_keras1(f, self.small)
            del f["fc2"]
            self.assertFormatError(f, "fc2", "no group")
        with self.memory_file() as f:
            write_keras1(f, self.small)
            del f["fc2"]["fc2_b_1:0"]
            self.assertFormatError(f, "fc2", "fc2_b_1:0")
        with self.memory_file() as f:
            write_keras1(f, self.small)
            f["fc2"]["fc2_W_1:0"][0, 0] = np.nan
            self.assertFormatError(f, "fc2", "NaN")

    def test_wrong_shapes(self):
        # Theano's kernel ordering, found at the first layer.
        theano = {"block1_conv1": (np.zeros((64, 3, 3, 3), np.float32),
                                   np.zeros(64, np.float32))}
        self.assertFormatError(None, "block1_conv1", "(64, 3, 3, 3)", "(3, 3, 3, 64)",
                               "Theano", weights=theano)

    def test_cli_errors(self):
        with tempfile.TemporaryDirectory() as tmp:
            text = os.path.join(tmp, "weights.h5")
            with open(text, "w") as f:
                f.write("not HDF5\n")
            out = os.path.join(tmp, "m.pt")
            for path, words in ((text, "cannot read"), (os.path.join(tmp, "none.h5"), "none.h5")):
                r = subprocess.run([sys.executable, EXPORTER, "--keras", path, "-o", out],
                                   capture_output=True, text=True, timeout=120)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(words, r.stderr)
                self.assertTrue(r.stderr.startswith("export-vgg16: "), r.stderr)
                self.assertFalse(os.path.exists(out))

    def test_download(self):
        # The download path with file: URLs (no network in tests).
        fetch = self.exporter.fetch_keras_weights
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "source.h5")
            with open(src, "wb") as f:
                f.write(b"weights" * 1000)
            md5 = hashlib.md5(b"weights" * 1000).hexdigest()
            cache = os.path.join(tmp, "cache")
            quiet = contextlib.redirect_stdout(io.StringIO())
            with quiet, self.assertRaises(SystemExit) as cm:
                fetch("file://" + os.path.join(tmp, "missing.h5"), md5, cache)
            self.assertIn("cannot download", str(cm.exception))
            with quiet, self.assertRaises(SystemExit) as cm:
                fetch("file://" + src, "0" * 32, cache)
            self.assertIn("damaged", str(cm.exception))
            self.assertEqual(os.listdir(cache), [])
            with quiet:
                path = fetch("file://" + src, md5, cache)
                self.assertEqual(path, os.path.join(cache, self.exporter.KERAS_FILE))
                # Now cached: no second download.
                self.assertEqual(fetch("file://" + os.path.join(tmp, "gone"), md5, cache), path)


if __name__ == "__main__":
    unittest.main(verbosity=2)
