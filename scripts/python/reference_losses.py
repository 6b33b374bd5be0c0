#!/usr/bin/env python3
"""Records PyTorch's losses and their input gradients (test/fixtures/torch/losses.json).

For each case: the inputs, the options (in kindling's camelCase names), the loss value, and the gradient with respect
to the input (logits) of sum(loss * W), where W is all ones for a reduced (scalar) loss and a fixed random tensor for
`reduction="none"`.

Usage: /usr/bin/python3 scripts/python/reference_losses.py
"""
import numpy as np
import torch
import torch.nn.functional as F

from reference_common import float32_array, tensor, write_fixture


def record(rng, loss, name, input_value, target, options, fn, extra=None):
    x = torch.from_numpy(input_value.copy()).requires_grad_(True)
    out = fn(x)
    w = torch.ones(()) if out.dim() == 0 else torch.from_numpy(float32_array(rng, tuple(out.shape)))
    (out * w).sum().backward()
    return {
        "loss": loss,
        "name": name,
        "input": tensor(input_value),
        "target": tensor(target),
        "options": options,
        **({k: tensor(v) for k, v in (extra or {}).items()}),
        "weights": tensor(w),
        "value": tensor(out),
        "grad": tensor(x.grad),
    }


def mse_cases(rng):
    x, t = float32_array(rng, (4, 3)), float32_array(rng, (4, 3))
    for reduction in ["mean", "sum", "none"]:
        yield record(rng, "mseLoss", reduction, x, t, {"reduction": reduction},
                     lambda x: F.mse_loss(x, torch.from_numpy(t), reduction=reduction))


def cross_entropy_cases(rng):
    logits = float32_array(rng, (6, 4), 2.0)
    target = np.array([0, 3, 1, 1, 2, 3], dtype=np.int32)
    ignored = np.array([0, -100, 1, 1, -100, 3], dtype=np.int32)
    class_weight = np.abs(float32_array(rng, (4,))) + np.float32(0.2)
    variants = [
        ("mean", target, {}),
        ("sum", target, {"reduction": "sum"}),
        ("none", target, {"reduction": "none"}),
        ("ignoreIndexDefault", ignored, {}),
        ("ignoreIndexInRange", target, {"ignoreIndex": 1}),
        ("labelSmoothingMean", target, {"labelSmoothing": 0.1}),
        ("labelSmoothingSum", target, {"labelSmoothing": 0.25, "reduction": "sum"}),
        ("labelSmoothingNone", ignored, {"labelSmoothing": 0.1, "reduction": "none"}),
        ("weightMean", target, {"weight": True}),
        ("weightNone", target, {"weight": True, "reduction": "none"}),
        ("weightIgnoreSmoothing", ignored, {"weight": True, "labelSmoothing": 0.2}),
        ("allIgnored", np.full(6, -100, dtype=np.int32), {}),
    ]
    for name, tgt, options in variants:
        kwargs = {
            "reduction": options.get("reduction", "mean"),
            "ignore_index": options.get("ignoreIndex", -100),
            "label_smoothing": options.get("labelSmoothing", 0.0),
            "weight": torch.from_numpy(class_weight) if options.get("weight") else None,
        }
        extra = {"weight": class_weight} if options.get("weight") else None
        recorded = {k: v for k, v in options.items() if k != "weight"}
        yield record(rng, "crossEntropy", name, logits, tgt, recorded,
                     lambda x, tgt=tgt, kwargs=kwargs: F.cross_entropy(x, torch.from_numpy(tgt).long(), **kwargs), extra)
    single = float32_array(rng, (5,))
    yield record(rng, "crossEntropy", "unbatched", single, np.array(2, dtype=np.int32), {},
                 lambda x: F.cross_entropy(x, torch.tensor(2)))


def bce_cases(rng):
    x = float32_array(rng, (4, 3), 3.0)
    x[0, 0], x[1, 1], x[2, 2] = 40.0, -40.0, 0.0  # saturated logits must stay finite
    t = rng.random_sample((4, 3)).astype(np.float32)
    t[0, 1], t[3, 2] = 0.0, 1.0
    weight = np.abs(float32_array(rng, (3,))) + np.float32(0.5)
    pos_weight = np.array([0.5, 2.0, 3.0], dtype=np.float32)
    variants = [
        ("mean", {}, {}),
        ("sum", {"reduction": "sum"}, {}),
        ("none", {"reduction": "none"}, {}),
        ("weight", {}, {"weight": weight}),
        ("posWeight", {}, {"posWeight": pos_weight}),
        ("weightAndPosWeightNone", {"reduction": "none"}, {"weight": weight, "posWeight": pos_weight}),
    ]
    for name, options, extra in variants:
        kwargs = {
            "reduction": options.get("reduction", "mean"),
            "weight": torch.from_numpy(extra["weight"]) if "weight" in extra else None,
            "pos_weight": torch.from_numpy(extra["posWeight"]) if "posWeight" in extra else None,
        }
        yield record(rng, "binaryCrossEntropyWithLogits", name, x, t, options,
                     lambda x, kwargs=kwargs: F.binary_cross_entropy_with_logits(x, torch.from_numpy(t), **kwargs), extra)


def main():
    rng = np.random.RandomState(19)
    cases = [*mse_cases(rng), *cross_entropy_cases(rng), *bce_cases(rng)]
    write_fixture("losses.json", __file__, {"cases": cases})


if __name__ == "__main__":
    main()
