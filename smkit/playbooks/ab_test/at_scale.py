"""The A/B analysis with its per-unit rows left in the engine: what :func:`~smkit.playbooks.ab_test.run` does on a store.

:func:`~smkit.playbooks.ab_test.analyze` works on rows in pandas (the
reference, and the path of a ``data`` file); :func:`run_in_engine` asks the
engine (DuckDB, or Spark on a lake, through
:func:`smkit.data.aggregates.open_backend`) for the same sufficient statistics,
so memory does not grow with the units. What comes back: per column, how many
values it holds and how many are neither 0 nor 1 (to choose the metrics and
their kinds as the rows would); per variant, its units and first assignment
(the sample ratio check and the variants' order); per variant and metric, the
count of units holding every needed value and their sums, sums of squares and
cross products (a unit missing a value is left out of that metric only, as
:func:`~smkit.playbooks.ab_test.analysis.variant_stat` does); and for the
effect over time the same sums per assignment day, cumulated here.

An experiment given as aggregated rows (``units`` and sums) is small, and is
read and analysed as rows.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from smkit import requirements
from smkit.data import aggregates
from smkit.data.schema import TEXT, TIMESTAMP, get_table
from smkit.data.store import DEFAULT_TZ
from smkit.methods.stats import CupedStat, MeanStat, ProportionStat, RatioStat
from smkit.params import Config
from smkit.playbooks.ab_test import analysis
from smkit.playbooks.ab_test.analysis import Metric, compare, infer_metrics
from smkit.playbooks.ab_test.inputs import Inputs, Settings, load
from smkit.playbooks.ab_test.result import Result, Trend

SKIP = {"experiment_id", "variant", "unit_id", "units", "assigned_at"}
SUMS = ("y", "yy", "x", "xx", "xy")  # the sums a metric needs: its values (y), and its denominator's or covariate's (x)


def run_in_engine(cfg: Config, s: Settings, tz: str = DEFAULT_TZ) -> Result:
    """:func:`~smkit.playbooks.ab_test.analyze` of the store's experiment rows, summed in the engine."""
    if "experiments" not in requirements.present_tables(cfg.store):
        raise LookupError(f"table 'experiments' is not in store {cfg.store}; ingest it first (smkit ingest FILE --table experiments)")
    with aggregates.open_backend(cfg.store, tz=tz) as con:
        t = aggregates._window(con.table("experiments"), "assigned_at", s.start, s.end, timestamp=True)
        experiment_id = _choose(t, s.experiment_id)
        mine = t.experiment_id == experiment_id
        columns, held, everywhere = _profile(t, mine)
        if "units" in held and "unit_id" not in held:  # aggregated rows: a few per variant
            return analysis.analyze(load(cfg, s), s)
        variants, units = _variants(t.filter(mine))
        sums = _Sums(t.filter(mine))
        result = analysis.compare_variants(experiment_id, variants, units, _stand_in(columns, held), False, sums.stat, s)
        goal = infer_metrics(_stand_in(columns, everywhere), list(analysis.trend_metrics(result, s))[:1] or None)[0]
        daily = _daily(t.filter(mine & t.assigned_at.notnull()), goal)
    trends = tuple(Trend(goal.name, v, cumulative_lift(daily, goal, result.control, v, result.alpha)) for v in result.variants if v != result.control)
    return analysis._with_design(replace(result, has_unit_times=True, trends=trends), s)


def _choose(t, experiment_id: str) -> str:
    """``experiment_id`` when the rows hold it, else the experiment whose units were assigned most recently
    (:func:`~smkit.playbooks.ab_test.inputs.latest_experiment`)."""
    firsts = t.group_by("experiment_id").agg(first=t.assigned_at.min()).to_pandas().dropna(subset=["experiment_id"])
    if firsts.empty:
        raise ValueError("the experiment data has no rows")
    firsts = firsts.sort_values("experiment_id", kind="stable")
    ids = [str(i) for i in firsts.sort_values("first", kind="stable", na_position="last")["experiment_id"]]
    if experiment_id:
        if experiment_id not in ids:
            raise ValueError(f"experiment {experiment_id!r} is not in the data; experiments: {', '.join(ids)}")
        return experiment_id
    dated = firsts.dropna(subset=["first"])
    if dated.empty:  # no assignment times: the last in the store's order
        return ids[-1]
    return str(dated.loc[dated["first"].idxmax(), "experiment_id"])


def _numeric(t, column: str) -> bool:
    kind = t[column].type()
    return kind.is_numeric() or kind.is_boolean()


def _profile(t, mine) -> tuple[dict[str, bool], dict[str, bool], dict[str, bool | None]]:
    """The columns (numeric or not, in the store's order); of those holding a value in the
    experiment, whether every value is 0 or 1; the same over every experiment's rows
    (``None``: no value at all)."""
    import ibis

    columns = {c: _numeric(t, c) for c in t.columns}
    agg = {}
    for i, (c, numeric) in enumerate(columns.items()):
        agg[f"n{i}"] = t[c].count(where=mine)
        agg[f"a{i}"] = t[c].count()
        if numeric:
            value = t[c].cast("float64")
            other = ibis.cases(((value != 0) & (value != 1), 1), else_=0)
            agg[f"o{i}"] = other.sum(where=mine)
            agg[f"b{i}"] = other.sum()
    got = t.aggregate(**agg).to_pandas().iloc[0]

    def count(key: str) -> int:
        return 0 if key not in got or pd.isna(got[key]) else int(got[key])

    held = {c: count(f"o{i}") == 0 for i, c in enumerate(columns) if count(f"n{i}")}
    everywhere: dict[str, bool | None] = {c: (count(f"b{i}") == 0 if count(f"a{i}") else None) for i, c in enumerate(columns)}
    for c, kind in get_table("experiments").columns.items():  # a store made by an older smkit: unknown, as store.load reads it
        if c not in columns:
            columns[c] = kind not in (TIMESTAMP, TEXT)
            everywhere[c] = None
    return columns, held, everywhere


