#!/usr/bin/env python3
"""Record torch.utils.data semantics that kindling's data layer follows, as a JSON fixture.

Usage:
    /usr/bin/python3 scripts/python/record_data_semantics.py > test/components/data/fixtures/torch-data-semantics.json

Only what does not depend on torch's random streams is recorded (kindling draws from its own generator): the shards
of DistributedSampler without shuffling, BatchSampler batches over a SequentialSampler, DataLoader lengths, and the
subset sizes random_split computes from fractions. Not run by npm test; the fixture is.
"""
import json
import sys

import torch
from torch.utils.data import BatchSampler, DataLoader, SequentialSampler, random_split
from torch.utils.data.distributed import DistributedSampler


def main():
    sharded = []
    for n in [1, 2, 3, 5, 7, 10, 11, 16]:
        for replicas in [1, 2, 3, 4]:
            for drop_last in [False, True]:
                if drop_last and n < replicas:
                    continue
                shards = [
                    list(DistributedSampler(range(n), num_replicas=replicas, rank=r, shuffle=False, drop_last=drop_last))
                    for r in range(replicas)
                ]
                sharded.append({"n": n, "numReplicas": replicas, "dropLast": drop_last, "shards": shards})
    batches = []
    for n in [1, 5, 7, 10]:
        for size in [1, 3, 5, 10, 12]:
            for drop_last in [False, True]:
                b = [list(x) for x in BatchSampler(SequentialSampler(range(n)), batch_size=size, drop_last=drop_last)]
                loader = DataLoader(list(range(n)), batch_size=size, drop_last=drop_last)
                batches.append({"n": n, "batchSize": size, "dropLast": drop_last, "batches": b, "length": len(loader)})
    splits = []
    for n, fractions in [(10, [0.8, 0.2]), (7, [0.5, 0.5]), (1797, [0.8, 0.1, 0.1]), (11, [0.3, 0.3, 0.4]),
                         (5, [0.1, 0.1, 0.1, 0.7]), (3, [0.25, 0.25, 0.25, 0.25])]:
        parts = random_split(range(n), fractions, generator=torch.Generator().manual_seed(0))
        splits.append({"n": n, "fractions": fractions, "lengths": [len(p) for p in parts]})
    json.dump({"torch": torch.__version__, "sharded": sharded, "batches": batches, "splits": splits}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
