"""The content report's themes, post scores, publishing plan and copy check sections."""

from __future__ import annotations

import html

import pandas as pd
from pandas.io.formats.style import Styler

from smkit import i18n, viz
from smkit.viz import escape

from .messages import T, content_type, platform, topic, weekday
from .plan import CALENDAR_CSV, CALENDAR_ICS
from .report_common import _RULE_CODES, _cap, _differs, _note, _rate, _ratio, _x
from .result import Result
from .scores import BEST_HOURS_TRAIT, TOPIC_TRAIT, WEEKEND_TRAIT


def _keyword_differences(result: Result) -> pd.DataFrame:
    k = result.keywords
    return k[_differs(k)] if not k.empty else k


def themes_text(result: Result, lang: str = "zh") -> str:
    """The section's finding: the keywords that differ beyond chance (or one sentence saying none does), and the topics that do."""
    k = result.keywords
    lead = T("finding", lang) + " "
    if k.empty:
        return lead + T("themes_none", lang)
    up = k[k["ci_low"].fillna(1) > 1]
    down = k[k["ci_high"].fillna(1) < 1]
    if up.empty and down.empty:
        moved = k.loc[(k["raw_multiplier"] - 1).abs().idxmax()]
        text = T("keywords_flat", lang, n=len(k), word=escape(moved["keyword"]), raw=_x(moved["raw_multiplier"]), posts=int(moved["posts"]))
    else:
        parts = []
        if not up.empty:
            parts.append(T("keywords_up", lang, words=T("list_sep", lang).join(escape(w) for w in up["keyword"].head(5))))
        if not down.empty:
            parts.append(T("keywords_down", lang, words=T("list_sep", lang).join(escape(w) for w in down["keyword"].tail(5))))
        text = T("keywords_some", lang, n=len(k), items=T("clause_sep", lang).join(parts), rest=len(k) - len(up) - len(down))
    t = result.topics
    if not t.empty:
        moved = t[_differs(t)]
        sep = " " if lang == "en" else ""
        if len(moved):
            items = T("clause_sep", lang).join(
                T(
                    "topics_item",
                    lang,
                    platform=platform(r.platform, lang),
                    topic=escape(topic(r.keyword, lang)),
                    ratio=_x(r.multiplier),
                    low=_x(r.ci_low),
                    high=_x(r.ci_high),
                )
                for r in moved.itertuples()
            )
            text += sep + _cap(T("topics_some", lang, items=items))
        else:
            text += sep + T("topics_flat", lang, platforms=T("topics_flat_all", lang))
    return lead + text


def keywords_table(result: Result, lang: str = "zh", n: int = 10) -> Styler:
    """Only the keywords whose interval excludes 1 (the ``n`` best and ``n`` worst); every other keyword is said in one sentence (:func:`themes_text`)."""
    k = result.keywords
    if k.empty:
        return _note(T("themes_none", lang), lang)
    picked = _keyword_differences(result)
    if picked.empty:
        return _note(T("keywords_none_table", lang), lang)
    picked = pd.concat([picked.head(n), picked.tail(n)]).drop_duplicates("keyword") if len(picked) > 2 * n else picked
    shown = pd.DataFrame(
        {
            T("col_keyword", lang): picked["keyword"].to_numpy(),
            T("col_posts", lang): picked["posts"].to_numpy(),
            T("col_raw", lang): picked["raw_multiplier"].to_numpy(),
            T("col_shrunk", lang): [_ratio(m, lo, hi, lang) for m, lo, hi in zip(picked["multiplier"], picked["ci_low"], picked["ci_high"])],
        }
    )
    return viz.table(shown.set_index(T("col_keyword", lang)), {T("col_raw", lang): "×{:.2f}"}, caption=T("keywords_caption", lang))


