"""The whole analysis: frames in, one :class:`Result` out."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from smkit.methods import copy_check
from smkit.methods.text import brand_words
from smkit.params import Config

from .cadence import cadence, cadence_curve
from .effects import EFFECT_COLUMNS, completion_by_form, holm_calls, type_effects
from .inputs import Inputs, load
from .model import POOLED, PlatformModel, fit_platform
from .plan import copy_findings, plan, with_copy_check
from .prepare import prepare
from .result import Result
from .retention import retention_by_group, what_predicts
from .scores import post_scores, what_sets_apart
from .settings import Settings
from .themes import theme_effects
from .timing import GRID_COLUMNS, best_hour, best_slots, borrow_rhythm, busy_hours, hour_curve, mark_confident, slot_grid, thinly_posted

BEST_HOURS_PER_PLATFORM = 4  # the hours counted as a platform's best when comparing the best and the worst posts


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fit_all(data: pd.DataFrame) -> tuple[dict[str, PlatformModel], PlatformModel | None, dict[str, str]]:
    """Each platform's model, the pooled model (with more than one platform), and why a platform has none."""
    models, notes = {}, {}
    for platform in sorted(data["platform"].unique()):
        _progress(f"content: fitting {platform} ({(data['platform'] == platform).sum()} posts)")
        try:
            models[platform] = fit_platform(data, platform)
        except ValueError as exc:
            notes[platform] = str(exc)
    pooled = None
    timed = data[data["timed"]]  # posts exported with dates only say nothing of the hour
    if len(models) > 1 and len(timed):
        _progress("content: fitting the pattern shared by all platforms")
        try:
            pooled = fit_platform(timed)
        except ValueError as exc:
            notes[POOLED] = str(exc)
    return models, pooled, notes


def _timing(models: dict[str, PlatformModel], pooled: PlatformModel | None, s: Settings) -> tuple[pd.DataFrame, dict[str, int], list[pd.DataFrame]]:
    """Every slot of every platform (confidence marked), each platform's best hour and the hour curves."""
    timed = {p: m for p, m in models.items() if m.has_hours}
    hours = {p: best_hour(m) for p, m in timed.items()}
    curves = [hour_curve(m, s.alpha) for m in timed.values()]
    if pooled is not None:
        hours[POOLED] = best_hour(pooled)
        curves.insert(0, hour_curve(pooled, s.alpha))
    shared = slot_grid(pooled, s.alpha, s.min_slot_posts) if pooled is not None else None
    own = {p: slot_grid(m, s.alpha, s.min_slot_posts) for p, m in models.items()}
    for p, m in models.items():
        if shared is not None and (p not in timed or thinly_posted(np.bincount(m.frame["hour"].to_numpy(), minlength=24))):
            # No times, or no hour busy enough to judge: no timing of its own, the rhythm of all platforms instead.
            own[p] = borrow_rhythm(own[p], shared, m.base_rate)
            hours[p] = hours[POOLED]
    grids = pd.concat(list(own.values()), ignore_index=True) if own else pd.DataFrame(columns=GRID_COLUMNS)
    return mark_confident(grids, s.alpha), hours, curves


def analyze(inputs: Inputs, s: Settings) -> Result:
    """The whole content analysis of ``s``'s accounts and platforms in the inputs' window."""
    if inputs.posts.empty:
        who = ", ".join(s.accounts) if s.accounts else "any account"
        raise ValueError(f"no posts by {who} from {inputs.start} to {inputs.end}" + (f" on {', '.join(s.platforms)}" if s.platforms else ""))
    data, definitions = prepare(inputs.posts, inputs.daily, s.engagement, s.per)
    models, pooled, notes = _fit_all(data)
    effects = pd.concat([type_effects(m, s.alpha) for m in models.values()], ignore_index=True) if models else pd.DataFrame()
    if effects.empty:
        effects = pd.DataFrame(columns=EFFECT_COLUMNS)
    effects = holm_calls(effects, s.alpha)
    grids, hours, curves = _timing(models, pooled, s)
    _progress("content: cadence, themes and scores")
    cadences = [cadence(data, p, s.alpha, tests=len(models)) for p in models]
    topics = {p: theme_effects(data[data["platform"] == p], column="topic", alpha=s.alpha) for p in models}
    brand = brand_words([*sorted(data["account"].astype(str).unique()), *s.brand_aliases])
    keywords = theme_effects(data, exclude=brand, alpha=s.alpha)
    scores = post_scores(data)
    shared = set(grids.loc[grids["shared"], "platform"])
    best_sets = {  # a platform without times has no best hours its posts could be in
        p: set(c.loc[busy_hours(c["posts"].to_numpy())].nlargest(BEST_HOURS_PER_PLATFORM, "vs_average")["hour"])
        for p, c in ((p, hour_curve(pooled if p in shared else m)) for p, m in models.items() if m.has_hours)
    }
    mix = {p: data.loc[data["platform"] == p, "content_type"].value_counts(normalize=True).to_dict() for p in models}
    themes = {p: t["keyword"].tolist() for p, t in topics.items()}
    per_week = {c.platform: c.recommended_per_week for c in cadences}
    calendar = plan(grids, effects, mix, themes, per_week, s.plan_start, s.horizon_weeks, alpha=s.alpha)
    # The copy the plan carries (its themes), checked before it goes out; the rules are the reference table unless given.
    copy = copy_findings(calendar, inputs.copy_rules if inputs.copy_rules is not None else copy_check.load_rules())
    calendar = with_copy_check(calendar, copy)
    return Result(
        settings=s,
        start=inputs.start,
        end=inputs.end,
        definitions=definitions,
        effects=effects,
        completion=completion_by_form(data, s.alpha),
        grids=grids,
        slots=best_slots(grids),
        best_hours=hours,
        cadences=cadences,
        cadence_table=cadence_curve(data),
        keywords=keywords,
        topics=pd.concat([t.assign(platform=p) for p, t in topics.items()], ignore_index=True) if topics else pd.DataFrame(),
        scores=scores,
        apart=what_sets_apart(scores, best_sets),
        calendar=calendar,
        copy_findings=copy,
        hours=pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(),
        notes=notes,
        retention=retention_by_group(data, s.alpha),
        retention_links=what_predicts(data, s.alpha),
    )


def run(cfg: Config, s: Settings) -> Result:
    """Read the store and analyse: the notebook's one entry point."""
    return analyze(load(cfg, s), s)
