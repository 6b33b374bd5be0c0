#!/usr/bin/env python3
"""Convert scikit-learn's 8x8 digits (UCI optdigits test set, CC BY 4.0) to kindling's compact binary file.

Usage:
    /usr/bin/python3 scripts/python/convert_digits.py [DIGITS_CSV_GZ] [OUT]

DIGITS_CSV_GZ defaults to Debian's python3-sklearn copy,
/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz; OUT defaults to examples/data/digits.bin.
Only the standard library is used. The layout (little-endian) is what src/components/data/digits.ts reads:

    bytes 0-7    magic b"KLDIGITS"
    bytes 8-11   uint32 number of samples (1797)
    bytes 12-13  uint16 image height (8)
    bytes 14-15  uint16 image width (8)
    then         uint8 pixels, samples x height x width, row-major, each in 0..16
    then         uint8 labels, one per sample, each in 0..9

The file's SHA-256 is printed; examples/data/README.md and digits.ts record it.
"""
import csv
import gzip
import hashlib
import io
import os
import struct
import sys

DEFAULT_SOURCE = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"
DEFAULT_OUT = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "data", "digits.bin")
HEIGHT = WIDTH = 8
SAMPLES = 1797


def read_rows(source):
    with gzip.open(source, "rt", newline="") as text:
        rows = [[int(float(v)) for v in row] for row in csv.reader(io.StringIO(text.read())) if row]
    if len(rows) != SAMPLES:
        sys.exit(f"{source}: expected {SAMPLES} rows, found {len(rows)}")
    for i, row in enumerate(rows):
        if len(row) != HEIGHT * WIDTH + 1:
            sys.exit(f"{source}: row {i} has {len(row)} values, expected {HEIGHT * WIDTH + 1}")
        if any(not 0 <= v <= 16 for v in row[:-1]) or not 0 <= row[-1] <= 9:
            sys.exit(f"{source}: row {i} has a pixel outside 0..16 or a label outside 0..9")
    return rows


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SOURCE
    out = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT
    rows = read_rows(source)
    header = b"KLDIGITS" + struct.pack("<IHH", len(rows), HEIGHT, WIDTH)
    pixels = bytes(v for row in rows for v in row[:-1])
    labels = bytes(row[-1] for row in rows)
    data = header + pixels + labels
    with open(out, "wb") as f:
        f.write(data)
    print(f"wrote {os.path.normpath(out)}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
