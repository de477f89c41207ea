"""Benchmark: the community playbook's statistics on sample worlds of several seeds.

Not a test: prints rates so they can be quoted. Per seed (scale 1, the whole
year): how many of the 16 events' 90% intervals cover their planted lift in
daily active members, the pooled lift of the lifting type (online
discussions, planted +25%) and of the null type (lucky draws) with their
intervals, the churn model's AUC on the held-out last month, the AUC in a
null world where nothing predicts leaving, and how often the keyword list
files sample feedback in its own category.

    .venv/bin/python scripts/bench_community.py [--seeds 7 8 9]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from smkit import sample
from smkit.playbooks.community import churn, events, feedback
from smkit.playbooks.community.parameters import settings


def null_world(seed: int, members: int = 1500, days: int = 240) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end="2026-10-31", periods=days)
    m, d = np.nonzero(rng.random((members, days)) < 0.08)
    return pd.DataFrame({"date": dates[d].strftime("%Y-%m-%d"), "platform": "wechat", "user_id": [f"u{i}" for i in m], "action": "like", "count": 1})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 8, 9])
    args = parser.parse_args()
    keywords = settings().keywords
    for seed in args.seeds:
        t = time.perf_counter()
        world = sample.generate(seed=seed, scale=1.0)
        act = world["community_activity"]
        truth = {e["event_id"]: e["relative_lift_active"] for e in world["truth"]["community_ops"]["events"]}
        daily = events.daily_series(act, pd.Timestamp(act["date"].min()), pd.Timestamp(act["date"].max()))
        fx = events.event_effects(daily, world["events"])
        per = fx.per_event[fx.per_event["metric"] == "active"]
        covered = sum(r.ci_low <= truth[r.event_id] <= r.ci_high for r in per.itertuples())
        types = fx.per_type[fx.per_type["metric"] == "active"].set_index("type")
        model = churn.churn_model(act, pd.Timestamp("2026-10-31"))
        null = churn.churn_model(null_world(seed), pd.Timestamp("2026-10-31"))
        known = world["feedback"][world["feedback"]["category"] != ""]
        agree = (feedback.classify(known["text"], keywords) == known["category"]).mean()
        line = [f"seed {seed}: {covered}/{len(per)} event intervals cover the planted lift"]
        for kind in ("online_discussion", "lucky_draw"):
            r = types.loc[kind]
            line.append(f"{kind} {r['relative_lift']:+.1%} ({r['ci_low']:+.1%} to {r['ci_high']:+.1%}){' called' if r['significant'] else ''}")
        line.append(f"churn AUC {model.auc:.3f} (null world {null.auc:.3f}); keywords agree {agree:.1%}; {time.perf_counter() - t:.0f} s")
        print("; ".join(line), flush=True)


if __name__ == "__main__":
    main()
