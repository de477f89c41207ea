"""One plotting theme for every playbook, with Chinese text that renders.

The CJK font ships with the ``mplfonts`` package (Noto Sans CJK SC, SIL Open
Font License), so charts with 微博, 抖音 or 小红书 labels render on a fresh
machine without installing system fonts.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
from pandas.io.formats.style import Styler

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
PALETTE = ["#2F6DB5", "#E07B39", "#3A9E6F", "#C4474D", "#7B5EA7", "#8C7A5B", "#D67FB5", "#6F7A86"]


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the bundled CJK font with matplotlib and return its family name."""
    path = Path(str(resources.files("mplfonts") / "fonts" / CJK_FONT_FILE))
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def set_theme(dpi: int = 96) -> None:
    """Apply the smkit theme: clean grid, colour-blind-friendly palette, CJK text.

    Figures stay small (``dpi``) because papermill rewrites the notebook after
    every cell and large images slow every run.
    """
    import seaborn as sns

    family = cjk_font()
    sns.set_theme(style="whitegrid", palette=PALETTE, font_scale=0.95)
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,  # the CJK font lacks U+2212; use a hyphen
            "figure.dpi": dpi,
            "savefig.dpi": dpi,
            "figure.figsize": (8, 4),
            "axes.titleweight": "normal",  # the bundled CJK font has one weight
            "axes.titlesize": "large",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.autolayout": True,
        }
    )


def new_figure(title: str | None = None, *, width: float = 8, height: float = 4):
    """A figure and axes in the smkit theme."""
    fig, ax = plt.subplots(figsize=(width, height))
    if title:
        ax.set_title(title)
    return fig, ax


def table(
    frame: pd.DataFrame,
    formats: dict[str, str | Callable[[Any], str]] | str | None = None,
    *,
    caption: str | None = None,
    na_rep: str = "–",
    hide_index: bool = False,
) -> Styler:
    """The one way a report shows a table: a Styler whose every cell, column
    label and index label that came from the data is HTML-escaped, numbers
    formatted by ``formats`` (a format per column, or one for all), missing
    values shown as ``na_rep``. Tests read the numbers from ``.data``."""
    if frame.index.nlevels == 1 and frame.index.name is not None and frame.columns.nlevels == 1 and frame.columns.name is None and not hide_index:
        # a named index would take a header row of its own, under the column labels;
        # as the columns' name it sits in the corner cell, on the same row
        frame = frame.rename_axis(index=None, columns=frame.index.name)
    styled = frame.style.format(escape="html", na_rep=na_rep)
    if formats:
        if isinstance(formats, dict):
            formats = {k: v for k, v in formats.items() if k in frame.columns}
        styled = styled.format(formats, escape="html", na_rep=na_rep)
    styled = styled.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    if caption:
        styled = styled.set_caption(html.escape(caption))
    if hide_index:
        styled = styled.hide(axis="index")
    return styled


def escape(text: Any) -> str:
    """Text the data supplies (titles, comments, names) made safe for HTML and Markdown."""
    return html.escape(str(text), quote=True)
