"""The personas as the report shows them, in the report language: the brief,
one-line findings and Markdown text, persona cards (HTML), tables (Stylers from
:func:`smkit.viz.table`) and figures. Presentation only; every function takes
``lang`` (``zh`` or ``en``) and its words come from :mod:`.messages`."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler
from sklearn.decomposition import PCA

from smkit import i18n, viz
from smkit.methods import stats
from smkit.viz import escape

from .messages import T
from .result import ASSIGNMENTS_FILE, MODEL_FILE, Result
from .selection import GAP_TOLERANCE
from .traits import Persona, top_traits, zh

TABLE_TRAITS = 6  # defining traits per persona in the traits table

# ---------------------------------------------------------------- words


def word(value: str, lang: str = "zh") -> str:
    """A column name or category as the reader says it: platforms by their
    names, known words translated in ``zh``; anything else is data, kept as it is."""
    value = str(value)
    if value in i18n.PLATFORMS["en"]:
        return i18n.platform(value, lang)
    return zh(value) if lang == "zh" else value.replace("_", " ")


def persona_name(p: Persona, lang: str = "zh") -> str:
    """The persona's name in the report language."""
    return p.name_zh if lang == "zh" else p.name


def trait_label(t: pd.Series, lang: str = "zh") -> str:
    """One trait in words: "月消费偏高" / "high spend per month", or the category ("女性" / "female")."""
    if t["column"] == t["value"]:  # numeric
        level = "level_high" if t["in_persona"] > t["overall"] else "level_low"
        return T("numeric_trait", lang, column=word(t["column"], lang), level=T(level, lang))
    return word(t["value"], lang)


def _share(value: float, decimals: int = 1) -> str:
    return i18n.percent(value, decimals)


def _details(body: str, lang: str) -> str:
    return f"<details><summary>{T('method_summary', lang)}</summary>\n\n{body}\n\n</details>"


# ---------------------------------------------------------------- brief and findings


def brief(result: Result, lang: str = "zh") -> str:
    """Three to five plain sentences: whether the audience holds personas, the
    largest ones with their shares, and what to do with them."""
    model = result.model
    users = i18n.count(len(result.audience), lang)
    sep = T("list_sep", lang)
    if not model.has_structure_ and model.k_ == 1:
        return T("brief_none", lang, users=users)
    if not model.has_structure_:
        lines = [T("brief_weak", lang, users=users, k=model.k_)]
    elif model.k is None and model.k_ == model.selection_.index.max():
        lines = [T("brief_most", lang, users=users, k=model.k_)]
    else:
        lines = [T("brief_structure", lang, users=users, k=model.k_)]
    personas = sorted(model.personas_, key=lambda p: -p.size)
    largest = personas[0]
    traits = top_traits(largest.traits)
    shown = sep.join(
        T("brief_trait", lang, label=trait_label(t, lang), share=_share(t["in_persona"], 0)) if t["column"] != t["value"] else trait_label(t, lang)
        for _, t in traits.head(3).iterrows()
    )
    lines.append(
        T(
            "brief_largest", lang, name=escape(persona_name(largest, lang)), share=_share(largest.share),
            size=i18n.count(largest.size, lang), traits=T("brief_largest_traits", lang, traits=escape(shown)) if shown else "",
        )
    )  # fmt: skip
    if len(personas) > 1:
        items = sep.join(T("brief_item", lang, name=escape(persona_name(p, lang)), share=_share(p.share)) for p in personas[1:])
        lines.append(T("brief_others", lang, items=items))
    if model.has_structure_:
        lines.append(T("brief_action", lang, file=ASSIGNMENTS_FILE, top=min(3, len(personas))))
    else:
        lines.append(T("brief_action_weak", lang))
    return "\n\n".join(lines)


def method_text(result: Result, lang: str = "zh") -> str:
    """How the number of personas was chosen, with the statistics, folded."""
    return _details(selection_text(result, lang), lang)


