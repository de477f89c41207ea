"""Benchmark: fit personas on 1,000,000 generated users.

Not a test: prints the fit seconds and the process's peak memory so they can be
quoted. Target under 120 s and 4 GB on a 2-core machine.

    .venv/bin/python scripts/bench_personas.py [--users 1000000] [--method kmeans]
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
from sklearn.metrics import adjusted_rand_score

from smkit import sample
from smkit.playbooks import personas as pb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--method", default="kmeans")
    args = parser.parse_args()
    t0 = time.perf_counter()
    audience, segments, _ = sample._audience(np.random.default_rng(1), args.users / 20000)
    print(f"generated {len(audience):,} users in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    model = pb.analyze(pb.Inputs(audience), pb.settings(method=args.method)).model
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ari = adjusted_rand_score(segments["segment"], model.labels_)
    print(
        f"fit {args.method}: {seconds:.1f} s, peak memory {peak:,.0f} MB (whole process), k = {model.k_}, "
        f"adjusted Rand index against the planted segments {ari:.3f}"
    )


if __name__ == "__main__":
    main()
