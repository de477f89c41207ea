"""What every playbook notebook calls first and last: setup and the run's outputs.

This is the notebook's side of the run layer (the runner is the other side);
playbook packages never import it: they take a :class:`smkit.params.Config`.

A notebook's second cell is ``cfg = smkit.playbook.setup(store=store, start=start, end=end)``:
it validates the parameters, resolves the store and the analysis window, and
applies the plotting theme. At the end, ``save_summary({...})`` leaves the
key figures for the runner (``summary.json``); run interactively, it only
returns them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from smkit import paths, requirements
from smkit.data import store as store_mod
from smkit.params import Config, parse_date, parse_path
from smkit.requirements import Needs

REPORT_DIR_ENV = "SMKIT_REPORT_DIR"  # set by the runner to the run's folder
DEFAULT_WINDOW_DAYS = 28


def data_end(store: Path, table: str = "posts", where: str = "") -> dt.date:
    """The last day with data in ``table``'s time column (among rows matching the SQL ``where``, if given)."""
    column = store_mod.TIME_COLUMNS[table]
    with store_mod.connect(store, read_only=True) as con:
        value = con.execute(f'SELECT max("{column}") FROM {store_mod.whole(con, table)}' + (f" WHERE {where}" if where else "")).fetchone()[0]
    if value is None:
        raise LookupError(f"table {table} in {store} has no rows, so there is no default analysis window")
    return value.date() if isinstance(value, dt.datetime) else value


def setup(
    store: str = "",
    start: str = "",
    end: str = "",
    window_table: str | tuple[str, ...] | None = None,
    default_days: int = DEFAULT_WINDOW_DAYS,
    window_where: str = "",
    needs: Needs | None = None,
    lang: str = "en",
    **options: Any,
) -> Config:
    """Validate a playbook's parameters and prepare the notebook.

    ``store`` empty means the default store (built from the sample data when
    missing); a relative path is taken from the current directory.
    ``start``/``end`` empty mean the last ``default_days`` days of data in the
    playbook's own tables: ``window_table`` (one table or several; rows
    matching the SQL ``window_where`` in the first), else the tables its
    ``needs`` names for the window; today when none of them has a time column
    or a row. With ``needs`` (the playbook's :data:`NEEDS`), a store without
    the playbook's core tables is refused with one line
    (:class:`smkit.requirements.MissingData`), and ``options`` that name
    things in the store (``brand=brand``) are checked and, when empty,
    resolved to our own account: read them back from ``cfg.options``.
    ``lang`` (zh or en) is the language of those refusals.
    """
    from smkit import viz

    given = parse_path(store, "store", must_exist=True)
    if given is None:
        from smkit.sample import ensure_default_store  # as in JupyterLab on a new machine: no set-up step

        path = ensure_default_store()
    else:
        path = store_mod.resolve_store(given.resolve())
    if needs is not None:
        present = requirements.present_tables(path)
        refusal = needs.refusal(present, lang=lang)
        if refusal:
            raise requirements.MissingData(refusal)
        options.update(requirements.check_names(path, needs, options, present, lang=lang))
    tables = (window_table,) if isinstance(window_table, str) else tuple(window_table or (needs.window if needs is not None else ("posts",)))
    last = parse_date(end, "end") or requirements.window_end(path, tables, {tables[0]: window_where} if tables and window_where else None)
    last = last or dt.date.today()
    first = parse_date(start, "start") or last - dt.timedelta(days=default_days - 1)
    if first > last:
        raise ValueError(f"start {first} is after end {last}")
    viz.set_theme()
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.precision", 3)
    pd.set_option("display.max_colwidth", None)  # reasons and titles are read whole
    return Config(path, first, last, dict(options))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if value is pd.NA or (isinstance(value, float) and value != value):
        return None  # JSON has no NaN
    return value


def save_summary(figures: dict[str, Any]) -> dict[str, Any]:
    """Write the run's key figures to ``summary.json`` when run by the runner; return them."""
    clean = _jsonable(figures)
    folder = os.environ.get(REPORT_DIR_ENV)
    if folder:
        Path(folder, "summary.json").write_text(json.dumps(clean, ensure_ascii=False, indent=2), encoding="utf-8")
    return clean


def output_dir(playbook: str) -> Path:
    """Where a playbook writes files for its users (assignments, models): the
    run's report folder under the runner, else ``reports/interactive/<playbook>``."""
    folder = Path(os.environ.get(REPORT_DIR_ENV) or paths.reports_dir() / "interactive" / playbook)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
