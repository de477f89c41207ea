"""Reputation and crisis monitor: word of mouth, early warning and risk levels.

Backs ``notebooks/reputation_monitor.ipynb`` (plan chapters 5 and 8: 品牌口碑管理,
危机预警, 风险等级). It answers: what do people say about the brand, is anything
going wrong, how serious is it and why. Every alert comes from rules anyone can
read: a volume detector and a CUSUM of the negative share
(:mod:`smkit.methods.anomaly`, see :mod:`.alerts`), and a warning level in the
Chinese convention, Ⅳ级 一般 (蓝色) to Ⅰ级 特别重大 (红色), from four factors
(:mod:`.risk`). Reports are written in ``s.lang`` (:mod:`.messages`).

    cfg = setup(store=store, start=start, end=end, window_table="mentions", window_where=EARNED_SQL)
    result = run(cfg, settings(brand="Lumina", brand_aliases="露米娜，Lumi", lang="zh"))
    report.brief(result, "zh")
"""

from __future__ import annotations

import pandas as pd

from smkit.params import Config
from smkit.playbooks.reputation_monitor import alerts, report, response, risk, word_of_mouth
from smkit.playbooks.reputation_monitor.alerts import Alert
from smkit.playbooks.reputation_monitor.inputs import Inputs, load, prepare
from smkit.playbooks.reputation_monitor.needs import NEEDS
from smkit.playbooks.reputation_monitor.parameters import Settings, settings
from smkit.playbooks.reputation_monitor.result import Result
from smkit.playbooks.reputation_monitor.risk import RiskThresholds, level_name

__all__ = [
    "NEEDS",
    "Alert", "Inputs", "Result", "RiskThresholds", "Settings", "alerts", "analyze", "load", "prepare", "report", "response", "risk",
    "level_name", "run", "settings", "word_of_mouth",
]  # fmt: skip


def analyze(inputs: Inputs, s: Settings) -> Result:
    """The monitor over the window ``inputs.start``..``inputs.end`` (alerts whose
    days touch it), the mentions before it serving as baselines."""
    m, start, end = inputs.mentions, inputs.start, inputs.end
    w0, w1 = pd.Timestamp(start), pd.Timestamp(end)
    window = m[(m["day"] >= w0) & (m["day"] <= w1)]
    if not (m["brand"] == s.brand).any():
        found = sorted(window["brand"].dropna().unique()) or sorted(m["brand"].dropna().unique())
        raise ValueError(
            f"brand {s.brand!r} has no mentions in {start:%Y-%m-%d} to {end:%Y-%m-%d} or the history before it; "
            f"brands found: {', '.join(map(str, found)) or 'none'}"
        )
    daily, negatives, found = alerts.detect(
        m,
        s.brand,
        start,
        end,
        detector=s.detector,
        z=s.z,
        cusum_k=s.cusum_k,
        cusum_h=s.cusum_h,
        thresholds=s.thresholds,
        brand_words={s.brand.lower(), *(w.lower() for w in s.brand_aliases)},
        top_n=s.top_n,
    )
    return Result(
        brand=s.brand,
        start=start,
        end=end,
        daily=daily,
        breakdown=word_of_mouth.tables(window, s.brand),
        alerts=found,
        replies=alerts.replies(window, negatives, s.brand, w0, w1),
        thresholds=s.thresholds,
        detector=s.detector,
        tracking=response.track_alerts(found, inputs, s.brand, s),
        scoring=m.attrs.get("sentiment_scoring"),
    )


def run(cfg: Config, s: Settings) -> Result:
    """The monitor over ``cfg``'s window and history, computed in the engine
    (:func:`~.at_scale.run_in_engine`: the mentions are never loaded whole); the
    same result as :func:`analyze` on the loaded rows (:func:`load`)."""
    from smkit.playbooks.reputation_monitor.at_scale import run_in_engine

    return run_in_engine(cfg, s)
