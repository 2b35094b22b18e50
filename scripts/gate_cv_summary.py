#!/usr/bin/env python3
"""Issue 11 goal-table rows 2-4 (plus "good within 5 bpm") from a gate-cv JSONL (scripts/gate-cv.ts).

    python3 scripts/gate_cv_summary.py .cache/gate-cv/oof.jsonl [--boot 2000] [--list]

Rows over recordings at least 50 % annotated (annotatedFraction >= 0.5) with a reference HR:
  trusted share; of trusted, share > 5 bpm off; half/double-rate errors at verdict good;
  of verdict good, share within 5 bpm. 95 % intervals: patient-level bootstrap (seed 1).
"""
import json
import random
import sys

path = next((a for a in sys.argv[1:] if not a.startswith('--')), '.cache/gate-cv/oof.jsonl')
boot = 2000
for a in sys.argv[1:]:
    if a.startswith('--boot='):
        boot = int(a.split('=')[1])
rows = [json.loads(l) for l in open(path) if l.strip()]
sel = [r for r in rows if r['refHrBpm'] is not None and r['annotatedFraction'] >= 0.5]


def figures(rs):
    n = len(rs)
    tr = [r for r in rs if r['trusted']]
    off = [r for r in tr if not r['within5']]
    good = [r for r in tr if r['verdict'] == 'good']
    hd_good = [r for r in good if r['halfRate'] or r['doubleRate']]
    good_ok = [r for r in good if r['within5']]
    return {
        'n': n,
        'trusted': len(tr),
        'trustedShare': len(tr) / n if n else float('nan'),
        'off5': len(off),
        'off5Share': len(off) / len(tr) if tr else float('nan'),
        'good': len(good),
        'halfDoubleAtGood': len(hd_good),
        'goodWithin5': len(good_ok),
        'goodWithin5Share': len(good_ok) / len(good) if good else float('nan'),
        'halfDoubleTrusted': sum(1 for r in tr if r['halfRate'] or r['doubleRate']),
    }


f = figures(sel)
by_patient = {}
for r in sel:
    by_patient.setdefault(r.get('patient', r['file']), []).append(r)
pats = sorted(by_patient)
rng = random.Random(1)
samples = {k: [] for k in ('trustedShare', 'off5Share', 'goodWithin5Share')}
for _ in range(boot):
    rs = [r for p in (rng.choice(pats) for _ in pats) for r in by_patient[p]]
    g = figures(rs)
    for k in samples:
        samples[k].append(g[k])


def ci(k):
    v = sorted(x for x in samples[k] if x == x)
    if not v:
        return ''
    return f' [95 % {100 * v[int(0.025 * len(v))]:.1f}–{100 * v[int(0.975 * len(v)) - 1]:.1f}]'


print(f"{path}: {len(rows)} recordings, {f['n']} at least 50 % annotated with a reference HR")
print(f"| trusted (≥ 50 % annotated) | {f['trusted']}/{f['n']} = {100 * f['trustedShare']:.1f} %{ci('trustedShare')} |")
print(f"| of those, > 5 bpm off | {f['off5']}/{f['trusted']} = {100 * f['off5Share']:.1f} %{ci('off5Share')} |")
print(f"| half/double-rate at verdict good | {f['halfDoubleAtGood']} (trusted: {f['halfDoubleTrusted']}) |")
print(f"| verdict good within 5 bpm | {f['goodWithin5']}/{f['good']} = {100 * f['goodWithin5Share']:.1f} %{ci('goodWithin5Share')} |")
allv = {}
for r in rows:
    allv[r['verdict']] = allv.get(r['verdict'], 0) + 1
print('verdicts (all recordings):', allv)
if '--list' in sys.argv:
    for r in sel:
        if r['trusted'] and not r['within5']:
            print('OFF', r['file'], r['verdict'], f"q={r['quality']:.2f}", 'hr', r['hrBpm'] and round(r['hrBpm'], 1), 'ref', round(r['refHrBpm'], 1), 'half' if r['halfRate'] else '', 'double' if r['doubleRate'] else '')
if '--sweep' in sys.argv:
    # calibration of the 'good' threshold: verdict good ⇔ trusted and quality ≥ t (the gate's rate caps keep quality < 0.7)
    print('good threshold sweep (≥ 50 % annotated | all with a reference HR):')
    allref = [r for r in rows if r['refHrBpm'] is not None]
    for t in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85):
        out = []
        for rs in (sel, allref):
            g = [r for r in rs if r['trusted'] and r['quality'] >= t]
            ok = sum(1 for r in g if r['within5'])
            out.append(f"{ok}/{len(g)} = {100 * ok / len(g):.1f} %" if g else '-')
        print(f'  quality ≥ {t:.2f}: within 5 bpm {out[0]} | {out[1]}')
