#!/usr/bin/python3
"""vggclassify's gradcam-method maps against pytorch-grad-cam (PyPI
grad-cam), an independent implementation: every method, two tiny models,
two layers each, all tiles of a frame in one pass. Both sides get
pytorch-grad-cam's own post-processing (ReLU, then its scale_cam_image
min-max scaling, at the layer's resolution) and must agree within 1e-4;
and each method's definition, shifted a little on the reference side, must
not agree (the comparison can fail).

Needs grad-cam (scripts/setup-python puts it in .venv): run by meson with
Debian's python, the test restarts itself with $VGG_VENV_PYTHON when that
has it, and is skipped (exit 77) when none has.
"""
import importlib.machinery
import importlib.util
import os
import sys
import types
import unittest

if importlib.util.find_spec("pytorch_grad_cam") is None:
    venv = os.environ.get("VGG_VENV_PYTHON", "")
    if os.path.exists(venv) and not os.environ.get("VGG_CAM_TEST_RESTARTED"):
        # The elements run in this process on the LibTorch they were built
        # with: a venv whose torch is another one would load both.
        import subprocess
        import torch
        theirs = subprocess.run([venv, "-c", "import torch; print(torch.__version__)"],
                                capture_output=True, text=True).stdout.strip()
        if theirs == torch.__version__:
            os.environ["VGG_CAM_TEST_RESTARTED"] = "1"
            os.execv(venv, [venv, *sys.argv])
        print(f"skipped: grad-cam is in {venv}, whose torch {theirs or '(none)'} is not "
              f"this build's {torch.__version__}")
        sys.exit(77)
    print("skipped: pytorch-grad-cam (grad-cam) not installed, run scripts/setup-python")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(__file__))
import pipeline  # noqa: E402  (loads libgcc_s before torch; see there)
import numpy as np  # noqa: E402
import torch  # noqa: E402
from pytorch_grad_cam import (EigenCAM, GradCAM, GradCAMPlusPlus, HiResCAM,  # noqa: E402
                              LayerCAM, XGradCAM)
from pytorch_grad_cam.utils.image import scale_cam_image  # noqa: E402
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget  # noqa: E402
from pytorch_grad_cam.utils.svd_on_activations import (  # noqa: E402
    get_2d_projection_with_sign_correction)
from test_gradcam import cam_of, run  # noqa: E402
from vggref import Reference, clamp  # noqa: E402

MODELS = os.environ.get("VGG_TEST_MODELS", "")
TOL = 1e-4


class SignedEigenCAM(EigenCAM):
    """EigenCAM with pytorch-grad-cam's own SVD sign correction (its
    get_2d_projection_with_sign_correction, Seg-Eigen-CAM's Eq. 13): the
    sign of a singular vector is arbitrary, so vggclassify fixes it so."""

    def get_cam_image(self, input_tensor, target_layer, targets, activations, grads,
                      eigen_smooth):
        return get_2d_projection_with_sign_correction(activations)


REFERENCES = {
    "gradcam": GradCAM, "gradcam++": GradCAMPlusPlus, "xgradcam": XGradCAM,
    "hirescam": HiResCAM, "layercam": LayerCAM, "eigencam": SignedEigenCAM,
}


# Each method with its definition shifted a little: the test must see it.
class ShiftedGradCAM(GradCAM):  # positive gradients only
    def get_cam_weights(self, input_tensor, layer, targets, activations, grads):
        return np.maximum(grads, 0).mean(axis=(2, 3))


class ShiftedGradCAMPlusPlus(GradCAMPlusPlus):  # without the ReLU of eq. 7
    def get_cam_weights(self, input_tensor, layer, targets, activations, grads):
        return super().get_cam_weights(input_tensor, layer, targets, activations,
                                       np.abs(grads))


class ShiftedXGradCAM(XGradCAM):  # activations not normalised by their sum
    def get_cam_weights(self, input_tensor, layer, targets, activations, grads):
        return (grads * activations).sum(axis=(2, 3))


class ShiftedHiResCAM(HiResCAM):  # |gradient|
    def get_cam_image(self, input_tensor, layer, targets, activations, grads,
                      eigen_smooth):
        return (np.abs(grads) * activations).sum(axis=1)


