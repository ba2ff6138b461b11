#!/usr/bin/python3
"""Times scipy 1.10 on the issue-4 pipeline (one core), to compare with `ecgclip preprocess --json` in the same session.

    OMP_NUM_THREADS=1 /usr/bin/python3 time_scipy.py x.npy [N]

x.npy: float32 [records, 12, 5000] at 500 Hz. Prints wall-clock and CPU records/s for the first N records (default 200).
"""
import sys, time
import numpy as np
import scipy.signal as ss

x = np.load(sys.argv[1])[: int(sys.argv[2]) if len(sys.argv) > 2 else 200].astype(np.float64)
t0, c0 = time.perf_counter(), time.process_time()
sos = ss.butter(4, [0.5, 40], btype="bandpass", fs=500, output="sos")
y = ss.sosfiltfilt(sos, x, axis=-1)
b, a = ss.iirnotch(50, 30, fs=500)
y = ss.filtfilt(b, a, y, axis=-1)
y = ss.resample_poly(y, 1, 2, axis=-1)
y = (y - y.mean(-1, keepdims=True)) / (y.std(-1, keepdims=True) + 1e-8)
t1, c1 = time.perf_counter(), time.process_time()
print(f"scipy {len(x)} records: wall {t1 - t0:.3f} s = {len(x) / (t1 - t0):.0f} records/s; cpu {c1 - c0:.3f} s = {len(x) / (c1 - c0):.0f} records/s")
