#!/usr/bin/env python3
"""Fit the PCG simulator's recording profiles (src/signal/pcg/recordingProfiles.ts) on circor-train.

    python3 scripts/fit_pcg_profiles.py [--data ../shared/data/circor-train]

Needs numpy and scipy (the simulator and the tests do not: they read the generated TS table).

A "recording profile" is what differs most from one real recording to the next: the spectrum of
the noise (everything that is not a heart sound: ambient, breath, handling, electronics), the
spectrum of the heart sounds, and the heart sounds' loudness over the noise. Per recording:
  noise   mean Hann periodogram (512 points, zero-padded; 50 % overlapping blocks in long
          stretches) of the middle of every diastole segment (state 4, 15 % trimmed at the start,
          10 % at the end, >= 256 samples left);
  sounds  the same over every S1 and S2 segment (states 1 and 3);
  heart   sounds - noise per frequency, floored at 5 % of sounds;
  bands   the mean density (power per Hz) of noise and heart in the 15 bands of
          BAND_EDGES_HZ, as log densities relative to the
          recording's total noise power (noise) or total heart power (heart);
  snrDb   10·log10(heart power / noise power) over the S1/S2 samples;
  episodes the unannotated stretch at the start (lead) and at the end (trail) of a recording
          (state 0; 91 % of recordings have one, median 3 s and 4.8 s, much louder than the
          annotated part: placing and lifting the stethoscope, movement, voices):
          log(duration + 0.25 s) of each, their power over the annotated part's power in dB
          (stretches >= 0.5 s), and the log band densities of both together (relative);
          missing values (no such stretch) are imputed with the mean of the others.
The 50 numbers per recording (15 noise, 15 heart, snrDb, 15 episode, 2 log durations, 2 dB) get a
multivariate normal: mean and
lower Cholesky factor of the covariance (shrunk 5 % towards its diagonal), which the simulator
draws from with each recording's seed.

Recordings used: every circor-train recording EXCEPT the 200 that scripts/pcg-realism.ts scores
by default (files sorted by name, every 3rd from the first), so the realism figures are not
in-sample for the profiles. pcg-real and pcg-ecg are never read.

Data: The CirCor DigiScope Phonocardiogram Dataset (Oliveira J. et al.), PhysioNet,
doi:10.13026/tshs-mw03; J. H. Oliveira et al., IEEE JBHI 26(6) 2022, doi:10.1109/JBHI.2021.3137048;
Goldberger et al., Circulation 101(23) 2000 (PhysioNet). Licence ODC-By 1.0.
"""
import argparse
import os

import numpy as np
from scipy.io import wavfile

# the realism classifier's bands, the top ones split finer (real recorders roll off above 1 kHz)
BAND_EDGES_HZ = [0, 25, 50, 100, 150, 200, 300, 400, 600, 800, 1000, 1250, 1500, 1750, 1900, 2000]
FS = 4000
NFFT = 512
OUT = os.path.join('src', 'signal', 'pcg', 'recordingProfiles.ts')