class ShiftedLayerCAM(LayerCAM):  # the ReLU on the gradients dropped
    def get_cam_image(self, input_tensor, layer, targets, activations, grads,
                      eigen_smooth):
        return (grads * activations).sum(axis=1)


class ShiftedEigenCAM(EigenCAM):  # not centred before the SVD
    def get_cam_image(self, input_tensor, layer, targets, activations, grads,
                      eigen_smooth):
        out = []
        for a in activations:
            m = a.reshape(a.shape[0], -1).T
            p = (m @ np.linalg.svd(m, full_matrices=False)[2][0]).reshape(a.shape[1:])
            out.append(-p if abs(p.min()) > abs(p.max()) else p)
        return np.float32(out)


SHIFTED = {
    "gradcam": ShiftedGradCAM, "gradcam++": ShiftedGradCAMPlusPlus,
    "xgradcam": ShiftedXGradCAM, "hirescam": ShiftedHiResCAM,
    "layercam": ShiftedLayerCAM, "eigencam": ShiftedEigenCAM,
}


def frame(width, height, seed):
    """Smooth shapes plus noise, no pixel clipped to 0 or 255.

    The maps are exactly as sensitive as the methods are: where two inputs
    of a max-pool after the layer (nearly) tie, the gradient goes to one of
    them, and a rounding difference of 1e-6 in the input moves it, changing
    a HiResCAM or LayerCAM pixel by up to 0.1 (pytorch-grad-cam against
    itself). So both sides get the same input up to rounding: tiles of the
    model's input size (and a frame of twice it, halved exactly), and no
    clipped flat patches, which tie exactly."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.stack([xx * 128 // width, yy * 128 // height, ((xx + yy) * 7) % 128], axis=-1)
    return (base + 40 + rng.integers(0, 48, base.shape)).astype(np.uint8)


def make_test_models():
    """models/make-test-models as a module: the test models' own code."""
    path = os.path.join(os.environ["VGG_MODELS_DIR"], "make-test-models")
    loader = importlib.machinery.SourceFileLoader("make_test_models", path)
    module = types.ModuleType(loader.name)
    loader.exec_module(module)
    return module


def as_module(name, seed, classes):
    """The TorchScript test model @name as the nn.Module it was made from,
    with its saved weights. In-place ReLUs become out of place (the same
    function): pytorch-grad-cam keeps the hooked layer's output, which an
    in-place ReLU after it would overwrite."""
    model = make_test_models().tiny_vgg(seed, classes)
    model.load_state_dict(torch.jit.load(os.path.join(MODELS, name)).state_dict())
    for m in model.modules():
        if isinstance(m, torch.nn.ReLU):
            m.inplace = False
    return model.eval()


def reference_maps(cls, model, layer, x, targets, size):
    """pytorch-grad-cam's maps of the batch @x at the layer's @size (w, h):
    its ReLU and min-max scaling, no resizing."""
    cam = cls(model=model, target_layers=[model.get_submodule(layer)])
    cam.get_target_width_height = lambda _: size
    with cam:
        return cam(input_tensor=x, targets=targets)


