"""A plain numpy/scipy heart-rate estimator over many WAV files (the yardstick of issue 14).

Band-pass 25-400 Hz, Hilbert envelope smoothed to 20 Hz, autocorrelation period, peaks at least
0.6 periods apart; prints one JSON line per file. Usage: python3 bench/numpy_estimate.py FILE...
"""
import json
import sys

import numpy as np
from scipy import signal
from scipy.io import wavfile


def estimate(path):
    rate, x = wavfile.read(path)
    x = x.astype(np.float64)
    if x.ndim > 1:
        x = x.mean(axis=1)
    sos = signal.butter(4, [25, min(400, rate / 2 - 1)], btype="band", fs=rate, output="sos")
    y = signal.sosfiltfilt(sos, x)
    env = np.abs(signal.hilbert(y))
    step = max(1, int(rate // 50))
    env = signal.decimate(env, step, ftype="fir") if step > 1 else env
    fs = rate / step
    env = (env - env.mean()) / (env.std() + 1e-12)
    ac = np.correlate(env, env, mode="full")[len(env) - 1:]
    lo, hi = int(fs * 0.3), int(fs * 2.0)
    period = (lo + int(np.argmax(ac[lo:hi]))) / fs
    peaks, _ = signal.find_peaks(env, distance=max(1, int(0.6 * period * fs)))
    rr = np.diff(peaks) / fs
    hr = 60.0 / rr.mean() if len(rr) else None
    return {"file": path, "heartRateBpm": hr, "sdnnMs": float(rr.std() * 1000) if len(rr) else None}


if __name__ == "__main__":
    for p in sys.argv[1:]:
        try:
            print(json.dumps(estimate(p)))
        except Exception as e:  # noqa: BLE001 - one error row per file, like the CLI
            print(json.dumps({"file": p, "error": str(e)}))
