"""Data overview: what the store holds, how complete it is, and what stands out.

Backs ``notebooks/data_overview.ipynb``, the first thing to read after an
ingest (plan chapter 6: collect, clean, organise).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from smkit.data import store as store_mod
from smkit.data.schema import POST_METRICS
from smkit.viz import new_figure


def table_rows(store: Path) -> pd.DataFrame:
    """Rows and time span of every table in the store."""
    rows = []
    with store_mod.connect(store, read_only=True) as con:
        for table, n in store_mod.table_counts(store).items():
            column = store_mod.TIME_COLUMNS.get(table)
            first = last = None
            if column:
                first, last = con.execute(f'SELECT min("{column}")::DATE, max("{column}")::DATE FROM "{table}"').fetchone()
            rows.append({"table": table, "rows": n, "first": first or "–", "last": last or "–"})
    return pd.DataFrame(rows).set_index("table")


def posts_by_platform(posts: pd.DataFrame) -> pd.DataFrame:
    """Posts and views per platform and account in the window."""
    grouped = posts.groupby(["platform", "account"], observed=True).agg(posts=("post_id", "size"), views=("views", "sum"))
    return grouped.sort_values(["platform", "views"], ascending=[True, False])


def metric_availability(posts: pd.DataFrame) -> pd.DataFrame:
    """Share of posts per platform that report each metric (1.0 = always).

    Platforms export different metrics; a comparison across platforms is only
    fair on metrics both report.
    """
    metrics = [m for m in POST_METRICS if m in posts]
    share = posts[metrics].notna().groupby(posts["platform"]).mean()
    return share.loc[:, share.max() > 0]


def plot_daily_views(daily: pd.DataFrame, account: str | None = None):
    """Daily views per platform (log scale: platforms differ by orders of magnitude)."""
    data = daily if account is None else daily[daily["account"] == account]
    wide = data.pivot_table(index="date", columns="platform", values="views", aggfunc="sum")
    fig, ax = new_figure("每日播放量 Daily views by platform" + (f" · {account}" if account else ""), height=3.6)
    for platform in wide.columns:
        ax.plot(wide.index, wide[platform], label=platform, linewidth=1.2)
    ax.set_yscale("log")
    ax.set_ylabel("views (log scale)")
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    plt.close(fig)
    return fig


def top_posts(posts: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` most-viewed posts with their engagement."""
    if n < 1:
        raise ValueError(f"top_n must be at least 1, got {n}")
    cols = ["published_at", "platform", "account", "title", "content_type", "views", "likes", "comments", "shares"]
    top = posts.nlargest(n, "views")[cols].copy()
    top["published_at"] = top["published_at"].dt.strftime("%Y-%m-%d %H:%M")
    top.index = pd.RangeIndex(1, len(top) + 1, name="rank")
    return top


def window_summary(store: Path, start: dt.date, end: dt.date, posts: pd.DataFrame) -> dict:
    """The key figures for ``summary.json``."""
    return {
        "window": {"start": start, "end": end},
        "tables": store_mod.table_counts(store),
        "posts_in_window": int(len(posts)),
        "platforms": sorted(posts["platform"].dropna().unique().tolist()),
        "views_in_window": int(posts["views"].sum(skipna=True)),
        "lower_bound_posts": int(posts["lower_bound_metrics"].notna().sum()),
    }
