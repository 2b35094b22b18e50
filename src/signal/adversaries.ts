/**
 * Seeded synthetic non-heart sounds ("adversaries") for testing and tuning the gate (issue 11).
 * Browser-safe; the same (kind, seed, options) gives the same samples.
 *
 * Kinds: clicks (metronome / camera shutter: short decaying tone bursts, optionally doubled),
 * am-noise (white/pink/brown noise amplitude-modulated at a rhythm), tone (a tone with harmonics,
 * optionally beeping like an alarm), hum (mains hum with harmonics), speech-like (a glottal pulse
 * train through moving formant resonators, syllables at ~4 Hz), music-like (chords of harmonic
 * notes changing on a beat), breathing (band noise with a slow envelope), bursts (low-frequency
 * noise bursts of heart-sound length at one per cycle), silence (all zeros).
 */
import { FastRng } from './rng.js';

export const ADVERSARY_KINDS = ['clicks', 'am-noise', 'tone', 'hum', 'speech-like', 'music-like', 'breathing', 'bursts', 'silence'] as const;
export type AdversaryKind = (typeof ADVERSARY_KINDS)[number];

export interface AdversaryOptions {
  /** Default 4000. */
  sampleRateHz?: number;
  /** Default 20. */
  durationS?: number;
  /** Events per minute (clicks, bursts, beeps, chord changes) or modulation rate × 60 (am-noise). */
  ratePerMin?: number;
  /** Clicks: two clicks 60 ms apart per event (a camera shutter). */
  double?: boolean;
  /** am-noise colour. Default 'white'. */
  colour?: 'white' | 'pink' | 'brown';
  /** Tone / click carrier, Hz. */
  frequencyHz?: number;
  /** Timing jitter of events, s (SD). Default 0. */
  jitterS?: number;
}

/** White, pink (Kellet's economy filter) or brown (leaky integrator, pole 0.995) noise, one normal draw per sample. */
export function colouredNoise(rng: FastRng, n: number, colour: 'white' | 'pink' | 'brown'): Float64Array {
  const out = new Float64Array(n);
  if (colour === 'white') {
    for (let i = 0; i < n; i++) out[i] = rng.normal();
  } else if (colour === 'brown') {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc = 0.995 * acc + rng.normal();
      out[i] = acc;
    }
  } else {
    // Paul Kellet's economy pink filter.
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    for (let i = 0; i < n; i++) {
      const w = rng.normal();
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    }
  }
  return out;
}

/** Scale `x` in place to the given peak (a silent signal stays silent). */
export function normalise(x: Float64Array, peak = 0.5): Float64Array {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  if (m > 0) for (let i = 0; i < x.length; i++) x[i] = (x[i]! / m) * peak;
  return x;
}

