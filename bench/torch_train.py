"""PyTorch reference for `npm run bench -- train` (issue 16).

The seed CNN of src/model/cnn.ts, layer for layer, in PyTorch: input 129x38x1 ->
[Conv2d(32|64|128|128, 3x3, 'same') + ReLU -> MaxPool 2x2 (floor)] x4 -> Flatten ->
Dense 256 ReLU -> Dropout 0.5 -> Dense 128 ReLU -> Dropout 0.5 -> heads hr (linear), hrv (ReLU).
Loss: MSE(hr) + MSE(hrv); Adam (lr 1e-3, betas 0.9/0.999, eps 1e-7 as Keras).

Timed as ours: 400 training + 100 validation samples, batch 32, shuffled each epoch, validation
(inference mode, chunks of 64) at the end of every epoch; seconds per epoch = the median of
epochs 2-4; forward samples/s = batch 32 in inference mode, median of repeats. Each thread count
runs in its own process (torch.set_num_threads before any work).

Usage: /usr/bin/python3 bench/torch_train.py [--threads 1,2] [--epochs 4]
Prints one JSON object; {"skipped": reason} when torch cannot be imported.
"""
import argparse
import json
import subprocess
import sys
import time


def run_one(threads, epochs, n_train, n_val, batch):
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    torch.manual_seed(1)

    class SeedCnn(nn.Module):
        def __init__(self):
            super().__init__()
            layers = []
            c = 1
            for f in (32, 64, 128, 128):
                layers += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
                c = f
            self.features = nn.Sequential(*layers)
            # 129x38 -> 64x19 -> 32x9 -> 16x4 -> 8x2
            self.dense = nn.Sequential(
                nn.Flatten(), nn.Linear(128 * 8 * 2, 256), nn.ReLU(), nn.Dropout(0.5),
                nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.5))
            self.hr = nn.Linear(128, 1)
            self.hrv = nn.Linear(128, 1)

        def forward(self, x):
            h = self.dense(self.features(x))
            return self.hr(h), torch.relu(self.hrv(h))

    model = SeedCnn()
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    g = torch.Generator().manual_seed(7)
    x_train = torch.randn(n_train, 1, 129, 38, generator=g)
    y_train = torch.randn(n_train, 2, generator=g).abs()
    x_val = torch.randn(n_val, 1, 129, 38, generator=g)
    y_val = torch.randn(n_val, 2, generator=g).abs()
    mse = nn.MSELoss()

    def epoch(e):
        model.train()
        order = torch.randperm(n_train, generator=torch.Generator().manual_seed(e))
        for i in range(0, n_train, batch):
            idx = order[i:i + batch]
            xb, yb = x_train[idx], y_train[idx]
            opt.zero_grad(set_to_none=True)
            ph, pv = model(xb)
            loss = mse(ph[:, 0], yb[:, 0]) + mse(pv[:, 0], yb[:, 1])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            s = 0.0
            for i in range(0, n_val, 64):
                ph, pv = model(x_val[i:i + 64])
                s += float(((ph[:, 0] - y_val[i:i + 64, 0]) ** 2).sum())

    seconds = []
    cpu_seconds = []  # process CPU time (all threads): less inflated by other load than wall time
    for e in range(epochs):
        t0 = time.perf_counter()
        c0 = time.process_time()
        epoch(e)
        seconds.append(time.perf_counter() - t0)
        cpu_seconds.append(time.process_time() - c0)

    model.eval()
    fwd = []
    with torch.no_grad():
        for r in range(8):
            xb = torch.randn(batch, 1, 129, 38, generator=g)
            t0 = time.perf_counter()
            model(xb)
            fwd.append(time.perf_counter() - t0)
    # training step alone (forward + backward + Adam), batch 32
    model.train()
    step = []
    for r in range(6):
        xb = torch.randn(batch, 1, 129, 38, generator=g)
        yb = torch.randn(batch, 2, generator=g).abs()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        ph, pv = model(xb)
        loss = mse(ph[:, 0], yb[:, 0]) + mse(pv[:, 0], yb[:, 1])
        loss.backward()
        opt.step()
        step.append(time.perf_counter() - t0)

    def median(v):
        s = sorted(v)
        m = len(s) // 2
        return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2

    # the GEMM ceiling of this PyTorch build (same shapes as bench/gemmCeiling.ts)
    gemm = {}
    for (m, k, n) in ((4096, 288, 64), (4096, 576, 128), (4096, 1152, 128)):
        ts = []
        for r in range(7):
            a = torch.randn(m, k, generator=g)
            b = torch.randn(k, n, generator=g)
            t0 = time.perf_counter()
            torch.mm(a, b)
            ts.append(time.perf_counter() - t0)
        gemm[f'{m}x{k}x{n}'] = round(2 * m * k * n / median(ts[2:]) / 1e9, 1)

    fwd_s = median(fwd[2:])
    step_s = median(step[1:])
    return {
        'threads': threads,
        'epochSeconds': [round(s, 4) for s in seconds],
        'epochS': median(seconds[1:4]),
        'epochCpuSeconds': [round(s, 4) for s in cpu_seconds],
        'epochCpuS': median(cpu_seconds[1:4]),
        'forwardSamplesPerS': batch / fwd_s,
        'stepSamplesPerS': batch / step_s,
        'stepOverForward': step_s / fwd_s,
        'params': n_params,
        'gemmGflopsByShape': gemm,
        'gemmCeilingGflops': max(gemm.values()),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', default='1,2')
    ap.add_argument('--epochs', type=int, default=4)
    ap.add_argument('--train', type=int, default=400)
    ap.add_argument('--val', type=int, default=100)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--one', type=int, default=0, help='internal: run one thread count in this process')
    a = ap.parse_args()
    try:
        import torch
    except Exception as e:  # noqa: BLE001
        print(json.dumps({'skipped': f'import torch failed: {e}'}))
        return
    if a.one:
        print(json.dumps(run_one(a.one, a.epochs, a.train, a.val, a.batch)))
        return
    out = {'torch': torch.__version__, 'note': 'median of epochs 2-4; 400 train + 100 val, batch 32, Adam', 'runs': {}}
    for t in [int(s) for s in a.threads.split(',')]:
        r = subprocess.run([sys.executable, __file__, '--one', str(t), '--epochs', str(a.epochs), '--train', str(a.train),
                            '--val', str(a.val), '--batch', str(a.batch)], capture_output=True, text=True)
        if r.returncode != 0:
            out['runs'][str(t)] = {'error': r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'failed'}
        else:
            out['runs'][str(t)] = json.loads(r.stdout.strip().splitlines()[-1])
    print(json.dumps(out))


if __name__ == '__main__':
    main()
