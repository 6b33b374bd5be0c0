"""One torch.save or torch.load of the benchmark state in a fresh process, for comparison with kindling.

Usage: torch_child.py <save|load|load-into> <file> <spec.json>. load-into is what resuming into a live model
costs in torch: torch.load, then copying every tensor into the existing (already written) ones, as
model.load_state_dict and the optimizer's state do. Prints one JSON line like checkpoint-child.ts:
{"op", "seconds", "peakRssBytes", "rssBeforeOpBytes"}. The state mirrors bench/helpers/checkpoint-state.ts:
float32 parameters plus Adam's two moments, laid out as torch's own optimizer state_dict.
"""
import json
import os
import resource
import sys
import time

import torch


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def build_state(specs):
    model = {s["name"]: torch.rand(s["shape"], dtype=torch.float32) - 0.5 for s in specs}
    moments = {
        i: {"exp_avg": torch.rand(s["shape"]) - 0.5, "exp_avg_sq": torch.rand(s["shape"])}
        for i, s in enumerate(specs)
    }
    optimizer = {
        "state": moments,
        "param_groups": [{"lr": 3e-4, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01, "params": list(range(len(specs)))}],
    }
    return {"model": model, "optimizer": optimizer, "trainer": {"epoch": 3, "global_step": 1000}}


def main():
    op, path, spec_path = sys.argv[1:4]
    with open(spec_path) as f:
        specs = json.load(f)
    state = build_state(specs) if op in ("save", "load-into") else None
    before = rss_bytes()
    start = time.perf_counter()
    if op == "save":
        # fsync'd, like kindling's save and the raw baseline it is compared with.
        with open(path, "wb") as f:
            torch.save(state, f)
            f.flush()
            os.fsync(f.fileno())
    elif op == "load":
        loaded = torch.load(path)
        assert loaded["model"]
    elif op == "load-into":
        loaded = torch.load(path)
        with torch.no_grad():
            for name, t in state["model"].items():
                t.copy_(loaded["model"][name])
            for i, moments in state["optimizer"]["state"].items():
                for key, t in moments.items():
                    t.copy_(loaded["optimizer"]["state"][i][key])
        del loaded
    else:
        raise SystemExit(f"unknown op {op}")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"op": f"torch-{op}", "seconds": seconds, "peakRssBytes": peak, "rssBeforeOpBytes": before}))


if __name__ == "__main__":
    main()
