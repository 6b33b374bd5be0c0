#!/usr/bin/env python3
"""Records torch 1.13 layer outputs and input gradients (test/fixtures/torch/layers.json).

Fixed weights and inputs (numpy's legacy RandomState), run through torch's layers with those weights loaded: Linear
(with and without bias, 2-d and 3-d input), Embedding (with padding_idx), LayerNorm (affine over one and two
dimensions, and without affine), and the activations ReLU, LeakyReLU, Sigmoid, Tanh and GELU. For each case, the
output and the gradient of sum(output * probe) with respect to the input (float inputs) and to every weight.

Usage: /usr/bin/python3 scripts/python/reference_layers.py
"""
import numpy as np
import torch

from reference_common import float32_array, tensor, write_fixture


def record(name, layer, inputs, weights, rng):
    with torch.no_grad():
        for key, value in weights.items():
            getattr(layer, key).copy_(torch.from_numpy(value))
    x = torch.from_numpy(inputs)
    if x.is_floating_point():
        x.requires_grad_(True)
    out = layer(x)
    probe = float32_array(rng, tuple(out.shape))
    (out * torch.from_numpy(probe)).sum().backward()
    grads = {key: tensor(getattr(layer, key).grad) for key in weights}
    if x.is_floating_point():
        grads["input"] = tensor(x.grad)
    return {"name": name, "input": tensor(inputs), "weights": {k: tensor(v) for k, v in weights.items()},
            "probe": tensor(probe), "output": tensor(out), "grads": grads}


def main():
    rng = np.random.RandomState(91)
    cases = []
    cases.append(record("linear", torch.nn.Linear(4, 3), float32_array(rng, (5, 4)),
                        {"weight": float32_array(rng, (3, 4)), "bias": float32_array(rng, (3,))}, rng))
    cases.append(record("linearNoBias3d", torch.nn.Linear(4, 2, bias=False), float32_array(rng, (2, 3, 4)),
                        {"weight": float32_array(rng, (2, 4))}, rng))
    weight = float32_array(rng, (6, 3))
    weight[2] = 0  # torch zeroes the padding row at construction; loading these weights keeps it so
    cases.append(record("embeddingPadding", torch.nn.Embedding(6, 3, padding_idx=2),
                        np.array([[0, 2, 5], [3, 2, 1]], dtype=np.int64), {"weight": weight}, rng))
    cases.append(record("layerNorm", torch.nn.LayerNorm(5), float32_array(rng, (4, 5), 3.0),
                        {"weight": float32_array(rng, (5,)), "bias": float32_array(rng, (5,))}, rng))
    cases.append(record("layerNorm2d", torch.nn.LayerNorm([2, 3], eps=1e-3), float32_array(rng, (4, 2, 3)),
                        {"weight": float32_array(rng, (2, 3)), "bias": float32_array(rng, (2, 3))}, rng))
    cases.append(record("layerNormNoAffine", torch.nn.LayerNorm(6, elementwise_affine=False),
                        float32_array(rng, (3, 6)), {}, rng))
    for name, layer in [("relu", torch.nn.ReLU()), ("leakyRelu", torch.nn.LeakyReLU(0.2)), ("sigmoid", torch.nn.Sigmoid()),
                        ("tanh", torch.nn.Tanh()), ("gelu", torch.nn.GELU())]:
        cases.append(record(name, layer, float32_array(rng, (3, 7), 2.0), {}, rng))
    write_fixture("layers.json", __file__, {"cases": cases})


if __name__ == "__main__":
    main()
