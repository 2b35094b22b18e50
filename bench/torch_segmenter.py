"""PyTorch reference of the learned segmenter's training for `npm run bench -- train` (issue 16).

The network of src/model/architectures/segmenter.ts, layer for layer: a per-frame MLP over a
context window of 51 frame offsets x 8 features (408 inputs) -> Dense 48 ReLU -> Dense 32 ReLU ->
Dense 4 (logits). Loss: softmax cross-entropy averaged over frames whose label is not 0 (unknown).
Adam (lr 2e-3, betas 0.9/0.999, eps 1e-7 as tf.train.adam).

Timed as ours (bench/segmenterTrainProcess.ts calls trainSegmenter of
src/model/training/segmenterTrain.ts): the same synthetic data shape (64 recordings x 2000 frames
of 8 standard-normal features, labels in 0..4 from a seeded generator), every frame-stride-th
labelled frame per epoch (stride 2, random phase), shuffled, batches of 256 whose context windows
are gathered per batch (zero outside the recording), forward, loss, backward, Adam, and the loss
read back every step (as ours does). Seconds per epoch = the median of epochs 2-4. Each thread
count runs in its own process (torch.set_num_threads before any work).

Two implementations (--impl): nn.Linear layers (the natural model; on Debian's torch build they
run on the generic reference BLAS) and the same network as 1x1 convolutions (oneDNN kernels,
PyTorch's fastest path here). The goal compares ours with the faster of the two.

Usage: /usr/bin/python3 bench/torch_segmenter.py [--threads 1,2] [--impl linear,conv1x1] [--epochs 4]
Prints one JSON object; {"skipped": reason} when torch cannot be imported.
"""
import argparse
import json
import subprocess
import sys
import time


def offsets(near=15, far=45, step=3):
    left = list(range(-far, -near, step))
    return left + list(range(-near, near + 1)) + [-o for o in reversed(left)]


def run_one(threads, epochs, recordings, frames, batch, stride, impl):
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    torch.manual_seed(1)
    offs = offsets()
    n_feat = 8
    width = len(offs) * n_feat
    pad = max(abs(o) for o in offs)
    g = torch.Generator().manual_seed(7)
    feats = torch.randn(recordings, frames, n_feat, generator=g)
    labels = torch.randint(0, 5, (recordings, frames), generator=g)
    # zero-padded copy so that a context window is one gather (zero outside the recording)
    padded = torch.zeros(recordings, frames + 2 * pad, n_feat)
    padded[:, pad:pad + frames] = feats
    flat = padded.reshape(-1, n_feat)
    off_t = torch.tensor(offs) + pad
    known = (labels > 0).reshape(-1).nonzero().squeeze(1)
    rec_of = known // frames
    frame_of = known % frames

    if impl == 'linear':
        model = nn.Sequential(nn.Linear(width, 48), nn.ReLU(), nn.Linear(48, 32), nn.ReLU(), nn.Linear(32, 4))
    else:
        # the same network as 1x1 convolutions on a 1x1 image: oneDNN kernels instead of the
        # build's BLAS (Debian's torch uses the generic reference BLAS for nn.Linear)
        class Conv1x1(nn.Module):
            def __init__(self):
                super().__init__()
                self.net = nn.Sequential(nn.Conv2d(width, 48, 1), nn.ReLU(), nn.Conv2d(48, 32, 1), nn.ReLU(), nn.Conv2d(32, 4, 1))

            def forward(self, x):
                return self.net(x[:, :, None, None])[:, :, 0, 0]
        model = Conv1x1()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, betas=(0.9, 0.999), eps=1e-7)

    def masked_ce(logits, y):
        logp = torch.log_softmax(logits, dim=1)
        mask = y > 0
        picked = logp.gather(1, (y.clamp(min=1) - 1).unsqueeze(1)).squeeze(1)
        return -(picked * mask).sum() / max(1, int(mask.sum()))

    def epoch(e):
        gen = torch.Generator().manual_seed(100 + e)
        phase = int(torch.randint(0, stride, (1,), generator=gen))
        sel = torch.arange(phase, known.numel(), stride)
        order = sel[torch.randperm(sel.numel(), generator=gen)]
        s = 0.0
        for b in range(0, order.numel() - batch + 1, batch):
            j = order[b:b + batch]
            r, f = rec_of[j], frame_of[j]
            rows = (r * (frames + 2 * pad)).unsqueeze(1) + f.unsqueeze(1) + off_t.unsqueeze(0)  # [batch, offsets]
            x = flat[rows.reshape(-1)].reshape(batch, width)
            y = labels[r, f]
            opt.zero_grad(set_to_none=True)
            loss = masked_ce(model(x), y)
            loss.backward()
            opt.step()
            s += float(loss)
        return s

    seconds = []
    cpu_seconds = []  # process CPU time (all threads): robust to preemption with 1 thread
    for e in range(epochs):
        t0 = time.perf_counter()
        c0 = time.process_time()
        epoch(e)
        seconds.append(time.perf_counter() - t0)
        cpu_seconds.append(time.process_time() - c0)

    def median(v):
        s = sorted(v)
        m = len(s) // 2
        return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2

    steps = (known.numel() // stride) // batch
    ep = median(seconds[1:4])
    return {
        'threads': threads,
        'impl': impl,
        'epochSeconds': [round(s, 4) for s in seconds],
        'epochS': ep,
        'epochCpuS': median(cpu_seconds[1:4]),
        'stepsPerEpoch': steps,
        'stepMs': 1000 * ep / max(1, steps),
        'framesPerS': steps * batch / ep,
        'params': sum(p.numel() for p in model.parameters()),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', default='1,2')
    ap.add_argument('--epochs', type=int, default=4)
    ap.add_argument('--recordings', type=int, default=64)
    ap.add_argument('--frames', type=int, default=2000)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--stride', type=int, default=2)
    ap.add_argument('--impl', default='linear,conv1x1', help='nn.Linear layers and/or the same net as 1x1 convs (oneDNN)')
    ap.add_argument('--one', type=int, default=0, help='internal: run one thread count in this process')
    a = ap.parse_args()
    try:
        import torch
    except Exception as e:  # noqa: BLE001
        print(json.dumps({'skipped': f'import torch failed: {e}'}))
        return
    common = ['--epochs', str(a.epochs), '--recordings', str(a.recordings), '--frames', str(a.frames),
              '--batch', str(a.batch), '--stride', str(a.stride)]
    if a.one:
        print(json.dumps(run_one(a.one, a.epochs, a.recordings, a.frames, a.batch, a.stride, a.impl)))
        return
    out = {'torch': torch.__version__, 'note': 'segmenter MLP 408-48-32-4, batch 256, Adam; median of epochs 2-4; runs keyed impl:threads', 'runs': {}}
    for impl in a.impl.split(','):
        for t in [int(s) for s in a.threads.split(',')]:
            r = subprocess.run([sys.executable, __file__, '--one', str(t), '--impl', impl, *common], capture_output=True, text=True)
            key = f'{impl}:{t}'
            if r.returncode != 0:
                out['runs'][key] = {'error': r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'failed'}
            else:
                out['runs'][key] = json.loads(r.stdout.strip().splitlines()[-1])
    print(json.dumps(out))


if __name__ == '__main__':
    main()
