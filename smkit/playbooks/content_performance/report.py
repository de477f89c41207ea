"""What readers see: tables (Stylers), figures and Markdown text, from a :class:`Result`.

Every ``*_table`` returns a Styler built by :func:`smkit.viz.table`, every
``*_figure`` a matplotlib Figure (:mod:`.figures`), every ``*_text`` Markdown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from smkit import viz
from smkit.data.schema import RETENTION_LABELS, platform_label
from smkit.methods import stats
from smkit.viz import escape

from .cadence import Cadence
from .figures import cadence_figure, effects_figure, hour_figure, keywords_figure, timing_figure
from .model import POOLED
from .plan import CALENDAR_CSV, CALENDAR_ICS
from .result import Result
from .settings import EXPOSURE_LABEL
from .timing import MIN_HOUR_POSTS, WEEKDAYS

__all__ = [
    "apart_table",
    "cadence_figure",
    "cadence_table",
    "cadence_text",
    "completion_table",
    "completion_text",
    "copy_table",
    "copy_text",
    "definitions_table",
    "effects_figure",
    "effects_table",
    "effects_text",
    "hour_figure",
    "intro_text",
    "keywords_figure",
    "keywords_table",
    "plan_table",
    "plan_text",
    "posts_table",
    "retention_links_table",
    "retention_table",
    "retention_text",
    "scores_text",
    "slots_table",
    "themes_text",
    "timing_figure",
    "timing_text",
    "topics_table",
]


def _note(text: str) -> Styler:
    """A one-cell table saying why there is nothing to show."""
    return viz.table(pd.DataFrame({"note": [text]}), hide_index=True)


def _slot_label(weekday: int, hour: int) -> str:
    return f"{WEEKDAYS[int(weekday)]} {int(hour):02d}:00-{(int(hour) + 1) % 24:02d}:00"


def _ratio(value: float, low: float, high: float) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"×{value:.2f} (no spread beyond chance)"
    return f"×{value:.2f} [{low:.2f}, {high:.2f}]"


# --------------------------------------------------------------------------- the data


def intro_text(result: Result) -> str:
    s = result.settings
    who = ", ".join(escape(a) for a in s.accounts) if s.accounts else "every account"
    where = ", ".join(platform_label(p) for p in result.definitions.index)
    used = int(result.definitions["used"].sum())
    text = (
        f"**{who}** on {where}, posts published {result.start} to {result.end} ({used:,} posts with engagement and exposure). "
        f"Engagement rate is interactions {EXPOSURE_LABEL[s.per]} unless a platform lacks that exposure (see the table)."
    )
    if result.notes:
        text += " Not modelled: " + "; ".join(f"{platform_label(p)} ({escape(r)})" for p, r in result.notes.items()) + "."
    return text


def definitions_table(result: Result) -> Styler:
    d = result.definitions.copy()
    d.index = [platform_label(p) for p in d.index]
    d["rate"] = [r + (" (fallback: the chosen exposure is not reported)" if f else "") for r, f in zip(d["rate"], d["fallback"])]
    shown = d[["interactions", "rate", "posts", "used"]].rename(
        columns={"interactions": "interactions counted", "rate": "engagement rate", "used": "posts used"}
    )
    return viz.table(shown)


# --------------------------------------------------------------------------- content types


def effects_table(result: Result) -> Styler:
    e = result.effects
    if e.empty:
        return _note("no platform has two content types with enough posts to compare")
    shown = pd.DataFrame(
        {
            "platform": [platform_label(p) for p in e["platform"]],
            "type": e["content_type"],
            "against": e["reference"],
            "posts (type / reference)": [f"{a:,} / {b:,}" for a, b in zip(e["posts"], e["reference_posts"])],
            "rate ratio [interval]": [_ratio(r, lo, hi) for r, lo, hi in zip(e["rate_ratio"], e["ci_low"], e["ci_high"])],
            "p": e["p_value"].map(stats.format_p),
            "p (Holm, all type comparisons)": e["p_holm"].map(stats.format_p),
            "reads as": [reads_as(c, lo, hi) for c, lo, hi in zip(e["call"], e["ci_low"], e["ci_high"])],
        }
    )
    return viz.table(shown.set_index(["platform", "type"]))


def reads_as(call: str, low: float, high: float) -> str:
    """How a comparison reads: its Holm call, or no clear difference (saying so when the interval alone excludes 1)."""
    if call != "unclear":
        return call
    if low > 1 or high < 1:
        return "no clear difference (interval excludes 1, but not after Holm)"
    return "no clear difference"


def adjusted_text(effects: pd.DataFrame) -> str:
    """What the ratios hold constant, per platform where the models differ."""

    def words(names: str) -> str:
        items = [n.strip().replace("hour", "posting hour", 1) if i == 0 else n.strip() for i, n in enumerate(names.split(","))]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    groups = effects.groupby("adjusted_for", sort=False)["platform"].agg(lambda p: sorted(set(p)))
    if len(groups) == 1:
        return f" Each ratio holds {words(groups.index[0])} constant, so it is the type itself, not when or about what it was posted."
    order = sorted(groups.items(), key=lambda kv: -len(kv[0].split(",")))
    parts = [f"{words(names)} on {', '.join(platform_label(p) for p in platforms)}" for names, platforms in order]
    return (
        " Each ratio holds constant what its platform's data could carry: "
        + "; ".join(parts)
        + ". Where topic, campaign or account is missing, too few posts per level were there to estimate it, so a type's ratio there can still "
        "reflect what it was about."
    )


def effects_text(result: Result) -> str:
    e = result.effects
    if e.empty:
        if result.notes and len(result.notes) >= len(result.definitions):
            return "**What this means.** No platform had enough posts in the window to model; widen the window (`start`) or add accounts."
        return "**What this means.** No comparison was possible: every platform posts one content type, or too few of the others."
    clear = e[e["call"] != "unclear"]
    parts = [
        f"{r.content_type} on {platform_label(r.platform)} earns {r.rate_ratio:.2f} times the engagement of {r.reference} "
        f"(between {r.ci_low:.2f} and {r.ci_high:.2f}; Holm p {stats.format_p(r.p_holm)})"
        for r in clear.itertuples()
    ]
    joined = "; ".join(parts)
    text = (
        f"**What this means.** {joined[:1].upper()}{joined[1:]}. "
        if parts
        else "**What this means.** No content type differs clearly from its platform's usual type. "
    )
    if len(e) > 1:
        subject = "These are" if len(clear) > 1 else "This is" if len(clear) else "A difference would be"
        text += f"{subject} called after Holm's correction across all {len(e)} type comparisons, so a lucky one among many is not taken for an effect. "
    lucky = e[(e["call"] == "unclear") & ((e["ci_low"] > 1) | (e["ci_high"] < 1))]
    if not lucky.empty:
        text += (
            "The interval of "
            + "; ".join(f"{r.content_type} on {platform_label(r.platform)} ({_ratio(r.rate_ratio, r.ci_low, r.ci_high)})" for r in lucky.itertuples())
            + " excludes 1 on its own but does not survive the correction: a hint worth testing, not yet a reason to change the mix. "
        )
    rest = len(e) - len(clear) - len(lucky)
    if rest:
        text += (
            f"{'The other' if len(clear) + len(lucky) else 'All'} {rest} comparison{'s' if rest > 1 else ''} cannot tell the types apart with this much data: "
            "their intervals include 1, so keep the current mix there rather than switch on a hunch."
        )
    return text.rstrip() + adjusted_text(e)


def completion_table(result: Result) -> Styler:
    c = result.completion
    if c.empty:
        return _note("no platform in the window reports completion rates (完播率)")
    shown = pd.DataFrame(
        {
            "platform": [platform_label(p) for p in c["platform"]],
            "form": c["form"],
            "type": c["content_type"],
            "posts": c["posts"],
            "completion rate [interval]": [
                f"{m:.1%} [{lo:.1%}, {hi:.1%}]" if np.isfinite(lo) else f"{m:.1%} (one post)"
                for m, lo, hi in zip(c["completion_rate"], c["ci_low"], c["ci_high"])
            ],
            "vs usual type": [
                "reference" if t == r else (f"{d * 100:+.1f} points, p {stats.format_p(p)}" if np.isfinite(d) else "too few posts")
                for t, r, d, p in zip(c["content_type"], c["reference"], c["difference"], c["p_value"])
            ],
        }
    )
    return viz.table(shown.set_index(["platform", "form", "type"]))


def completion_text(result: Result) -> str:
    c = result.completion
    if c.empty:
        return "**What this means.** Completion can only be judged where the platform exports it; none does in this window."
    diffs = c[c["p_value"].notna()]
    clear = diffs[diffs["p_value"] < result.settings.alpha]
    if clear.empty:
        return "**What this means.** Within each form the types are watched to the end about equally often; completion gives no reason to change the mix."
    return (
        "**What this means.** "
        + "; ".join(
            f"{r.content_type} on {platform_label(r.platform)} is completed {abs(r.difference) * 100:.1f} points {'more' if r.difference > 0 else 'less'} often than {r.reference}"
            for r in clear.itertuples()
        )
        + "."
    )


# --------------------------------------------------------------------------- retention and cover


def _pct_interval(m: float, lo: float, hi: float) -> str:
    return f"{m:.1%} [{lo:.1%}, {hi:.1%}]" if np.isfinite(lo) else f"{m:.1%} (one post)"


def retention_table(result: Result) -> Styler:
    """Each retention or cover metric by content type and by video length, per platform that exports it."""
    r = result.retention
    if r.empty:
        return _note("no platform in the window exports 5-second retention, 2-second bounce or cover click-through")
    shown = pd.DataFrame(
        {
            "platform": [platform_label(p) for p in r["platform"]],
            "metric": r["metric"].map(RETENTION_LABELS),
            "by": [f"{b}: {g}" for b, g in zip(r["by"], r["group"])],
            "posts": r["posts"],
            "mean [interval]": [_pct_interval(m, lo, hi) for m, lo, hi in zip(r["mean"], r["ci_low"], r["ci_high"])],
        }
    )
    return viz.table(shown.set_index(["platform", "metric", "by"]))


def retention_links_table(result: Result) -> Styler:
    """Engagement and distribution of posts above their platform-and-type median of each metric, against those below."""
    k = result.retention_links
    if k.empty:
        return _note("too few posts above and below the median of any metric to compare")
    shown = pd.DataFrame(
        {
            "platform": [platform_label(p) for p in k["platform"]],
            "metric above its median": k["metric"].map(RETENTION_LABELS),
            "outcome": k["measure"],
            "posts (above / below)": [f"{a:,} / {b:,}" for a, b in zip(k["high_posts"], k["low_posts"])],
            "ratio [interval]": [_ratio(v, lo, hi) for v, lo, hi in zip(k["ratio"], k["ci_low"], k["ci_high"])],
            "p (Holm, all comparisons)": k["p_holm"].map(stats.format_p),
            "reads as": k["call"].map({"higher": "higher", "lower": "lower", "unclear": "no clear difference"}),
        }
    )
    return viz.table(shown.set_index(["platform", "metric above its median", "outcome"]))


def retention_text(result: Result) -> str:
    if not result.has_retention:
        return (
            "**What this means.** No platform in the window exports 5-second retention (5s完播率), 2-second bounce (2s跳出率) or cover "
            "click-through (封面点击率) for enough posts; Douyin's works list and Xiaohongshu's notes list carry them."
        )
    k = result.retention_links
    clear = k[k["call"] != "unclear"]
    where = ", ".join(platform_label(p) for p in sorted(result.retention["platform"].unique()))
    text = f"**What this means.** On {where}, each metric is compared only within its platform and with posts of the same type. "
    if clear.empty:
        return text + "No metric separates the posts that earn more engagement or distribution clearly enough after Holm's correction; keep collecting."
    parts = [
        f"posts above the median {RETENTION_LABELS[r.metric]} on {platform_label(r.platform)} earn {r.ratio:.2f} times the {r.measure} "
        f"of those below ({r.ci_low:.2f} to {r.ci_high:.2f}; Holm p {stats.format_p(r.p_holm)})"
        for r in clear.itertuples()
    ]
    joined = "; ".join(parts)
    return (
        text + f"{joined[:1].upper()}{joined[1:]}. These go together; they do not prove that raising the metric raises the outcome, "
        "but they name what to watch first when a post underperforms."
    )


# --------------------------------------------------------------------------- posting time


def _how_sure(confident: bool, thin: bool, shared: bool) -> str:
    if confident:
        return "confident"
    if shared:
        return "too few posts: rhythm of all platforms"
    return "too few posts: platform pattern" if thin else "best estimate, not confident"


def slots_table(result: Result) -> Styler:
    s = result.slots
    if s.empty:
        return _note("no platform could be modelled")
    unit = {p: EXPOSURE_LABEL.get(result.definitions.loc[p, "per"], "") for p in result.definitions.index}
    shown = pd.DataFrame(
        {
            "platform": [platform_label(p) for p in s["platform"]],
            "slot": [_slot_label(w, h) for w, h in zip(s["weekday"], s["hour"])],
            "expected interactions": [f"{1000 * r:,.2f} {unit.get(p, '')}" for r, p in zip(s["expected_rate"], s["platform"])],
            "vs average slot [interval]": [
                _ratio(v, lo, hi) for v, lo, hi in zip(s["vs_average"] * s["deviation"], s["vs_low"] * s["deviation"], s["vs_high"] * s["deviation"])
            ],
            "p (Holm, all slots)": s["p_holm"].map(stats.format_p),
            "posts in slot": s["posts"],
            "how sure": [_how_sure(c, t, sh) for c, t, sh in zip(s["confident"], s["thin"], s["shared"])],
        }
    )
    return viz.table(shown.set_index(["platform", "slot"]))


def timing_text(result: Result) -> str:
    g, hours = result.grids, result.best_hours
    if g.empty:
        return "**What this means.** No platform had enough posts to model posting time."
    sure = g[g["confident"]]
    pooled = hours.get(POOLED)
    text = "**What this means.** "
    if pooled is not None:
        peak = result.hours[(result.hours["platform"] == POOLED) & (result.hours["hour"] == pooled)].iloc[0]
        text += (
            f"Across all platforms engagement peaks around {pooled:02d}:00-{(pooled + 1) % 24:02d}:00, "
            f"{_ratio(peak['vs_average'], peak['ci_low'], peak['ci_high'])} against the average post's hour. "
        )
    if sure.empty:
        text += (
            "No slot is confidently better than its platform's average once every slot tested is accounted for (Holm): "
            "the best slots above are best guesses, worth testing rather than committing to."
        )
    else:
        by = sure.groupby("platform")["hour"].agg(["min", "max", "size"])
        text += (
            "Confidently better than average: "
            + "; ".join(
                f"{platform_label(p)} {r['size']} slot{'s' if r['size'] > 1 else ''} between {r['min']:02d}:00 and {r['max'] + 1:02d}:00"
                for p, r in by.iterrows()
            )
            + ". "
        )
    shared = sorted(g.loc[g["shared"].astype(bool), "platform"].unique()) if "shared" in g else []
    if shared:
        text += (
            " On " + ", ".join(platform_label(p) for p in shared) + f" no hour has {MIN_HOUR_POSTS} posts, too few to judge that platform's own "
            "timing: no slot is recommended from its own posts, and its slots follow the rhythm of all platforms, in their busy hours."
        )
    thin = int(g["thin"].sum())
    text += (
        f" {thin} of {len(g)} slots have too few posts of their own: they show the platform's hour and weekday pattern and come after the "
        "slots with data of their own in the plan. A slot's interval above is for that slot alone; with this many slots some look good by chance, "
        "which is why *confident* asks for Holm's correction."
    )
    return text


# --------------------------------------------------------------------------- cadence


def cadence_reason(c: Cadence) -> str:
    """Why the plan posts ``c.recommended_per_week`` times a week on the platform."""
    if not c.modelled:
        return "too few days with different numbers of posts to see saturation; keep the current pace"
    if c.saturated:
        return f"saturation: beyond {c.saturated_beyond} a day an extra post earns under half a lone post's engagement"
    return f"no clear saturation up to {c.max_per_day} posts a day: keep the current pace"


def cadence_table(result: Result) -> Styler:
    if not result.cadences:
        return _note("no platform could be modelled")
    rows = [
        {
            "platform": platform_label(c.platform),
            "posts a week now": f"{c.current_per_week:.1f}",
            "most in one day": c.max_per_day,
            "engagement per post per doubling [interval]": "–"
            if not c.modelled
            else f"{2**c.elasticity - 1:+.0%} [{2**c.ci_low - 1:+.0%}, {2**c.ci_high - 1:+.0%}]",
            "recommended a week": c.recommended_per_week,
            "why": cadence_reason(c),
        }
        for c in result.cadences
    ]
    return viz.table(pd.DataFrame(rows).set_index("platform"))


def cadence_text(result: Result) -> str:
    if not result.cadences:
        return ""
    saturated = [c for c in result.cadences if c.saturated]
    plan = ", ".join(f"{platform_label(c.platform)} {c.recommended_per_week}" for c in result.cadences)
    if saturated:
        head = "Extra posts on the same day take engagement from each other on " + ", ".join(platform_label(c.platform) for c in saturated) + "."
    else:
        head = "On no platform did more posts in a day lower the engagement of each post by a clear margin, so the current pace is safe."
    return f"**What this means.** {head} Recommended posts a week (one account): {plan}."


# --------------------------------------------------------------------------- themes


def themes_text(result: Result) -> str:
    k = result.keywords
    if k.empty:
        return "**What this means.** Too few posts share words to judge themes."
    up = k[k["ci_low"].fillna(1) > 1]
    down = k[k["ci_high"].fillna(1) < 1]
    if up.empty and down.empty:
        moved = k.loc[(k["raw_multiplier"] - 1).abs().idxmax()]
        return (
            "**What this means.** No keyword stands out once rare words are shrunk toward the average: differences between words are what chance "
            f"alone would give (the largest raw one, {escape(moved['keyword'])} at ×{moved['raw_multiplier']:.2f} over {moved['posts']} posts, "
            "is noise). Choose themes for the audience and the plan, not from these scores."
        )
    parts = []
    if not up.empty:
        parts.append("posts with " + ", ".join(escape(w) for w in up["keyword"].head(5)) + " do better than their peers")
    if not down.empty:
        parts.append(", ".join(escape(w) for w in down["keyword"].tail(5)) + " do worse")
    return "**What this means.** After shrinking rare words toward the average, " + "; ".join(parts) + "."


def keywords_table(result: Result, n: int = 10) -> Styler:
    k = result.keywords
    if k.empty:
        return _note("too few posts share words to judge themes")
    picked = pd.concat([k.head(n), k.tail(n)]).drop_duplicates("keyword") if len(k) > 2 * n else k
    shown = pd.DataFrame(
        {
            "keyword": picked["keyword"],
            "posts": picked["posts"],
            "raw": picked["raw_multiplier"],
            "after shrinkage [interval]": [_ratio(m, lo, hi) for m, lo, hi in zip(picked["multiplier"], picked["ci_low"], picked["ci_high"])],
        }
    )
    return viz.table(shown.set_index("keyword"), {"raw": "×{:.2f}"})


def topics_table(result: Result) -> Styler:
    t = result.topics
    if t.empty:
        return _note("no topics recorded")
    cells = t.assign(
        platform=t["platform"].map(platform_label),
        topic=t["keyword"],
        shown=[f"×{m:.2f} (raw ×{r:.2f}, {n})" for m, r, n in zip(t["multiplier"], t["raw_multiplier"], t["posts"])],
    )
    return viz.table(cells.pivot(index="topic", columns="platform", values="shown"))


# --------------------------------------------------------------------------- post scores


def posts_table(result: Result, best: bool = True) -> Styler:
    """The ``top_n`` best (or worst) posts by percentile within platform and type."""
    s = result.scores
    if s.empty:
        return _note("no posts")
    picked = s.nlargest(result.settings.top_n, "percentile") if best else s.nsmallest(result.settings.top_n, "percentile")
    shown = pd.DataFrame(
        {
            "published": picked["published_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "platform": picked["platform"].map(platform_label),
            "account": picked["account"],
            "type": picked["content_type"],
            "topic": picked["topic"],
            "title": picked["title"].fillna(""),
            "interactions": picked["interactions"],
            "rate": [f"{1000 * r:,.2f} {EXPOSURE_LABEL.get(p, '')}" for r, p in zip(picked["rate"], picked["per"])],
            "percentile": picked["percentile"],
            "peers": picked["peers"],
        }
    )
    shown.index = pd.RangeIndex(1, len(shown) + 1, name="rank")
    return viz.table(shown, {"interactions": "{:,.0f}", "percentile": "{:.1f}"})


def apart_table(result: Result, n: int = 6) -> Styler:
    a = result.apart
    if a.empty:
        return _note("too few posts to compare the best and the worst")
    shown = a.head(n).set_index("trait")[["top", "bottom"]].rename(columns={"top": "share of top 10%", "bottom": "share of bottom 10%"})
    return viz.table(shown, "{:.0%}")


def scores_text(result: Result) -> str:
    a = result.apart
    if a.empty:
        return ""
    first = a.iloc[0]
    return (
        "**What this means.** Scores rank each post against posts of the same platform and type only, so a video is never judged against an image post. "
        f"What most separates the best tenth from the worst: {escape(first['trait'])} ({first['top']:.0%} of the best against {first['bottom']:.0%} of the worst)."
    )


# --------------------------------------------------------------------------- the plan


def plan_table(result: Result, weeks: int = 1) -> Styler:
    """The plan's first ``weeks`` weeks."""
    c = result.calendar
    if c.empty:
        return _note("no plan: no platform could be modelled")
    first = c[pd.to_datetime(c["date"]) < pd.Timestamp(result.settings.plan_start) + pd.Timedelta(days=7 * weeks)]
    shown = pd.DataFrame(
        {
            "date": first["date"],
            "weekday": pd.to_datetime(first["date"]).dt.day_of_week.map(lambda d: WEEKDAYS[d]),
            "time": first["time"],
            "platform": first["platform"].map(platform_label),
            "type": first["content_type"],
            "theme": first["theme"],
            "slot": ["confident" if s else ("pattern only" if t else "best estimate") for s, t in zip(first["confident"], first["thin"])],
        }
    )
    return viz.table(shown.set_index(["date", "weekday", "time"]))


