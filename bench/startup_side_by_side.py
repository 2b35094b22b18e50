#!/usr/bin/env python3
"""Start-up of two builds of hrv-audio side by side (issue 14, fast start), in one run.

    python3 bench/startup_side_by_side.py OLD_ROOT NEW_ROOT [--rounds 15] [--recording FILE]

Each ROOT is a built checkout (`npm run build`); its CLI is package.json's bin, its library
dist/src/node.js. The commands run in turn (node, old, new, node, old, new, ...) so both see the
same load. Reported per command: wall and CPU (user + sys of the finished process, os.wait4), as
median and minimum; on a shared machine CPU moves much less than wall. Then the goal's figure for
one recording, both ways:

    (CLI wall - estimateFile wall in a fresh process that imported the library) / node -e 0 wall
    (CLI CPU  - estimateFile CPU  in that process)                             / node -e 0 CPU

(the first is bench/collection.ts's `estimate30s.overheadOverNodeRatio`). Without --recording,
fixtures/pcg/84802_AV.wav tiled to 30 s (as bench/collection.ts does; needs python3's wave module
only). Standard library only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave


def tiled_30s(src: str, dst: str) -> None:
    with wave.open(src, 'rb') as w:
        params, frames = w.getparams(), w.readframes(w.getnframes())
    need = 30 * params.framerate * params.sampwidth * params.nchannels
    data = (frames * (need // len(frames) + 1))[:need]
    with wave.open(dst, 'wb') as w:
        w.setparams(params)
        w.writeframes(data)


def run(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one finished process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 2):
        sys.exit(f'{" ".join(args)}: exit {code}')
    return wall, ru.ru_utime + ru.ru_stime


def cold_compute(lib: str, recording: str) -> tuple[float, float]:
    """estimateFile's wall and CPU seconds in a fresh process that imported the library."""
    script = (
        f'const {{ estimateFile }} = await import({json.dumps(lib)}); const c0 = process.cpuUsage(); const t0 = performance.now();'
        f' await estimateFile({json.dumps(recording)}); const c = process.cpuUsage(c0);'
        ' console.log(JSON.stringify([(performance.now() - t0) / 1000, (c.user + c.system) / 1e6]));'
    )
    out = subprocess.run(['node', '--input-type=module', '-e', script], capture_output=True, text=True, check=True).stdout
    wall, cpu = json.loads(out)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('old')
    ap.add_argument('new')
    ap.add_argument('--rounds', type=int, default=15)
    ap.add_argument('--recording')
    a = ap.parse_args()
    roots = {'old': os.path.abspath(a.old), 'new': os.path.abspath(a.new)}
    bins = {k: os.path.join(r, json.load(open(os.path.join(r, 'package.json')))['bin']['hrv-audio']) for k, r in roots.items()}
    libs = {k: os.path.join(r, 'dist/src/node.js') for k, r in roots.items()}
    tmp = tempfile.mkdtemp(prefix='hrv-startup-')
    recording = a.recording or os.path.join(tmp, 'rec30s.wav')
    if not a.recording:
        tiled_30s(os.path.join(roots['new'], 'fixtures/pcg/84802_AV.wav'), recording)
    commands = {'node -e 0': ['node', '-e', '0']}
    for label, args in (('--version', ['--version']), ('--help', ['--help']), ('estimate (start-up only: a missing file)', ['estimate', os.path.join(tmp, 'missing.wav')]), ('estimate 30 s --json', ['estimate', recording, '--json'])):
        for k in roots:
            commands[f'{k}: {label}'] = ['node', bins[k], *args]
    W = {c: [] for c in commands}
    C = {c: [] for c in commands}
    cold = {k: ([], []) for k in roots}
    for c in commands.values():
        run(c)  # warm-up (file cache)
    for _ in range(a.rounds):
        for name, c in commands.items():
            w, u = run(c)
            W[name].append(w)
            C[name].append(u)
        for k in roots:
            w, u = cold_compute(libs[k], recording)
            cold[k][0].append(w)
            cold[k][1].append(u)
    with open('/proc/loadavg') as f:
        load = ' '.join(f.read().split()[:3])
    med, mn = statistics.median, min
    print(f'{a.rounds} rounds; load average at the end {load}; old = {roots["old"]}, new = {roots["new"]}')
    print(f'{"command":52} {"wall med":>9} {"wall min":>9} {"CPU med":>8} {"CPU min":>8}  (ms)')
    for name in commands:
        print(f'{name:52} {1e3 * med(W[name]):9.1f} {1e3 * mn(W[name]):9.1f} {1e3 * med(C[name]):8.1f} {1e3 * mn(C[name]):8.1f}')
    for k in roots:
        print(f'{k + ": estimateFile in a fresh process":52} {1e3 * med(cold[k][0]):9.1f} {1e3 * mn(cold[k][0]):9.1f} {1e3 * med(cold[k][1]):8.1f} {1e3 * mn(cold[k][1]):8.1f}')
    print('goal figure (CLI - compute) / node, for the 30 s recording:')
    for k in roots:
        cli = f'{k}: estimate 30 s --json'
        parts = []
        for stat, sname in ((med, 'median'), (mn, 'min')):
            parts.append(f'wall {sname} {(stat(W[cli]) - stat(cold[k][0])) / stat(W["node -e 0"]):.2f}')
            parts.append(f'CPU {sname} {(stat(C[cli]) - stat(cold[k][1])) / stat(C["node -e 0"]):.2f}')
        print(f'  {k}: ' + ', '.join(parts))
    # when both builds share the compute code, one pooled reference takes its noise out of the comparison
    pooled_w = [x for k in roots for x in cold[k][0]]
    pooled_c = [x for k in roots for x in cold[k][1]]
    print('  with the compute of both builds pooled (same compute code):')
    for k in roots:
        cli = f'{k}: estimate 30 s --json'
        parts = []
        for stat, sname in ((med, 'median'), (mn, 'min')):
            parts.append(f'wall {sname} {(stat(W[cli]) - stat(pooled_w)) / stat(W["node -e 0"]):.2f}')
            parts.append(f'CPU {sname} {(stat(C[cli]) - stat(pooled_c)) / stat(C["node -e 0"]):.2f}')
        print(f'    {k}: ' + ', '.join(parts))


if __name__ == '__main__':
    main()
