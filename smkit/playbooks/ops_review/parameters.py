"""The playbook's parameters, validated once: :func:`settings` turns the
notebook's raw values into a frozen :class:`Settings`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from smkit import i18n
from smkit.methods.response import DEFAULT_DEADLINE_HOURS, RESPONSE_KINDS, parse_deadlines, parse_kinds
from smkit.params import parse_path
from smkit.rules import DEFAULT_LEVELS, DEFAULT_POINTS, parse_levels, parse_points


@dataclass(frozen=True)
class Settings:
    """What the review is asked: the brand, the goals file (``None`` for the
    default), the forecast horizon and interval level, the community's points
    per action and levels (name, points from which it starts; ascending), and
    how many top contributors to list."""

    brand: str = "Lumina"
    goals: Path | None = None
    horizon_days: int = 28
    interval: float = 0.8
    points: tuple[tuple[str, float], ...] = ()
    levels: tuple[tuple[str, float], ...] = ()
    top_n: int = 10
    # the crisis response SLA: hours to the first official response by severity (4 = Ⅰ级), and what counts as one
    deadlines: tuple[tuple[int, float], ...] = tuple(DEFAULT_DEADLINE_HOURS.items())
    response_kinds: tuple[str, ...] = RESPONSE_KINDS
    lang: str = i18n.DEFAULT_LANGUAGE  # the report's language (presentation only; the analysis never reads it)

    @property
    def deadline_hours(self) -> dict[int, float]:
        return dict(self.deadlines)

    @property
    def points_rules(self) -> dict[str, float]:
        return dict(self.points)


def settings(
    brand: str = "Lumina",
    goals: str | Path | None = "",
    horizon_days: int = 28,
    interval: float = 0.8,
    points_rules: str = DEFAULT_POINTS,
    level_thresholds: str = DEFAULT_LEVELS,
    top_n: int = 10,
    respond_within_hours: str = "",
    response_kinds: str | tuple[str, ...] = "reply,post",
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate the notebook's parameters. ``goals`` empty means the default
    goals file; ``respond_within_hours`` and ``response_kinds`` are the
    reputation monitor's (the SLA of the team scorecard); ``lang`` is the
    report's language (``zh`` or ``en``)."""
    horizon_days, top_n, interval = int(horizon_days), int(top_n), float(interval)
    if horizon_days < 7:
        raise ValueError(f"horizon_days must be at least 7 (a weekly season), got {horizon_days}")
    if not 0 < interval < 1:
        raise ValueError(f"interval must lie between 0 and 1, got {interval}")
    return Settings(
        brand=str(brand),
        goals=parse_path(goals, "goals", must_exist=True),
        horizon_days=horizon_days,
        interval=interval,
        points=tuple(parse_points(points_rules).items()),
        levels=tuple(parse_levels(level_thresholds)),
        top_n=top_n,
        deadlines=tuple(parse_deadlines(respond_within_hours).items()),
        response_kinds=parse_kinds(response_kinds),
        lang=i18n.check_language(str(lang)),
    )