def cards_finding(result: Result, lang: str = "zh") -> str:
    personas = sorted(result.personas, key=lambda p: -p.size)
    if len(personas) == 1:
        return T("finding_cards_one", lang, name=escape(persona_name(personas[0], lang)))
    big, small = personas[0], personas[-1]
    return T(
        "finding_cards", lang, k=len(personas), name=escape(persona_name(big, lang)), share=_share(big.share),
        smallest=escape(persona_name(small, lang)), smallest_share=_share(small.share),
    )  # fmt: skip


def heatmap_finding(result: Result, lang: str = "zh") -> str:
    if not result.has_traits:
        return no_traits_text(result, lang)
    rows = pd.concat([top_traits(p.traits).assign(owner=p.index) for p in result.personas])
    best = rows.sort_values("strength", ascending=False).iloc[0]
    p = next(p for p in result.personas if p.index == best["owner"])
    return T("finding_heatmap", lang, name=escape(persona_name(p, lang)), trait=escape(trait_label(best, lang)), lift=f"{best['lift']:.1f}")


def preparation_finding(result: Result, lang: str = "zh") -> str:
    prep = result.model.preparation_
    used = len(prep.numeric) + len(prep.categorical) + len(prep.multi)
    return T("finding_preparation", lang, used=used, left=len(prep.left_out))


def selection_finding(result: Result, lang: str = "zh") -> str:
    model = result.model
    if model.k:
        return T("finding_selection_fixed", lang, k=model.k_)
    return T("finding_selection", lang, k=model.k_, low=int(model.selection_.index.min()), high=int(model.selection_.index.max()))


# ---------------------------------------------------------------- text


def selection_text(result: Result, lang: str = "zh") -> str:
    """Why this k, with the gap statistic and stability (Markdown; a method note, not for the brief)."""
    model = result.model
    table = model.selection_
    chosen = table.loc[model.k_]
    values = {"k": model.k_, "gap": f"{chosen['gap']:.3f}", "ari": f"{chosen['stability_ari']:.2f}"}
    silhouette = "" if pd.isna(chosen["silhouette"]) else T("sel_silhouette", lang, value=f"{chosen['silhouette']:.2f}")
    if not model.has_structure_ and model.k_ > 1:
        return T("sel_weak", lang, **values)
    if not model.has_structure_:
        return T("sel_none", lang, k=model.k_, gap=values["gap"])
    if model.k is None and model.k_ == table.index.max():
        return T("sel_most", lang, silhouette=silhouette, **values)
    return T("sel_clear", lang, tolerance=GAP_TOLERANCE, silhouette=silhouette, **values)


def no_traits_text(result: Result, lang: str = "zh") -> str:
    """What the heatmap would show when no persona has a defining trait."""
    return T("no_traits", lang, k=result.k)


def targeting_text(result: Result, lang: str = "zh") -> str:
    """Where the assignments and the model are, and how to score new users (Markdown)."""
    return T("targeting", lang, assignments=ASSIGNMENTS_FILE, model=MODEL_FILE, users=i18n.count(len(result.audience), lang))


