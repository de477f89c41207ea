"""The campaign report's chart: the lift against its counterfactual."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from smkit import i18n

from .messages import T
from .result import Result
from .wording import CURRENCY, metric_name, scopes, suggestion_text

__all__ = ["CURRENCY", "suggestion_text"]

ZH = i18n.DEFAULT_LANGUAGE


def lift_figure(result: Result, lang: str = ZH) -> Figure:
    """The main metric's actual-against-counterfactual chart and the cumulative
    effect below it (check ``result.has_lifts`` first)."""
    import matplotlib.pyplot as plt

    if not result.lifts:
        raise ValueError("no lift estimate to plot; show lift_notes_text(result) instead")
    lift = result.lifts[0]
    impact = lift.impact
    frame = impact.to_frame()
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5.2), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    top.plot(impact.index, impact.actual, color="black", linewidth=1.1, label=T("fig_actual", lang))
    top.plot(impact.index[: impact.n_pre], impact.fitted, color="#2F6DB5", linewidth=1, alpha=0.7, label=T("fig_fitted", lang))
    top.plot(frame.index, frame["predicted"], color="#2F6DB5", linestyle="--", label=T("fig_counterfactual", lang))
    top.fill_between(frame.index, frame["predicted_low"], frame["predicted_high"], color="#2F6DB5", alpha=0.2, linewidth=0)
    top.axvline(impact.post_index[0], color="#888888", linewidth=0.8)
    top.set_title(T("fig_title", lang, metric=metric_name(lift.metric, lang), scope=scopes(result, lang)["accounts"]))
    top.set_ylabel(metric_name(lift.metric, lang))
    top.legend(loc="upper left", fontsize="small", frameon=False)
    i18n.count_axis(top, lang)
    cumulative = np.cumsum(impact.actual[impact.n_pre :][:, None] - impact.paths, axis=0)
    lo, hi = np.quantile(cumulative, [impact.alpha / 2, 1 - impact.alpha / 2], axis=1)
    bottom.plot(frame.index, frame["cumulative_effect"], color="#E07B39")
    bottom.fill_between(frame.index, lo, hi, color="#E07B39", alpha=0.25, linewidth=0)
    bottom.axhline(0, color="black", linewidth=0.8)
    bottom.set_ylabel(T("fig_cumulative", lang))
    i18n.count_axis(bottom, lang)
    i18n.date_axis(bottom, lang)
    plt.close(fig)
    return fig
