/**
 * `simulatePcg`: a physiological phonocardiogram (PCG) simulator with exact truth.
 *
 * Pipeline (docs/simulator.md has the references and the calibration):
 * 1. draw every parameter from its range (params.ts) with the seed;
 * 2. beat times: IPFM with an ECGSYN spectrum (RSA at the breathing rate + LF), optional
 *    ectopics or AF-like rhythm (rhythm.ts);
 * 3. per beat: systole from the systole–HR relation (timing.ts); S1 = M1 + T1 and S2 = A2 + P2
 *    as damped, band-limited oscillations with a gliding frequency; the A2–P2 split widens with
 *    inspiration; optional S3/S4; a noise-like share of each sound; optional murmur;
 * 4. chest low-pass and sensor high-pass on the heart sounds; breath sounds (band-passed noise
 *    following the airflow), a low-frequency rumble, friction spikes, coloured (1/f^c), slowly modulated ambient noise at an SNR;
 *    sensor band (2nd order); anti-alias low-pass (4th order at 0.45·fs); a white floor;
 *    peak gain.
 * Independent random streams per stage, so e.g. a different noise level keeps the same beats.
 * Browser-safe, deterministic (same options → same samples), any sample rate ≥ 200 Hz.
 */
import { FastRng } from '../rng.js';
import { drawParams, resolvePcgOptions, type PcgParams, type PcgSimOptions, type ResolvedPcgSimOptions } from './params.js';
import { generateRhythm, inspiration, type Breathing } from './rhythm.js';
import { beatSystoleS } from './timing.js';
import { applyBiquad, biquad, colourNoise, rms, slowModulation } from './filters.js';
import { drawRecordingProfile, shapeSpectrum, type RecordingProfile } from './spectralShape.js';
import { PROFILE_BAND_EDGES_HZ } from './recordingProfiles.js';
import { cycleSegments, rrSummary, type CycleTimes, type StateSegment } from './truth.js';

/** Exact truth of one simulated recording. */
export interface PcgTruth {
  options: ResolvedPcgSimOptions;
  /** The drawn parameter values. */
  params: PcgParams;
  /** S1 onsets (M1 onset) inside [0, durationS), s. */
  beatTimesS: number[];
  /** A2 onsets of the same beats, s (null when A2 falls after the end). */
  s2TimesS: Array<number | null>;
  /** Per beat: premature (ectopic) beat. */
  ectopic: boolean[];
  /** Intervals between consecutive beats of `beatTimesS`, s. */
  rrS: number[];
  /** HR and HRV of `rrS` (SD with ddof 0). */
  hrBpm: number | null;
  meanRrMs: number | null;
  sdnnMs: number | null;
  rmssdMs: number | null;
  /** CirCor-style state segments covering [0, durationS]. */
  segments: StateSegment[];
  /**
   * Durations of the noisy lead-in and tail (profile 'circor'; [0, 0] otherwise), s. CirCor's
   * annotators leave such stretches unlabelled (state 0); a scorer can do the same with
   * {@link maskNoisyEdges}.
   */
  noisyEdgesS: [number, number];
}

/** One simulated recording: samples (full scale ±1) and truth. */
export interface SimulatedPcg {
  samples: Float32Array;
  sampleRateHz: number;
  truth: PcgTruth;
}

// stream ids: one FastRng per stage
const STREAM = { params: 1, rhythm: 2, sounds: 3, soundNoise: 4, murmur: 5, breath: 6, ambient: 7, friction: 8, floor: 9, rumble: 10, profile: 11, edges: 12 } as const;
function stream(seed: number, id: number): FastRng {
  return new FastRng((seed + Math.imul(id, 0x9e3779b1)) >>> 0);
}

/** Envelope u(1−u)² scaled to peak 1 at u = 1/3: a fast rise and a slower decay, zero at both ends. */
function envelope(u: number): number {
  const v = 1 - u;
  return 6.75 * u * v * v;
}

interface SoundAtom {
  onsetS: number;
  durationS: number;
  hz: number;
  amplitude: number;
  glide: number;
  phase: number;
  harmonic: number;
}

