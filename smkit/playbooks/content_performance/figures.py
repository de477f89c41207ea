"""The report's figures (re-exported by :mod:`.report`): each returns one matplotlib Figure.

A figure of an empty part of the result says so in its body; the notebook
checks the result's ``has_*`` property before asking for it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from smkit import viz

from .messages import T, content_type, platform, weekday
from .model import POOLED
from .result import Result
from .timing import busy_hours

CALLED = {"better": "#3A9E6F", "worse": "#C4474D"}
UNCLEAR = "#6F7A86"


def _empty(title: str, note: str) -> Figure:
    fig, ax = viz.new_figure(title, width=7.5, height=1.6)
    ax.axis("off")
    ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes)
    plt.close(fig)
    return fig


def effects_figure(result: Result, lang: str = "zh") -> Figure:
    """Each type's rate ratio against its platform's usual type, with its interval; coloured where Holm calls it."""
    title = T("effects_title", lang)
    e = result.effects
    if e.empty:
        return _empty(title, T("effects_none", lang))
    labels = [
        T("effects_label", lang, platform=platform(p, lang), type=content_type(t, lang), reference=content_type(r, lang))
        for p, t, r in zip(e["platform"], e["content_type"], e["reference"])
    ]
    fig, ax = viz.new_figure(title, width=7.5, height=0.45 * len(e) + 1.2)
    y = np.arange(len(e))[::-1]
    colours = [CALLED.get(c, UNCLEAR) for c in e["call"]]
    for yi, lo, hi, colour in zip(y, e["ci_low"], e["ci_high"], colours):
        ax.plot([lo, hi], [yi, yi], color=colour, lw=2)
    ax.scatter(e["rate_ratio"], y, c=colours, zorder=3)
    ax.axvline(1, color="black", lw=0.8)
    ax.set_xscale("log")
    ticks = [0.25, 0.5, 0.7, 1, 1.4, 2, 4]
    lo, hi = float(e["ci_low"].min()), float(e["ci_high"].max())
    ax.set_xticks([t for t in ticks if lo / 1.3 <= t <= hi * 1.3] or [1])
    ax.get_xaxis().set_major_formatter(plt.FuncFormatter(lambda v, _: f"×{v:g}"))
    ax.minorticks_off()
    ax.set_yticks(y, labels)
    ax.set_xlabel(T("effects_xlabel", lang))
    plt.close(fig)
    return fig


def timing_figure(result: Result, lang: str = "zh") -> Figure:
    """Hour-by-weekday heatmaps, one per platform: each slot against the platform's
    average slot; faded where the slot is thin, a dot where it is confident."""
    title = T("timing_title", lang)
    g = result.grids
    platforms = sorted(g.loc[g["timed"], "platform"].unique()) if not g.empty else []  # a platform without times has no hours to map
    if not platforms:
        return _empty(title, T("no_timing", lang))
    cols = 2
    rows = int(np.ceil(len(platforms) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2.1 * rows + 0.6), squeeze=False)
    span = 1.0  # one fixed scale, x0.5 to x2, so platforms read alike; beyond it colours saturate
    norm = TwoSlopeNorm(0, -span, span)
    cmap = plt.get_cmap("RdBu_r")
    for ax, code in zip(axes.flat, platforms):
        p = g[g["platform"] == code].sort_values(["weekday", "hour"])
        m = np.log2((p["vs_average"] * p["deviation"]).to_numpy()).reshape(7, 24)
        thin = p["thin"].to_numpy().reshape(7, 24)
        sure = p["confident"].to_numpy().reshape(7, 24)
        rgba = cmap(norm(np.clip(m, -span, span)))
        rgba[thin, :3] = 0.35 * rgba[thin, :3] + 0.65  # faded: the platform pattern, not the slot's own posts
        ax.imshow(rgba, aspect="auto")
        ys, xs = np.nonzero(sure)
        ax.scatter(xs, ys, s=10, c="black", marker="o")
        ax.set_title(platform(code, lang), fontsize=10)
        ax.set_yticks(range(7), [weekday(d, lang) for d in range(7)], fontsize=7)
        ax.set_xticks(range(0, 24, 3), [f"{h}" for h in range(0, 24, 3)], fontsize=7)
        ax.grid(False)
    for ax in list(axes.flat)[len(platforms) :]:
        ax.axis("off")
    fig.set_layout_engine("none")
    fig.subplots_adjust(left=0.06, right=0.86, top=0.9, bottom=0.06, hspace=0.55, wspace=0.15)
    cbar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=fig.add_axes((0.89, 0.25, 0.015, 0.5)))
    ticks = [-1, -0.5, 0, 0.5, 1]
    cbar.set_ticks(ticks, labels=[f"×{2**t:.2g}" for t in ticks])
    cbar.set_label(T("timing_cbar", lang))
    fig.suptitle(title, fontsize=10)
    plt.close(fig)
    return fig


def hour_figure(result: Result, lang: str = "zh") -> Figure:
    """The hour pattern shared by all platforms, with its interval, and each platform's curve."""
    title = T("hour_title", lang)
    h = result.hours
    if h.empty:
        return _empty(title, T("no_timing", lang))
    fig, ax = viz.new_figure(title, width=9, height=3.4)
    for code, c in h[h["platform"] != POOLED].groupby("platform", sort=True):
        # Only where the platform posts: elsewhere its curve is an extrapolation.
        busy = busy_hours(c["posts"].to_numpy())
        ax.plot(c["hour"], c["vs_average"].where(busy), lw=0.9, alpha=0.6, label=platform(code, lang))
    pooled = h[h["platform"] == POOLED]
    if not pooled.empty:
        ax.fill_between(pooled["hour"], pooled["ci_low"], pooled["ci_high"], color="black", alpha=0.12, lw=0)
        ax.plot(pooled["hour"], pooled["vs_average"], color="black", lw=2.2, label=T("hour_all", lang))
    ax.axhline(1, color="grey", lw=0.8)
    ax.set_yscale("log")
    ax.set_yticks([0.5, 0.7, 0.85, 1, 1.2, 1.4, 2])
    ax.get_yaxis().set_major_formatter(plt.FuncFormatter(lambda v, _: f"×{v:.2g}"))
    ax.get_yaxis().set_minor_formatter(plt.NullFormatter())
    shown = pd.concat([pooled["ci_low"], pooled["ci_high"]] if not pooled.empty else [h["vs_average"]])
    ax.set_ylim(max(0.45, float(shown.min()) / 1.15), min(2.2, float(shown.max()) * 1.15))
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlim(0, 23)
    ax.set_xlabel(T("hour_xlabel", lang))
    ax.set_ylabel(T("hour_ylabel", lang))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    plt.close(fig)
    return fig


