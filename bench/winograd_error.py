"""Float32 error of Winograd F(2x2,3x3) and F(4x4,3x3) against the direct convolution (issue 16).

Simulates both algorithms in numpy float32 (transforms, 16 or 36 per-position channel sums, inverse
transform, as src/model/kernels/winogradConv.ts does for F(2x2,3x3)) for the seed CNN's layers 2-4
(64x19x32->64, 32x9x64->128, 16x4x128->128; x ~ N(0,1) after ReLU, He-initialised filters) and
compares with the direct 'same' convolution in float64, and the direct one in float32 for scale.
Error = max |y - y64| / max |y64| per layer, batch 4. Prints one JSON line.
Usage: python3 bench/winograd_error.py
"""
import json
import numpy as np

F23 = dict(
    BT=np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], dtype=np.float64),
    G=np.array([[1, 0, 0], [.5, .5, .5], [.5, -.5, .5], [0, 0, 1]], dtype=np.float64),
    AT=np.array([[1, 1, 1, 0], [0, 1, -1, -1]], dtype=np.float64),
)
F43 = dict(
    BT=np.array([[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
                 [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]], dtype=np.float64),
    G=np.array([[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6],
                [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]], dtype=np.float64),
    AT=np.array([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]], dtype=np.float64),
)


def direct(x, w, dtype):
    B, H, W, C = x.shape
    O = w.shape[3]
    xp = np.zeros((B, H + 2, W + 2, C), dtype)
    xp[:, 1:H + 1, 1:W + 1] = x
    y = np.zeros((B, H, W, O), dtype)
    for ky in range(3):
        for kx in range(3):
            y += (xp[:, ky:ky + H, kx:kx + W, :].reshape(-1, C).astype(dtype) @ w[ky, kx].astype(dtype)).reshape(B, H, W, O)
    return y


def winograd(x, w, T):
    f = np.float32
    BT, G, AT = T['BT'].astype(f), T['G'], T['AT'].astype(f)
    n = BT.shape[0]
    m = AT.shape[0]
    B, H, W, C = x.shape
    O = w.shape[3]
    nTH, nTW = -(-H // m), -(-W // m)
    xp = np.zeros((B, m * nTH + 2, m * nTW + 2, C), f)
    xp[:, 1:H + 1, 1:W + 1] = x
    # filter transform in float64, rounded once (as winogradFilter)
    U = np.einsum('ia,abco,jb->ijco', G, w.astype(np.float64), G).astype(f)
    y = np.zeros((B, m * nTH, m * nTW, O), f)
    for th in range(nTH):
        for tw in range(nTW):
            d = xp[:, m * th:m * th + n, m * tw:m * tw + n, :]  # B, n, n, C
            V = np.einsum('ia,bajc->bijc', BT, d).astype(f)
            V = np.einsum('bijc,kj->bikc', V, BT).astype(f)
            M = np.einsum('bijc,ijco->bijo', V, U).astype(f)
            Y = np.einsum('ai,bijo->bajo', AT, M).astype(f)
            Y = np.einsum('bajo,cj->baco', Y, AT).astype(f)
            y[:, m * th:m * th + m, m * tw:m * tw + m, :] = Y
    return y[:, :H, :W, :]


def main():
    rng = np.random.default_rng(1)
    out = {}
    for name, (H, W, C, O) in {'32->64': (64, 19, 32, 64), '64->128': (32, 9, 64, 128), '128->128': (16, 4, 128, 128)}.items():
        x = np.maximum(rng.standard_normal((4, H, W, C)), 0).astype(np.float32)
        w = (rng.standard_normal((3, 3, C, O)) * np.sqrt(2 / (9 * C))).astype(np.float32)
        ref = direct(x.astype(np.float64), w.astype(np.float64), np.float64)
        s = np.abs(ref).max()
        err = lambda y: float(np.abs(y - ref).max() / s)
        out[name] = {
            'direct_f32': err(direct(x, w, np.float32)),
            'F2x2_3x3_f32': err(winograd(x, w, F23)),
            'F4x4_3x3_f32': err(winograd(x, w, F43)),
        }
    print(json.dumps(out))


if __name__ == '__main__':
    main()
