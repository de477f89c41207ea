"""The data overview's brief, findings, tables and figure, from a :class:`Result`,
in the report's language ``lang`` (``zh`` or ``en``; every sentence comes from
:mod:`.messages`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from smkit import i18n
from smkit.playbooks.data_overview.messages import T
from smkit.playbooks.data_overview.needs import NEEDS
from smkit.viz import escape, new_figure, table

if TYPE_CHECKING:
    from smkit.playbooks.data_overview.analysis import Result

ZH = i18n.DEFAULT_LANGUAGE
STALE_DAYS = 7  # a continuous feed ending more than this many days before the latest one may miss an export
FEEDS = ("posts", "account_daily", "mentions", "community_activity")  # exported continuously (experiments and campaigns end by nature)


def _date(value, lang: str, short: bool = False) -> str:
    if value is None or pd.isna(value):
        return "–"
    return i18n.date(pd.Timestamp(value).date(), lang, short=short)


def _join(items, lang: str) -> str:
    return T("list_sep", lang).join(items)


def _window(result: Result, lang: str) -> str:
    same_year = result.start.year == result.end.year
    return T("window", lang, start=_date(result.start, lang), end=_date(result.end, lang, short=same_year))


def _table_name(name: str, lang: str) -> str:
    key = f"table_{name}"
    return T(key, lang) if T.has(key) else str(name)


def _metric(name: str, lang: str) -> str:
    key = f"metric_{name}"
    return T(key, lang) if T.has(key) else str(name)


def _count(lang: str):
    return lambda v: i18n.count(v, lang)


# ---------------------------------------------------------------- the facts the sentences use


def _views_by_platform(result: Result) -> pd.Series:
    return result.by_platform["views"].groupby(level="platform", observed=True).sum().sort_values(ascending=False)


def _common_metrics(result: Result) -> list[str]:
    """The metrics every platform reports on (nearly) every post."""
    a = result.availability
    return [] if a.empty else [m for m in a.columns if (a[m] >= 0.99).all()]


def _stale(result: Result) -> list[tuple[str, dt.date]]:
    """Continuous feeds (:data:`FEEDS`) that end more than :data:`STALE_DAYS` before the latest dated table."""
    last = result.tables["last"].dropna()
    if last.empty:
        return []
    latest = max(last)
    return [(t, d) for t, d in last.items() if t in FEEDS and (pd.Timestamp(latest) - pd.Timestamp(d)).days > STALE_DAYS]


# ---------------------------------------------------------------- brief and findings


def brief(result: Result, lang: str = ZH) -> str:
    """The report's opening: what the window holds, what stood out, and what to
    do about the data (three or four plain sentences, each with its number; Markdown, escaped)."""
    out = [posts_sentence(result, lang)]
    if result.has("posts") and not result.top_posts.empty:
        out.append(_top_sentence(result, "brief_top", lang))
    common = _common_metrics(result)
    if result.has("posts") and common and len(common) < len(result.availability.columns):
        out.append(T("brief_common", lang, metrics=_join((_metric(m, lang) for m in common), lang)))
    if result.missing:
        out.append(_missing_sentence(result, lang))
    elif _stale(result):
        out.append(T("brief_stale", lang, tables=_join((_table_name(t, lang) for t, _ in _stale(result)), lang)))
    else:
        out.append(T("brief_ok", lang))
    return " ".join(out)


def posts_sentence(result: Result, lang: str = ZH, key: str = "brief_posts") -> str:
    if not result.posts_in_window:
        return T("brief_no_posts", lang, window=_window(result, lang))
    if result.top_by != "views":  # no post carries views: say so rather than "0 views"
        return T(f"{key}_no_views", lang, window=_window(result, lang), platforms=len(result.platforms), posts=i18n.count(result.posts_in_window, lang))
    views = _views_by_platform(result)
    share = views.iloc[0] / views.sum() if views.sum() else float("nan")
    return T(
        key,
        lang,
        window=_window(result, lang),
        platforms=len(result.platforms),
        posts=i18n.count(result.posts_in_window, lang),
        views=i18n.count(result.views_in_window, lang),
        top_platform=escape(i18n.platform(views.index[0], lang)),
        share=i18n.percent(share, 0),
    )


def _top_sentence(result: Result, key: str, lang: str) -> str:
    top = result.top_posts.iloc[0]
    return T(
        key if result.top_by == "views" else f"{key}_interactions",
        lang,
        platform=escape(i18n.platform(top["platform"], lang)),
        account=escape(top["account"]),
        title=escape(top["title"]),
        views=i18n.count(top["views"], lang),
        interactions=i18n.count(top.get("interactions"), lang),
    )


def _missing_sentence(result: Result, lang: str) -> str:
    tables = [t for key in result.missing for s in NEEDS.sections if s.key == key for t in s.tables]
    return T(
        "brief_missing",
        lang,
        tables=_join((_table_name(t, lang) for t in tables), lang),
        sections=_join((T(f"section_{key}", lang) for key in result.missing), lang),
        exports=_join((T(f"export_{t}", lang) for t in tables), lang),
    )


def tables_finding(result: Result, lang: str = ZH) -> str:
    last = result.tables["last"].dropna()
    latest = _date(max(last), lang) if not last.empty else "–"
    stale = _stale(result)
    if not stale:
        return T("tables_finding", lang, n=len(result.tables), last=latest)
    items = _join((T("stale_item", lang, table=_table_name(t, lang), last=_date(d, lang, short=True)) for t, d in stale), lang)
    return T("tables_finding_stale", lang, n=len(result.tables), last=latest, tables=items)


def posts_finding(result: Result, lang: str = ZH) -> str:
    if not result.posts_in_window:
        return T("brief_no_posts", lang, window=_window(result, lang))
    return posts_sentence(result, lang, key="posts_finding")


def availability_finding(result: Result, lang: str = ZH) -> str:
    common = _common_metrics(result)
    if not common:
        return T("availability_finding_none", lang)
    metrics = _join((_metric(m, lang) for m in common), lang)
    if len(common) == len(result.availability.columns):
        return T("availability_all", lang, metrics=metrics)
    return T("availability_finding", lang, metrics=metrics)


def daily_finding(result: Result, lang: str = ZH) -> str:
    if not result.has_daily_views:
        return T("fig_empty", lang)
    per_day = result.daily_views.mean()
    who = escape(result.account) if result.account else T("daily_all_accounts", lang)
    return T(
        "daily_finding",
        lang,
        who=who,
        views=i18n.count(round(per_day.sum()), lang),
        platform=escape(i18n.platform(per_day.idxmax(), lang)),
        top=i18n.count(round(per_day.max()), lang),
    )


def top_finding(result: Result, lang: str = ZH) -> str:
    if result.top_posts.empty:
        return T("brief_no_posts", lang, window=_window(result, lang))
    return _top_sentence(result, "top_finding", lang)


def missing_text(result: Result, section: str = "", lang: str = ZH) -> str:
    """The one sentence shown where ``section`` would be: the export it needs
    (every absent section's sentence when ``section`` is empty)."""
    keys = [section] if section else list(result.missing)
    out = []
    for key in keys:
        if key not in result.missing:
            continue
        if lang == "en":
            out.append(result.missing[key])
            continue
        tables = [t for s in NEEDS.sections if s.key == key for t in s.tables]
        out.append(
            T(
                "missing",
                lang,
                tables=_join((_table_name(t, lang) for t in tables), lang),
                section=T(f"section_{key}", lang),
                exports=_join((T(f"export_{t}", lang) for t in tables), lang),
                table=tables[0],
            )
        )
    return "\n\n".join(out)


# ---------------------------------------------------------------- tables


def tables_table(result: Result, lang: str = ZH) -> Styler:
    """Rows per table and the days they cover (– for a table without a time column)."""
    frame = result.tables.copy()
    frame.index = [_table_name(t, lang) for t in frame.index]
    frame.index.name = T("col_table", lang)
    names = {"rows": T("col_rows", lang), "first": T("col_first", lang), "last": T("col_last", lang)}
    day = lambda v: _date(v, lang)  # noqa: E731
    return table(frame.rename(columns=names), {names["rows"]: _count(lang), names["first"]: day, names["last"]: day})


def posts_by_platform_table(result: Result, lang: str = ZH) -> Styler:
    """Posts and views per platform and account in the window."""
    frame = result.by_platform.reset_index()
    frame["platform"] = [i18n.platform(p, lang) for p in frame["platform"]]
    frame = frame.rename(
        columns={"platform": T("col_platform", lang), "account": T("col_account", lang), "posts": T("col_posts", lang), "views": T("col_views", lang)}
    )
    frame = frame.set_index([T("col_platform", lang), T("col_account", lang)])
    return table(frame, {T("col_posts", lang): _count(lang), T("col_views", lang): _count(lang)})


def _shares_table(shares: pd.DataFrame, lang: str) -> Styler:
    frame = shares.rename(columns=lambda m: _metric(m, lang))
    frame.index = [i18n.platform(p, lang) for p in frame.index]
    frame.index.name = T("col_platform", lang)
    return table(frame, "{:.0%}")


def metric_availability_table(result: Result, lang: str = ZH) -> Styler:
    """The share of posts per platform that carry each metric, leaving out the
    metrics every platform reports on every post (:func:`availability_finding` names them)."""
    a = result.availability
    common = _common_metrics(result)
    differing = a.drop(columns=common) if len(common) < len(a.columns) else a
    return _shares_table(differing, lang)


def retention_metrics_table(result: Result, lang: str = ZH) -> Styler:
    """Which platform reports which retention and click metric: the share of its posts that carry it."""
    shares = result.retention_metrics
    if shares.empty:
        return table(pd.DataFrame({"": [T("no_retention", lang)]}), hide_index=True)
    return _shares_table(shares, lang)


def top_posts_table(result: Result, lang: str = ZH) -> Styler:
    """The most-viewed posts in the window."""
    top = result.top_posts.copy()
    top["published_at"] = [f"{_date(t, lang, short=True)} {pd.Timestamp(t):%H:%M}" for t in top["published_at"]]
    top["platform"] = [i18n.platform(p, lang) for p in top["platform"]]
    top["content_type"] = [i18n.content_type(c, lang) if pd.notna(c) else None for c in top["content_type"]]  # an export without forms: –
    names = {
        "published_at": T("col_published", lang),
        "platform": T("col_platform", lang),
        "account": T("col_account", lang),
        "title": T("col_title", lang),
        "content_type": T("col_type", lang),
        "views": T("col_views", lang),
        "likes": T("col_likes", lang),
        "comments": T("col_comments", lang),
        "shares": T("col_shares", lang),
        "interactions": T("col_interactions", lang),
    }
    if result.top_by != "views":
        top = top.drop(columns="views")  # no post has them
    top = top.rename(columns=names)
    top.index.name = T("col_rank", lang)
    counts = {names[c]: _count(lang) for c in ("likes", "comments", "shares", result.top_by)}
    caption = "top_caption" if result.top_by == "views" else "top_caption_interactions"
    return table(top, counts, caption=T(caption, lang, n=len(top)))


# ---------------------------------------------------------------- figure


def daily_views_figure(result: Result, lang: str = ZH) -> Figure:
    """Daily views per platform (log scale: platforms differ by orders of magnitude);
    an empty chart saying so when the account has no views in the window."""
    wide = result.daily_views
    title = T("fig_title_account", lang, account=result.account) if result.account else T("fig_title", lang)
    fig, ax = new_figure(title, height=3.6)
    for platform in wide.columns:
        ax.plot(pd.to_datetime(wide.index), wide[platform], label=i18n.platform(platform, lang), linewidth=1.2)
    if result.has_daily_views:
        ax.set_yscale("log")
        ax.set_ylabel(T("fig_axis", lang))
        i18n.count_axis(ax, lang)
        ax.yaxis.set_minor_formatter(plt.NullFormatter())
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=7))
        i18n.date_axis(ax, lang)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    else:
        ax.text(0.5, 0.5, T("fig_empty", lang), ha="center", va="center", transform=ax.transAxes)
    plt.close(fig)
    return fig