def cadence_figure(result: Result, lang: str = "zh") -> Figure:
    """Median engagement per post on days with 1, 2 and 3+ posts, against the platform's median."""
    title = T("cadence_title", lang)
    t = result.cadence_table
    if t.empty:
        return _empty(title, T("no_posts", lang))
    fig, ax = viz.new_figure(title, width=8, height=3.2)
    platforms = sorted(t["platform"].unique())
    width = 0.8 / 3
    for i, level in enumerate(["1", "2", "3+"]):
        sub = t[t["per_day"] == level].set_index("platform").reindex(platforms)
        ax.bar(np.arange(len(platforms)) + (i - 1) * width, sub["relative"], width, label=T(f"cadence_legend_{i + 1}", lang))
    ax.axhline(1, color="black", lw=0.8)
    ax.set_xticks(np.arange(len(platforms)), [platform(p, lang) for p in platforms], fontsize=8)
    ax.set_ylabel(T("cadence_ylabel", lang))
    ax.legend(fontsize=8)
    plt.close(fig)
    return fig


def keywords_figure(result: Result, lang: str = "zh", n: int = 12) -> Figure:
    """The keywords with the largest raw differences: raw against shrunk."""
    title = T("keywords_title", lang)
    k = result.keywords
    if k.empty:
        return _empty(title, T("no_keywords", lang))
    picked = k.reindex((k["raw_multiplier"] - 1).abs().sort_values(ascending=False).index).head(n).iloc[::-1]
    fig, ax = viz.new_figure(title, width=7.5, height=0.32 * len(picked) + 1.2)
    y = np.arange(len(picked))
    ax.scatter(picked["raw_multiplier"], y, facecolors="none", edgecolors="#6F7A86", label=T("keywords_raw", lang))
    ax.scatter(picked["multiplier"], y, color="#2F6DB5", label=T("keywords_shrunk", lang), zorder=3)
    for yi, a, b in zip(y, picked["raw_multiplier"], picked["multiplier"]):
        ax.plot([a, b], [yi, yi], color="#9AA0A6", lw=0.8)
    ax.axvline(1, color="black", lw=0.8)
    ax.set_yticks(y, [f"{w} ({p})" for w, p in zip(picked["keyword"], picked["posts"])], fontsize=8)
    ax.set_xlabel(T("keywords_xlabel", lang))
    ax.legend(fontsize=7, loc="lower right")
    plt.close(fig)
    return fig
