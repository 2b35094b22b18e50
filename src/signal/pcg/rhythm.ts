/**
 * Beat times with realistic heart-rate variability.
 *
 * Sinus rhythm: an integral pulse frequency modulation (IPFM) model (Rompelman et al., Med. Biol.
 * Eng. Comput. 1977; Mateo & Laguna, IEEE TBME 2000): the sino-atrial node fires when
 * ∫ r(t) dt reaches the next integer, with instantaneous rate r(t) = (1 + m(t)) / RR0. The
 * modulation m(t) follows the ECGSYN RR spectrum (McSharry et al., IEEE TBME 50(3), 2003): a
 * bimodal spectrum of two Gaussians, LF around 0.1 Hz (σ 0.01 Hz) and HF at the breathing rate;
 * built as a sum of sinusoids with random phases (ECGSYN's inverse-FFT construction). The HF
 * part is a sinusoid phase-locked to breathing so that the rate rises on inspiration (RSA). The
 * integral of a sum of sinusoids is closed-form, so beat times are exact roots (bisection).
 *
 * Options: premature (ectopic) beats with a full compensatory pause, and AF-like rhythm
 * (i.i.d. RR from a log-normal law, no RSA). Browser-safe.
 */
import type { FastRng } from '../rng.js';

/** Breathing: phase φ(t) = 2π f t + φ0; inspiration when sin φ > 0. */
export interface Breathing {
  hz: number;
  phase0: number;
}

/** Inspiration level in [0, 1] at time t (1 at peak inspiration, 0 at end-expiration). */
export function inspiration(b: Breathing, tS: number): number {
  return 0.5 * (1 + Math.sin(2 * Math.PI * b.hz * tS + b.phase0));
}

export interface RhythmSettings {
  hrBpm: number;
  rrCv: number;
  lfShare: number;
  lfHz: number;
  ectopicProbability: number;
  ectopicCoupling: number;
  afRrCv: number;
  rhythm: 'sinus' | 'af';
}

export interface Rhythm {
  /** Beat (S1 onset) times, s, increasing, covering [startS, endS]. */
  beatTimesS: number[];
  /** Per beat: true when the beat is premature (ectopic). */
  ectopic: boolean[];
}

const LF_SIGMA_HZ = 0.01; // ECGSYN's c1
const N_LF_COMPONENTS = 24;

/** Generate beat times in [startS, endS] (startS may be negative). */
export function generateRhythm(s: RhythmSettings, breathing: Breathing, startS: number, endS: number, rng: FastRng): Rhythm {
  const rr0 = 60 / s.hrBpm;
  if (s.rhythm === 'af') return afRhythm(rr0, s.afRrCv, startS, endS, rng);
  // modulation m(t) = Σ a_k cos(2π f_k t + φ_k); variance Σ a_k²/2 = rrCv²
  const freqs: number[] = [];
  const amps: number[] = [];
  const phases: number[] = [];
  const varTotal = s.rrCv * s.rrCv;
  // LF: Gaussian spectrum sampled on a grid ±3σ, random phases
  const weights: number[] = [];
  for (let k = 0; k < N_LF_COMPONENTS; k++) {
    const f = s.lfHz + LF_SIGMA_HZ * (-3 + (6 * (k + 0.5)) / N_LF_COMPONENTS);
    const z = (f - s.lfHz) / LF_SIGMA_HZ;
    freqs.push(f);
    weights.push(Math.exp(-0.5 * z * z));
    phases.push(2 * Math.PI * rng.random());
  }
  const wSum = weights.reduce((a, b) => a + b, 0);
  for (const w of weights) amps.push(Math.sqrt((2 * varTotal * s.lfShare * w) / wSum));
  // HF (RSA): locked to breathing, rate up at inspiration: cos(2πft + φ0 − π/2) = sin(2πft + φ0)
  freqs.push(breathing.hz);
  amps.push(Math.sqrt(2 * varTotal * (1 - s.lfShare)));
  phases.push(breathing.phase0 - Math.PI / 2);
  // keep the rate positive: |m| ≤ Σ a_k must stay below 0.6
  const aSum = amps.reduce((a, b) => a + b, 0);
  if (aSum > 0.6) for (let k = 0; k < amps.length; k++) amps[k]! *= 0.6 / aSum;
  const n = freqs.length;
  // Φ(t) = (t + Σ a_k/(2π f_k)·sin(2π f_k t + φ_k)) / RR0 ; beats where Φ(t) − Φ(startS) + u0 ∈ ℤ
  const phi = (t: number): number => {
    let acc = t;
    for (let k = 0; k < n; k++) acc += (amps[k]! / (2 * Math.PI * freqs[k]!)) * Math.sin(2 * Math.PI * freqs[k]! * t + phases[k]!);
    return acc / rr0;
  };
  const offset = rng.random();
  const base = phi(startS) - offset;
  const beats: number[] = [];
  let target = 1;
  let lo = startS;
  const step = rr0 * 0.25; // Φ grows by ≥ 0.4·0.25 per step (rate ≥ 0.4/RR0)
  while (lo <= endS + 2 * rr0) {
    let hi = lo + step;
    while (phi(hi) - base < target) {
      lo = hi;
      hi += step;
    }
    for (let it = 0; it < 50 && hi - lo > 1e-9; it++) {
      const mid = 0.5 * (lo + hi);
      if (phi(mid) - base < target) lo = mid;
      else hi = mid;
    }
    beats.push(0.5 * (lo + hi));
    lo = 0.5 * (lo + hi);
    target += 1;
  }
  const ectopic = beats.map(() => false);
  if (s.ectopicProbability > 0) {
    // a premature beat k replaces sinus beat k at t_{k−1} + c·(t_k − t_{k−1}); the sinus beat k+1
    // is kept, so the pause after it compensates fully (ventricular ectopy)
    for (let k = 1; k + 1 < beats.length; k++) {
      const u = rng.random();
      const c = s.ectopicCoupling;
      if (u < s.ectopicProbability && !ectopic[k - 1]) {
        beats[k] = beats[k - 1]! + c * (beats[k]! - beats[k - 1]!);
        ectopic[k] = true;
      }
    }
  }
  return trim({ beatTimesS: beats, ectopic }, startS, endS);
}

function afRhythm(rr0: number, cv: number, startS: number, endS: number, rng: FastRng): Rhythm {
  // log-normal RR with mean rr0 and coefficient of variation cv, floored at 0.25 s
  const sigma = Math.sqrt(Math.log(1 + cv * cv));
  const mu = Math.log(rr0) - 0.5 * sigma * sigma;
  const beats: number[] = [];
  let t = startS + rng.random() * rr0;
  while (t <= endS + 2 * rr0) {
    beats.push(t);
    t += Math.max(0.25, Math.exp(mu + sigma * rng.normal()));
  }
  return { beatTimesS: beats, ectopic: beats.map(() => false) };
}

function trim(r: Rhythm, startS: number, endS: number): Rhythm {
  const keep = r.beatTimesS.map((t) => t >= startS && t <= endS + 2);
  return { beatTimesS: r.beatTimesS.filter((_, i) => keep[i]), ectopic: r.ectopic.filter((_, i) => keep[i]) };
}