/** Generate one adversary signal (mono, peak 0.5). */
export function adversarySignal(kind: AdversaryKind, seed: number, options: AdversaryOptions = {}): Float64Array {
  const fs = options.sampleRateHz ?? 4000;
  const n = Math.round((options.durationS ?? 20) * fs);
  const rng = new FastRng(seed);
  const rate = (options.ratePerMin ?? 66) / 60;
  const jitter = options.jitterS ?? 0;
  const x = new Float64Array(n);
  const events = (): number[] => {
    const t: number[] = [];
    for (let s = rng.uniform(0, 1 / rate); s < n / fs; s += 1 / rate) t.push(s + (jitter > 0 ? rng.normal(0, jitter) : 0));
    return t;
  };
  switch (kind) {
    case 'silence':
      return x;
    case 'clicks': {
      const f = options.frequencyHz ?? 1800;
      for (const t0 of events()) {
        for (const t of options.double ? [t0, t0 + 0.06] : [t0]) {
          const i0 = Math.round(t * fs);
          for (let k = 0; k < Math.round(0.02 * fs) && i0 + k < n; k++) {
            if (i0 + k < 0) continue;
            x[i0 + k] += Math.exp(-k / (0.003 * fs)) * (Math.sin((2 * Math.PI * f * k) / fs) + 0.5 * rng.normal());
          }
        }
      }
      for (let i = 0; i < n; i++) x[i] += 1e-3 * rng.normal();
      return normalise(x);
    }
    case 'am-noise': {
      const noise = colouredNoise(rng, n, options.colour ?? 'white');
      const ph = rng.uniform(0, 2 * Math.PI);
      for (let i = 0; i < n; i++) x[i] = noise[i]! * (0.5 + 0.5 * Math.sin((2 * Math.PI * rate * i) / fs + ph)) ** 2;
      return normalise(x);
    }
    case 'tone': {
      const f = options.frequencyHz ?? 880;
      const beep = options.ratePerMin !== undefined;
      for (let i = 0; i < n; i++) {
        const t = i / fs;
        const on = !beep || (t * rate) % 1 < 0.4 ? 1 : 0;
        x[i] = on * (Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t) + 0.1 * Math.sin(6 * Math.PI * f * t)) + 0.01 * rng.normal();
      }
      return normalise(x);
    }
    case 'hum': {
      const f = options.frequencyHz ?? 50;
      for (let i = 0; i < n; i++) {
        const t = i / fs;
        x[i] = Math.sin(2 * Math.PI * f * t) + 0.5 * Math.sin(4 * Math.PI * f * t) + 0.3 * Math.sin(6 * Math.PI * f * t) + 0.02 * rng.normal();
      }
      return normalise(x);
    }
    case 'speech-like': {
      // Glottal pulses at a wandering pitch through two moving formant resonators, syllables ~4 Hz.
      let phase = 0;
      const pitch0 = rng.uniform(100, 220);
      const src = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const t = i / fs;
        const f0 = pitch0 * (1 + 0.15 * Math.sin(2 * Math.PI * 0.7 * t));
        phase += f0 / fs;
        if (phase >= 1) {
          phase -= 1;
          src[i] = 1;
        }
      }
      let y1 = 0;
      let y2 = 0;
      let z1 = 0;
      let z2 = 0;
      let syl = 0;
      let sylLen = Math.round(rng.uniform(0.15, 0.35) * fs);
      let f1 = 500;
      let f2 = 1500;
      for (let i = 0; i < n; i++) {
        if (--sylLen <= 0) {
          sylLen = Math.round(rng.uniform(0.15, 0.35) * fs);
          syl = rng.random() < 0.2 ? 0 : 1;
          f1 = rng.uniform(300, 800);
          f2 = rng.uniform(900, Math.min(2400, 0.45 * fs));
        }
        const r = 0.97;
        const a1 = 2 * r * Math.cos((2 * Math.PI * f1) / fs);
        const a2 = 2 * r * Math.cos((2 * Math.PI * f2) / fs);
        const e = syl * (src[i]! + 0.05 * rng.normal());
        const o1 = e + a1 * y1 - r * r * y2;
        y2 = y1;
        y1 = o1;
        const o2 = e + a2 * z1 - r * r * z2;
        z2 = z1;
        z1 = o2;
        x[i] = o1 + 0.7 * o2;
      }
      return normalise(x);
    }
    case 'music-like': {
      const notes = [0, 4, 7];
      let root = 220;
      let next = 0;
      for (let i = 0; i < n; i++) {
        const t = i / fs;
        if (t >= next) {
          root = 110 * 2 ** (rng.int(24) / 12);
          next += 1 / rate;
        }
        let v = 0;
        for (const s of notes) for (let h = 1; h <= 4; h++) v += Math.sin(2 * Math.PI * root * 2 ** (s / 12) * h * t) / h;
        x[i] = v * Math.exp(-3 * ((t * rate) % 1));
      }
      return normalise(x);
    }
    case 'breathing': {
      const noise = colouredNoise(rng, n, 'pink');
      const br = (options.ratePerMin ?? 18) / 60;
      for (let i = 0; i < n; i++) x[i] = noise[i]! * Math.max(0, Math.sin((2 * Math.PI * br * i) / fs)) ** 2;
      return normalise(x);
    }
    case 'bursts': {
      const noise = colouredNoise(rng, n, 'brown');
      for (const t of events()) {
        const i0 = Math.round(t * fs);
        const len = Math.round(0.08 * fs);
        for (let k = 0; k < len && i0 + k < n; k++) if (i0 + k >= 0) x[i0 + k] = noise[i0 + k]! * Math.sin((Math.PI * k) / len);
      }
      for (let i = 0; i < n; i++) x[i] += 0.01 * rng.normal();
      return normalise(x);
    }
  }
}

/** The seeded adversary set used by scripts/gate-adversaries.ts and the tests (name, kind, options). */
export function adversarySet(): Array<{ name: string; kind: AdversaryKind; seed: number; options: AdversaryOptions }> {
  const out: Array<{ name: string; kind: AdversaryKind; seed: number; options: AdversaryOptions }> = [];
  let seed = 100;
  for (const r of [40, 66, 90, 140]) out.push({ name: `clicks-${r}`, kind: 'clicks', seed: seed++, options: { ratePerMin: r } });
  for (const r of [60, 66, 80]) out.push({ name: `shutter-${r}`, kind: 'clicks', seed: seed++, options: { ratePerMin: r, double: true, frequencyHz: 900 } });
  out.push({ name: 'clicks-66-jitter', kind: 'clicks', seed: seed++, options: { ratePerMin: 66, jitterS: 0.02 } });
  for (const colour of ['white', 'pink', 'brown'] as const) {
    for (const r of [60, 90, 120]) out.push({ name: `am-${colour}-${r}`, kind: 'am-noise', seed: seed++, options: { ratePerMin: r, colour } });
  }
  out.push({ name: 'tone-440', kind: 'tone', seed: seed++, options: { frequencyHz: 440 } });
  out.push({ name: 'alarm-beep-120', kind: 'tone', seed: seed++, options: { frequencyHz: 1000, ratePerMin: 120 } });
  out.push({ name: 'alarm-beep-70-low', kind: 'tone', seed: seed++, options: { frequencyHz: 150, ratePerMin: 70 } });
  out.push({ name: 'hum-50', kind: 'hum', seed: seed++, options: { frequencyHz: 50 } });
  out.push({ name: 'hum-60', kind: 'hum', seed: seed++, options: { frequencyHz: 60 } });
  for (let k = 0; k < 3; k++) out.push({ name: `speech-like-${k}`, kind: 'speech-like', seed: seed++, options: {} });
  for (const r of [60, 100]) out.push({ name: `music-like-${r}`, kind: 'music-like', seed: seed++, options: { ratePerMin: r } });
  out.push({ name: 'breathing-18', kind: 'breathing', seed: seed++, options: { ratePerMin: 18 } });
  for (const r of [60, 75, 100]) out.push({ name: `bursts-${r}`, kind: 'bursts', seed: seed++, options: { ratePerMin: r, jitterS: 0.02 } });
  out.push({ name: 'silence', kind: 'silence', seed: seed++, options: {} });
  return out;
}