def topics_table(result: Result, lang: str = "zh") -> Styler:
    """Each recorded topic against its peers, on the platforms where topics differ at all (the others in the caption)."""
    t = result.topics
    if t.empty:
        return _note(T("topics_none_table", lang), lang)
    spread = t.groupby("platform")["ci_low"].apply(lambda s: s.notna().any())
    flat = sorted(spread.index[~spread])
    if not spread.any():
        return _note(T("topics_flat", lang, platforms=T("topics_flat_all", lang)), lang)
    shown = t[t["platform"].isin(spread.index[spread])]
    cells = pd.DataFrame(
        {
            "platform": [platform(p, lang) for p in shown["platform"]],
            "topic": [topic(k, lang) for k in shown["keyword"]],
            "shown": [T("topic_cell", lang, ratio=_x(m), raw=_x(r), n=n) for m, r, n in zip(shown["multiplier"], shown["raw_multiplier"], shown["posts"])],
        }
    )
    table = cells.pivot(index="topic", columns="platform", values="shown")
    table.index.name, table.columns.name = T("col_topic", lang), None
    caption = T("topics_caption", lang, flat=T("list_sep", lang).join(platform(p, lang) for p in flat)) if flat else T("topics_caption_all", lang)
    return viz.table(table, caption=caption)


# --------------------------------------------------------------------------- post scores


def posts_table(result: Result, best: bool = True, lang: str = "zh") -> Styler:
    """The ``top_n`` best (or worst) posts by percentile within platform and type, with a caption saying which."""
    s = result.scores
    if s.empty:
        return _note(T("no_posts", lang), lang)
    n = result.settings.top_n
    picked = s.nlargest(n, "percentile") if best else s.nsmallest(n, "percentile")
    shown = pd.DataFrame(
        {
            T("col_published", lang): [f"{i18n.date(t, lang, short=True)} {t:%H:%M}" for t in picked["published_at"]],
            T("col_platform", lang): [platform(p, lang) for p in picked["platform"]],
            T("col_account", lang): picked["account"].to_numpy(),
            T("col_type", lang): [content_type(t, lang) for t in picked["content_type"]],
            T("col_topic", lang): [topic(t, lang) for t in picked["topic"]],
            T("col_title", lang): picked["title"].fillna("").to_numpy(),
            T("col_interactions", lang): picked["interactions"].to_numpy(),
            T("col_rate", lang): [_rate(r, p, lang) for r, p in zip(picked["rate"], picked["per"])],
            T("col_percentile", lang): picked["percentile"].to_numpy(),
            T("col_peers", lang): picked["peers"].to_numpy(),
        }
    )
    shown.index = pd.RangeIndex(1, len(shown) + 1, name=T("col_rank", lang))
    caption = T("posts_best_caption" if best else "posts_worst_caption", lang, n=len(shown))
    return viz.table(shown, {T("col_interactions", lang): lambda v: i18n.count(v, lang), T("col_percentile", lang): "{:.1f}"}, caption=caption)


def trait(name: str, lang: str = "zh") -> str:
    """A trait of the best and worst posts (:mod:`.scores`) in words."""
    if name == BEST_HOURS_TRAIT:
        return T("trait_best_hours", lang)
    if name == WEEKEND_TRAIT:
        return T("trait_weekend", lang)
    if name.startswith(TOPIC_TRAIT):
        return T("trait_topic", lang, topic=topic(name[len(TOPIC_TRAIT) :], lang))
    return name


def apart_table(result: Result, lang: str = "zh", n: int = 6) -> Styler:
    a = result.apart
    if a.empty:
        return _note(T("apart_none", lang), lang)
    top = a.head(n)
    shown = pd.DataFrame(
        {T("col_top", lang): top["top"].to_numpy(), T("col_bottom", lang): top["bottom"].to_numpy()},
        index=pd.Index([trait(t, lang) for t in top["trait"]], name=T("col_trait", lang)),
    )
    return viz.table(shown, lambda v: i18n.percent(v, 0), caption=T("apart_caption", lang))


def scores_text(result: Result, lang: str = "zh") -> str:
    a = result.apart
    if a.empty:
        return ""
    first = a.iloc[0]
    return (
        T("finding", lang)
        + " "
        + T(
            "scores_text",
            lang,
            trait=html.escape(trait(first["trait"], lang), quote=False),
            top=i18n.percent(first["top"], 0),
            bottom=i18n.percent(first["bottom"], 0),
        )
    )


# --------------------------------------------------------------------------- the plan


