"""The campaign post-mortem's parameters, validated once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smkit import i18n
from smkit.params import parse_list

# account_daily metrics whose incremental lift is estimated, the main one first
LIFT_METRICS = ("views", "engagements", "followers_gained", "clicks", "conversions")


@dataclass(frozen=True)
class Settings:
    """What to review and how.

    ``campaign_id`` empty means the most recent campaign that has ended;
    ``brand`` is our account name in ``account_daily`` and ``mentions``.
    """

    campaign_id: str = ""
    brand: str = "Lumina"
    pre_days: int = 90  # days before the campaign used to learn the counterfactual
    halo_days: int = 14  # days after the campaign checked for a lasting effect
    alpha: float = 0.05  # 1 - alpha is the interval level
    top_n: int = 10  # how many top posts to list
    lift_metrics: tuple[str, ...] = LIFT_METRICS
    seed: int = 0
    lang: str = i18n.DEFAULT_LANGUAGE  # the report's language (presentation only: the analysis never reads it)


def settings(
    campaign_id: str = "",
    brand: str = "Lumina",
    pre_days: int = 90,
    halo_days: int = 14,
    alpha: float = 0.05,
    top_n: int = 10,
    lift_metrics: str | Sequence[str] | None = None,
    seed: int = 0,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate the notebook's parameters; ``lift_metrics`` is a list such as
    ``"views, clicks"`` (empty or ``None`` for all of :data:`LIFT_METRICS`)."""
    brand = str(brand).strip()  # empty only when the store holds none of the tables that name accounts
    if int(pre_days) < 1:
        raise ValueError(f"pre_days must be at least 1, got {pre_days}")
    if int(halo_days) < 0:
        raise ValueError(f"halo_days must be 0 or more, got {halo_days}")
    if not 0 < float(alpha) < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if int(top_n) < 1:
        raise ValueError(f"top_n must be at least 1, got {top_n}")
    metrics = parse_list(lift_metrics) or LIFT_METRICS
    return Settings(
        str(campaign_id).strip(), brand, int(pre_days), int(halo_days), float(alpha), int(top_n), metrics, int(seed), i18n.check_language(str(lang))
    )
