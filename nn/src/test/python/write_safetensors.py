#!/usr/bin/env python3
"""Independent safetensors writer for the nn tests: numpy, json and struct only (no safetensors, no torch).

Run once by hand from this directory (Debian's numpy: /usr/bin/python3 write_safetensors.py); it writes into
../resources/ the files that CheckpointTest reads:

  mlp_2_3_1.safetensors     state of Sequential(Linear(2, 3), Tanh, Linear(3, 1)) in PyTorch's names
  mlp_2_3_1_io.safetensors  inputs x (4, 2) and that network's outputs y (4, 1), computed here in float64
  mixed.safetensors         F64, I64, BOOL, a 0-d F32 and an empty F32 tensor, with __metadata__

The data blocks are laid out in the reverse of the header's key order, so a reader that assumes the two
orders agree fails the tests.
"""
import json
import os
import struct

import numpy as np

DTYPES = {np.dtype("<f4"): "F32", np.dtype("<f8"): "F64", np.dtype("<i8"): "I64", np.dtype("bool"): "BOOL"}


def write(path, tensors, metadata=None):
    """tensors: list of (name, array) in header order."""
    header = {}
    if metadata:
        header["__metadata__"] = dict(metadata)
    blobs = []
    offset = 0
    for name, a in reversed(tensors):              # data in reverse order of the header
        a = np.asarray(a)
        dt = a.dtype.newbyteorder("<") if a.dtype.kind in "fi" else a.dtype
        raw = a.astype(dt).tobytes(order="C")
        blobs.append(raw)
        header[name] = {"dtype": DTYPES[np.dtype(dt)], "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    ordered = {}
    if metadata:
        ordered["__metadata__"] = header["__metadata__"]
    for name, _ in tensors:
        ordered[name] = header[name]
    text = json.dumps(ordered, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources")
    rng = np.random.RandomState(20240601)
    w0 = rng.uniform(-1, 1, size=(3, 2)).astype(np.float32)
    b0 = rng.uniform(-1, 1, size=(3,)).astype(np.float32)
    w2 = rng.uniform(-1, 1, size=(1, 3)).astype(np.float32)
    b2 = rng.uniform(-1, 1, size=(1,)).astype(np.float32)
    write(os.path.join(out, "mlp_2_3_1.safetensors"),
          [("0.weight", w0), ("0.bias", b0), ("2.weight", w2), ("2.bias", b2)],
          {"format": "pt", "writer": "write_safetensors.py"})

    x = rng.normal(size=(4, 2)).astype(np.float32)
    h = np.tanh(x.astype(np.float64) @ w0.astype(np.float64).T + b0.astype(np.float64))
    y = (h @ w2.astype(np.float64).T + b2.astype(np.float64)).astype(np.float32)
    write(os.path.join(out, "mlp_2_3_1_io.safetensors"), [("x", x), ("y", y)])

    write(os.path.join(out, "mixed.safetensors"),
          [("f64", np.array([[1.5, -2.25], [1e-300, np.pi]], dtype=np.float64)),
           ("i64", np.array([-(2 ** 62), 0, 7], dtype=np.int64)),
           ("mask", np.array([[True, False], [False, True]])),
           ("scalar", np.array(3.25, dtype=np.float32)),
           ("empty", np.zeros((0, 3), dtype=np.float32))],
          {"note": "mixed dtypes"})


if __name__ == "__main__":
    main()
