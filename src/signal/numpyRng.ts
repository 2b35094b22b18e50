import { Mt19937 } from './mt19937.js';
import type { Rng } from './rng.js';

/**
 * Reproduces numpy's legacy global stream after `np.random.seed(seed)` (equivalently
 * `np.random.RandomState(seed)`): MT19937 seeded with `init_genrand`, 53-bit doubles
 * (`random_sample`), `uniform(lo, hi) = lo + (hi − lo)·random_sample()`, and the legacy polar
 * Gaussian that returns `f·x2` and caches `f·x1` for the next normal draw. The cache persists
 * across calls, exactly as in numpy (`RandomState._aug_state.has_gauss`).
 *
 * Browser-safe. Draw-for-draw equal to numpy; results agree to the last bit except where
 * `Math.log`/`Math.sqrt` and the C library differ by an ulp.
 */
export class NumpyRng implements Rng {
  private readonly mt: Mt19937;
  private hasGauss = false;
  private gauss = 0;

  /** @param seed integer in [0, 2^32 − 1], as `np.random.seed` accepts. */
  constructor(seed: number) {
    this.mt = new Mt19937(seed);
  }

  /** numpy `random_sample()`: uniform double in [0, 1). */
  random(): number {
    return this.mt.nextDouble();
  }

  /** numpy legacy `uniform(low, high)`. */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.mt.nextDouble();
  }

  /** numpy legacy `standard_normal()` (polar method with cached second value). */
  gaussian(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const g = this.gauss;
      this.gauss = 0;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.mt.nextDouble() - 1.0;
      x2 = 2.0 * this.mt.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** numpy legacy `normal(loc, scale)` = `loc + scale·standard_normal()`. */
  normal(mean = 0, std = 1): number {
    return mean + std * this.gaussian();
  }

  /**
   * Fill `out[offset … offset+count)` with legacy normal draws; identical to `count`
   * successive `normal(mean, std)` calls (numpy's `normal(loc, scale, size)`), only faster.
   */
  fillNormal(out: Float64Array, mean = 0, std = 1, offset = 0, count = out.length - offset): void {
    const mt = this.mt;
    const end = offset + count;
    let i = offset;
    if (i < end && this.hasGauss) {
      this.hasGauss = false;
      out[i++] = mean + std * this.gauss;
      this.gauss = 0;
    }
    while (i < end) {
      let x1: number;
      let x2: number;
      let r2: number;
      do {
        x1 = 2.0 * mt.nextDouble() - 1.0;
        x2 = 2.0 * mt.nextDouble() - 1.0;
        r2 = x1 * x1 + x2 * x2;
      } while (r2 >= 1.0 || r2 === 0.0);
      const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
      out[i++] = mean + std * (f * x2);
      if (i < end) {
        out[i++] = mean + std * (f * x1);
      } else {
        this.gauss = f * x1;
        this.hasGauss = true;
      }
    }
  }

  /** The next raw 32-bit output of the underlying MT19937 (numpy `MT19937.random_raw()`). */
  nextUint32(): number {
    return this.mt.nextUint32();
  }
}
