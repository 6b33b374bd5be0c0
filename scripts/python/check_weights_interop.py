#!/usr/bin/env python3
"""Checks kindling's weights files against torch, both ways (run by test/components/nn/weights-interop.test.ts).

The same MLP is built in kindling and torch: fc1 = Linear(IN, HIDDEN), ReLU, fc2 = Linear(HIDDEN, OUT), so the
torch state_dict keys are fc1.weight, fc1.bias, fc2.weight, fc2.bias.

  kindling → torch: <dir>/kindling.safetensors (written by kindling's saveWeights) loads into the torch MLP with
  load_state_dict(strict=True), and the torch output on the input in <dir>/kindling.json matches kindling's
  output there within 1e-5.
  torch → kindling: a torch MLP with its own initialisation is saved with safetensors' save_file layout to
  <dir>/torch.safetensors, with its output on the same input in <dir>/torch.json; the test loads that file into a
  fresh kindling MLP with loadWeights and compares.

safetensors.torch is used when installed; otherwise (Debian ships no safetensors package) the file is read and
written here with the same layout: an 8-byte little-endian header length, a JSON header, the raw little-endian bytes.

Usage: /usr/bin/python3 scripts/python/check_weights_interop.py <dir>   (exit status 0 when everything matches)
"""
import json
import os
import struct
import sys

import numpy as np
import torch

try:
    from safetensors.torch import load_file, save_file
    SAFETENSORS = "safetensors.torch"
except ImportError:
    SAFETENSORS = None

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}
CODES = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(np.int64): "I64", np.dtype(np.int32): "I32"}


def read_safetensors(path):
    if SAFETENSORS:
        return load_file(path)
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        out[name] = torch.from_numpy(array.copy())
    return out


def write_safetensors(tensors, path):
    if SAFETENSORS:
        save_file(tensors, path)
        return
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        array = tensors[name].detach().contiguous().numpy()
        raw = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": CODES[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


class Mlp(torch.nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.fc1 = torch.nn.Linear(sizes[0], sizes[1])
        self.fc2 = torch.nn.Linear(sizes[1], sizes[2])

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "kindling.json")) as f:
        spec = json.load(f)
    x = torch.tensor(spec["input"]["data"], dtype=torch.float32).reshape(spec["input"]["shape"])
    expected = np.asarray(spec["output"]["data"], dtype=np.float32).reshape(spec["output"]["shape"])

    model = Mlp(spec["sizes"])
    model.load_state_dict(read_safetensors(os.path.join(folder, "kindling.safetensors")), strict=True)
    with torch.no_grad():
        got = model(x).numpy()
    worst = float(np.max(np.abs(got - expected) / np.maximum(np.abs(expected), 1e-6)))
    ok = np.allclose(got, expected, rtol=1e-5, atol=1e-6)
    print(f"kindling → torch: strict load ok, outputs {'match' if ok else 'DIFFER'} (worst relative difference {worst:.2e}); "
          f"safetensors via {SAFETENSORS or 'this script (no safetensors package)'}")

    torch.manual_seed(12)
    other = Mlp(spec["sizes"])
    write_safetensors(other.state_dict(), os.path.join(folder, "torch.safetensors"))
    with torch.no_grad():
        out = other(x).numpy()
    with open(os.path.join(folder, "torch.json"), "w") as f:
        json.dump({"shape": list(out.shape), "data": [float(v) for v in out.reshape(-1)]}, f)
    print("torch → kindling: wrote torch.safetensors and torch.json")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
