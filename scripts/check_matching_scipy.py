"""Reads scripts/check-matching-scipy.ts output; checks each case against scipy's
linear_sum_assignment (pairs beyond the tolerance cost a large constant, so the assignment first
maximises the number of pairs within tolerance, then minimises their summed |offset|)."""
import json, sys
import numpy as np
from scipy.optimize import linear_sum_assignment

worst_cost = 0.0
n = mismatched = 0
for line in sys.stdin:
    c = json.loads(line)
    t = np.array(c['truth']); d = np.array(c['det']); tol = c['tol'] + 1e-9
    if len(t) == 0 or len(d) == 0:
        continue
    cost = np.abs(t[:, None] - d[None, :])
    big = 1e3
    w = np.where(cost <= tol, cost, big)
    r, k = linear_sum_assignment(w)
    ok = w[r, k] < big
    pairs = int(ok.sum()); total = float(w[r, k][ok].sum())
    n += 1
    if pairs != c['pairs'] or abs(total - c['cost']) > 1e-9:
        mismatched += 1
        print('MISMATCH', pairs, c['pairs'], total, c['cost'])
    worst_cost = max(worst_cost, abs(total - c['cost']))
print(json.dumps({'cases': n, 'mismatched': mismatched, 'max_cost_difference_s': worst_cost}))
