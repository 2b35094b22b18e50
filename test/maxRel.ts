/** Shared by the kernel tests: the error of a kernel's result against the `cpu` backend's. */

/** max |a − b| / max |b| (at least 1e-6): the error relative to the reference result's scale. */
export function maxRel(a: Float32Array, b: Float32Array): number {
  let scale = 1e-6;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / scale);
  return m;
}
