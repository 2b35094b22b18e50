#!/usr/bin/env python3
"""Make the HRV reference fixtures fixtures/hrv/hrv_cases.json (run from the repository root).

    python3 scripts/make_hrv_fixtures.py

Needs numpy and scipy (tests do not: they read the committed JSON). Every reference is computed
independently of the TypeScript code:
  spline   scipy.interpolate.CubicSpline(t, rr) (not-a-knot) on the grid t0 + k/4 s
  welch    scipy.signal.detrend(type='linear') then scipy.signal.welch(fs=4, window='hann',
           nperseg=min(1024, n), noverlap=nperseg//2, nfft=next pow2, detrend='constant')
  lomb     scipy.signal.lombscargle(t - t0, rr - polyfit line, 2*pi*f), f = 0.001..0.4 Hz,
           PSD = 2 * P * mean(RR in s)
  bands    sum of PSD over lo <= f < hi times the grid step (VLF 0.0033-0.04, LF 0.04-0.15,
           HF 0.15-0.4 Hz)
  sampen   Richman & Moorman 2000, brute force O(N^2): N-m templates, Chebyshev, d <= r, no self
  apen     Pincus 1991, brute force: N-m+1 templates, self matches counted
  dfa      Peng et al. 1995: profile, non-overlapping boxes from the start, linear detrend per box,
           slope of log F(n) on log n over n = 4..16 and 16..64
"""
import json
import os

import numpy as np
import scipy
from scipy.interpolate import CubicSpline
from scipy.signal import detrend, lombscargle, welch

OUT = os.path.join('fixtures', 'hrv', 'hrv_cases.json')
BANDS = {'vlf': (0.0033, 0.04), 'lf': (0.04, 0.15), 'hf': (0.15, 0.4)}


def next_pow2(n):
    p = 1
    while p < n:
        p *= 2
    return p


def band_powers(f, psd, step):
    return {k: float(np.sum(psd[(f >= lo) & (f < hi)]) * step) for k, (lo, hi) in BANDS.items()}


def welch_ref(rr_ms, t):
    grid = t[0] + np.arange(int(np.floor((t[-1] - t[0]) * 4 + 1e-9)) + 1) / 4
    even = CubicSpline(t, rr_ms)(grid)
    x = detrend(even, type='linear')
    nperseg = min(len(x), 1024)
    f, p = welch(x, fs=4, window='hann', nperseg=nperseg, noverlap=nperseg // 2,
                 nfft=next_pow2(nperseg), detrend='constant', scaling='density')
    return even, f, p


def lomb_ref(rr_ms, t):
    coef = np.polyfit(t, rr_ms, 1)
    y = rr_ms - np.polyval(coef, t)
    f = np.arange(1, 401) / 1000
    p = lombscargle(t - t[0], y, 2 * np.pi * f)
    return f, 2 * p * np.mean(rr_ms) / 1000


def sampen(x, m, r):
    n = len(x)
    def pairs(length):
        t = np.array([x[i:i + length] for i in range(n - m)])
        c = 0
        for i in range(len(t)):
            d = np.max(np.abs(t[i + 1:] - t[i]), axis=1)
            c += int(np.sum(d <= r))
        return c
    b, a = pairs(m), pairs(m + 1)
    return float(-np.log(a / b))


def apen(x, m, r):
    n = len(x)
    def phi(length):
        t = np.array([x[i:i + length] for i in range(n - length + 1)])
        c = np.array([np.sum(np.max(np.abs(t - t[i]), axis=1) <= r) for i in range(len(t))]) / len(t)
        return np.mean(np.log(c))
    return float(phi(m) - phi(m + 1))


def dfa(x, lo, hi):
    y = np.cumsum(x - np.mean(x))
    ns = np.arange(lo, hi + 1)
    fs = []
    for n in ns:
        boxes = len(y) // n
        k = np.arange(n)
        res = []
        for b in range(boxes):
            seg = y[b * n:(b + 1) * n]
            c = np.polyfit(k, seg, 1)
            res.append(np.mean((seg - np.polyval(c, k)) ** 2))
        fs.append(np.sqrt(np.mean(res)))
    return float(np.polyfit(np.log(ns), np.log(fs), 1)[0])


def sinus_rr(duration_s, mean_s, a_lf_s, a_hf_s, seed):
    """Beats whose RR follows 0.1 Hz and 0.25 Hz sinusoids of the time (plus tiny noise)."""
    rng = np.random.default_rng(seed)
    t, rr = 0.0, []
    while t < duration_s:
        r = mean_s + a_lf_s * np.sin(2 * np.pi * 0.1 * t) + a_hf_s * np.sin(2 * np.pi * 0.25 * t) + rng.normal(0, 0.0005)
        t += r
        rr.append(r)
    return np.array(rr)


def ar_rr(n, seed):
    """A realistic-looking RR series: AR(2) with an LF-ish resonance, plus white noise, ~ 850 ms."""
    rng = np.random.default_rng(seed)
    e = rng.normal(0, 1, n + 200)
    x = np.zeros(n + 200)
    for i in range(2, n + 200):
        x[i] = 1.2 * x[i - 1] - 0.5 * x[i - 2] + e[i]
    x = x[200:]
    return 0.85 + 0.02 * x / np.std(x) + rng.normal(0, 0.012, n)


def case(name, rr_s, drop=None):
    rr_s = np.asarray(rr_s, dtype=float)
    t_end = np.cumsum(rr_s)
    if drop is not None:
        keep = np.ones(len(rr_s), bool)
        keep[drop] = False
        rr_s, t_end = rr_s[keep], t_end[keep]
    rr_ms = rr_s * 1000
    even, wf, wp = welch_ref(rr_ms, t_end)
    lf_, lp = lomb_ref(rr_ms, t_end)
    r = 0.2 * np.std(rr_ms, ddof=1)
    out = {
        'name': name,
        'rrS': rr_s.tolist(),
        'welch': {'frequencyHz': wf.tolist(), 'psd': wp.tolist(), 'bands': band_powers(wf, wp, wf[1] - wf[0]),
                  'evenFirst': even[:64].tolist(), 'evenLength': len(even)},
        'lomb': {'psd': lp.tolist(), 'bands': band_powers(lf_, lp, 0.001)},
        'sampEn': sampen(rr_ms, 2, r),
        'apEn': apen(rr_ms, 2, r),
        'dfaAlpha1': dfa(rr_ms, 4, 16),
        'dfaAlpha2': dfa(rr_ms, 16, 64) if len(rr_ms) >= 64 else None,
    }
    if drop is not None:
        out['rrEndTimesS'] = t_end.tolist()
    return out


def main():
    cases = [
        case('sinus_lf_hf_5min', sinus_rr(320, 0.8, 0.030, 0.015, 1)),
        case('ar_600', ar_rr(600, 2)),
        case('ar_600_gaps', ar_rr(600, 3), drop=[50, 51, 200, 333, 334, 335, 480]),
        case('ar_200_short', ar_rr(200, 4)),
    ]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as fh:
        json.dump({'generator': 'scripts/make_hrv_fixtures.py', 'numpy': np.__version__, 'scipy': scipy.__version__,
                   'cases': cases}, fh)
        fh.write('\n')
    print(f'wrote {OUT} ({len(cases)} cases)')


if __name__ == '__main__':
    main()