def _plan_sure(confident: bool, thin: bool, lang: str) -> str:
    return T("plan_confident" if confident else ("plan_pattern" if thin else "plan_estimate"), lang)


def plan_table(result: Result, lang: str = "zh", weeks: int = 1) -> Styler:
    """The plan's first ``weeks`` weeks, in words (calendar.csv keeps the codes)."""
    c = result.calendar
    if c.empty:
        return _note(T("plan_none_table", lang), lang)
    first = c[pd.to_datetime(c["date"]) < pd.Timestamp(result.settings.plan_start) + pd.Timedelta(days=7 * weeks)]
    days = pd.to_datetime(first["date"])
    shown = pd.DataFrame(
        {
            T("col_date", lang): [i18n.date(d, lang, short=True) for d in first["date"]],
            T("col_weekday", lang): [weekday(d, lang) for d in days.dt.day_of_week],
            T("col_time", lang): first["time"].to_numpy(),
            T("col_platform", lang): [platform(p, lang) for p in first["platform"]],
            T("col_type", lang): [content_type(t, lang) for t in first["content_type"]],
            T("col_theme", lang): [topic(t, lang) for t in first["theme"]],
            T("col_slot_sure", lang): [_plan_sure(s, t, lang) for s, t in zip(first["confident"], first["thin"])],
        }
    )
    return viz.table(shown.set_index([T("col_date", lang), T("col_weekday", lang), T("col_time", lang)]))


def plan_text(result: Result, lang: str = "zh", files: bool = True) -> str:
    """The plan in a paragraph; ``files`` names the calendar files written next to the report."""
    c = result.calendar
    if c.empty:
        return T("plan_none", lang)
    s = result.settings
    sure = int(c["confident"].sum())
    text = T(
        "plan_text",
        lang,
        n=i18n.count(len(c), lang),
        weeks=s.horizon_weeks,
        start=i18n.date(s.plan_start, lang),
        sure=T("plan_sure", lang, n=sure) if sure else T("plan_unsure", lang),
    )
    if files:
        text += (" " if lang == "en" else "") + T("plan_files", lang, csv=CALENDAR_CSV, ics=CALENDAR_ICS)
    return text


def copy_text(result: Result, lang: str = "zh") -> str:
    """The pre-publish copy check of the plan's copy (its themes), in a sentence or two (Markdown, escaped)."""
    checked, found = result.copy_checked, result.copy_findings
    if not checked:
        return T("copy_none", lang)
    if found.empty:
        return T("copy_ok", lang, n=checked)
    posts = found[["date", "time", "platform", "theme"]].drop_duplicates()
    terms = "、".join(escape(t) for t in dict.fromkeys(found["term"]))
    return T("copy_flag", lang, n=len(posts), checked=checked, terms=terms, csv=CALENDAR_CSV)


def _rule(name: str, lang: str) -> str:
    rule = _RULE_CODES.get(name)
    return T(f"rule_{rule}", lang) if rule else name


def copy_table(result: Result, lang: str = "zh") -> Styler:
    """Each finding in the plan's copy: the post, the term, the rule, why and a suggested rewording
    (the reason and the suggestion are the rules table's own words; escaped)."""
    found = result.copy_findings
    if found.empty:
        return _note(T("copy_none_table", lang), lang)
    shown = pd.DataFrame(
        {
            T("col_date", lang): [i18n.date(d, lang, short=True) for d in found["date"]],
            T("col_time", lang): found["time"].to_numpy(),
            T("col_platform", lang): [platform(p, lang) for p in found["platform"]],
            T("col_theme", lang): [topic(t, lang) for t in found["theme"]],
            T("col_term", lang): found["term"].to_numpy(),
            T("col_rule", lang): [_rule(r, lang) for r in found["rule"]],
            T("col_reason", lang): found["reason"].to_numpy(),
            T("col_suggestion", lang): found["suggestion"].to_numpy(),
        }
    )
    return viz.table(shown.set_index([T("col_date", lang), T("col_time", lang), T("col_platform", lang)]))


def keywords_differ(result: Result) -> bool:
    """Whether any keyword differs from its peers beyond chance (else :func:`themes_text` says so in one sentence and no table is shown)."""
    return not _keyword_differences(result).empty
