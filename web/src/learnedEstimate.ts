/**
 * INTERIM, kept only while 'learned' is not in the seam's registry (src/core/choices.ts METHODS,
 * src/hrv/registry.ts): the learned method's output shaped as an estimate result, following
 * src/hrv/estimate.ts's assembly step for step (rate → method → the seam's gate → measures →
 * windows). estimator.ts stops calling it as soon as METHODS has 'learned'; delete it then.
 */
import { resample } from '../../src/dsp/resample.js';
import { checkDuration, DEFAULT_MIN_QUALITY, resolveEstimateOptions, type EstimateResult } from '../../src/hrv/estimate.js';
import { gate } from '../../src/hrv/gate/index.js';
import { learnedEstimator } from '../../src/hrv/learned/estimator.js';
import { DEFAULT_HRV_CONVENTION, hrvMeasures, toolboxFields } from '../../src/hrv/measures/index.js';
import { windowRows } from '../../src/hrv/windows.js';
import { prepareLearned } from './learnedSetup.js';

export interface LearnedEstimate extends Omit<EstimateResult, 'method' | 'envelope'> {
  method: 'learned';
  states: { frameRateHz: number; posteriors: Float32Array };
  details: Record<string, unknown>;
}

export async function estimateLearned(samples: Float32Array, sampleRateHz: number, windowS?: number, hopS?: number): Promise<LearnedEstimate> {
  const durationS = samples.length / sampleRateHz;
  checkDuration(durationS);
  const backend = await prepareLearned();
  const analysisRateHz = learnedEstimator.analysisRateHz(sampleRateHz);
  const x = analysisRateHz !== sampleRateHz ? resample(samples, sampleRateHz, analysisRateHz) : samples;
  const resolved = resolveEstimateOptions({ ...(windowS !== undefined ? { windowS } : {}), ...(hopS !== undefined ? { hopS } : {}) });
  const out = await learnedEstimator.analyse({ samples: x, sampleRateHz: analysisRateHz, durationS }, resolved);
  const convention = DEFAULT_HRV_CONVENTION;
  const g = gate(out, { minQuality: DEFAULT_MIN_QUALITY });
  const { score, reasons, trusted, rrS } = g;
  const kept = out.rrS.map((r, i) => [r, i] as const).filter(([r]) => Number.isFinite(r) && r > 0);
  const rrEndTimesS = kept.map(([r, i]) => (out.beatTimesS[out.rrStartIndex[i]!] ?? NaN) + r);
  const timed = rrEndTimesS.every((t, i) => Number.isFinite(t) && (i === 0 || t - rrS[i]! >= rrEndTimesS[i - 1]! - 1e-6));
  const m = hrvMeasures(trusted ? rrS : [], { convention, ...(trusted && timed ? { rrEndTimesS } : {}) });
  const result: LearnedEstimate = {
    heartRateBpm: m.heartRateBpm,
    beatTimesS: out.beatTimesS,
    rrS,
    meanRrMs: m.meanRrMs,
    sdnnMs: m.sdnnMs,
    rmssdMs: m.rmssdMs,
    sdsdMs: m.sdsdMs,
    pnn20: m.pnn20,
    pnn50: m.pnn50,
    sd1Ms: m.sd1Ms,
    sd2Ms: m.sd2Ms,
    madMs: m.madMs,
    ...toolboxFields(m),
    hrvNullReasons: trusted ? m.nullReasons : Object.fromEntries(Object.keys(m.nullReasons).map((k) => [k, reasons[reasons.length - 1]!])),
    hrvNotes: m.notes,
    nIntervals: m.nIntervals,
    durationS,
    sampleRateHz,
    analysisRateHz,
    method: 'learned',
    signalType: out.signalType,
    convention,
    periodS: out.periodS,
    quality: { score, reasons },
    verdict: g.verdict,
    trusted,
    states: out.states!,
    details: { ...out.details, backend },
  };
  if (out.s2TimesS) result.s2TimesS = out.s2TimesS;
  if (windowS !== undefined) {
    result.windows = windowRows(
      { durationS, beatTimesS: out.beatTimesS, rrS: out.rrS, rrStartIndex: out.rrStartIndex, qualityScore: score, convention, minQuality: DEFAULT_MIN_QUALITY },
      windowS,
      hopS ?? windowS,
    );
  }
  return result;
}