/** Add one damped oscillation (tonal share) and its envelope (noise share) into the tracks. */
function renderAtom(a: SoundAtom, tonal: Float64Array, noiseEnv: Float64Array, noiseShare: number, fs: number): void {
  const i0 = Math.max(0, Math.ceil(a.onsetS * fs));
  const i1 = Math.min(tonal.length, Math.floor((a.onsetS + a.durationS) * fs));
  const w = 2 * Math.PI * a.hz;
  const tonalGain = a.amplitude * Math.sqrt(1 - noiseShare);
  const noiseGain = a.amplitude * Math.sqrt(noiseShare);
  for (let i = i0; i < i1; i++) {
    const tau = i / fs - a.onsetS;
    const u = tau / a.durationS;
    const e = envelope(u);
    // frequency glides from hz to hz·(1 − glide) over the sound
    const ph = w * (tau - (a.glide * tau * tau) / (2 * a.durationS)) + a.phase;
    tonal[i]! += tonalGain * e * (Math.sin(ph) + a.harmonic * Math.sin(1.9 * ph + 0.7));
    noiseEnv[i]! += noiseGain * e;
  }
}

/** Add a murmur envelope between t0 and t1 with the given shape (peak 1). */
function renderMurmurEnvelope(env: Float64Array, t0: number, t1: number, shape: 'diamond' | 'plateau' | 'decrescendo', fs: number): void {
  const i0 = Math.max(0, Math.ceil(t0 * fs));
  const i1 = Math.min(env.length, Math.floor(t1 * fs));
  const d = t1 - t0;
  if (d <= 0) return;
  for (let i = i0; i < i1; i++) {
    const u = (i / fs - t0) / d;
    let e: number;
    if (shape === 'diamond') e = u < 0.4 ? u / 0.4 : (1 - u) / 0.6;
    else if (shape === 'plateau') e = Math.min(1, u / 0.08, (1 - u) / 0.08);
    else e = Math.min(1, u / 0.05) * (1 - u) ** 1.5;
    env[i]! += e;
  }
}

function normalisedNoise(rng: FastRng, n: number): Float64Array {
  const x = new Float64Array(n);
  rng.fillNormal(x);
  return x;
}

function scaleToRms(x: Float64Array, target: number): void {
  const r = rms(x);
  if (r > 0) for (let i = 0; i < x.length; i++) x[i]! *= target / r;
}

/** Friction / handling spikes: decaying broadband bursts, Poisson in time (rate perS), peak ≈ ampRef·U(0.5, 1.5). */
function addFriction(x: Float64Array, perS: number, ampRef: number, durationS: number, fs: number, fr: FastRng): void {
  if (perS <= 0) return;
  const n = x.length;
  let t = -Math.log(1 - fr.random()) / perS;
  while (t < durationS) {
    const dur = 0.005 + 0.035 * fr.random();
    const amp = ampRef * (0.5 + fr.random());
    const i0 = Math.floor(t * fs);
    const i1 = Math.min(n, i0 + Math.ceil(dur * fs));
    for (let i = i0; i < i1; i++) x[i]! += amp * Math.exp((-5 * (i - i0)) / (i1 - i0)) * fr.normal();
    t += -Math.log(1 - fr.random()) / perS;
  }
}

/**
 * The noisy lead-in and tail of a real recording (placing and lifting the stethoscope): noise
 * with the profile's edge spectrum, impulsively modulated, over the first leadS and the last trailS
 * seconds (times `scale`, each at most 45 % of the recording), loud enough that those stretches
 * have leadDb / trailDb more power than the rest; 0.3 s cosine ramps.
 */