def periodogram_mean(x, stretches):
    """Mean one-sided Hann periodogram density (power/Hz) over the stretches, zero-padded to NFFT."""
    acc = np.zeros(NFFT // 2 + 1)
    n = 0
    for a, b in stretches:
        seg = x[a:b]
        if len(seg) > NFFT:
            # several NFFT blocks, 50 % overlap
            starts = range(0, len(seg) - NFFT + 1, NFFT // 2)
            blocks = [seg[s:s + NFFT] for s in starts]
        else:
            blocks = [seg]
        for blk in blocks:
            w = np.hanning(len(blk) + 2)[1:-1]
            y = (blk - blk.mean()) * w
            p = np.abs(np.fft.rfft(y, NFFT)) ** 2 / (FS * np.sum(w ** 2))
            p[1:-1] *= 2
            acc += p
            n += 1
    return acc / max(n, 1), n


def band_density(psd):
    f = np.fft.rfftfreq(NFFT, 1 / FS)
    out = []
    for lo, hi in zip(BAND_EDGES_HZ[:-1], BAND_EDGES_HZ[1:]):
        m = (f >= lo) & (f < hi) & (f > 0)
        out.append(psd[m].mean())
    return np.array(out)


def profile(path_wav, path_tsv):
    fs, x = wavfile.read(path_wav)
    assert fs == FS
    x = x.astype(np.float64) / 32768.0
    rows = [l.split('\t') for l in open(path_tsv).read().strip().splitlines()]
    noise, sounds = [], []
    for r in rows:
        t0, t1, st = float(r[0]), float(r[1]), int(float(r[2]))
        a, b = int(round(t0 * FS)), min(len(x), int(round(t1 * FS)))
        if st == 4:
            d = b - a
            a2, b2 = a + int(0.15 * d), b - int(0.10 * d)
            if b2 - a2 >= 256:
                noise.append((a2, b2))
        elif st in (1, 3) and b - a >= 64:
            sounds.append((a, b))
    if len(noise) < 4 or len(sounds) < 8:
        return None
    pn, _ = periodogram_mean(x, noise)
    ps, _ = periodogram_mean(x, sounds)
    ph = np.maximum(ps - pn, 0.05 * ps)
    bn, bh = band_density(pn), band_density(ph)
    widths = np.diff(BAND_EDGES_HZ)
    noise_power = np.sum(bn * widths)
    heart_power = np.sum(bh * widths)
    # loudness from the samples themselves (time domain): S1/S2 power over diastole power
    p_sound = np.mean(np.concatenate([x[a:b] for a, b in sounds]) ** 2)
    p_noise = np.mean(np.concatenate([x[a:b] for a, b in noise]) ** 2)
    p_heart = max(p_sound - p_noise, 0.05 * p_sound)
    snr_db = 10 * np.log10(p_heart / p_noise)
    # episodes: unannotated lead and trail
    first, last = rows[0], rows[-1]
    lead = float(first[1]) - float(first[0]) if int(float(first[2])) == 0 else 0.0
    trail = float(last[1]) - float(last[0]) if int(float(last[2])) == 0 and len(rows) > 1 else 0.0
    i_lead = int(round(lead * FS))
    i_trail = len(x) - int(round(trail * FS))
    annotated = x[i_lead:i_trail]
    p_mid = np.mean(annotated ** 2)
    db = lambda seg: 10 * np.log10(np.mean(seg ** 2) / p_mid) if len(seg) >= FS // 2 else np.nan
    lead_db, trail_db = db(x[:i_lead]), db(x[i_trail:])
    ep = [(a, b) for a, b in [(0, i_lead), (i_trail, len(x))] if b - a >= FS // 2]
    if ep:
        pe, _ = periodogram_mean(x, ep)
        be = band_density(pe)
        ep_shape = np.log(be / np.sum(be * widths))
    else:
        ep_shape = np.full(len(widths), np.nan)
    return np.concatenate([np.log(bn / noise_power), np.log(bh / heart_power), [snr_db], ep_shape, [np.log(lead + 0.25), np.log(trail + 0.25), lead_db, trail_db]])


def main():
    ap = argparse.ArgumentParser()
    here = os.getcwd()
    default = next((d for d in [os.path.join(here, '..', 'shared', 'data', 'circor-train'), os.path.join(here, '..', '..', 'shared', 'data', 'circor-train')] if os.path.isdir(d)), 'circor-train')
    ap.add_argument('--data', default=default)
    args = ap.parse_args()
    files = sorted(f for f in os.listdir(args.data) if f.endswith('.wav'))
    step = max(1, len(files) // 200)
    held_out = set(files[i] for i in range(0, len(files), step)[:200])
    vecs = []
    for f in files:
        if f in held_out:
            continue
        v = profile(os.path.join(args.data, f), os.path.join(args.data, f[:-4] + '.tsv'))
        if v is not None and np.all(np.isfinite(v[:2 * (len(BAND_EDGES_HZ) - 1) + 1])):
            vecs.append(v)
    V = np.array(vecs)
    for j in range(V.shape[1]):
        col = V[:, j]
        col[~np.isfinite(col)] = np.nanmean(col)
    mu = V.mean(axis=0)
    cov = np.cov(V, rowvar=False)
    cov = 0.95 * cov + 0.05 * np.diag(np.diag(cov))
    L = np.linalg.cholesky(cov)
    fmt = lambda a: '[' + ', '.join(f'{v:.4f}' for v in a) + ']'
    lines = [
        '/**',
        ' * Recording profiles of the PCG simulator, fitted on circor-train by scripts/fit_pcg_profiles.py',
        f' * (GENERATED, do not edit; {len(V)} recordings, the 200 that scripts/pcg-realism.ts scores held out).',
        ' * One profile = 50 numbers: the log band densities of the noise (15, relative to the total',
        ' * noise power), of the heart sounds (15, relative to their total power), in the bands',
        ' * PROFILE_BAND_EDGES_HZ, the heart sounds\' power over the noise power in dB, the log band',
        ' * densities of the noisy unannotated lead-in and tail (15), log(duration + 0.25 s) of the lead',
        ' * and the tail, and their power over the annotated part\'s in dB. They follow a multivariate',
        ' * normal with mean PROFILE_MEAN and lower Cholesky factor PROFILE_CHOLESKY.',
        ' * Derived from the CirCor DigiScope Phonocardiogram Dataset (Oliveira J. et al., PhysioNet,',
        ' * doi:10.13026/tshs-mw03; IEEE JBHI 26(6) 2022, doi:10.1109/JBHI.2021.3137048; Goldberger et',
        ' * al., Circulation 2000), licence ODC-By 1.0. Browser-safe.',
        ' */',
        '',
        '/** Band edges, Hz (15 bands). */',
        f'export const PROFILE_BAND_EDGES_HZ: readonly number[] = Object.freeze({fmt(BAND_EDGES_HZ).replace(".0000", "")});',
        '',
        '/** Number of recordings the profiles were fitted on. */',
        f'export const PROFILE_RECORDINGS = {len(V)};',
        '',
        '/** Mean profile: [noise log density ×15, heart log density ×15, snrDb, episode log density ×15, leadLogS, trailLogS, leadDb, trailDb]. */',
        f'export const PROFILE_MEAN: readonly number[] = Object.freeze({fmt(mu)});',
        '',
        '/** Lower Cholesky factor of the profiles\' covariance (row-major rows, 50 × 50). */',
        'export const PROFILE_CHOLESKY: readonly (readonly number[])[] = Object.freeze([',
    ]
    for i in range(len(mu)):
        lines.append(f'  {fmt(L[i, : i + 1])},')
    lines += [']);', '']
    text = '\n'.join(lines)
    tmp = OUT + '.tmp'
    with open(tmp, 'w') as fh:
        fh.write(text)
    os.replace(tmp, OUT)
    sd = np.sqrt(np.diag(cov))
    print(f'{len(V)} recordings; mean {np.round(mu, 2).tolist()}; sd {np.round(sd, 2).tolist()}')


if __name__ == '__main__':
    main()
