#!/usr/bin/python3
"""Writes the scipy oracles for the Dsp tests (run with Debian's python3: numpy 1.24, scipy 1.10).

    /usr/bin/python3 tests/EcgClip.Signal.Tests/Dsp/Fixtures/generate.py

Outputs (next to this script): design.json (butter/iirnotch/firwin/resample taps), *.npy signals and expected
outputs. Deterministic (fixed seeds); keep the total small (< 2 MB).
"""
import json, os
import numpy as np
import scipy
import scipy.signal as ss

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240611)


def ecg_like(shape, fs):
    """Synthetic ECG-ish signal: baseline wander + QRS-like spikes + 50 Hz hum + noise, mV."""
    *lead_shape, n = shape
    t = np.arange(n) / fs
    x = np.zeros(shape)
    for idx in np.ndindex(*lead_shape):
        hr = rng.uniform(0.8, 1.8)
        beats = np.sin(2 * np.pi * hr * t) ** 63 * rng.uniform(0.5, 2.0)
        wander = rng.uniform(0.1, 0.8) * np.sin(2 * np.pi * rng.uniform(0.05, 0.4) * t + rng.uniform(0, 6))
        hum = rng.uniform(0.0, 0.2) * np.sin(2 * np.pi * 50 * t + rng.uniform(0, 6))
        x[idx] = beats + wander + hum + rng.normal(0, 0.05, n) + rng.uniform(-1, 1)
    return x


def save(name, arr):
    np.save(os.path.join(HERE, name), arr)


design = {"scipy": scipy.__version__, "butter": [], "iirnotch": [], "firwin": [], "resample": []}
for btype, cut in [("lowpass", [40.0]), ("highpass", [0.5]), ("bandpass", [0.5, 40.0]), ("bandstop", [45.0, 55.0]),
                   ("lowpass", [100.0]), ("highpass", [0.05]), ("bandpass", [0.67, 150.0]), ("bandstop", [1.0, 200.0])]:
    for order in [1, 2, 3, 4, 5, 6, 8]:
        for fs in [500.0, 360.0, 1000.0]:
            if max(cut) >= fs / 2:
                continue
            wn = cut[0] if len(cut) == 1 else cut
            sos = ss.butter(order, wn, btype=btype, fs=fs, output="sos")
            design["butter"].append({"btype": btype, "order": order, "cutoffs": cut, "fs": fs,
                                     "sos": sos.ravel().tolist()})
for f0, q, fs in [(50, 30, 500), (60, 30, 500), (50, 35, 360), (60, 10, 1000), (50, 30, 257)]:
    b, a = ss.iirnotch(f0, q, fs=fs)
    design["iirnotch"].append({"f0": f0, "q": q, "fs": fs, "b": b.tolist(), "a": a.tolist()})
for numtaps, cutoff, beta in [(41, 0.5, 5.0), (21, 0.2, 5.0), (101, 0.1, 8.6), (11, 0.9, 2.0)]:
    h = ss.firwin(numtaps, cutoff, window=("kaiser", beta))
    design["firwin"].append({"numtaps": numtaps, "cutoff": cutoff, "beta": beta, "h": h.tolist()})

# --- stage oracles on a small float64 signal [4, 3000] at 500 Hz
x = ecg_like((4, 3000), 500.0)
save("stage_input.npy", x)
sos_bp = ss.butter(4, [0.5, 40], btype="bandpass", fs=500, output="sos")
save("sosfiltfilt_bandpass.npy", ss.sosfiltfilt(sos_bp, x, axis=-1))
save("sosfiltfilt_highpass3.npy", ss.sosfiltfilt(ss.butter(3, 0.5, btype="highpass", fs=500, output="sos"), x, axis=-1))
save("sosfiltfilt_lowpass5.npy", ss.sosfiltfilt(ss.butter(5, 100, btype="lowpass", fs=500, output="sos"), x, axis=-1))
b, a = ss.iirnotch(50, 30, fs=500)
save("filtfilt_notch.npy", ss.filtfilt(b, a, x, axis=-1))
save("zscore.npy", (x - x.mean(-1, keepdims=True)) / (x.std(-1, keepdims=True) + 1e-8))

# --- resample_poly between the common ECG rates (one channel of 1000 samples)
xr = x[0, :1000]
for fr, to in [(500, 250), (500, 100), (1000, 500), (360, 500), (257, 500), (250, 500), (400, 500), (500, 360),
               (100, 500), (500, 257), (1000, 250), (500, 400)]:
    y = ss.resample_poly(xr, to, fr)
    save(f"resample_{fr}_{to}.npy", y)
    design["resample"].append({"from": fr, "to": to, "file": f"resample_{fr}_{to}.npy"})

with open(os.path.join(HERE, "design.json"), "w") as f:
    json.dump(design, f, separators=(",", ":"))


# --- whole pipeline (issue 4 reference) on [2, 12, 5000] float32 input at 500 Hz
def pipeline(x64):
    sos = ss.butter(4, [0.5, 40], btype="bandpass", fs=500, output="sos")
    y = ss.sosfiltfilt(sos, x64, axis=-1)
    b, a = ss.iirnotch(50, 30, fs=500)
    y = ss.filtfilt(b, a, y, axis=-1)
    y = ss.resample_poly(y, 1, 2, axis=-1)
    return (y - y.mean(-1, keepdims=True)) / (y.std(-1, keepdims=True) + 1e-8)


xp = ecg_like((2, 12, 5000), 500.0).astype(np.float32)
save("pipeline_input.npy", xp)
save("pipeline_expected.npy", pipeline(xp.astype(np.float64)))
print("ok", scipy.__version__)
