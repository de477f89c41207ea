"""The pacing report's parameters, validated once."""

from __future__ import annotations

from dataclasses import dataclass

from smkit import i18n


@dataclass(frozen=True)
class Settings:
    """Which campaign to pace and how.

    ``campaign_id`` is resolved before the run (empty: the campaign running on
    the store's last day); ``chance_alert`` is the chance of meeting a target
    below which the run raises an alert (and, with a response plan, notifies).
    """

    campaign_id: str
    brand: str = "Lumina"
    chance_alert: float = 0.5
    pre_days: int = 90  # days before the campaign that teach the model the usual level and week
    alpha: float = 0.05  # 1 - alpha is the interval level
    seed: int = 0
    lang: str = i18n.DEFAULT_LANGUAGE


def settings(
    campaign_id: str,
    brand: str = "Lumina",
    chance_alert: float = 0.5,
    pre_days: int = 90,
    alpha: float = 0.05,
    seed: int = 0,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> Settings:
    """Validate the notebook's parameters."""
    if not str(campaign_id).strip():
        raise ValueError("campaign_id is empty: give the campaign to pace (-p campaign_id ID)")
    if not 0 <= float(chance_alert) <= 1:
        raise ValueError(f"chance_alert must be between 0 and 1, got {chance_alert}")
    if int(pre_days) < 21:
        raise ValueError(f"pre_days must be at least 21 (three weeks teach the weekly shape), got {pre_days}")
    if not 0 < float(alpha) < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    return Settings(str(campaign_id).strip(), str(brand).strip(), float(chance_alert), int(pre_days), float(alpha), int(seed), i18n.check_language(str(lang)))
