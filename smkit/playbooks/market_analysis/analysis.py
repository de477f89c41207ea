"""The analysis: frames in, one :class:`~.result.Result` out."""

from __future__ import annotations

from smkit import rules
from smkit.params import Config

from . import benchmark, platform_score, voice
from .audience import audience_fit
from .inputs import Inputs, Settings, load
from .needs import NEEDS
from .recommend import recommend
from .result import Result


def analyze(inputs: Inputs, s: Settings) -> Result:
    """Everything the market analysis reports, for ``s.brand`` in the window of ``inputs``."""
    mentions, posts, daily = inputs.mentions, inputs.posts, inputs.daily
    start, end, brand, alpha = inputs.start, inputs.end, s.brand, s.alpha
    brands = sorted(set(mentions["brand"].dropna()) | set(posts["account"].dropna()))
    if brand not in brands:
        raise ValueError(f"brand '{brand}' has no posts or mentions in {start}..{end}; found {', '.join(brands[:20]) or 'none'}")
    # Competitors: every other brand in the mentions; without mentions, every other account that posts as a brand (not KOLs).
    own_posts = posts[posts["channel"].isna() | (posts["channel"] == "owned")] if "channel" in posts else posts
    pool = set(mentions["brand"].dropna()) or set(own_posts["account"].dropna())
    rivals = tuple(s.competitors) or tuple(sorted(pool - {brand}))
    missing = [c for c in rivals if c not in brands]
    if missing:
        raise ValueError(f"competitor(s) {', '.join(missing)} have no posts or mentions in the window")
    mentions = mentions[mentions["brand"].isin([brand, *rivals])]
    days = (end - start).days + 1

    bench = benchmark.compare(posts, daily, brand, rivals, days, alpha)
    fit = audience_fit(inputs.audience, s.target, alpha)
    criteria = platform_score.build_criteria(posts, daily, bench, fit, brand, s.resources)
    scores = platform_score.score_platforms(criteria, s.weights, concentration=s.concentration, draws=s.draws, seed=s.seed)
    return Result(
        brand=brand,
        competitors=rivals,
        start=start,
        end=end,
        target=s.target,
        share_of_voice=rules.share_of_voice(mentions, alpha=alpha),
        share_of_voice_weighted=rules.share_of_voice(mentions, weighted=True),
        by_platform=rules.share_of_voice(mentions, by=["platform"], alpha=alpha),
        weekly=voice.weekly_share_of_voice(mentions),
        weekly_weighted=voice.weekly_share_of_voice(mentions, weighted=True),
        weekly_by_platform=voice.weekly_platform_share(mentions, brand),
        sentiment=voice.net_sentiment_table(mentions, alpha),
        benchmark=bench,
        trends=benchmark.trends(mentions, daily, brand, start, end, alpha),
        fit=fit,
        facts=inputs.facts,
        scores=scores,
        recommended=recommend(scores, posts, bench, fit, inputs.audience, s.target, brand),
        missing=NEEDS.missing(inputs.present),
        alpha=alpha,
    )


def run(cfg: Config, s: Settings) -> Result:
    """Load the window's data and analyse it: the one call a notebook makes."""
    return analyze(load(cfg, s), s)
