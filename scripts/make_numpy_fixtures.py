#!/usr/bin/env python3
"""Make the numpy/scipy reference fixtures under fixtures/numpy/ (run from the repository root).

    python3 scripts/make_numpy_fixtures.py

Needs numpy and scipy (tests do not: they read the committed fixtures). The simulation is the
seed notebook's code (sections 2-4), unchanged in logic; the only addition is that the signal
function also returns the beat times and the drawn SNR so that every label can be checked.
Fixtures:
  rng.json                       raw MT19937 outputs, random_sample, uniform and normal draws
  sim_<case>_signals.npy         float64 N x S signals of np.random.seed(S) + the notebook loop
  sim_cases.json                 per case: parameters, labels, beat times
  spec_<case>_x.npy / _sxx.npy   input signal and scipy.signal.spectrogram output (float64)
  spec_cases.json                per case: spectrogram options, shape, f, t
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy.signal import spectrogram

OUT = os.path.join('fixtures', 'numpy')


# ---- the seed notebook's generator (logic verbatim; also returns beat_times and snr_db) ----
def generate_heartbeat_signal_enhanced(hr_bpm, hrv_std, sampling_rate, duration,
                                       min_peak_duration, max_peak_duration,
                                       min_amplitude_scale, max_amplitude_scale,
                                       min_snr_db, max_snr_db):
    hr_interval_sec_mean = 60 / hr_bpm
    num_beats_approx = int(duration / hr_interval_sec_mean)
    beat_intervals = np.maximum(np.random.normal(hr_interval_sec_mean, hrv_std, num_beats_approx), 0.1)
    beat_times = [0]
    current_time = 0
    for interval in beat_intervals:
        next_beat_time = current_time + interval
        if next_beat_time < duration:
            beat_times.append(next_beat_time)
            current_time = next_beat_time
        else:
            break
    signal = np.zeros(int(duration * sampling_rate))
    for beat_time in beat_times:
        beat_sample = int(beat_time * sampling_rate)
        if beat_sample < len(signal):
            peak_duration_sec = np.random.uniform(min_peak_duration, max_peak_duration)
            peak_duration_samples = int(peak_duration_sec * sampling_rate)
            amplitude_scale = np.random.uniform(min_amplitude_scale, max_amplitude_scale)
            for i in range(peak_duration_samples):
                if beat_sample + i < len(signal):
                    signal[beat_sample + i] += amplitude_scale * np.exp(-(i / (sampling_rate * (peak_duration_sec / 6)))**2)
    snr_db = np.random.uniform(min_snr_db, max_snr_db)
    signal_power = np.mean(signal**2)
    if signal_power > 1e-10:
        noise_power = signal_power / (10**(snr_db / 10))
        noise = np.random.normal(0, np.sqrt(noise_power), len(signal))
        signal += noise
    true_hr = len(beat_times) / duration * 60
    if len(beat_times) > 1:
        true_rr_intervals = np.diff(beat_times)
        true_hrv = np.std(true_rr_intervals)
    else:
        true_hrv = 0
    return signal, true_hr, true_hrv, beat_times, snr_db


def simulate(seed, num_signals, sampling_rate=1000, duration=5, min_hr_bpm=50, max_hr_bpm=120,
             min_hrv_std=0.005, max_hrv_std=0.05, min_peak_duration=0.03, max_peak_duration=0.07,
             min_amplitude_scale=0.8, max_amplitude_scale=1.2, min_snr_db=5, max_snr_db=25):
    np.random.seed(seed)
    signals, rows = [], []
    for _ in range(num_signals):
        hr_bpm = np.random.uniform(min_hr_bpm, max_hr_bpm)
        hrv_std = np.random.uniform(min_hrv_std, max_hrv_std)
        signal, true_hr, true_hrv, beat_times, snr_db = generate_heartbeat_signal_enhanced(
            hr_bpm, hrv_std, sampling_rate, duration,
            min_peak_duration, max_peak_duration,
            min_amplitude_scale, max_amplitude_scale,
            min_snr_db, max_snr_db)
        signals.append(signal)
        rr = np.diff(beat_times)
        rows.append({
            'hr_bpm': float(60 / np.mean(rr)) if len(rr) > 0 else float(true_hr),
            'hr_count_bpm': float(true_hr),
            'hrv_s': float(true_hrv),
            'n_beats': len(beat_times),
            'snr_db': float(snr_db),
            'hr_param_bpm': float(hr_bpm),
            'hrv_param_s': float(hrv_std),
            'beat_times_s': [float(b) for b in beat_times],
        })
    return np.array(signals, dtype=np.float64), rows


SIM_CASES = [
    # name, seed, n, generator parameters (our option names) -> seed notebook keyword names
    ('default_seed42', 42, 3, {}),
    ('default_seed0', 0, 3, {'durationS': 2}),
    ('custom_maxseed', 4294967295, 3, {'sampleRateHz': 800, 'durationS': 2.5, 'hrMinBpm': 40, 'hrMaxBpm': 180,
                                       'hrvMinS': 0.05, 'hrvMaxS': 0.3, 'pulseMinS': 0.05, 'pulseMaxS': 0.12,
                                       'ampMin': 0.5, 'ampMax': 2, 'snrMinDb': -5, 'snrMaxDb': 3}),
    ('silent_seed7', 7, 3, {'durationS': 1.5, 'ampMin': 0, 'ampMax': 0}),
]
NAME_MAP = {'sampleRateHz': 'sampling_rate', 'durationS': 'duration', 'hrMinBpm': 'min_hr_bpm',
            'hrMaxBpm': 'max_hr_bpm', 'hrvMinS': 'min_hrv_std', 'hrvMaxS': 'max_hrv_std',
            'pulseMinS': 'min_peak_duration', 'pulseMaxS': 'max_peak_duration',
            'ampMin': 'min_amplitude_scale', 'ampMax': 'max_amplitude_scale',
            'snrMinDb': 'min_snr_db', 'snrMaxDb': 'max_snr_db'}


def rng_fixture():
    out = []
    for seed in [0, 1, 42, 12345, 4294967295]:
        mt = np.random.MT19937()
        mt._legacy_seeding(seed)
        raw = [int(v) for v in mt.random_raw(8)]
        # the 625th.. outputs cross a twist boundary
        mt2 = np.random.MT19937()
        mt2._legacy_seeding(seed)
        raw_after_twist = [int(v) for v in mt2.random_raw(630)[620:630]]
        rs = np.random.RandomState(seed)
        sample = [float(v) for v in rs.random_sample(5)]
        rs = np.random.RandomState(seed)
        mixed = [float(rs.uniform(-3, 7)), float(rs.normal(1.5, 2)), float(rs.uniform(0, 1)),
                 float(rs.normal(0, 1)), float(rs.normal(0, 1))]  # cache survives the uniform draw
        rs = np.random.RandomState(seed)
        normals = [float(v) for v in rs.normal(0, 1, 7)]
        out.append({'seed': seed, 'raw': raw, 'rawAfterTwist620': raw_after_twist, 'randomSample': sample,
                    'mixed': mixed, 'normals': normals})
    return out


def spec_fixtures():
    rs = np.random.RandomState(2024)
    sim_signals, _ = simulate(42, 1)
    cases = [
        ('seed_like_default', sim_signals[0], {}),
        ('random_odd_len', rs.randn(2999) * 3 + 1, {}),
        ('random_short_odd', rs.randn(1001), {'sampleRateHz': 2000}),
        ('random_fs8000_hann', rs.randn(3000), {'sampleRateHz': 8000, 'window': 'hann', 'nperseg': 512, 'noverlap': 256}),
        ('random_hamming_nfft', rs.randn(2000), {'window': 'hamming', 'nperseg': 128, 'noverlap': 32, 'nfft': 512}),
        ('random_boxcar_spectrum', rs.randn(1500), {'window': 'boxcar', 'nperseg': 100, 'noverlap': 10, 'scaling': 'spectrum'}),
        ('random_tukey05_linear', rs.randn(2500) + np.linspace(0, 5, 2500), {'tukeyAlpha': 0.5, 'detrend': 'linear', 'sampleRateHz': 500}),
        ('random_nodetrend_odd_nfft', rs.randn(1200) + 2, {'detrend': False, 'nperseg': 200, 'noverlap': 50, 'nfft': 201}),
        ('random_shorter_than_nperseg', rs.randn(180), {}),
    ]
    meta = []
    for name, x, o in cases:
        kw = {'fs': o.get('sampleRateHz', 1000), 'nperseg': o.get('nperseg', 256),
              'noverlap': o.get('noverlap', o.get('nperseg', 256) // 2), 'nfft': o.get('nfft', o.get('nperseg', 256)),
              'detrend': o.get('detrend', 'constant'), 'scaling': o.get('scaling', 'density')}
        wname = o.get('window', 'tukey')
        kw['window'] = ('tukey', o.get('tukeyAlpha', 0.25)) if wname == 'tukey' else wname
        if len(x) < kw['nperseg']:  # scipy shortens nperseg (with a warning); mirror our defaults
            kw['nperseg'] = len(x)
            kw['noverlap'] = len(x) // 2
            kw['nfft'] = len(x)
        f, t, sxx = spectrogram(x, **kw)
        np.save(os.path.join(OUT, f'spec_{name}_x.npy'), np.asarray(x, dtype=np.float64))
        np.save(os.path.join(OUT, f'spec_{name}_sxx.npy'), np.ascontiguousarray(sxx, dtype=np.float64))
        meta.append({'name': name, 'options': o, 'scipyKwargs': {k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()},
                     'shape': list(sxx.shape), 'freqsHz': f.tolist(), 'timesS': t.tolist()})
    return meta


def main():
    if not os.path.isdir(OUT):
        sys.exit(f'run from the repository root ({OUT} not found)')
    with open(os.path.join(OUT, 'rng.json'), 'w') as fh:
        json.dump({'numpy': np.__version__, 'cases': rng_fixture()}, fh, indent=1)
    sim_meta = []
    for name, seed, n, params in SIM_CASES:
        signals, rows = simulate(seed, n, **{NAME_MAP[k]: v for k, v in params.items()})
        np.save(os.path.join(OUT, f'sim_{name}_signals.npy'), np.ascontiguousarray(signals))
        sim_meta.append({'name': name, 'seed': seed, 'n': n, 'params': params, 'shape': list(signals.shape), 'signals': rows})
    with open(os.path.join(OUT, 'sim_cases.json'), 'w') as fh:
        json.dump({'numpy': np.__version__, 'cases': sim_meta}, fh, indent=1)
    with open(os.path.join(OUT, 'spec_cases.json'), 'w') as fh:
        json.dump({'numpy': np.__version__, 'scipy': scipy.__version__, 'cases': spec_fixtures()}, fh, indent=1)
    print(f'wrote fixtures to {OUT}')


if __name__ == '__main__':
    main()
