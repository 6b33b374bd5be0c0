#!/usr/bin/env python3
"""Open a kindling checkpoint from Python: numpy arrays (always) and torch tensors (when torch is installed).

A kindling checkpoint is a safetensors file (docs/checkpoint-format.md): an 8-byte little-endian header length, a
JSON header, then the tensors' raw little-endian bytes. kindling's own data sits in string entries of the header's
`__metadata__`: `kindling.tree` is the state tree as JSON with `{"$tensor": name}` references, and
`kindling.xxh64.tensors` lists the XXH64 of every tensor in data order (format version 2; version 1 files have
`kindling.crc32.tensors`, zlib's CRC32). Any safetensors reader
(`safetensors.numpy.load_file`, `safetensors.torch.load_file`) opens the tensors; this script needs only numpy, since
Debian ships no safetensors package, and also rebuilds the tree and checks the checksums.

Usage: /usr/bin/python3 scripts/python/torch_interop.py <file.kindling> [--torch]
(--torch needs an interpreter with torch, e.g. Debian's python3-torch under /usr/bin/python3.)
"""
import json
import struct
import sys
import zlib

import numpy as np

try:
    import xxhash  # pip install xxhash, or Debian's python3-xxhash: needed to check version 2 checksums
except ImportError:
    xxhash = None

# safetensors dtype name -> numpy dtype; BF16 has no numpy dtype and stays as raw 16-bit words.
NUMPY_DTYPES = {
    "F64": np.float64,
    "F32": np.float32,
    "F16": np.float16,
    "BF16": np.uint16,
    "I64": np.int64,
    "I32": np.int32,
    "I16": np.int16,
    "I8": np.int8,
    "U64": np.uint64,
    "U32": np.uint32,
    "U16": np.uint16,
    "U8": np.uint8,
    "BOOL": np.bool_,
}

SPECIAL_NUMBERS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf"), "-0": -0.0}


def read_checkpoint(path):
    """Returns (metadata, entries, tensors): the header's __metadata__, the tensor entries in data order, and a dict
    of name -> numpy array (little-endian, sharing one buffer with the file's bytes)."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    (header_length,) = struct.unpack_from("<Q", data, 0)
    header = json.loads(data[8 : 8 + header_length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    start = 8 + header_length
    entries = sorted(header.items(), key=lambda item: item[1]["data_offsets"][0])
    tensors = {}
    for name, info in entries:
        begin, end = info["data_offsets"]
        dtype = np.dtype(NUMPY_DTYPES[info["dtype"]]).newbyteorder("<")
        count = (end - begin) // dtype.itemsize
        array = np.frombuffer(data, dtype=dtype, count=count, offset=start + begin)
        tensors[name] = array.reshape(info["shape"])
    return metadata, entries, tensors


def check_crcs(metadata, entries, tensors):
    """Compares each tensor's bytes with its stored digest (XXH64, or CRC32 in version 1 files); returns the number
    checked (0 without checksums)."""
    if "kindling.xxh64.tensors" in metadata:
        if xxhash is None:
            raise ValueError("cannot check XXH64 checksums: install the xxhash module (pip install xxhash)")
        stored, label = json.loads(metadata["kindling.xxh64.tensors"]), "XXH64"
        digest = lambda data: xxhash.xxh64_hexdigest(data, seed=0)
    elif "kindling.crc32.tensors" in metadata:
        stored, label = json.loads(metadata["kindling.crc32.tensors"]), "CRC32"
        digest = lambda data: format(zlib.crc32(data) & 0xFFFFFFFF, "08x")
    else:
        return 0
    assert len(stored) == len(entries), "one digest per tensor"
    for (name, _), want in zip(entries, stored):
        got = digest(tensors[name].tobytes())
        if got != want:
            raise ValueError(f"tensor {name}: {label} {got} does not match the stored {want}")
    return len(stored)


def bfloat16_to_float32(words):
    return (words.astype(np.uint32) << 16).view(np.float32)


def to_torch(name, array, dtype_name):
    import torch

    if dtype_name == "BF16":
        return torch.from_numpy(array.view(np.int16).copy()).view(torch.bfloat16)
    if array.dtype in (np.uint16, np.uint32, np.uint64):
        # torch before 2.3 has no unsigned 16/32/64-bit tensors: keep these as numpy.
        return array
    return torch.from_numpy(array)


def build_tree(node, leaf):
    """Rebuilds the state tree from kindling.tree: tensor references via `leaf(name)`, special numbers, and `$$`
    keys unescaped to `$`."""
    if isinstance(node, list):
        return [build_tree(v, leaf) for v in node]
    if not isinstance(node, dict):
        return node
    if list(node) == ["$tensor"]:
        return leaf(node["$tensor"])
    if list(node) == ["$number"]:
        return SPECIAL_NUMBERS[node["$number"]]
    return {(k[1:] if k.startswith("$$") else k): build_tree(v, leaf) for k, v in node.items()}


def describe(value):
    if isinstance(value, np.ndarray):
        return f"numpy {value.dtype}{list(value.shape)}"
    if type(value).__module__ == "torch":
        return f"torch {str(value.dtype).replace('torch.', '')}{list(value.shape)}"
    return repr(value)


def print_tree(value, path=""):
    if isinstance(value, dict) and value:
        for k, v in value.items():
            print_tree(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list) and value and any(isinstance(v, (dict, list)) or hasattr(v, "shape") for v in value):
        for i, v in enumerate(value):
            print_tree(v, f"{path}[{i}]")
    else:
        print(f"  {path}: {describe(value)}")


def main(argv):
    if len(argv) < 1:
        raise SystemExit(__doc__)
    path, as_torch = argv[0], "--torch" in argv[1:]
    metadata, entries, tensors = read_checkpoint(path)
    if metadata.get("format") != "kindling":
        raise SystemExit(f"{path}: no kindling state tree (a plain safetensors file, or format version 0)")
    checked = check_crcs(metadata, entries, tensors)
    dtypes = {name: info["dtype"] for name, info in entries}
    leaf = (lambda name: to_torch(name, tensors[name], dtypes[name])) if as_torch else (lambda name: tensors[name])
    tree = build_tree(json.loads(metadata["kindling.tree"]), leaf)
    print(f"{path}: kindling format v{metadata.get('kindling.version')}, {len(tensors)} tensors, "
          f"{checked} CRC32 checksums verified")
    print_tree(tree)
    return tree


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (ValueError, KeyError, OSError) as error:
        raise SystemExit(f"torch_interop: {error}")