function addEdgeNoise(x: Float64Array, profile: RecordingProfile, scale: number, fs: number, rng: FastRng): [number, number] {
  const n = x.length;
  const leadN = Math.min(Math.round(0.45 * n), Math.round(profile.leadS * scale * fs));
  const trailN = Math.min(Math.round(0.45 * n), Math.round(profile.trailS * scale * fs));
  const noise = normalisedNoise(rng, n);
  const pMid = rms(x) ** 2;
  if (leadN + trailN < 2 || pMid <= 0) return [0, 0];
  shapeSpectrum(noise, fs, PROFILE_BAND_EDGES_HZ, profile.edgeLogDensity);
  // handling noise is impulsive (circor-train lead-ins: kurtosis ≈ 11–190, median 55): a
  // log-normal gain with depth 0.5–1.2 nepers changing every 80 ms gives 3·exp(4·depth²) ≈ 8–950
  const depth = 0.7 + 0.8 * rng.random();
  slowModulation(noise, depth, 0.05, fs, () => rng.normal());
  scaleToRms(noise, 1);
  const amp = (db: number): number => Math.sqrt(pMid * Math.max(0, 10 ** (db / 10) - 1));
  const ramp = Math.max(1, Math.round(0.3 * fs));
  const aLead = amp(profile.leadDb);
  const aTrail = amp(profile.trailDb);
  for (let i = 0; i < n; i++) {
    let g = 0;
    if (leadN > 0 && i < leadN + ramp) g += aLead * (i < leadN ? 1 : 0.5 + 0.5 * Math.cos((Math.PI * (i - leadN)) / ramp));
    const j = n - 1 - i;
    if (trailN > 0 && j < trailN + ramp) g += aTrail * (j < trailN ? 1 : 0.5 + 0.5 * Math.cos((Math.PI * (j - trailN)) / ramp));
    if (g > 0) x[i]! += g * noise[i]!;
  }
  return [leadN / fs, trailN / fs];
}

/**
 * Segments with the noisy lead-in [0, leadS) and tail (durationS − trailS, durationS] relabelled
 * as state 0 (unknown), as CirCor's annotators leave them: cycles touching them become state 0.
 */
export function maskNoisyEdges(truth: Pick<PcgTruth, 'segments' | 'noisyEdgesS'>, durationS: number): StateSegment[] {
  const [leadS, trailS] = truth.noisyEdgesS;
  if (leadS <= 0 && trailS <= 0) return truth.segments;
  // drop whole cycles (S1 … diastole) that overlap an edge, then merge runs of state 0
  const seg = truth.segments;
  const out: StateSegment[] = [];
  const push = (x: StateSegment): void => {
    const last = out[out.length - 1];
    if (last && last.state === 0 && x.state === 0) last.endS = x.endS;
    else out.push({ ...x });
  };
  for (let i = 0; i < seg.length; i++) {
    const x = seg[i]!;
    if (x.state === 1 && i + 3 < seg.length) {
      const cycleStart = x.startS;
      const cycleEnd = seg[i + 3]!.endS;
      const bad = cycleStart < leadS || cycleEnd > durationS - trailS;
      for (let k = i; k < i + 4; k++) push(bad ? { ...seg[k]!, state: 0 } : seg[k]!);
      i += 3;
    } else push(x);
  }
  return out;
}

/**
 * Simulate one PCG recording. Throws RangeError for invalid options (see resolvePcgOptions).
 * @returns samples (Float32Array, full scale ±1, shape [round(durationS·sampleRateHz)]) and truth
 */
export function simulatePcg(options: PcgSimOptions = {}): SimulatedPcg {
  const o = resolvePcgOptions(options);
  const fs = o.sampleRateHz;
  const n = Math.max(1, Math.round(o.durationS * fs));
  const durationS = n / fs;
  const paramsRng = stream(o.seed, STREAM.params);
  const p = drawParams(o.ranges, (lo, hi) => paramsRng.uniform(lo, hi));
  return renderPcg(o, p, n, durationS);
}

