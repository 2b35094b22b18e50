/**
 * Not-a-heartbeat rules on the event-level heart evidence (heartEvidence.ts), issue 11 §1.
 * Thresholds (HEART_DEFAULTS) and their measured separation: docs/gate.md. Browser-safe, pure.
 */
import type { GateEvidence } from './evidence.js';

export const HEART_DEFAULTS = Object.freeze({
  /** placeholder: rules disabled until measured */
  enabled: 0,
});

/** Reasons the event-level evidence says this is not a heartbeat (empty: consistent with one). */
export function heartReasons(ev: GateEvidence, o: { -readonly [K in keyof typeof HEART_DEFAULTS]: number }): string[] {
  const h = ev.heart;
  if (!h || !o.enabled) return [];
  return [];
}
