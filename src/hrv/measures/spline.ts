/**
 * Cubic-spline resampling of an uneven series onto an even grid, with scipy's default
 * ("not-a-knot") end conditions: the same curve as `scipy.interpolate.CubicSpline(t, y)` and
 * `interp1d(kind='cubic')` (what NeuroKit2 uses to resample RR intervals). Browser-safe.
 *
 * The second derivatives M_0..M_{n−1} solve the usual tridiagonal system
 *   h_{i−1} M_{i−1} + 2 (h_{i−1} + h_i) M_i + h_i M_{i+1} = 6 (s_i − s_{i−1}),  s_i = (y_{i+1} − y_i)/h_i,
 * with not-a-knot ends (third derivative continuous at t_1 and t_{n−2}):
 *   (M_1 − M_0)/h_0 = (M_2 − M_1)/h_1 and the same at the other end; M_0 and M_{n−1} are
 * eliminated, leaving a tridiagonal system in M_1..M_{n−2} (Thomas algorithm, O(n)).
 * n = 2 is a straight line; n = 3 a parabola (as scipy).
 */

/** Second derivatives of the not-a-knot cubic spline through (t, y). */
function secondDerivatives(t: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const n = t.length;
  const M = new Float64Array(n);
  if (n < 3) return M;
  const h = new Float64Array(n - 1);
  const s = new Float64Array(n - 1);
  for (let i = 0; i + 1 < n; i++) {
    h[i] = t[i + 1]! - t[i]!;
    s[i] = (y[i + 1]! - y[i]!) / h[i]!;
  }
  if (n === 3) {
    // a parabola through three points: constant second derivative
    const m = (2 * (s[1]! - s[0]!)) / (h[0]! + h[1]!);
    M.fill(m);
    return M;
  }
  // unknowns M_1..M_{n-2}: k = 0..m-1
  const m = n - 2;
  const a = new Float64Array(m); // sub-diagonal
  const b = new Float64Array(m); // diagonal
  const c = new Float64Array(m); // super-diagonal
  const d = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const i = k + 1;
    a[k] = h[i - 1]!;
    b[k] = 2 * (h[i - 1]! + h[i]!);
    c[k] = h[i]!;
    d[k] = 6 * (s[i]! - s[i - 1]!);
  }
  // M_0 = M_1 (1 + h0/h1) − M_2 h0/h1
  const r0 = h[0]! / h[1]!;
  b[0] += a[0]! * (1 + r0);
  c[0] -= a[0]! * r0;
  a[0] = 0;
  // M_{n−1} = M_{n−2} (1 + h_{n−2}/h_{n−3}) − M_{n−3} h_{n−2}/h_{n−3}
  const rl = h[n - 2]! / h[n - 3]!;
  b[m - 1] += c[m - 1]! * (1 + rl);
  a[m - 1] -= c[m - 1]! * rl;
  c[m - 1] = 0;
  // Thomas algorithm
  for (let k = 1; k < m; k++) {
    const w = a[k]! / b[k - 1]!;
    b[k] -= w * c[k - 1]!;
    d[k] -= w * d[k - 1]!;
  }
  M[m] = d[m - 1]! / b[m - 1]!;
  for (let k = m - 2; k >= 0; k--) M[k + 1] = (d[k]! - c[k]! * M[k + 2]!) / b[k]!;
  M[0] = M[1]! * (1 + r0) - M[2]! * r0;
  M[n - 1] = M[n - 2]! * (1 + rl) - M[n - 3]! * rl;
  return M;
}

/**
 * Evaluate the not-a-knot cubic spline through (t, y) (t strictly increasing, n ≥ 2) at the
 * even grid t_0 + k/rateHz, k = 0.. while ≤ t_{n−1}.
 * @returns the grid values (shape: [floor((t_{n−1} − t_0)·rateHz) + 1])
 */
export function splineResample(t: ArrayLike<number>, y: ArrayLike<number>, rateHz: number): Float64Array {
  const n = t.length;
  if (n < 2 || y.length !== n) throw new RangeError(`spline needs ≥ 2 points of equal-length t and y, got ${n} and ${y.length}`);
  for (let i = 1; i < n; i++) if (!(t[i]! > t[i - 1]!)) throw new RangeError('spline knots must increase strictly');
  const M = secondDerivatives(t, y);
  const t0 = t[0]!;
  const count = Math.floor((t[n - 1]! - t0) * rateHz + 1e-9) + 1;
  const out = new Float64Array(count);
  let i = 0;
  for (let k = 0; k < count; k++) {
    const x = t0 + k / rateHz;
    while (i < n - 2 && x > t[i + 1]!) i++;
    const hi = t[i + 1]! - t[i]!;
    const A = (t[i + 1]! - x) / hi;
    const B = 1 - A;
    out[k] = A * y[i]! + B * y[i + 1]! + (((A * A * A - A) * M[i]! + (B * B * B - B) * M[i + 1]!) * hi * hi) / 6;
  }
  return out;
}
