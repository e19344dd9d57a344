"""An independent reference for vggclassify, written from the README's
description of preprocessing and results alone:
plain PyTorch on each region (crop, F.interpolate, normalise, forward,
softmax, top-k) with none of the element's code or its batching.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

TORCHVISION = dict(order="RGB", scale=1 / 255, mean=[0.485, 0.456, 0.406],
                   std=[0.229, 0.224, 0.225])
CAFFE = dict(order="BGR", scale=1.0, mean=[103.939, 116.779, 123.68],
             std=[1.0, 1.0, 1.0])


class Reference:
    def __init__(self, model_path, preset=None):
        self.model = torch.jit.load(model_path).eval()
        sidecar = os.path.splitext(model_path)[0] + ".json"
        cfg = {}
        if os.path.exists(sidecar):
            with open(sidecar) as f:
                cfg = json.load(f)
        inp = dict(width=224, height=224, **TORCHVISION)
        inp.update(cfg.get("input", {}))
        if preset == "torchvision":
            inp.update(TORCHVISION)
        elif preset == "caffe":
            inp.update(CAFFE)
        self.input = inp
        self.labels = None
        if "labels" in cfg:
            self.labels = read_labels(os.path.join(os.path.dirname(sidecar), cfg["labels"]))

    def preprocess(self, rgb, rect, interpolation="bilinear"):
        """rgb: HxWx3 uint8 array in R, G, B order; rect: x, y, w, h."""
        x, y, w, h = rect
        crop = torch.from_numpy(np.ascontiguousarray(rgb[y:y + h, x:x + w]))
        t = crop.permute(2, 0, 1).unsqueeze(0).to(torch.float32)
        size = (self.input["height"], self.input["width"])
        if interpolation == "bilinear":
            t = F.interpolate(t, size=size, mode="bilinear", align_corners=False)
        else:
            t = F.interpolate(t, size=size, mode="nearest-exact")
        if self.input["order"] == "BGR":
            t = t.flip(1)
        mean = torch.tensor(self.input["mean"], dtype=torch.float32).view(1, 3, 1, 1)
        std = torch.tensor(self.input["std"], dtype=torch.float32).view(1, 3, 1, 1)
        return (t * self.input["scale"] - mean) / std

    def probabilities(self, rgb, rect, interpolation="bilinear"):
        with torch.no_grad():
            logits = self.model(self.preprocess(rgb, rect, interpolation))
        return F.softmax(logits.double(), dim=1)[0]

    def top_k(self, rgb, rect, k, interpolation="bilinear"):
        p = self.probabilities(rgb, rect, interpolation)
        scores, ids = p.topk(k)
        return ids.tolist(), scores.tolist(), p


    def gradcam(self, rgb, rect, layer=None, target="top1", interpolation="bilinear"):
        """Grad-CAM (Selvaraju et al.) for one region, from its definition:
        y = the target class logit, A = the layer's output, alpha_k = the mean
        of dy/dA_k, map = ReLU(sum_k alpha_k A_k) / its max. @target is
        "top1", a class index or a list of class ids (a group: its most
        probable class). Returns (class, max, normalised map)."""
        x = self.preprocess(rgb, rect, interpolation)
        m = self.model
        if hasattr(m, "backbone"):
            backbone, head = m.backbone, m.head
        else:
            names = [n for n, _ in m.features.named_children()]
            layers = list(m.features.children())
            cut = names.index(layer.split(".")[1]) if layer else len(layers) - 2

            def backbone(t):
                for l in layers[:cut + 1]:
                    t = l(t)
                return t

            def head(t):
                for l in layers[cut + 1:]:
                    # ReLU(inplace=True) would write into the leaf A: the
                    # same function, out of place.
                    t = torch.relu(t) if l.original_name == "ReLU" else l(t)
                return m.classifier(torch.flatten(m.avgpool(t), 1))

        with torch.no_grad():
            a = backbone(x)
        a = a.detach().requires_grad_(True)
        logits = head(a)
        if target == "top1":
            cls = int(logits.argmax(1))
        elif isinstance(target, list):
            cls = target[int(logits[0, target].argmax())]
        else:
            cls = int(target)
        logits[0, cls].backward()
        alpha = a.grad.mean(dim=(2, 3), keepdim=True)
        cam = F.relu((alpha * a).sum(1))[0].detach()
        peak = float(cam.max())
        return cls, peak, (cam / peak if peak > 0 else cam).numpy()


def read_labels(path):
    with open(path) as f:
        lines = f.read().splitlines()
    if any("\t" in l for l in lines):
        return [l.split("\t")[2] for l in lines if l.strip() and not l.startswith("#")]
    return [l.strip() for l in lines if l.strip()]


def clamp(rect, width, height):
    x, y, w, h = rect
    x0, y0 = min(x, width), min(y, height)
    x1, y1 = min(x + w, width), min(y + h, height)
    return (x0, y0, x1 - x0, y1 - y0)
