"""The league table of every ended campaign, as the post-mortem shows it
(Markdown and a Styler, in the report's language). Presentation only."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from smkit import i18n, viz
from smkit.methods import stats
from smkit.viz import escape

from .messages import T
from .result import Result
from .wording import channel_name, money, reason_text


def _percent(value) -> str:
    return "–" if value is None or pd.isna(value) else i18n.percent(float(value), decimals=0, signed=True)


def league_finding(result: Result, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """Which campaign lifted most and least, and how many differ from the top beyond chance."""
    league = result.league
    if len(league) < 2:  # fewer than two ended, or the others could not be estimated
        return (
            T("league_unestimated", lang, n=len(league) + len(result.league_notes), k=len(result.league_notes))
            if result.league_notes
            else T("league_none", lang)
        )
    differ = int(league["differs_from_top"].fillna(False).astype(bool).sum())
    return T(
        "league_finding",
        lang,
        n=len(league),
        top=escape(league["name"].iloc[0]),
        top_relative=_percent(league["relative"].iloc[0]),
        bottom=escape(league["name"].iloc[-1]),
        bottom_relative=_percent(league["relative"].iloc[-1]),
        differ=differ,
    )


def league_table(result: Result, lang: str = i18n.DEFAULT_LANGUAGE) -> Styler:
    """One row per ended campaign, the largest views lift first."""
    league = result.league

    def flag(v) -> str:
        return "–" if v is None or pd.isna(v) else T("yes" if v else "no", lang)

    frame = pd.DataFrame(
        {
            T("h_campaign", lang): [f"{n} ({i})" for i, n in zip(league.index, league["name"])],
            T("h_led_by", lang): [channel_name(v, lang) for v in league["led_by"]],
            T("h_relative", lang): [_percent(v) for v in league["relative"]],
            T("h_relative_low", lang): [_percent(v) for v in league["relative_low"]],
            T("h_relative_high", lang): [_percent(v) for v in league["relative_high"]],
            T("h_incremental", lang): ["–" if pd.isna(v) else i18n.count(round(float(v)), lang) for v in league["incremental_views"]],
            T("h_cost_per_thousand", lang): ["–" if v is None or pd.isna(v) else money(v, lang) for v in league["cost_per_thousand_views"]],
            T("h_roi", lang): [_percent(v) for v in league["roi"]],
            T("h_p_vs_top", lang): ["–" if v is None or pd.isna(v) else stats.format_p(v) for v in league["p_vs_top"]],
            T("h_differs_top", lang): [flag(v) for v in league["differs_from_top"]],
        }
    )
    if league["roi"].isna().all():
        frame = frame.drop(columns=[T("h_roi", lang)])
    return viz.table(frame, hide_index=True)


def league_note(result: Result, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The method, folded, and the campaigns left out with why."""
    body = T("league_note", lang, k=max(len(result.league) - 1, 0))
    skipped = [T("league_skipped", lang, campaign=escape(c), reason=escape(reason_text(r, lang))) for c, r in result.league_notes]
    return f"<details><summary>{T('method_summary', lang)}</summary>\n\n{body}\n\n</details>" + "".join(f"\n\n{s}" for s in skipped)
