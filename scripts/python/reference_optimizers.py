#!/usr/bin/env python3
"""Records torch 1.13 optimizer trajectories (test/fixtures/torch/optimizers.json).

Fixed initial parameters and a fixed sequence of 20 gradients (the same for every run, not computed from a model, so
every optimizer sees identical inputs); after each step, the parameters and each parameter's optimizer state. One
run per optimizer and option: SGD (plain, momentum, dampening, nesterov, weight decay, maximize), Adam (defaults,
betas/eps, weight decay, amsgrad, maximize), AdamW (decoupled decay, amsgrad, maximize), and for each a run with two
parameter groups at different learning rates. Options are written in kindling's camelCase names.

Usage: /usr/bin/python3 scripts/python/reference_optimizers.py
"""
import numpy as np
import torch

from reference_common import float32_array, tensor, write_fixture

SHAPES = {"w": (2, 3), "b": (2,)}
STEPS = 20

TORCH_NAMES = {"weightDecay": "weight_decay", "lr": "lr", "momentum": "momentum", "dampening": "dampening",
               "nesterov": "nesterov", "maximize": "maximize", "betas": "betas", "eps": "eps", "amsgrad": "amsgrad"}
STATE_NAMES = {"momentum_buffer": "momentumBuffer", "exp_avg": "expAvg", "exp_avg_sq": "expAvgSq",
               "max_exp_avg_sq": "maxExpAvgSq", "step": "step"}

RUNS = [
    ("SGD", "plain", [{"lr": 0.1}]),
    ("SGD", "momentum", [{"lr": 0.1, "momentum": 0.9}]),
    ("SGD", "dampening", [{"lr": 0.1, "momentum": 0.9, "dampening": 0.5}]),
    ("SGD", "nesterov", [{"lr": 0.1, "momentum": 0.9, "nesterov": True}]),
    ("SGD", "weightDecay", [{"lr": 0.1, "momentum": 0.5, "weightDecay": 0.05}]),
    ("SGD", "maximize", [{"lr": 0.05, "momentum": 0.9, "maximize": True}]),
    ("SGD", "twoGroups", [{"lr": 0.1, "momentum": 0.9, "params": ["w"]}, {"lr": 0.01, "momentum": 0.9, "params": ["b"]}]),
    ("Adam", "defaults", [{}]),
    ("Adam", "betasEps", [{"lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6}]),
    ("Adam", "weightDecay", [{"lr": 0.01, "weightDecay": 0.1}]),
    ("Adam", "amsgrad", [{"lr": 0.01, "amsgrad": True}]),
    ("Adam", "maximize", [{"lr": 0.01, "maximize": True}]),
    ("Adam", "twoGroups", [{"lr": 0.01, "params": ["w"]}, {"lr": 0.001, "amsgrad": True, "params": ["b"]}]),
    ("AdamW", "defaults", [{"lr": 0.01}]),
    ("AdamW", "weightDecayAmsgrad", [{"lr": 0.01, "weightDecay": 0.1, "amsgrad": True}]),
    ("AdamW", "maximize", [{"lr": 0.01, "maximize": True}]),
    ("AdamW", "twoGroups", [{"lr": 0.01, "weightDecay": 0.05, "params": ["w"]}, {"lr": 0.002, "params": ["b"]}]),
]


def state_of(optimizer, param):
    st = optimizer.state.get(param, {})
    out = {}
    for key, value in st.items():
        if value is None:
            out[STATE_NAMES[key]] = None
        elif key == "step":
            out["step"] = int(value.item())
        else:
            out[STATE_NAMES[key]] = tensor(value)
    return out


def run(kind, name, groups, initial, grads):
    params = {n: torch.from_numpy(v.copy()).requires_grad_(True) for n, v in initial.items()}
    torch_groups = []
    for g in groups:
        options = {TORCH_NAMES[k]: (tuple(v) if k == "betas" else v) for k, v in g.items() if k != "params"}
        torch_groups.append({"params": [params[n] for n in g.get("params", list(SHAPES))], **options})
    optimizer = getattr(torch.optim, kind)(torch_groups)
    steps = []
    for grad in grads:
        for n, p in params.items():
            p.grad = torch.from_numpy(grad[n].copy())
        optimizer.step()
        steps.append({
            "params": {n: tensor(p) for n, p in params.items()},
            "state": {n: state_of(optimizer, p) for n, p in params.items()},
        })
    return {"optimizer": kind, "name": name,
            "groups": [{**g, "params": g.get("params", list(SHAPES))} for g in groups], "steps": steps}


def main():
    rng = np.random.RandomState(39)
    initial = {n: float32_array(rng, shape) for n, shape in SHAPES.items()}
    # Large gradients early, smaller later, so that amsgrad's running maximum differs from the current moment.
    scales = [3.0 if i < 4 else 0.3 if i > 12 else 1.0 for i in range(STEPS)]
    grads = [{n: float32_array(rng, shape, scales[i]) for n, shape in SHAPES.items()} for i in range(STEPS)]
    # One element with tiny gradients, where sqrt(v) is comparable to eps, so the placement of eps shows.
    for g in grads:
        g["b"][1] *= np.float32(1e-7)
    write_fixture("optimizers.json", __file__, {
        "initial": {n: tensor(v) for n, v in initial.items()},
        "grads": [{n: tensor(g[n]) for n in SHAPES} for g in grads],
        "runs": [run(kind, name, groups, initial, grads) for kind, name, groups in RUNS],
    })


if __name__ == "__main__":
    main()
