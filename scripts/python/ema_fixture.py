"""Records torch's EMA of weights, as Lightning's EMAWeightAveraging computes it, for kindling's EMAWeightAveraging test.

torch >= 2.1 `get_ema_multi_avg_fn(decay)` updates with `torch._foreach_lerp_(ema, current, 1 - decay)`; the
installed torch 1.13 has `torch.lerp` with the same kernel, used here. The first update copies the weights
(AveragedModel with n_averaged == 0).

Run: /usr/bin/python3 scripts/python/ema_fixture.py > test/components/callbacks/fixtures/ema.json
"""
import json

import torch


def main():
    torch.manual_seed(0)
    cases = []
    for decay in (0.9, 0.3):
        weights = [torch.randn(3, 2, dtype=torch.float32) for _ in range(6)]
        ema = None
        averaged = []
        for w in weights:
            ema = w.clone() if ema is None else torch.lerp(ema, w, 1 - decay)
            averaged.append(ema.clone())
        cases.append({
            'decay': decay,
            'shape': [3, 2],
            'weights': [w.flatten().tolist() for w in weights],
            'averaged': [a.flatten().tolist() for a in averaged],
        })
    print(json.dumps({'torch': torch.__version__, 'cases': cases}, indent=1))


if __name__ == '__main__':
    main()
