#!/usr/bin/env python3
"""Records torch 1.13 learning-rate schedules over 50 steps (test/fixtures/torch/schedulers.json).

Each run builds an optimizer with two parameter groups (lr 0.1 and 0.05 unless the run says otherwise), wraps it in a
scheduler and records, before the first step and after each of 50 `scheduler.step()` calls (each after an
`optimizer.step()`, as torch expects): every group's lr (and momentum or beta1 where OneCycleLR cycles it), the
scheduler's last_epoch, and for ReduceLROnPlateau its best, num_bad_epochs and cooldown_counter. The plateau runs are
fed a fixed metric sequence, recorded too. Scheduler arguments are written in kindling's camelCase names.

Usage: /usr/bin/python3 scripts/python/reference_schedulers.py
"""
import math
import warnings

import numpy as np
import torch
from torch.optim import lr_scheduler as S

from reference_common import number, write_fixture

STEPS = 50
warnings.simplefilter("ignore")


def optimizer(kind="SGD", lrs=(0.1, 0.05)):
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9) if kind == "SGD" else torch.optim.Adam(groups, lr=lrs[0])


def groups_now(opt):
    out = []
    for g in opt.param_groups:
        entry = {"lr": number(g["lr"])}
        if "momentum" in g:
            entry["momentum"] = number(g["momentum"])
        if "betas" in g:
            entry["beta1"] = number(g["betas"][0])
        out.append(entry)
    return out


def snapshot(opt, sched):
    snap = {"groups": groups_now(opt), "lastEpoch": sched.last_epoch}
    if isinstance(sched, S.ReduceLROnPlateau):
        snap.update(best=number(sched.best), numBadEpochs=sched.num_bad_epochs, cooldownCounter=sched.cooldown_counter)
    return snap


def run(name, scheduler, spec, kind="SGD", lrs=(0.1, 0.05), metrics=None):
    opt = optimizer(kind, lrs)
    sched = scheduler(opt)
    trace = [snapshot(opt, sched)]
    for i in range(STEPS):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
        trace.append(snapshot(opt, sched))
    return {"name": name, "optimizer": kind, "lrs": list(lrs), "spec": spec, "trace": trace,
            **({"metrics": [number(m) for m in metrics]} if metrics is not None else {})}


def plateau_metrics():
    """A loss that falls, stalls, dips slightly (below the threshold), falls again, then rises."""
    rng = np.random.RandomState(49)
    values, v = [], 1.0
    for i in range(STEPS):
        if i < 10:
            v *= 0.9
        elif i < 22:
            v *= 0.9995
        elif i < 30:
            v *= 0.95
        else:
            v *= 1.01
        values.append(float(np.float32(v + rng.standard_normal() * 1e-4)))
    return values


def main():
    metrics = plateau_metrics()
    accuracy = [1.0 - m for m in metrics]
    runs = [
        run("StepLR", lambda o: S.StepLR(o, step_size=7, gamma=0.5), {"type": "StepLR", "stepSize": 7, "gamma": 0.5}),
        run("MultiStepLR", lambda o: S.MultiStepLR(o, milestones=[5, 12, 12, 30], gamma=0.3),
            {"type": "MultiStepLR", "milestones": [5, 12, 12, 30], "gamma": 0.3}),
        run("ExponentialLR", lambda o: S.ExponentialLR(o, gamma=0.93), {"type": "ExponentialLR", "gamma": 0.93}),
        run("CosineAnnealingLR", lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.001),
            {"type": "CosineAnnealingLR", "tMax": 20, "etaMin": 0.001}),
        run("LinearLRWarmup", lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=8),
            {"type": "LinearLR", "startFactor": 0.25, "endFactor": 1.0, "totalIters": 8}),
        run("LinearLRDecay", lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=10),
            {"type": "LinearLR", "startFactor": 1.0, "endFactor": 0.1, "totalIters": 10}),
        run("OneCycleLRCos", lambda o: S.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=STEPS),
            {"type": "OneCycleLR", "maxLr": [1.0, 0.5], "totalSteps": STEPS}),
        run("OneCycleLRLinearThreePhaseAdam",
            lambda o: S.OneCycleLR(o, max_lr=0.3, total_steps=STEPS, pct_start=0.25, anneal_strategy="linear",
                                   three_phase=True, div_factor=10.0, final_div_factor=100.0,
                                   base_momentum=0.8, max_momentum=0.9),
            {"type": "OneCycleLR", "maxLr": 0.3, "totalSteps": STEPS, "pctStart": 0.25, "annealStrategy": "linear",
             "threePhase": True, "divFactor": 10.0, "finalDivFactor": 100.0, "baseMomentum": 0.8, "maxMomentum": 0.9},
            kind="Adam"),
        run("OneCycleLRNoMomentum", lambda o: S.OneCycleLR(o, max_lr=0.2, epochs=5, steps_per_epoch=10, cycle_momentum=False),
            {"type": "OneCycleLR", "maxLr": 0.2, "epochs": 5, "stepsPerEpoch": 10, "cycleMomentum": False}),
        run("SequentialLRWarmupCosine",
            lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5), S.CosineAnnealingLR(o, T_max=45)], milestones=[5]),
            {"type": "SequentialLR", "milestones": [5], "schedulers": [
                {"type": "LinearLR", "startFactor": 0.1, "totalIters": 5}, {"type": "CosineAnnealingLR", "tMax": 45}]}),
        run("SequentialLRThree",
            lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.5, total_iters=4), S.StepLR(o, step_size=5, gamma=0.5),
                                         S.ExponentialLR(o, gamma=0.9)], milestones=[6, 20]),
            {"type": "SequentialLR", "milestones": [6, 20], "schedulers": [
                {"type": "LinearLR", "startFactor": 0.5, "totalIters": 4}, {"type": "StepLR", "stepSize": 5, "gamma": 0.5},
                {"type": "ExponentialLR", "gamma": 0.9}]}),
        run("ReduceLROnPlateauMin",
            lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=3, threshold=1e-2, cooldown=2, min_lr=[0.01, 0.001]),
            {"type": "ReduceLROnPlateau", "mode": "min", "factor": 0.5, "patience": 3, "threshold": 1e-2, "cooldown": 2,
             "minLr": [0.01, 0.001]}, metrics=metrics),
        run("ReduceLROnPlateauMaxAbs",
            lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.3, patience=2, threshold=1e-3, threshold_mode="abs", eps=1e-3),
            {"type": "ReduceLROnPlateau", "mode": "max", "factor": 0.3, "patience": 2, "threshold": 1e-3, "thresholdMode": "abs",
             "eps": 1e-3}, metrics=accuracy),
    ]
    write_fixture("schedulers.json", __file__, {"steps": STEPS, "runs": runs})


if __name__ == "__main__":
    main()
