"""Per-window HR error of `estimate --method cnn --json` against ECG R peaks (issue 15).

Each recording's CNN windows (details.windows: startS, endS, heartRateBpm) are scored against the
rate of the R peaks inside the same window, 60 * (n - 1) / (last - first), for windows holding at
least 3 R peaks. The gate's verdict is ignored: this scores the network's own per-window numbers.

Usage:
  node dist/src/cli/main.js estimate ../shared/data/pcg-ecg --method cnn --json > cnn.jsonl
  python3 scripts/cnn_ecg_windows.py cnn.jsonl [more.jsonl ...]
R peaks are read from NAME.rpeaks.csv beside each recording (header line, then one time in s a line).
"""
import json
import sys


def r_peaks(wav_path):
    with open(wav_path[: -len(".wav")] + ".rpeaks.csv") as f:
        return [float(v) for v in f.read().split()[1:]]


def score(jsonl_path):
    errors = []
    for line in open(jsonl_path):
        row = json.loads(line)
        if row.get("error"):
            continue
        peaks = r_peaks(row["file"])
        for w in (row.get("details") or {}).get("windows") or []:
            inside = [t for t in peaks if w["startS"] <= t <= w["endS"]]
            if len(inside) < 3:
                continue
            truth = 60 * (len(inside) - 1) / (inside[-1] - inside[0])
            errors.append(abs(w["heartRateBpm"] - truth))
    errors.sort()
    n = len(errors)
    mae = sum(errors) / n
    median = errors[n // 2] if n % 2 else (errors[n // 2 - 1] + errors[n // 2]) / 2
    within5 = sum(e <= 5 for e in errors) / n
    over10 = sum(e > 10 for e in errors)
    print(f"{jsonl_path}: {n} windows, HR MAE {mae:.2f} bpm, median {median:.2f}, within 5 bpm {100 * within5:.1f} %, > 10 bpm {over10}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python3 scripts/cnn_ecg_windows.py CNN.jsonl [...]")
    for p in sys.argv[1:]:
        score(p)
