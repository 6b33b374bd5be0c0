#!/usr/bin/env python3
"""Read a kindling checkpoint with numpy alone, written from docs/checkpoint-format.md.

Usage:
    python3 read_checkpoint.py CHECKPOINT              # print a summary
    python3 read_checkpoint.py CHECKPOINT --json       # print the whole state tree as JSON (tensors as nested lists)
    python3 read_checkpoint.py CHECKPOINT --no-verify  # read without checking the tensors' checksums

As a module: ``load(path, verify=True) -> (tree, tensors)`` where ``tensors`` maps tensor names to numpy arrays and
``tree`` is the state tree with tensor references replaced by those arrays. Format version 2 files carry XXH64
checksums, verified with the ``xxhash`` module (``pip install xxhash``, or Debian's ``python3-xxhash``); version 1
files carry CRC32, verified with ``zlib``.
"""
import json
import math
import struct
import sys
import zlib

import numpy as np

try:
    import xxhash
except ImportError:  # only needed to verify format version 2 checksums
    xxhash = None

MAX_HEADER_BYTES = 100_000_000
FORMAT_VERSIONS = (1, 2)

# bfloat16 and float16 are returned as raw 16-bit words for bfloat16 (numpy has no bfloat16) and as float16 for F16.
DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U64": np.dtype("<u8"),
    "U32": np.dtype("<u4"),
    "U16": np.dtype("<u2"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}

SPECIAL_NUMBERS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf, "-0": -0.0}


class CheckpointFormatError(ValueError):
    pass


def read_raw(path):
    """Returns (metadata, {name: numpy array}) for any safetensors file, checking offsets against the file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise CheckpointFormatError(f"{path}: shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER_BYTES or 8 + n > len(data):
        raise CheckpointFormatError(f"{path}: bad header length {n}")
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    start = 8 + n
    tensors = {}
    end = 0
    for name, info in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        dtype = DTYPES[info["dtype"]]
        begin, stop = info["data_offsets"]
        if begin != end:
            raise CheckpointFormatError(f"{path}: tensor {name!r} does not start where the previous one ends")
        count = int(np.prod(info["shape"], dtype=np.int64))
        if count * dtype.itemsize != stop - begin:
            raise CheckpointFormatError(f"{path}: tensor {name!r} size disagrees with dtype and shape")
        array = np.frombuffer(data, dtype=dtype, count=count, offset=start + begin).reshape(info["shape"])
        tensors[name] = (array, data[start + begin : start + stop])
        end = stop
    if start + end != len(data):
        raise CheckpointFormatError(f"{path}: data section size mismatch")
    return metadata, tensors


def crc32_hex(data):
    return format(zlib.crc32(data) & 0xFFFFFFFF, "08x")


def xxh64_hex(data):
    return xxhash.xxh64_hexdigest(data, seed=0)


# Per format version: the metadata key of the tensor digests, the checksum's name, and how to compute one.
CHECKSUMS = {1: ("kindling.crc32.tensors", "CRC32", crc32_hex), 2: ("kindling.xxh64.tensors", "XXH64", xxh64_hex)}


def verify_tensors(path, version, metadata, raw):
    key, label, digest = CHECKSUMS[version]
    declared = metadata.get("kindling.checksum")
    if version >= 2 and declared not in ("xxh64", "none"):
        raise CheckpointFormatError(f"{path}: kindling.checksum is {declared!r}, not \"xxh64\" or \"none\" (the header is damaged)")
    if version >= 2 and (declared == "xxh64") != (key in metadata):
        raise CheckpointFormatError(f"{path}: kindling.checksum says {declared!r} but {key} is {'missing' if declared == 'xxh64' else 'present'}")
    if key not in metadata:
        return
    if version == 2 and xxhash is None:
        raise CheckpointFormatError(
            f"{path}: cannot verify the XXH64 checksums of a format version 2 file: the Python module xxhash is not "
            "installed (pip install xxhash, or apt-get install python3-xxhash), or pass --no-verify to read unchecked"
        )
    stored_digests = json.loads(metadata[key])
    ordered = list(raw)  # read_raw inserts names in data-offset order, the order of the digest list
    if len(stored_digests) != len(ordered):
        raise CheckpointFormatError(f"{path}: {key} lists {len(stored_digests)} digests for {len(ordered)} tensors")
    for name, stored in zip(ordered, stored_digests):
        if digest(raw[name][1]) != stored:
            raise CheckpointFormatError(f"{path}: tensor {name!r} fails its {label} check")


def load(path, verify=True):
    metadata, raw = read_raw(path)
    version = int(metadata.get("kindling.version", "-1")) if metadata.get("format") == "kindling" else -1
    if version not in FORMAT_VERSIONS:
        raise CheckpointFormatError(
            f"{path}: not a kindling checkpoint of format version {' or '.join(map(str, FORMAT_VERSIONS))} "
            "(upgrade an older one with `npx kindling upgrade`)"
        )
    if verify:
        verify_tensors(path, version, metadata, raw)
    tensors = {name: array for name, (array, _) in raw.items()}

    def decode(value):
        if isinstance(value, list):
            return [decode(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, payload), = value.items()
            if key == "$tensor":
                return tensors[payload]
            if key == "$number":
                return SPECIAL_NUMBERS[payload]
        return {(k[1:] if k.startswith("$$") else k): decode(v) for k, v in value.items()}

    return decode(json.loads(metadata["kindling.tree"])), tensors


def to_jsonable(value):
    """The tree as JSON: tensors become {"dtype", "shape", "values"}; special numbers become {"$number": ...}."""
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "shape": list(value.shape), "values": [to_jsonable(v) for v in value.reshape(-1).tolist()]}
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value) or (value == 0 and math.copysign(1, value) < 0)):
        return {"$number": "NaN" if math.isnan(value) else ("-0" if value == 0 else ("Infinity" if value > 0 else "-Infinity"))}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        tree, tensors = load(argv[1], verify="--no-verify" not in argv[2:])
    except CheckpointFormatError as error:
        print(f"read_checkpoint.py: {error}", file=sys.stderr)
        return 1
    if "--json" in argv[2:]:
        json.dump(to_jsonable(tree), sys.stdout)
        print()
    else:
        for name, array in tensors.items():
            print(f"{name}\t{array.dtype}\t{list(array.shape)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
