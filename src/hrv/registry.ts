/**
 * Method name → Estimator. Adding a method: its name in core/choices METHODS, its estimator file,
 * and one line here. Browser-safe.
 */
import type { Method } from '../core/choices.js';
import type { Estimator } from './estimator.js';
import { classicalEstimator } from './classical/estimator.js';
import { cnnEstimator } from './cnn/estimator.js';

/** The registered estimators (one per name in METHODS). */
export const ESTIMATORS: Readonly<Record<Method, Estimator>> = Object.freeze({
  classical: classicalEstimator,
  cnn: cnnEstimator,
});

/** The method `estimate()` uses when none is given. */
export const DEFAULT_METHOD: Method = 'classical';

/** The Estimator registered under `method`. */
export function estimatorFor(method: Method): Estimator {
  return ESTIMATORS[method];
}
