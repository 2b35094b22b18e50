/**
 * Seeded pseudo-random number generators.
 *
 * Every random thing in hrv-audio takes a seed; the same seed gives the same numbers on every
 * platform (only 32-bit integer arithmetic and IEEE doubles are used).
 */

/** A source of random numbers. */
export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits. */
  random(): number;
  /** Uniform double in [low, high). */
  uniform(low: number, high: number): number;
  /** Normal draw with the given mean and standard deviation (defaults 0, 1). */
  normal(mean?: number, std?: number): number;
  /**
   * Optional bulk form of `normal`: fills `out[offset … offset+count)` with exactly the values
   * `count` successive `normal(mean, std)` calls would return.
   */
  fillNormal?(out: Float64Array, mean?: number, std?: number, offset?: number, count?: number): void;
}

/**
 * Fast seeded generator: xoshiro128** (Blackman & Vigna) seeded through SplitMix32, with
 * Marsaglia's polar method for normals. Not numpy-compatible (see `NumpyRng` for that).
 */
export class FastRng implements Rng {
  protected s0: number;
  protected s1: number;
  protected s2: number;
  protected s3: number;
  // cached second polar normal (a boolean flag + a double keeps the field unboxed)
  private hasCachedNormal = false;
  private cachedNormal = 0;

  /** @param seed any finite number; it is reduced to 32 bits. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    let x = (Math.trunc(seed) >>> 0) ^ 0x9e3779b9;
    const next = (): number => {
      // SplitMix32
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    // stored as int32 (`| 0`): same bits, but the fields stay small integers, which keeps
    // nextUint32 on the JIT's integer path
    this.s0 = next() | 0;
    this.s1 = next() | 0;
    this.s2 = next() | 0;
    this.s3 = next() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  random(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  normal(mean = 0, std = 1): number {
    if (this.hasCachedNormal) {
      this.hasCachedNormal = false;
      return mean + std * this.cachedNormal;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.cachedNormal = f * x1;
    this.hasCachedNormal = true;
    return mean + std * f * x2;
  }

  /**
   * Fill `out[offset … offset+count)` with normal draws; identical to calling
   * `normal(mean, std)` that many times, only faster.
   */
  fillNormal(out: Float64Array, mean = 0, std = 1, offset = 0, count = out.length - offset): void {
    const end = offset + count;
    let i = offset;
    if (i < end && this.hasCachedNormal) {
      this.hasCachedNormal = false;
      out[i++] = mean + std * this.cachedNormal;
    }
    while (i < end) {
      let x1: number;
      let x2: number;
      let r2: number;
      do {
        x1 = 2 * this.random() - 1;
        x2 = 2 * this.random() - 1;
        r2 = x1 * x1 + x2 * x2;
      } while (r2 >= 1 || r2 === 0);
      const f = Math.sqrt((-2 * Math.log(r2)) / r2);
      out[i++] = mean + std * f * x2;
      if (i < end) {
        out[i++] = mean + std * (f * x1);
      } else {
        this.cachedNormal = f * x1;
        this.hasCachedNormal = true;
      }
    }
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** In-place Fisher–Yates shuffle driven by `rng`. Returns the same array. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(array: T, rng: Rng): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}
