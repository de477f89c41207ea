"""The monitor's parameters, validated once: :func:`settings` builds :class:`Settings`."""

from __future__ import annotations

from dataclasses import dataclass

from smkit import i18n
from smkit.methods import anomaly
from smkit.methods.response import DEFAULT_DEADLINE_HOURS, RESPONSE_KINDS, parse_deadlines, parse_kinds
from smkit.params import parse_list
from smkit.playbooks.reputation_monitor.risk import RiskThresholds


@dataclass(frozen=True)
class Settings:
    """The monitor's validated parameters."""

    brand: str = "Lumina"  # our brand in the mentions table
    brand_aliases: tuple[str, ...] = ()  # the brand's other names; never reported as emerging words
    history_days: int = 120  # days before the window used for baselines
    detector: str = "seasonal_robust_z"  # volume detector, a name in smkit.methods.anomaly.DETECTORS
    z: float = 4.0  # robust z-score above which a day's volume raises an alarm
    cusum_k: float = 0.5  # CUSUM allowance, in standard deviations of the daily negative count
    cusum_h: float = 5.0  # CUSUM decision limit
    thresholds: RiskThresholds = RiskThresholds()  # risk-level thresholds and min_factors
    top_n: int = 5  # negative mentions listed per alert
    # hours to the first official response by severity (4 = Ⅰ级 ... 1 = Ⅳ级), as (severity, hours) pairs
    deadlines: tuple[tuple[int, float], ...] = tuple(DEFAULT_DEADLINE_HOURS.items())
    response_kinds: tuple[str, ...] = RESPONSE_KINDS  # what counts as an official response: reply, post
    lang: str = i18n.DEFAULT_LANGUAGE  # the report's language (zh or en); the analysis never depends on it

    @property
    def deadline_hours(self) -> dict[int, float]:
        """Hours to the first official response by severity (4 = Ⅰ级, the most severe)."""
        return dict(self.deadlines)


def _number(value, name: str, kind: type, minimum: float, *, strict: bool = False):
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if number != number or number < minimum or (strict and number == minimum):
        raise ValueError(f"{name} must be {'above' if strict else 'at least'} {minimum}, got {value!r}")
    return number


def settings(
    brand: str = "Lumina",
    brand_aliases: str | tuple[str, ...] = "",
    history_days: int = 120,
    detector: str = "seasonal_robust_z",
    z: float = 4.0,
    cusum_k: float = 0.5,
    cusum_h: float = 5.0,
    min_factors: int = 2,
    top_n: int = 5,
    thresholds: RiskThresholds | None = None,
    respond_within_hours: str = "",
    response_kinds: str | tuple[str, ...] = "reply,post",
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate the notebook's parameters. ``brand_aliases`` are separated by
    any list separator (``露米娜，Lumi`` is two names); ``thresholds``, when
    given, replaces the default thresholds and ``min_factors``.
    ``respond_within_hours`` changes response deadlines by warning level in
    the Chinese convention (``Ⅰ:1,Ⅱ:2,Ⅲ:12,Ⅳ:24``, Ⅰ/I/1 the most severe;
    levels not named keep their default); ``response_kinds`` is what counts
    as an official response (``reply``, ``post``); ``lang`` the report's
    language (``zh`` or ``en``)."""
    brand = str(brand).strip()
    if not brand:
        raise ValueError("brand must name the brand as it appears in the mentions table")
    anomaly.detector(detector)  # an unknown name lists the valid ones
    if thresholds is None:
        thresholds = RiskThresholds(min_factors=int(_number(min_factors, "min_factors", float, 1)))
    return Settings(
        brand=brand,
        brand_aliases=parse_list(brand_aliases),
        history_days=int(_number(history_days, "history_days", float, 0)),
        detector=detector,
        z=_number(z, "z", float, 0, strict=True),
        cusum_k=_number(cusum_k, "cusum_k", float, 0),
        cusum_h=_number(cusum_h, "cusum_h", float, 0, strict=True),
        thresholds=thresholds,
        top_n=int(_number(top_n, "top_n", float, 0)),
        deadlines=tuple(parse_deadlines(respond_within_hours).items()),
        response_kinds=parse_kinds(response_kinds),
        lang=i18n.check_language(lang),
    )