def cards_html(result: Result, lang: str = "zh") -> str:
    """One card per persona (HTML, escaped): size, defining traits with their
    share or mean against the whole audience, platforms, active hour and
    consumption level where those columns exist."""
    model, frame = result.model, result.audience
    parts = ["<div style='display:flex;flex-wrap:wrap;gap:12px'>"]
    for p in model.personas_:
        inside = model.labels_ == p.index
        size = f"{p.size:,}" if lang == "en" else i18n.count(p.size, lang)
        lines = [
            f"<strong>{escape(persona_name(p, lang))}</strong>",
            f"<div>{T('card_size', lang, size=size, share=_share(p.share))}</div><ul style='margin:4px 0;padding-left:18px'>",
        ]
        for _, t in top_traits(p.traits).iterrows():
            label = escape(trait_label(t, lang))
            if t["column"] == t["value"]:
                lines.append(f"<li>{T('card_numeric', lang, label=label, value=f'{t.in_persona:.3g}', overall=f'{t.overall:.3g}')}</li>")
            else:
                lines.append(f"<li>{T('card_share', lang, label=label, value=_share(t['in_persona'], 0), overall=_share(t['overall'], 0))}</li>")
        lines.append("</ul>")
        if "platform" in frame:
            top_platforms = frame.loc[inside, "platform"].value_counts(normalize=True).head(2)
            items = T("list_sep", lang).join(f"{escape(word(k, lang))} {v:.0%}" for k, v in top_platforms.items())
            lines.append(f"<div>{T('card_platforms', lang, items=items)}</div>")
        hours = frame.loc[inside, "active_hour"].dropna() if "active_hour" in frame else ()
        if len(hours):  # an export may carry the column with no values
            lines.append(f"<div>{T('card_hour', lang, hour=f'{int(hours.median()):02d}')}</div>")
        spend = next((c for c in ("spend_per_month", "spend") if c in frame and frame[c].notna().any()), None)
        overall = frame[spend].median() if spend else 0
        if spend and overall > 0 and frame.loc[inside, spend].notna().any():
            ratio = frame.loc[inside, spend].median() / overall
            level = T("level_high" if ratio > 1.25 else "level_low" if ratio < 0.8 else "level_medium", lang)
            lines.append(f"<div>{T('card_spend', lang, level=level, column=escape(word(spend, lang)), ratio=f'{ratio:.1f}')}</div>")
        card = "<div style='border:1px solid #ddd;border-radius:6px;padding:8px 12px;width:300px;font-size:0.9em'>"
        parts.append(card + "".join(lines) + "</div>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------- tables


def preparation_table(result: Result, lang: str = "zh") -> Styler:
    """How each column was prepared and how its missing values are filled."""
    prep = result.model.preparation_
    rows = [(c, T("prep_log" if c in prep.logged else "prep_standard", lang), T("missing_median", lang, value=f"{prep.medians[c]:.3g}")) for c in prep.numeric]
    rows += [(c, T("prep_onehot", lang, n=len(v)), T("missing_own", lang)) for c, v in prep.categorical.items()]
    rows += [(c, T("prep_multi", lang, n=len(v)), T("missing_none", lang)) for c, v in prep.multi.items()]
    for c, why in prep.left_out.items():
        if why in ("constant", "no values"):
            reason = T("why_constant" if why == "constant" else "why_no_values", lang)
        else:
            reason = T("why_distinct", lang, n=why.split(" ", 1)[0])
        rows.append((c, T("prep_left_out", lang), reason))
    table = pd.DataFrame(rows, columns=[T("col_column", lang), T("col_prepared", lang), T("col_missing", lang)])
    table[T("col_column", lang)] = [word(c, lang) for c in table[T("col_column", lang)]]
    return viz.table(table.set_index(T("col_column", lang)))


def selection_table(result: Result, lang: str = "zh") -> Styler:
    """Gap statistic, silhouette, BIC (when fitted) and stability per k tried; the chosen k marked ✓."""
    table = result.selection.drop(columns=["structure"]).copy()
    table["chosen"] = np.where(table["chosen"], "✓", "")
    table = table.loc[:, table.notna().any()]
    names = {
        "gap": T("col_gap", lang), "silhouette": T("col_silhouette", lang), "bic": T("col_bic", lang),
        "stability_ari": T("col_stability", lang), "chosen": T("col_chosen", lang),
    }  # fmt: skip
    table = table.rename(columns=names)
    table.index.name = T("col_k", lang)
    formats = {names["gap"]: "{:.3f}", names["silhouette"]: "{:.3f}", names["bic"]: "{:,.0f}", names["stability_ari"]: "{:.2f}"}
    return viz.table(table, formats)


def traits_table(result: Result, lang: str = "zh") -> Styler:
    """Each persona's defining traits (at most ``TABLE_TRAITS``, as :func:`~.traits.top_traits` picks them) with their lift, strongest first."""
    table = pd.concat([top_traits(p.traits, TABLE_TRAITS) for p in result.personas]) if result.personas else result.traits.head(0)
    table = table.sort_values(["persona", "lift"], ascending=[True, False])
    names = {p.index: persona_name(p, lang) for p in result.personas}
    shown = pd.DataFrame(
        {
            T("col_persona", lang): [f"{i}: {names[i]}" for i in table["persona"]],
            T("col_trait", lang): [trait_label(t, lang) for _, t in table.iterrows()],
            T("col_in_persona", lang): table["in_persona"].to_numpy(),
            T("col_overall", lang): table["overall"].to_numpy(),
            T("col_lift", lang): table["lift"].to_numpy(),
            T("col_p_adjusted", lang): table["p_value_adjusted"].to_numpy(),
        }
    )
    formats = {T("col_in_persona", lang): "{:.3g}", T("col_overall", lang): "{:.3g}", T("col_lift", lang): "{:.2f}", T("col_p_adjusted", lang): stats.format_p}
    return viz.table(shown, formats, hide_index=True, caption=T("caption_traits", lang, n=TABLE_TRAITS))


# ---------------------------------------------------------------- figures


def selection_figure(result: Result, lang: str = "zh") -> Figure:
    """Gap statistic, silhouette, stability (and BIC) for each k; the chosen k marked."""
    import matplotlib.pyplot as plt

    table = result.selection
    panels = [
        ("gap", T("fig_gap", lang), "#2F6DB5"),
        ("silhouette", T("fig_silhouette", lang), "#6F7A86"),
        ("stability_ari", T("fig_stability", lang), "#3A9E6F"),
    ]
    if table["bic"].notna().any():
        panels.append(("bic", T("fig_bic", lang), "#E07B39"))
    fig, axes = plt.subplots(1, len(panels), figsize=(2.6 * len(panels), 2.6))
    for ax, (column, title, colour) in zip(np.atleast_1d(axes), panels):
        ax.plot(table.index, table[column], "o-", color=colour)
        ax.axvline(result.k, color="#C4474D", linewidth=0.8)
        ax.set_title(title, fontsize="medium")
        ax.set_xlabel(T("fig_k", lang))
    fig.tight_layout()
    plt.close(fig)
    return fig


def projection_figure(result: Result, lang: str = "zh", points: int = 4000, seed: int = 0) -> Figure:
    """A sample of users projected on two principal components, coloured by persona."""
    import matplotlib.pyplot as plt

    model, frame = result.model, result.audience
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(frame), min(points, len(frame)), replace=False)
    xy = PCA(n_components=2, random_state=seed).fit_transform(model.transform(frame.iloc[pick]))
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    names = {p.index: persona_name(p, lang) for p in model.personas_}
    for persona in np.unique(model.labels_[pick]):
        mask = model.labels_[pick] == persona
        ax.scatter(xy[mask, 0], xy[mask, 1], s=5, alpha=0.5, label=f"{persona}: {names[persona]}")
    ax.set_title(T("fig_projection", lang))
    ax.legend(fontsize="x-small", markerscale=3, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    plt.close(fig)
    return fig


def heatmap_figure(result: Result, lang: str = "zh") -> Figure:
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
    wide.index = [f"{i}: {persona_name(p, lang)}" for i, p in zip(wide.index, result.personas)]
    wide.columns = [word(k, lang) for k in wide.columns]
    # Room for the personas' names on the left and the slanted trait names below, however few rows there are.
    fig, ax = plt.subplots(figsize=(min(3.5 + 0.6 * len(keys), 12), max(3.2, 1.6 + 0.45 * len(wide))))
    # Symmetric limits put the diverging map's middle at 0 (seaborn's center= goes through a call matplotlib deprecates).
    sns.heatmap(np.log2(wide.clip(lower=1 / 8, upper=8)), cmap="RdBu_r", vmin=-3, vmax=3, ax=ax, cbar_kws={"label": T("fig_lift", lang)})
    ax.set_xlabel("")
    ax.tick_params(axis="x", labelrotation=45)
    plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")  # each name ends under its column
    ax.set_title(T("fig_heatmap", lang))
    plt.close(fig)
    return fig
