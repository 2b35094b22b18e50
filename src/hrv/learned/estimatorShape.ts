/**
 * The Estimator seam's shape from docs/CONTRACTS.md (issue 13 owns `src/hrv/estimator.ts`).
 * Written locally until that file lands on main; then these types re-export from it.
 */
export interface EstimatorInput {
  samples: Float32Array | Float64Array;
  sampleRateHz: number;
  durationS: number;
}
export interface MethodOutput {
  signalType: 'pcg' | 'pulse';
  beatTimesS: number[];
  s2TimesS?: number[];
  rrS: number[];
  rrStartIndex: number[];
  periodS: number | null;
  quality: { score: number; reasons: string[] };
  direct?: { heartRateBpm: number | null; sdnnMs: number | null };
  states?: { frameRateHz: number; posteriors: Float32Array };
  envelope?: { values: Float32Array; sampleRateHz: number };
  details: Record<string, unknown>;
}
export interface Estimator<O = unknown> {
  readonly name: 'learned' | 'classical' | 'cnn';
  analysisRateHz(inputRateHz: number): number;
  prepare?(options: O): Promise<void>;
  analyse(input: EstimatorInput, options: O): MethodOutput | Promise<MethodOutput>;
}
