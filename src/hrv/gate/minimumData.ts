/**
 * Minimum data for HRV (issue 11). Browser-safe.
 *
 * Heart rate needs {@link MIN_HR_INTERVALS} intervals. HRV figures (SDNN, RMSSD, SDSD, pNN20/50,
 * SD1/SD2, MAD) need at least {@link MIN_HRV_INTERVALS} intervals spanning at least
 * {@link MIN_HRV_SPAN_S} s. Guide: ultra-short HRV studies find RMSSD from 10 s recordings
 * agreeing with the 5-min standard, while SDNN and pNN50 need ≥ 30–60 s (Munoz et al., PLoS ONE
 * 10(9):e0138921, 2015; Baek et al., Telemed. J. E-Health 21(5):404–414, 2015; Shaffer & Ginsberg,
 * Front. Public Health 5:258, 2017). Below 10 s / 10 intervals no HRV figure is reported; between
 * 10 and 60 s the figures are reported with a note that they are ultra-short values.
 */
export const MIN_HR_INTERVALS = 2;
export const MIN_HRV_INTERVALS = 10;
export const MIN_HRV_SPAN_S = 10;
/** Below this span, a note says SDNN/pNN50 are ultra-short values. */
export const SHORT_TERM_SPAN_S = 60;

/** Whether HRV may be reported from these intervals, and why not / a caveat. */
export function hrvAllowed(rrS: readonly number[]): { ok: boolean; reason: string | null } {
  const span = rrS.reduce((a, b) => a + b, 0);
  if (rrS.length < MIN_HRV_INTERVALS || span < MIN_HRV_SPAN_S) {
    return {
      ok: false,
      reason: `HRV not reported: ${rrS.length} interval${rrS.length === 1 ? '' : 's'} over ${span.toFixed(1)} s (needs ≥ ${MIN_HRV_INTERVALS} intervals over ≥ ${MIN_HRV_SPAN_S} s)`,
    };
  }
  if (span < SHORT_TERM_SPAN_S) return { ok: true, reason: `HRV from ${span.toFixed(0)} s of intervals: ultra-short values (SDNN and pNN50 are not comparable with 5-min norms)` };
  return { ok: true, reason: null };
}
