"""Summarise scripts/gate-features.ts output (issue 11): before (quality >= 0.2) vs after (the gate).

    python3 scripts/gate_summary.py out.jsonl [--manifest=../shared/data/pcg-ecg/manifest.csv]

Rows with an annotated share >= 0.5 (or an ECG reference) count for recall and error;
"off" = |HR - reference HR| > 5 bpm among trusted rows.
"""
import csv, json, sys

args = sys.argv[1:]
man = next((a.split('=', 1)[1] for a in args if a.startswith('--manifest=')), None)
ref = {r['record']: float(r['hr_bpm']) for r in csv.DictReader(open(man))} if man else {}
rows = [json.loads(l) for a in args if not a.startswith('--') for l in open(a)]
for r in rows:
    if r['name'] in ref:
        r['refHr'] = ref[r['name']]
        r['annotated'] = 1
print(f"recordings {len(rows)}; trusted before {sum(r['trusted'] for r in rows)}, after {sum(r['gate']['verdict'] in ('good', 'fair') for r in rows)}")
sel = [r for r in rows if r.get('refHr') and r.get('annotated', 0) >= 0.5]
if sel:
    def stats(trusted, hr):
        t = [r for r in sel if trusted(r)]
        off = [r for r in t if abs(hr(r) - r['refHr']) > 5]
        return len(t), len(off)
    b = stats(lambda r: r['trusted'], lambda r: r['scoredHr'])
    a = stats(lambda r: r['gate']['verdict'] in ('good', 'fair'), lambda r: r['gateScoredHr'])
    g = stats(lambda r: r['gate']['verdict'] == 'good', lambda r: r['gateScoredHr'])
    n = len(sel)
    print(f"annotated >= 50 %: {n}")
    print(f"  before: trusted {b[0]} ({100*b[0]/n:.1f} %), off > 5 bpm {b[1]} ({100*b[1]/max(1,b[0]):.1f} %)")
    print(f"  after:  trusted {a[0]} ({100*a[0]/n:.1f} %), off > 5 bpm {a[1]} ({100*a[1]/max(1,a[0]):.1f} %); verdict good {g[0]}, off {g[1]} ({100*g[1]/max(1,g[0]):.1f} %)")
    for r in sel:
        if r['gate']['verdict'] in ('good', 'fair') and abs(r['gateScoredHr'] - r['refHr']) > 5:
            print(f"    off: {r['name']} {r['gateScoredHr']:.0f} vs {r['refHr']:.0f} ({r['gate']['verdict']}, q {r['q']:.2f})")
