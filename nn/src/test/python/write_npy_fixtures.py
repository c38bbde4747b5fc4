"""Writes the .npy/.npz fixtures NpyTest reads (nn/src/test/resources/npy), with numpy's own writer.

Run from the repository root: /usr/bin/python3 nn/src/test/python/write_npy_fixtures.py
The values follow formulas the test recomputes: base(n) = (arange(n) - 5.5) / 3, int64 values with large
magnitudes, a bool pattern. Each is written in the layouts the reader must handle: C and Fortran order, little and
big endian, format versions 1.0 and 2.0, a 0-d and an empty array, and .npz archives stored and compressed; plus two
files with dtypes the reader refuses (int32, complex64).
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "npy")
os.makedirs(OUT, exist_ok=True)


def path(name):
    return os.path.join(OUT, name)


def base(n):
    return (np.arange(n, dtype=np.float64) - 5.5) / 3


f32 = base(24).reshape(2, 3, 4).astype("<f4")
np.save(path("f32_c_le.npy"), f32)
np.save(path("f32_c_be.npy"), f32.astype(">f4"))
f64 = base(12).reshape(3, 4)
np.save(path("f64_fortran_le.npy"), np.asfortranarray(f64))
np.save(path("f64_fortran_be.npy"), np.asfortranarray(f64.astype(">f8")))
i64 = np.array([[-3, 0, 7], [2**40 + 1, -(2**62), 2**62 + 5]], dtype="<i8")
np.save(path("i64_le.npy"), i64)
np.save(path("i64_be.npy"), i64.astype(">i8"))
b = (np.arange(6).reshape(2, 3) % 3 == 0)
np.save(path("bool.npy"), b)
np.save(path("scalar_f64.npy"), np.array(2.5))
np.save(path("empty_f32.npy"), np.zeros((0, 3), dtype=np.float32))
with open(path("f32_v2.npy"), "wb") as f:
    np.lib.format.write_array(f, f32, version=(2, 0))
np.savez(path("stored.npz"), x=f32, labels=np.array([1, 2, 3], dtype=np.int64))
np.savez_compressed(path("compressed.npz"), x=f64, mask=b)
np.save(path("int32.npy"), np.arange(4, dtype=np.int32))
np.save(path("complex64.npy"), np.arange(4).astype(np.complex64))
print("wrote", sorted(os.listdir(OUT)))
