"""The personas as the report shows them: Markdown text, persona cards (HTML),
tables (Stylers from :func:`smkit.viz.table`) and figures. Presentation only."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler
from sklearn.decomposition import PCA

from smkit import viz
from smkit.viz import escape

from .result import ASSIGNMENTS_FILE, MODEL_FILE, Result
from .selection import GAP_TOLERANCE
from .traits import top_traits

# ---------------------------------------------------------------- text


def selection_text(result: Result) -> str:
    """Why this k (Markdown)."""
    model = result.model
    table = model.selection_
    chosen = table.loc[model.k_]
    if not model.has_structure_ and model.k_ > 1:
        return (
            f"**Weak structure: read these {model.k_} personas with caution.** At k = {model.k_} the audience is barely more "
            f"clustered than its columns shuffled at random (gap statistic {chosen['gap']:.3f}) or the personas are not stable "
            f"across bootstrap refits (adjusted Rand index {chosen['stability_ari']:.2f}); their traits are tested on the same data "
            f"that made them, so significance alone does not make them real."
        )
    if not model.has_structure_:
        return (
            f"**No clear personas.** The audience is not more clustered than the same columns shuffled at random "
            f"(gap statistic {chosen['gap']:.3f} at k = {model.k_}), so the report treats it as one group instead of inventing personas."
        )
    silhouette = "" if pd.isna(chosen["silhouette"]) else f", silhouette {chosen['silhouette']:.2f}"
    if model.k is None and model.k_ == table.index.max():
        return (
            f"**{model.k_} personas, the most tried.** The gap statistic kept rising up to k = {model.k_} "
            f"({chosen['gap']:.3f}): the data may hold more groups (raise `k_max`), or mostly categorical columns are "
            f"splitting users into every combination{silhouette}. Stability across bootstrap refits: {chosen['stability_ari']:.2f}."
        )
    return (
        f"**{model.k_} personas.** k = {model.k_} is the smallest k whose gap statistic ({chosen['gap']:.3f}) is not beaten "
        f"by the next k by more than {GAP_TOLERANCE}{silhouette}, and the personas are stable: refits on bootstrap resamples "
        f"agree with an adjusted Rand index of {chosen['stability_ari']:.2f}."
    )


def no_traits_text(result: Result) -> str:
    """What the heatmap would show when no persona has a defining trait."""
    return f"No persona differs significantly from the whole audience ({result.k} persona{'s' if result.k != 1 else ''}), so there is no trait to compare."


def targeting_text(result: Result) -> str:
    """Where the assignments and the model are, and how to score new users (Markdown)."""
    return (
        f"`{ASSIGNMENTS_FILE}` ({len(result.audience):,} users: id, persona, name) and `{MODEL_FILE}` are in the report folder. "
        "Score new users with `smkit.playbooks.personas.load_model(path).predict(frame)`."
    )


def cards_html(result: Result) -> str:
    """One card per persona (HTML, escaped): size, defining traits with lifts,
    platforms, active hour and consumption level where those columns exist."""
    model, frame = result.model, result.audience
    parts = ["<div style='display:flex;flex-wrap:wrap;gap:12px'>"]
    for p in model.personas_:
        inside = model.labels_ == p.index
        lines = [
            f"<strong>{escape(p.name)}</strong><br><span>{escape(p.name_zh)}</span>",
            f"<div>{p.size:,} users · {p.share:.1%}</div><ul style='margin:4px 0;padding-left:18px'>",
        ]
        for _, t in top_traits(p.traits).iterrows():
            if t["column"] == t["value"]:
                lines.append(f"<li>{escape(t['column'])}: {t['in_persona']:.3g} vs {t['overall']:.3g} overall</li>")
            else:
                lines.append(f"<li>{escape(t['value'])}: {t['in_persona']:.0%} vs {t['overall']:.0%} overall</li>")
        lines.append("</ul>")
        if "platform" in frame:
            top_platforms = frame.loc[inside, "platform"].value_counts(normalize=True).head(2)
            lines.append("<div>platforms: " + ", ".join(f"{escape(k)} {v:.0%}" for k, v in top_platforms.items()) + "</div>")
        if "active_hour" in frame:
            lines.append(f"<div>most active around {int(frame.loc[inside, 'active_hour'].median()):02d}:00</div>")
        spend = next((c for c in ("spend_per_month", "spend") if c in frame), None)
        if spend:
            ratio = frame.loc[inside, spend].median() / frame[spend].median()
            level = "high" if ratio > 1.25 else "low" if ratio < 0.8 else "medium"
            lines.append(f"<div>consumption: {level} ({escape(spend)} median {ratio:.1f}x overall)</div>")
        card = "<div style='border:1px solid #ddd;border-radius:6px;padding:8px 12px;width:300px;font-size:0.9em'>"
        parts.append(card + "".join(lines) + "</div>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------- tables


def preparation_table(result: Result) -> Styler:
    """How each column was prepared and how its missing values are filled."""
    return viz.table(result.model.preparation_.describe())


def selection_table(result: Result) -> Styler:
    """Gap, silhouette, BIC and stability per k tried."""
    return viz.table(result.selection, {"gap": "{:.3f}", "silhouette": "{:.3f}", "bic": "{:,.0f}", "stability_ari": "{:.2f}"})


def traits_table(result: Result) -> Styler:
    """Every persona's significant traits with their lift, strongest first."""
    table = result.traits[result.traits["significant"]].sort_values(["persona", "lift"], ascending=[True, False])
    shown = table[["persona", "trait", "in_persona", "overall", "lift", "p_value_adjusted"]].reset_index(drop=True)
    return viz.table(shown, {"in_persona": "{:.3g}", "overall": "{:.3g}", "lift": "{:.2f}", "p_value_adjusted": "{:.2g}"}, hide_index=True)


