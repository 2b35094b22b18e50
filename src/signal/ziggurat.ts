/**
 * The fast simulation generator: xoshiro128** uniforms (exactly {@link FastRng}'s) with
 * normal draws from Doornik's ZIGNOR ziggurat (128 layers; J. A. Doornik, "An Improved
 * Ziggurat Method to Generate Normal Random Samples", 2005) instead of the polar method, which
 * makes noise generation several times cheaper. Each normal normally costs one 32-bit output:
 * its low 7 bits pick the layer and its high 25 bits give the signed position u ∈ [−1, 1)
 * (resolution 2⁻²⁴, the precision of a float32 sample); the rare wedge and tail cases (~1 %)
 * use 53-bit uniforms. Browser-safe.
 */
import { FastRng } from './rng.js';

const C = 128;
const R = 3.442619855899;
const V = 9.91256303526217e-3;
const ZIG_X = new Float64Array(C + 1);
const ZIG_R = new Float64Array(C);
{
  let f = Math.exp(-0.5 * R * R);
  ZIG_X[0] = V / f;
  ZIG_X[1] = R;
  ZIG_X[C] = 0;
  for (let i = 2; i < C; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(V / ZIG_X[i - 1] + f));
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (let i = 0; i < C; i++) ZIG_R[i] = ZIG_X[i + 1] / ZIG_X[i];
}

/** {@link FastRng} with ziggurat normals (`normal`, `fillNormal`); `random`/`uniform` unchanged. */
export class ZigguratRng extends FastRng {
  /** One standard normal draw. */
  standardNormal(): number {
    for (;;) {
      const a = this.nextUint32();
      const u = (a >>> 7) / 16777216 - 1; // 25 bits → [-1, 1)
      const i = a & 127;
      if (Math.abs(u) < ZIG_R[i]) return u * ZIG_X[i];
      const v = this.slowPath(u, i);
      if (v === v) return v; // NaN = rejected, draw again
    }
  }

  /** Slow-path result for candidate (u, i), drawing afresh (as standardNormal) while rejected. */
  private finishSlow(u: number, i: number): number {
    const v = this.slowPath(u, i);
    return v === v ? v : this.standardNormal();
  }

  /** The rare (~1 %) wedge and tail cases; NaN when the candidate is rejected. */
  private slowPath(u: number, i: number): number {
    if (i === 0) return this.tail(u < 0);
    const x = u * ZIG_X[i];
    const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
    const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
    return f1 + this.random() * (f0 - f1) < 1.0 ? x : Number.NaN;
  }

  private tail(negative: boolean): number {
    let x: number;
    let y: number;
    do {
      x = Math.log(1 - this.random()) / R; // 1 − U ∈ (0, 1]
      y = Math.log(1 - this.random());
    } while (-2 * y < x * x);
    return negative ? x - R : R - x;
  }

  override normal(mean = 0, std = 1): number {
    return mean + std * this.standardNormal();
  }

  /**
   * Same values as repeated `normal(mean, std)`, several times faster: the xoshiro128** step
   * (as FastRng.nextUint32) runs on local variables in a tight loop that leaves only for the
   * rare (~1 %) wedge/tail draws.
   */
  override fillNormal(out: Float64Array, mean = 0, std = 1, offset = 0, count = out.length - offset): void {
    this.normals(out, mean, std, offset, count, false);
  }

  /**
   * Add `mean + std·z` to each of `out[offset … offset+count)`, with z the values
   * `fillNormal` would draw (same draws, same result bits as drawing into a buffer and adding).
   */
  addNormal(out: Float64Array, mean = 0, std = 1, offset = 0, count = out.length - offset): void {
    this.normals(out, mean, std, offset, count, true);
  }

  private normals(out: Float64Array, mean: number, std: number, offset: number, count: number, add: boolean): void {
    const end = offset + count;
    const zx = ZIG_X;
    const zr = ZIG_R;
    let s0 = this.s0 | 0; // int32 locals keep the JIT on integer registers
    let s1 = this.s1 | 0;
    let s2 = this.s2 | 0;
    let s3 = this.s3 | 0;
    let k = offset;
    while (k < end) {
      let slowU = 0;
      let slowI = -1;
      for (; k < end; k++) {
        const r = Math.imul(s1, 5);
        const a = Math.imul((r << 7) | (r >>> 25), 9);
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        const u = (a >>> 7) / 16777216 - 1;
        const i = a & 127;
        if (Math.abs(u) < zr[i]) {
          const v = mean + std * (u * zx[i]);
          if (add) out[k] += v;
          else out[k] = v;
        } else {
          slowU = u;
          slowI = i;
          break;
        }
      }
      if (slowI < 0) break;
      // rare: wedge/tail test, and on rejection fresh draws exactly as standardNormal() does
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      const v = mean + std * this.finishSlow(slowU, slowI);
      if (add) out[k] += v;
      else out[k] = v;
      k++;
      s0 = this.s0 | 0;
      s1 = this.s1 | 0;
      s2 = this.s2 | 0;
      s3 = this.s3 | 0;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}
