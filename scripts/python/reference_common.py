"""Shared helpers for the scripts that record kindling's PyTorch reference fixtures (scripts/python/reference_*.py).

Each script runs under Debian's torch (`/usr/bin/python3`, torch 1.13) and writes one compact JSON file under
test/fixtures/torch/. The fixtures are committed; `npm test` reads them and never runs these scripts.

Encoding: a float32 tensor is `{"shape": [...], "data": [...]}` with every value printed as the shortest decimal that
rounds back to the same float32 (read it into a Float32Array to recover the exact value); non-finite numbers are the
strings "NaN", "Infinity" and "-Infinity", since JSON has no literal for them. Python floats (learning rates) are
written at double precision, with the same strings for non-finite values.
"""
import json
import math
import os
import sys

import numpy as np
import torch

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPO, "test", "fixtures", "torch")


def number(x):
    """A JSON-safe number (non-finite values as strings)."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def tensor(t):
    """A tensor (torch or numpy) as {shape, data}; integer tensors keep integer values."""
    if isinstance(t, torch.Tensor):
        t = t.detach().cpu().numpy()
    a = np.asarray(t)
    if a.dtype.kind in "iub":
        return {"shape": list(a.shape), "dtype": "int32", "data": [int(v) for v in a.reshape(-1)]}
    a = a.astype(np.float32)
    return {"shape": list(a.shape), "data": [float32_number(v) for v in a.reshape(-1)]}


def float32_number(v):
    """The shortest decimal that rounds back to this float32 (Math.fround on the JS side recovers it exactly)."""
    v = np.float32(v)
    return number(v) if not np.isfinite(v) else float(repr(v).replace("np.float32(", "").rstrip(")"))


def float32_array(rng, shape, scale=1.0):
    """Reproducible float32 normal values (numpy's legacy RandomState, so the stream never changes)."""
    return np.asarray(rng.standard_normal(shape) * scale).astype(np.float32)


def write_fixture(name, generator, payload):
    path = os.path.join(FIXTURES, name)
    body = {
        "generator": f"scripts/python/{os.path.basename(generator)}",
        "torch": torch.__version__,
        **payload,
    }
    with open(path, "w") as f:
        json.dump(body, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, REPO)} ({os.path.getsize(path) // 1024} KiB)", file=sys.stderr)
