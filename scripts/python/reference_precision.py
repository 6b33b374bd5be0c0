#!/usr/bin/env python3
"""Records torch.cuda.amp.GradScaler's state_dict() (test/fixtures/torch/grad-scaler.json): its keys and defaults,
with custom arguments, and after load_state_dict of a mid-training state.

torch 1.13 has no CPU kernels for GradScaler's update (`_amp_update_scale_`) or unscale
(`_amp_foreach_non_finite_check_and_unscale_`), and disables GradScaler without CUDA, so this machine cannot record
scale sequences from torch. What it can record, by declaring CUDA "available" to GradScaler's constructor (no CUDA
op runs), is the state dict, which is what a kindling checkpoint must map to.

Usage: /usr/bin/python3 scripts/python/reference_precision.py
"""
import torch
from torch.cuda.amp import grad_scaler

from reference_common import write_fixture

grad_scaler.amp_definitely_not_available = lambda: False


def main():
    default = grad_scaler.GradScaler()
    custom = grad_scaler.GradScaler(init_scale=1024.0, growth_factor=4.0, backoff_factor=0.25, growth_interval=100)
    resumed = grad_scaler.GradScaler()
    resumed.load_state_dict({"scale": 512.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 2000,
                             "_growth_tracker": 17})
    write_fixture("grad-scaler.json", __file__, {
        "default": default.state_dict(),
        "custom": {"options": {"initScale": 1024.0, "growthFactor": 4.0, "backoffFactor": 0.25, "growthInterval": 100},
                   "stateDict": custom.state_dict()},
        "resumed": resumed.state_dict(),
    })


if __name__ == "__main__":
    main()
