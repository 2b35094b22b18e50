/**
 * Method name → Estimator. Adding a method: its name in core/choices METHODS, its estimator file,
 * and one line here. Browser-safe.
 */
import type { Method } from '../core/choices.js';
import type { Estimator } from './estimator.js';
import { classicalEstimator } from './classical/estimator.js';
import { cnnEstimator } from './cnn/estimator.js';
import { learnedEstimator } from './learned/estimator.js';

/** The registered estimators (one per name in METHODS). */
export const ESTIMATORS: Readonly<Record<Method, Estimator>> = Object.freeze({
  learned: learnedEstimator,
  classical: classicalEstimator,
  cnn: cnnEstimator,
});

/**
 * The method `estimate()` uses when none is given: the learned segmenter for heart sounds (it
 * finds the beats of unseen patients best: README Results), the classical detector for the seed's
 * synthetic pulse signals, which the segmenter never saw. With `signal: 'auto'` the choice follows
 * the classical signal-type test ({@link defaultMethodFor}).
 */
export const DEFAULT_METHOD: Method = 'learned';

/** The default method for a signal type: classical for pulse signals, else {@link DEFAULT_METHOD}. */
export function defaultMethodFor(signalType: 'pcg' | 'pulse'): Method {
  return signalType === 'pulse' ? 'classical' : DEFAULT_METHOD;
}

/** The Estimator registered under `method`. */
export function estimatorFor(method: Method): Estimator {
  return ESTIMATORS[method];
}
