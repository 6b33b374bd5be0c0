#!/usr/bin/env python3
"""Records torch.nn.utils.clip_grad_norm_ and clip_grad_value_ (test/fixtures/torch/clipping.json).

Each case starts from the same named gradients (finite, or with an inf or a NaN planted), clips them, and records
the returned total norm, the clipped gradients, and whether torch raised (error_if_nonfinite).

Usage: /usr/bin/python3 scripts/python/reference_clipping.py
"""
import numpy as np
import torch

from reference_common import float32_array, number, tensor, write_fixture

SHAPES = {"fc1.weight": (3, 4), "fc1.bias": (4,), "fc2.weight": (2, 3)}


def parameters_with(grads):
    params = []
    for name, g in grads.items():
        p = torch.zeros(g.shape, requires_grad=True)
        p.grad = torch.from_numpy(g.copy())
        params.append((name, p))
    return params


def norm_case(name, grads, max_norm, norm_type, error_if_nonfinite=False):
    params = parameters_with(grads)
    case = {"kind": "norm", "name": name, "grads": {n: tensor(g) for n, g in grads.items()},
            "maxNorm": max_norm, "normType": number(norm_type), "errorIfNonfinite": error_if_nonfinite, "raises": False}
    try:
        total = torch.nn.utils.clip_grad_norm_([p for _, p in params], max_norm, norm_type, error_if_nonfinite)
    except RuntimeError:
        return {**case, "raises": True}
    return {**case, "totalNorm": number(total), "clipped": {n: tensor(p.grad) for n, p in params}}


def main():
    rng = np.random.RandomState(29)
    grads = {name: float32_array(rng, shape) for name, shape in SHAPES.items()}
    with_inf = {n: g.copy() for n, g in grads.items()}
    with_inf["fc1.bias"][2] = np.inf
    with_nan = {n: g.copy() for n, g in grads.items()}
    with_nan["fc2.weight"][1, 0] = np.nan
    cases = [
        norm_case("l2Clipped", grads, 1.0, 2.0),
        norm_case("l2Unclipped", grads, 100.0, 2.0),
        norm_case("l1", grads, 2.0, 1.0),
        norm_case("l3.5", grads, 1.5, 3.5),
        norm_case("inf", grads, 0.5, float("inf")),
        norm_case("infGradient", with_inf, 1.0, 2.0),
        norm_case("nanGradient", with_nan, 1.0, 2.0),
        norm_case("infGradientRaises", with_inf, 1.0, 2.0, True),
        norm_case("nanGradientInfNormRaises", with_nan, 1.0, float("inf"), True),
    ]
    params = parameters_with(grads)
    torch.nn.utils.clip_grad_value_([p for _, p in params], 0.5)
    cases.append({"kind": "value", "name": "value0.5", "grads": {n: tensor(g) for n, g in grads.items()},
                  "clipValue": 0.5, "clipped": {n: tensor(p.grad) for n, p in params}})
    write_fixture("clipping.json", __file__, {"cases": cases})


if __name__ == "__main__":
    main()