def plan_text(result: Result, files: bool = True) -> str:
    """The plan in a paragraph; ``files`` names the calendar files written next to the report."""
    c = result.calendar
    if c.empty:
        return "**No plan.** No platform had enough posts to model."
    s = result.settings
    sure = int(c["confident"].sum())
    text = (
        f"**The plan.** {len(c)} posts over {s.horizon_weeks} weeks from {s.plan_start}, at each platform's recommended "
        "pace and best slots; content types follow the current mix, shifted toward types shown to do better after Holm's correction; themes rotate through the "
        "platform's topics, best first. "
        + (
            f"{sure} of the slots are confident; the rest are best estimates, worth watching."
            if sure
            else "None of the slots is confident yet: they are best estimates, worth testing and watching."
        )
    )
    if files:
        text += f" Files in the report folder: `{CALENDAR_CSV}` (spreadsheet) and `{CALENDAR_ICS}` (import into any calendar)."
    return text


def copy_text(result: Result) -> str:
    """The pre-publish copy check of the plan's copy (its themes), in a sentence or two (Markdown, escaped)."""
    checked, found = result.copy_checked, result.copy_findings
    if not checked:
        return "**Copy check.** The plan carries no copy to check (no platform has topics to rotate); check titles with `smkit check-copy` before they go out."
    if found.empty:
        return f"**Copy check.** The copy of all {checked} planned posts (their themes) passed the advertising-law and platform checks (`smkit check-copy`)."
    posts = found[["date", "time", "platform"]].drop_duplicates()
    terms = "、".join(escape(t) for t in dict.fromkeys(found["term"]))
    return (
        f"**Copy check.** {len(posts)} of the {checked} planned posts with copy have themes the advertising law or the platform's rules "
        f"flag ({terms}): reword them before they go out (below, and the `copy_check` column of `{CALENDAR_CSV}`)."
    )


def copy_table(result: Result) -> Styler:
    """Each finding in the plan's copy: the post, the term, the rule, why and a suggested rewording (escaped)."""
    found = result.copy_findings
    if found.empty:
        return _note("no finding in the plan's copy")
    return viz.table(found.assign(platform=found["platform"].map(platform_label)).set_index(["date", "time", "platform"]))
