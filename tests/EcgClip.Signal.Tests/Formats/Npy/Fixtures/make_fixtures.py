#!/usr/bin/python3
"""Writes the .npy fixtures for NpyReaderTests/NpyWriterTests with numpy.save (the oracle).
Run from this folder: python3 make_fixtures.py"""
import numpy as np

def arr(dtype, shape):
    n = int(np.prod(shape))
    a = (np.arange(n) * 7 - n * 3)
    if np.dtype(dtype).kind == 'u':
        a = np.arange(n) * 7
    if np.dtype(dtype).kind == 'f':
        a = a / 3.0
    if np.dtype(dtype).kind == 'b':
        a = (np.arange(n) % 3) == 0
    return np.asarray(a).astype(dtype).reshape(shape)

cases = {
    'f8_3x4': ('<f8', (3, 4)), 'f4_5': ('<f4', (5,)), 'i1_2x3': ('i1', (2, 3)), 'u1_7': ('u1', (7,)),
    'i2_2x2x2': ('<i2', (2, 2, 2)), 'u2_4': ('<u2', (4,)), 'i4_6x2': ('<i4', (6, 2)), 'u4_3': ('<u4', (3,)),
    'i8_2x5': ('<i8', (2, 5)), 'u8_2': ('<u8', (2,)), 'b1_9': ('?', (9,)), 'f8_scalar': ('<f8', ()),
    'f8_0x3': ('<f8', (0, 3)),
}
for name, (dt, shape) in cases.items():
    np.save(name + '.npy', arr(dt, shape))
np.save('f8_fortran.npy', np.asfortranarray(arr('<f8', (3, 4))))
np.save('f8_bigendian.npy', arr('>f8', (3,)))
np.save('c16_complex.npy', np.zeros(2, dtype=np.complex128))
a = np.array([1.5, np.nan, -np.inf, 1e-300])
np.save('f8_special.npy', a)