def _stand_in(columns: dict[str, bool], values: dict[str, bool | None]) -> pd.DataFrame:
    """One row with the columns of ``values`` in the store's order, numeric as the rows' are,
    and a value of the rows' kind (``True``: every value 0 or 1; ``False``: some other;
    ``None``: none): what :func:`~smkit.playbooks.ab_test.analysis.infer_metrics` reads of the rows."""
    out = {}
    for c, numeric in columns.items():
        if c not in values:
            continue
        kind = values[c]
        if numeric:
            out[c] = pd.Series([math.nan if kind is None else 0.0 if kind else 0.5], dtype=float)
        else:
            out[c] = pd.Series([None if kind is None else "x"], dtype=object)
    return pd.DataFrame(out)


def _variants(t) -> tuple[list[str], dict[str, int]]:
    """The variants in the order the store's rows first show them (by assignment time, then
    name), and the units of each."""
    frame = t.group_by("variant").agg(units=t.count(), first=t.assigned_at.min()).to_pandas()
    frame = frame.sort_values("variant", kind="stable").sort_values("first", kind="stable", na_position="last")
    variants = [str(v) for v in frame["variant"]]
    return variants, {str(v): int(n) for v, n in zip(frame["variant"], frame["units"])}


def _needed(t, metric: Metric):
    """Whether a row holds every value ``metric`` needs, and the sums' expressions."""
    y = t[metric.column].cast("float64")
    other = metric.denominator or metric.covariate
    x = t[other].cast("float64") if other else None
    cond = y.notnull() & x.notnull() if other else y.notnull()
    exprs = {"y": y, "yy": y * y}
    if other:
        exprs.update(x=x, xx=x * x, xy=x * y)
    return cond, exprs


def _stat(metric: Metric, n: int, got) -> object:
    """The sufficient statistics of ``n`` units from their sums ``got`` (a mapping of :data:`SUMS`)."""
    y, yy, x, xx, xy = (float(got.get(k, 0.0)) for k in SUMS)
    if metric.kind == "ratio":
        return RatioStat(n, y, yy, x, xx, xy)
    if metric.covariate:
        return CupedStat(n, y, yy, x, xx, xy)
    if metric.kind == "proportion":
        return ProportionStat(n, y)
    return MeanStat(n, y, yy)


def _sums(frame: pd.DataFrame) -> pd.DataFrame:
    for k in SUMS:
        frame[k] = frame[k].astype(float).fillna(0.0) if k in frame else 0.0
    frame["n"] = frame["n"].fillna(0).astype("int64")
    return frame


class _Sums:
    """Each metric's sums per variant, asked of the engine once per metric."""

    def __init__(self, t):
        self.t = t
        self.cache: dict[Metric, pd.DataFrame] = {}

    def stat(self, variant: str, metric: Metric):
        if metric not in self.cache:
            cond, exprs = _needed(self.t, metric)
            t = self.t
            frame = t.group_by("variant").agg(n=t.count(where=cond), **{k: e.sum(where=cond) for k, e in exprs.items()}).to_pandas()
            frame["variant"] = frame["variant"].astype(str)
            self.cache[metric] = _sums(frame).set_index("variant")
        table = self.cache[metric]
        if variant not in table.index:
            return _stat(metric, 0, {})
        row = table.loc[variant]
        return _stat(metric, int(row["n"]), row)


def _daily(t, metric: Metric) -> pd.DataFrame:
    """Per local assignment day and variant: the units, and the metric's units and sums."""
    t = t.mutate(day_=t.assigned_at.date())
    cond, exprs = _needed(t, metric)
    frame = t.group_by(["day_", "variant"]).agg(rows=t.count(), n=t.count(where=cond), **{k: e.sum(where=cond) for k, e in exprs.items()}).to_pandas()
    frame["variant"] = frame["variant"].astype(str)
    frame["day_"] = pd.to_datetime(frame["day_"])
    return _sums(frame).rename(columns={"day_": "day"})


def cumulative_lift(daily: pd.DataFrame, metric: Metric, control: str, variant: str, alpha: float = 0.05) -> pd.DataFrame:
    """:func:`~smkit.playbooks.ab_test.analysis.cumulative_lift` from :func:`_daily`'s sums, cumulated per day."""
    days = sorted(daily["day"].unique())
    cols = ["rows", "n", *SUMS]
    upto = {}
    for v in (control, variant):
        mine = daily[daily["variant"] == v].groupby("day")[cols].sum().reindex(days, fill_value=0)
        upto[v] = mine.cumsum()
    rows = []
    for d in days:
        a, b = upto[control].loc[d], upto[variant].loc[d]
        if a["rows"] < 2 or b["rows"] < 2:
            continue
        c = compare(_stat(metric, int(a["n"]), a), _stat(metric, int(b["n"]), b), metric=metric, variant_name=variant, alpha=alpha)
        if c.ok:
            rows.append(
                {"day": pd.Timestamp(d), "units": int(a["rows"] + b["rows"]), "rel_lift": c.rel_lift, "rel_ci_low": c.rel_ci_low, "rel_ci_high": c.rel_ci_high}
            )
    return pd.DataFrame(rows, columns=["day", "units", "rel_lift", "rel_ci_low", "rel_ci_high"])


def reference(cfg: Config, s: Settings) -> Result:
    """The same analysis on the rows read into pandas (the reference :func:`run_in_engine` must equal)."""
    rows: Inputs = load(cfg, s)
    return analysis.analyze(rows, s)