function renderPcg(o: ResolvedPcgSimOptions, p: PcgParams, n: number, durationS: number): SimulatedPcg {
  const fs = o.sampleRateHz;
  const breathing: Breathing = { hz: p.breathingHz, phase0: 0 };
  const soundsRng = stream(o.seed, STREAM.sounds);
  breathing.phase0 = 2 * Math.PI * soundsRng.random();
  const rhythm = generateRhythm(
    { hrBpm: p.hrBpm, rrCv: p.rrCv, lfShare: p.lfShare, lfHz: p.lfHz, ectopicProbability: p.ectopicProbability, ectopicCoupling: p.ectopicCoupling, afRrCv: p.afRrCv, rhythm: o.rhythm },
    breathing,
    -3,
    durationS + 1,
    stream(o.seed, STREAM.rhythm),
  );
  const beats = rhythm.beatTimesS;
  const tonal = new Float64Array(n);
  const noiseEnv = new Float64Array(n);
  const murmurEnv = new Float64Array(n);
  const cycles: CycleTimes[] = [];
  const lowHzS3 = 20 + 30 * soundsRng.random();
  const s3DelayS = 0.12 + 0.06 * soundsRng.random();
  const s4LeadS = 0.08 + 0.06 * soundsRng.random();
  for (let k = 1; k + 1 < beats.length; k++) {
    const t = beats[k]!;
    const rr = beats[k + 1]! - t;
    const prevRr = t - beats[k - 1]!;
    // fixed number of draws per beat (determinism does not depend on which branches run)
    const g = (): number => soundsRng.normal();
    const u = (): number => soundsRng.random();
    const ampJ = (): number => Math.max(0.2, 1 + p.amplitudeJitter * g());
    const insp = inspiration(breathing, t);
    const respAmp = 1 - p.respiratoryAmplitudeDepth * insp;
    const ect = rhythm.ectopic[k]!;
    let sys = beatSystoleS(o.timing, prevRr, rr, p.systoleOffsetS, p.systoleJitterS * g());
    if (ect) sys *= 0.85;
    const split = p.splitExpirationS + p.splitInspirationS * inspiration(breathing, t + sys);
    const s1Dur = p.s1ComponentS * (1 + 0.1 * g());
    const s2Dur = p.s2ComponentS * (1 + 0.1 * g());
    const m1t1 = p.m1t1DelayS * (1 + 0.15 * g());
    const s1Amp = respAmp * ampJ() * (ect ? 1.3 : 1);
    const s2Amp = respAmp * ampJ() * p.s2Ratio * (ect ? 0.6 : 1);
    const hzJ = (): number => 1 + 0.08 * g();
    const atoms: SoundAtom[] = [
      { onsetS: t, durationS: s1Dur, hz: p.s1Hz * hzJ(), amplitude: s1Amp, glide: 0.3 * u(), phase: 2 * Math.PI * u(), harmonic: 0.4 * u() },
      { onsetS: t + m1t1, durationS: s1Dur, hz: p.s1Hz * 1.1 * hzJ(), amplitude: s1Amp * p.t1Ratio, glide: 0.3 * u(), phase: 2 * Math.PI * u(), harmonic: 0.4 * u() },
      { onsetS: t + sys, durationS: s2Dur, hz: p.s2Hz * hzJ(), amplitude: s2Amp, glide: 0.3 * u(), phase: 2 * Math.PI * u(), harmonic: 0.3 * u() },
      { onsetS: t + sys + split, durationS: s2Dur, hz: p.s2Hz * 0.9 * hzJ(), amplitude: s2Amp * p.p2Ratio, glide: 0.3 * u(), phase: 2 * Math.PI * u(), harmonic: 0.3 * u() },
    ];
    const s2End = t + sys + split + s2Dur;
    const s3 = { onsetS: t + sys + s3DelayS, durationS: 0.05 * (1 + 0.1 * g()), hz: lowHzS3, amplitude: p.s3Ratio * s1Amp, glide: 0, phase: 2 * Math.PI * u(), harmonic: 0 };
    const s4 = { onsetS: t + rr - s4LeadS, durationS: 0.05 * (1 + 0.1 * g()), hz: lowHzS3 * 0.9, amplitude: p.s4Ratio * s1Amp, glide: 0, phase: 2 * Math.PI * u(), harmonic: 0 };
    if (p.s3Ratio > 0 && s3.onsetS > s2End + 0.03 && s3.onsetS + s3.durationS < t + rr - 0.05) atoms.push(s3);
    if (p.s4Ratio > 0 && s4.onsetS > s2End + 0.05) atoms.push(s4);
    for (const a of atoms) renderAtom(a, tonal, noiseEnv, p.soundNoiseShare, fs);
    const s1End = t + m1t1 + s1Dur;
    if (o.murmur === 'ejection') renderMurmurEnvelope(murmurEnv, s1End, t + sys - 0.02, 'diamond', fs);
    else if (o.murmur === 'holosystolic') renderMurmurEnvelope(murmurEnv, t + 0.02, t + sys + 0.01, 'plateau', fs);
    else if (o.murmur === 'diastolic') renderMurmurEnvelope(murmurEnv, t + sys, t + sys + 0.6 * (rr - sys), 'decrescendo', fs);
    cycles.push({ s1OnsetS: t, s1EndS: s1End, s2OnsetS: t + sys, s2EndS: s2End, nextS1OnsetS: beats[k + 1]! });
  }
  // noise-like share of the sounds: band-passed noise under the sounds' envelopes
  const soundNoise = normalisedNoise(stream(o.seed, STREAM.soundNoise), n);
  applyBiquad(soundNoise, biquad('bandpass', 0.5 * (p.s1Hz + p.s2Hz), fs, 0.6));
  scaleToRms(soundNoise, Math.SQRT1_2);
  const heart = tonal;
  for (let i = 0; i < n; i++) heart[i]! += noiseEnv[i]! * soundNoise[i]!;
  if (o.murmur !== 'none') {
    const m = normalisedNoise(stream(o.seed, STREAM.murmur), n);
    applyBiquad(m, biquad('bandpass', p.murmurHz, fs, 0.9));
    applyBiquad(m, biquad('bandpass', p.murmurHz, fs, 0.9));
    scaleToRms(m, 1);
    for (let i = 0; i < n; i++) heart[i]! += p.murmurRatio * murmurEnv[i]! * m[i]!;
  }
  // chest wall and sensor
  applyBiquad(heart, biquad('lowpass', p.chestLowpassHz, fs));
  applyBiquad(heart, biquad('highpass', p.sensorHighpassHz, fs));
  // recording profile (o.profile 'circor'): the heart sounds' spectrum, the noise's spectrum and
  // the heart sounds' loudness over the noise, drawn from the circor-train fit
  const profileRng = stream(o.seed, STREAM.profile);
  const profile = o.profile === 'circor' ? drawRecordingProfile(() => profileRng.normal()) : null;
  if (profile) shapeSpectrum(heart, fs, PROFILE_BAND_EDGES_HZ, profile.heartLogDensity);
  const heartRms = Math.max(rms(heart), 1e-9);
  // breath sounds: band-passed noise following airflow (louder on inspiration)
  const breath = normalisedNoise(stream(o.seed, STREAM.breath), n);
  applyBiquad(breath, biquad('bandpass', Math.min(300, 0.3 * fs), fs, 0.5));
  for (let i = 0; i < n; i++) {
    const ph = 2 * Math.PI * breathing.hz * (i / fs) + breathing.phase0;
    const s = Math.sin(ph);
    breath[i]! *= Math.abs(s) ** 1.5 * (s > 0 ? 1 : 0.6);
  }
  scaleToRms(breath, heartRms * 10 ** (p.breathNoiseDb / 20));
  // ambient noise at the SNR
  const ambientRng = stream(o.seed, STREAM.ambient);
  const ambient = colourNoise(n, p.ambientColour, fs, (w) => ambientRng.fillNormal(w));
  slowModulation(ambient, p.ambientModulation, 0.4, fs, () => ambientRng.normal());
  scaleToRms(ambient, heartRms * 10 ** (-p.snrDb / 20));
  // low-frequency rumble: noise low-passed twice at 20 Hz
  const rumble = normalisedNoise(stream(o.seed, STREAM.rumble), n);
  applyBiquad(rumble, biquad('lowpass', 20, fs));
  applyBiquad(rumble, biquad('lowpass', 20, fs));
  scaleToRms(rumble, heartRms * 10 ** (p.rumbleDb / 20));
  const mix = new Float64Array(n);
  for (let i = 0; i < n; i++) mix[i] = breath[i]! + ambient[i]! + rumble[i]!;
  let heartPeak = 0;
  for (let i = 0; i < n; i++) heartPeak = Math.max(heartPeak, Math.abs(heart[i]!));
  const friction = (): void =>
    addFriction(mix, p.frictionPerS, p.frictionRatio * heartPeak, durationS, fs, stream(o.seed, STREAM.friction));
  if (profile) {
    // the noise (with the friction spikes) gets the profile's spectrum and the level that gives
    // the profile's SNR over the heart sounds' power inside the S1/S2 segments (as the fit
    // measured it on circor-train)
    friction();
    shapeSpectrum(mix, fs, PROFILE_BAND_EDGES_HZ, profile.noiseLogDensity);
    let e = 0;
    let m = 0;
    for (const c of cycles) {
      for (const [a, b] of [
        [c.s1OnsetS, c.s1EndS],
        [c.s2OnsetS, c.s2EndS],
      ] as const) {
        const i1 = Math.min(n, Math.floor(b * fs));
        for (let i = Math.max(0, Math.ceil(a * fs)); i < i1; i++) (e += heart[i]! ** 2), m++;
      }
    }
    const snrDb = o.explicitParams.includes('snrDb') ? p.snrDb : profile.snrDb;
    scaleToRms(mix, Math.sqrt((m > 0 ? e / m : heartRms ** 2) / 10 ** (snrDb / 10)));
  }
  for (let i = 0; i < n; i++) mix[i]! += heart[i]!;
  const noisyEdgesS: [number, number] = profile && p.edgeNoiseScale > 0 ? addEdgeNoise(mix, profile, p.edgeNoiseScale, fs, stream(o.seed, STREAM.edges)) : [0, 0];
  if (!profile) friction();
  if (!profile) {
    applyBiquad(mix, biquad('highpass', p.sensorHighpassHz, fs));
    applyBiquad(mix, biquad('lowpass', p.sensorLowpassHz, fs));
  }
  // the recorder's anti-alias filter (4th order at 0.45·fs) and the white floor of the converter
  // and electronics; a circor profile has both in its spectra already
  if (!profile) {
    applyBiquad(mix, biquad('lowpass', 0.45 * fs, fs));
    applyBiquad(mix, biquad('lowpass', 0.45 * fs, fs));
    const floor = normalisedNoise(stream(o.seed, STREAM.floor), n);
    scaleToRms(floor, rms(mix) * 10 ** (p.floorDb / 20));
    for (let i = 0; i < n; i++) mix[i]! += floor[i]!;
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(mix[i]!));
  const gain = peak > 0 ? p.peakLevel / peak : 0;
  const samples = new Float32Array(n);
  for (let i = 0; i < n; i++) samples[i] = mix[i]! * gain;
  // truth
  const inside: number[] = [];
  const s2In: Array<number | null> = [];
  const ect: boolean[] = [];
  for (let k = 0; k < cycles.length; k++) {
    const c = cycles[k]!;
    if (c.s1OnsetS >= 0 && c.s1OnsetS < durationS) {
      inside.push(c.s1OnsetS);
      s2In.push(c.s2OnsetS < durationS ? c.s2OnsetS : null);
      ect.push(rhythm.ectopic[k + 1]!);
    }
  }
  const rrS: number[] = [];
  for (let i = 1; i < inside.length; i++) rrS.push(inside[i]! - inside[i - 1]!);
  return {
    samples,
    sampleRateHz: fs,
    truth: {
      options: o,
      params: p,
      beatTimesS: inside,
      s2TimesS: s2In,
      ectopic: ect,
      rrS,
      ...rrSummary(rrS),
      segments: cycleSegments(cycles, durationS),
      noisyEdgesS,
    },
  };
}