# ---------------------------------------------------------------- figures


def selection_figure(result: Result) -> Figure:
    """Gap statistic, silhouette, stability (and BIC) for each k; the chosen k marked."""
    import matplotlib.pyplot as plt

    table = result.selection
    panels = [
        ("gap", "gap statistic 间隙统计量", "#2F6DB5"),
        ("silhouette", "silhouette 轮廓系数", "#6F7A86"),
        ("stability_ari", "stability (ARI) 稳定性", "#3A9E6F"),
    ]
    if table["bic"].notna().any():
        panels.append(("bic", "BIC", "#E07B39"))
    fig, axes = plt.subplots(1, len(panels), figsize=(2.6 * len(panels), 2.6))
    for ax, (column, title, colour) in zip(np.atleast_1d(axes), panels):
        ax.plot(table.index, table[column], "o-", color=colour)
        ax.axvline(result.k, color="#C4474D", linewidth=0.8)
        ax.set_title(title, fontsize="medium")
        ax.set_xlabel("k")
    plt.close(fig)
    return fig


def projection_figure(result: Result, points: int = 4000, seed: int = 0) -> Figure:
    """A sample of users projected on two principal components, coloured by persona."""
    import matplotlib.pyplot as plt

    model, frame = result.model, result.audience
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(frame), min(points, len(frame)), replace=False)
    xy = PCA(n_components=2, random_state=seed).fit_transform(model.transform(frame.iloc[pick]))
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    names = {p.index: p.name for p in model.personas_}
    for persona in np.unique(model.labels_[pick]):
        mask = model.labels_[pick] == persona
        ax.scatter(xy[mask, 0], xy[mask, 1], s=5, alpha=0.5, label=f"{persona}: {names[persona]}")
    ax.set_title("用户分布 Users by persona (first two principal components)")
    ax.legend(fontsize="x-small", markerscale=3, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    plt.close(fig)
    return fig


def heatmap_figure(result: Result) -> Figure:
    """Lift of each persona's defining traits across all personas (check ``result.has_traits`` first)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    if not result.has_traits:
        raise ValueError("no persona has a defining trait; show no_traits_text(result) instead")
    keys: list[str] = []
    for p in result.personas:
        keys += [k for k in top_traits(p.traits)["key"] if k not in keys]
    # numeric traits are keyed by column, so every persona has a value (above or below average)
    wide = result.traits.pivot_table(index="persona", columns="key", values="lift").reindex(columns=keys)
    wide.index = [f"{i}: {p.name_zh}" for i, p in zip(wide.index, result.personas)]
    fig, ax = plt.subplots(figsize=(min(1 + 0.6 * len(keys), 11), 0.9 + 0.45 * len(wide)))
    sns.heatmap(np.log2(wide.clip(lower=1 / 8, upper=8)), cmap="RdBu_r", center=0, vmin=-3, vmax=3, ax=ax, cbar_kws={"label": "log2 lift"})
    ax.set_xlabel("")
    ax.set_title("特征提升 Trait lift against the whole audience")
    plt.close(fig)
    return fig
