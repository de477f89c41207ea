"""The data overview's tables and figure, from a :class:`Result`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit.data.schema import RETENTION_LABELS
from smkit.viz import new_figure, table

if TYPE_CHECKING:
    from smkit.playbooks.data_overview.analysis import Result


def _date(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def missing_text(result: Result, section: str = "") -> str:
    """The one sentence shown where ``section`` would be: the export it needs
    (every absent section's sentence when ``section`` is empty)."""
    return result.missing.get(section, "") if section else "\n\n".join(result.missing.values())


def tables_table(result: Result) -> Styler:
    """Rows per table and the days they cover (– for a table without a time column)."""
    return table(result.tables, {"rows": "{:,}", "first": _date, "last": _date})


def posts_by_platform_table(result: Result) -> Styler:
    """Posts and views per platform and account in the window."""
    return table(result.by_platform, "{:,.0f}")


def metric_availability_table(result: Result) -> Styler:
    """The share of posts per platform that carry each metric."""
    return table(result.availability, "{:.0%}")


def retention_metrics_table(result: Result) -> Styler:
    """Which platform reports which retention and click metric: the share of its posts that carry it."""
    shares = result.retention_metrics
    if shares.empty:
        return table(pd.DataFrame({"note": ["no platform in the window reports completion, retention, bounce or cover click-through"]}), hide_index=True)
    return table(shares.rename(columns=RETENTION_LABELS), "{:.0%}")


def top_posts_table(result: Result) -> Styler:
    """The most-viewed posts in the window."""
    counts = {column: "{:,}" for column in ("views", "likes", "comments", "shares")}
    return table(result.top_posts, {"published_at": lambda t: t.strftime("%Y-%m-%d %H:%M"), **counts})


def daily_views_figure(result: Result) -> Figure:
    """Daily views per platform (log scale: platforms differ by orders of magnitude);
    an empty chart saying so when the account has no views in the window."""
    wide = result.daily_views
    fig, ax = new_figure("每日播放量 Daily views by platform" + (f" · {result.account}" if result.account else ""), height=3.6)
    for platform in wide.columns:
        ax.plot(wide.index, wide[platform], label=platform, linewidth=1.2)
    if result.has_daily_views:
        ax.set_yscale("log")
        ax.set_ylabel("views (log scale)")
        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    else:
        ax.text(0.5, 0.5, "no views in the window", ha="center", va="center", transform=ax.transAxes)
    plt.close(fig)
    return fig
