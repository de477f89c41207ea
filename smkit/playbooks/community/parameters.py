"""The playbook's parameters, validated once: :func:`settings` turns the
notebook's raw values into a frozen :class:`Settings`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smkit import i18n, paths
from smkit.params import parse_path
from smkit.rules import DEFAULT_LEVELS, DEFAULT_POINTS, parse_levels, parse_points

from .tasks import read_tasks

RULE_NAMES = ("expiry_days", "yuan_per_point")


@dataclass(frozen=True)
class Settings:
    """What the community report is asked: points per action, levels (name,
    points from which it starts, earned over the last ``level_window_days``),
    the points rules (expiry and the value of a point), the growth steps, the
    event model's pre-period and interval level, and list lengths."""

    points: tuple[tuple[str, float], ...] = ()
    levels: tuple[tuple[str, float], ...] = ()
    level_window_days: int = 90
    expiry_days: int = 180
    yuan_per_point: float = 0.01
    rules_file: str = ""
    active_days: int = 4  # active days within 28 days that make a newcomer active
    core_contributions: int = 20  # posts and comments that make a member a core contributor
    pre_days: int = 56
    interval: float = 0.9
    at_risk_n: int = 20
    keywords: tuple[tuple[str, tuple[str, ...]], ...] = ()
    keywords_file: str = ""
    brand: str = ""  # our brand in the mentions table (potential users)
    tasks: tuple = ()  # the growth tasks (:class:`.tasks.Task`)
    tasks_file: str = ""
    lang: str = i18n.DEFAULT_LANGUAGE

    @property
    def points_rules(self) -> dict[str, float]:
        return dict(self.points)


def read_rules(path: Path) -> dict[str, float]:
    """``rule,value`` rows: ``expiry_days`` and ``yuan_per_point``; a missing or bad value names the file and row."""
    frame = pd.read_csv(path, dtype=str)
    if not {"rule", "value"} <= set(frame.columns):
        raise ValueError(f"{path}: needs the columns rule and value")
    out = {}
    for i, (rule, value) in enumerate(frame[["rule", "value"]].itertuples(index=False), start=2):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{path}, row {i}: value {value!r} of {rule} is not a number") from None
        if number < 0:
            raise ValueError(f"{path}, row {i}: value of {rule} is negative")
        out[str(rule).strip()] = number
    missing = [r for r in RULE_NAMES if r not in out]
    if missing:
        raise ValueError(f"{path}: no row for {', '.join(missing)}")
    return out


def read_keywords(path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``category,keywords`` rows, keywords separated by ``;`` (or ``；``)."""
    frame = pd.read_csv(path, dtype=str).fillna("")
    if not {"category", "keywords"} <= set(frame.columns):
        raise ValueError(f"{path}: needs the columns category and keywords")
    out = []
    for i, (category, words) in enumerate(frame[["category", "keywords"]].itertuples(index=False), start=2):
        terms = tuple(w.strip() for w in words.replace("；", ";").split(";") if w.strip())
        if not category.strip() or not terms:
            raise ValueError(f"{path}, row {i}: a category and at least one keyword are needed")
        out.append((category.strip(), terms))
    return tuple(out)


def settings(
    points_rules: str = DEFAULT_POINTS,
    level_thresholds: str = DEFAULT_LEVELS,
    level_window_days: int = 90,
    rules: str | Path | None = "",
    active_days: int = 4,
    core_contributions: int = 20,
    pre_days: int = 56,
    interval: float = 0.9,
    at_risk_n: int = 20,
    keywords: str | Path | None = "",
    brand: str = "",
    tasks: str | Path | None = "",
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate the notebook's parameters; ``rules`` and ``keywords`` empty
    (and ``tasks``, the growth tasks) mean the files in ``data/reference``;
    ``brand`` is ours in the mentions table (empty: no potential users)."""
    level_window_days, active_days, core_contributions, pre_days, at_risk_n = map(
        int, (level_window_days, active_days, core_contributions, pre_days, at_risk_n)
    )
    interval = float(interval)
    if level_window_days < 7:
        raise ValueError(f"level_window_days must be at least 7, got {level_window_days}")
    if not 1 <= active_days <= 28:
        raise ValueError(f"active_days must lie between 1 and 28, got {active_days}")
    if core_contributions < 1:
        raise ValueError(f"core_contributions must be at least 1, got {core_contributions}")
    if pre_days < 28:
        raise ValueError(f"pre_days must be at least 28 (four weekly cycles), got {pre_days}")
    if not 0 < interval < 1:
        raise ValueError(f"interval must lie between 0 and 1, got {interval}")
    rules_path = parse_path(rules, "rules", must_exist=True) or paths.reference_dir() / "points_rules.csv"
    keywords_path = parse_path(keywords, "keywords", must_exist=True) or paths.reference_dir() / "feedback_keywords.csv"
    tasks_path = parse_path(tasks, "tasks", must_exist=True) or paths.reference_dir() / "growth_tasks.csv"
    values = read_rules(rules_path)
    return Settings(
        points=tuple(parse_points(points_rules).items()),
        levels=tuple(parse_levels(level_thresholds)),
        level_window_days=level_window_days,
        expiry_days=int(values["expiry_days"]),
        yuan_per_point=float(values["yuan_per_point"]),
        rules_file=str(rules_path),
        active_days=active_days,
        core_contributions=core_contributions,
        pre_days=pre_days,
        interval=interval,
        at_risk_n=max(at_risk_n, 1),
        keywords=read_keywords(keywords_path),
        keywords_file=str(keywords_path),
        brand=str(brand or "").strip(),
        tasks=read_tasks(tasks_path),
        tasks_file=str(tasks_path),
        lang=i18n.check_language(str(lang)),
    )
