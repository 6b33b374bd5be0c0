#!/usr/bin/env python3
"""Records PyTorch's values and gradients for every tensor op kindling builds on (test/fixtures/torch/op-gradients.json).

Each case applies one op (or a small composite, such as layer norm) to fixed float32 inputs, weights each output by a
fixed random tensor W (so the upstream gradient is not all ones), and records the outputs and the gradient of
sum(output * W) with respect to every float input. kindling's tests run the same ops through tfjs, on both backends,
and compare. Inputs that are indices or masks are recorded too, but get no gradient.

Usage: /usr/bin/python3 scripts/python/reference_ops.py
"""
import numpy as np
import torch
import torch.nn.functional as F

from reference_common import float32_array, tensor, write_fixture


def positive(rng, shape):
    return np.abs(float32_array(rng, shape)) + np.float32(0.5)


def nhwc_pool(pool):
    """tfjs pools NHWC tensors, torch NCHW ones: permute around torch's op so both see the same layout."""
    return lambda x: pool(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)


def cases(rng):
    n = lambda *shape: float32_array(rng, shape)
    yield "matMul", [("a", n(3, 4)), ("b", n(4, 5))], lambda a, b: a @ b
    yield "matMulTransposeB", [("x", n(3, 4)), ("w", n(5, 4))], lambda x, w: x @ w.t()
    yield "addBroadcast", [("a", n(3, 4)), ("b", n(4))], lambda a, b: a + b
    yield "subBroadcast", [("a", n(3, 4)), ("b", n(3, 1))], lambda a, b: a - b
    yield "mulBroadcast", [("a", n(3, 4)), ("b", n(4))], lambda a, b: a * b
    yield "div", [("a", n(3, 4)), ("b", positive(rng, (3, 4)))], lambda a, b: a / b
    yield "relu", [("x", n(4, 5))], torch.relu
    yield "geluErf", [("x", n(4, 5))], lambda x: F.gelu(x)
    yield "geluTanh", [("x", n(4, 5))], lambda x: F.gelu(x, approximate="tanh")
    yield "tanh", [("x", n(4, 5))], torch.tanh
    yield "sigmoid", [("x", n(4, 5))], torch.sigmoid
    yield "logSigmoid", [("x", n(4, 5))], F.logsigmoid
    yield "softplus", [("x", n(4, 5))], F.softplus
    yield "softmax", [("x", n(3, 6))], lambda x: torch.softmax(x, -1)
    yield "logSoftmax", [("x", n(3, 6))], lambda x: torch.log_softmax(x, -1)
    yield "meanAll", [("x", n(3, 4))], lambda x: x.mean()
    yield "meanAxis0", [("x", n(3, 4))], lambda x: x.mean(0)
    yield "sumAll", [("x", n(3, 4))], lambda x: x.sum()
    yield "sumAxis1KeepDims", [("x", n(3, 4))], lambda x: x.sum(1, keepdim=True)
    yield "gather", [("weight", n(10, 4)), ("indices", np.array([[1, 7, 1], [0, 9, 7]], dtype=np.int32))], \
        lambda w, i: F.embedding(i.long(), w)
    yield "moments", [("x", n(3, 5))], lambda x: (x.mean(-1, keepdim=True), x.var(-1, unbiased=False, keepdim=True))
    yield "layerNorm", [("x", n(3, 5)), ("gamma", n(5)), ("beta", n(5))], \
        lambda x, g, b: F.layer_norm(x, (5,), g, b, eps=1e-5)
    yield "rsqrt", [("x", positive(rng, (3, 4)))], torch.rsqrt
    mask = (rng.random_sample((4, 5)) > 0.3).astype(np.float32)
    yield "dropoutMask", [("x", n(4, 5)), ("mask", mask)], lambda x, m: x * m * (1.0 / (1.0 - 0.3))
    yield "square", [("x", n(3, 4))], torch.square
    yield "sqrt", [("x", positive(rng, (3, 4)))], torch.sqrt
    yield "exp", [("x", n(3, 4))], torch.exp
    yield "log", [("x", positive(rng, (3, 4)))], torch.log
    yield "abs", [("x", n(3, 4))], torch.abs
    yield "neg", [("x", n(3, 4))], torch.neg
    yield "maximum", [("a", n(3, 4)), ("b", n(3, 4))], torch.maximum
    a, b = n(3, 4), n(3, 4)
    yield "where", [("cond", (a > b).astype(np.int32)), ("a", a), ("b", b)], lambda c, a, b: torch.where(c.bool(), a, b)
    yield "clipByValue", [("x", n(4, 5))], lambda x: torch.clamp(x, -0.5, 0.5)
    yield "transposeReshape", [("x", n(3, 4))], lambda x: x.t().reshape(2, 6)
    yield "maxPool", [("x", n(1, 4, 4, 2))], nhwc_pool(lambda x: F.max_pool2d(x, 2, 2))
    yield "avgPool", [("x", n(1, 4, 4, 2))], nhwc_pool(lambda x: F.avg_pool2d(x, 2, 2))


def record(rng, name, inputs, fn):
    torch_inputs = []
    for _, value in inputs:
        t = torch.from_numpy(value.copy())
        if t.dtype == torch.float32:
            t.requires_grad_(True)
        torch_inputs.append(t)
    outputs = fn(*torch_inputs)
    if not isinstance(outputs, tuple):
        outputs = (outputs,)
    weights = [torch.from_numpy(float32_array(rng, tuple(o.shape))) for o in outputs]
    loss = sum((o * w).sum() for o, w in zip(outputs, weights))
    loss.backward()
    return {
        "name": name,
        "inputs": [{"name": n, **tensor(v)} for n, v in inputs],
        "weights": [tensor(w) for w in weights],
        "outputs": [tensor(o) for o in outputs],
        "grads": {n: tensor(t.grad) for (n, _), t in zip(inputs, torch_inputs) if t.grad is not None},
    }


def main():
    rng = np.random.RandomState(9)
    write_fixture("op-gradients.json", __file__, {"cases": [record(rng, *case) for case in cases(rng)]})


if __name__ == "__main__":
    main()