class CamMethods(unittest.TestCase):
    # Layers: a ReLU, a max-pool, a ReLU, a conv (signed activations). Not
    # tiny-vgg's conv features.3: Grad-CAM++'s denominator 2 g^2 + sum(A) g^3
    # nearly cancels there, and pytorch-grad-cam's own float32 and float64
    # maps differ by 5e-4 (ours are as far from either).
    CASES = [  # model file, seed and classes of make-test-models, input size, layers
        ("tiny-vgg.pt", 0, 10, (224, 224), ["features.7", "features.5"]),
        ("tiny-vgg-caffe.pt", 1, 12, (64, 48), ["features.4", "features.6"]),
    ]

    def test_methods_equal_pytorch_grad_cam(self):
        for name, seed, classes, (iw, ih), layers in self.CASES:
            rgb = frame(2 * iw, 2 * ih, 21)  # 2x2 tiles of the input size
            h, w, _ = rgb.shape
            ref = Reference(os.path.join(MODELS, name))
            model = as_module(name, seed, classes)
            for layer in layers:
                for method in REFERENCES:
                    with self.subTest(model=name, layer=layer, method=method):
                        diff, shift = self.check(ref, model, name, layer, method, rgb, w, h)
                        print(f"{name} {layer} {method}: max difference {diff:.2e}, "
                              f"{shift:.2e} from the shifted definition")

    def check(self, ref, model, name, layer, method, rgb, w, h):
        out = run(name, [rgb], props=f"gradcam-layer={layer} gradcam-method={method}")
        rois = pipeline.rois(out[0])
        self.assertGreater(len(rois), 1)
        x = torch.cat([ref.preprocess(rgb, clamp(r["rect"], w, h)) for r in rois])
        with torch.no_grad():
            top1 = model(x).argmax(1).tolist()
        ours, classes = [], []
        for r in rois:
            cls, _, cam = cam_of(r)
            self.assertEqual(r["gradcam"].get_value("method"), method)
            self.assertFalse(r["gradcam"].get_value("stale"))
            classes.append(cls)
            ours.append(cam)
        if method == "eigencam":
            self.assertEqual(classes, [-1] * len(rois))  # it explains no class
            targets = None
        else:
            self.assertEqual(classes, top1)
            targets = [ClassifierOutputTarget(c) for c in classes]
        ours = np.stack(ours)
        size = (ours.shape[2], ours.shape[1])
        # The same post-processing on our side: theirs (ours is already
        # ReLU'd, and scaling is indifferent to our division by the max).
        ours = scale_cam_image(ours)
        theirs = reference_maps(REFERENCES[method], model, layer, x, targets, size)
        self.assertEqual(ours.shape, theirs.shape)
        self.assertGreater(float(theirs.max()), 0.5, "reference maps all zero")
        diff = float(np.abs(ours - theirs).max())
        self.assertLessEqual(diff, TOL, f"max difference {diff}")
        shifted = reference_maps(SHIFTED[method], model, layer, x, targets, size)
        shift = float(np.abs(ours - shifted).max())
        self.assertGreater(shift, 100 * TOL,
                           f"a shifted {method} agrees too (max difference {shift})")
        return diff, shift

    def test_eigencam_without_gradients(self):
        # frozen.pt is tiny-vgg cut after all of features, with a head that
        # no gradient passes: eigencam explains it (as pytorch-grad-cam does
        # the unfrozen tiny-vgg at the same layer), the gradient methods
        # refuse it at start, saying why.
        rgb = frame(448, 448, 22)
        h, w, _ = rgb.shape
        out = run("frozen.pt", [rgb], props="gradcam-method=eigencam")
        rois = pipeline.rois(out[0])
        self.assertGreater(len(rois), 1)
        ours = np.stack([cam_of(r)[2] for r in rois])
        self.assertEqual([cam_of(r)[0] for r in rois], [-1] * len(rois))
        ref = Reference(os.path.join(MODELS, "tiny-vgg.pt"))
        x = torch.cat([ref.preprocess(rgb, clamp(r["rect"], w, h)) for r in rois])
        theirs = reference_maps(SignedEigenCAM, as_module("tiny-vgg.pt", 0, 10), "features.8",
                                x, None, (ours.shape[2], ours.shape[1]))
        self.assertGreater(float(theirs.max()), 0.5)
        np.testing.assert_allclose(scale_cam_image(ours), theirs, atol=TOL, rtol=0)

        model = os.path.join(MODELS, "frozen.pt")
        _, _, errors = pipeline.run(
            f"vggclassify model={model} gradcam=true gradcam-method=gradcam++",
            "video/x-raw,format=RGB,width=64,height=64,framerate=25/1",
            [pipeline.wrap(bytes(64 * 64 * 3), "RGB", 64, 64, 64 * 3)])
        self.assertEqual(len(errors), 1, errors)
        self.assertIn("gradcam-method=eigencam", errors[0])


if __name__ == "__main__":
    torch.set_num_threads(1)
    unittest.main(verbosity=2)
