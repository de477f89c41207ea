"""Where smkit finds its own files and where it keeps a team's.

Two kinds of place, neither taken from the current directory by accident:

- shipped with smkit: the playbook notebooks and the reference tables. In a
  source checkout they are ``notebooks/`` and ``data/reference/``; an installed
  wheel carries them as ``smkit/notebooks`` and ``smkit/reference``.
- the workspace, where a team's store, reports and caches live: ``$SMKIT_HOME``
  if set, else the source checkout smkit runs from, else the current directory
  (a wheel installed for a team that runs ``smkit`` in its project folder).

Each place can also be set on its own (``$SMKIT_STORE``, ``$SMKIT_NOTEBOOKS``,
``$SMKIT_CACHE``), which is how tests and schedulers point smkit elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _in_checkout() -> bool:
    return (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "notebooks").is_dir()


def _shipped(in_package: str, in_checkout: str) -> Path:
    packaged = _PACKAGE / in_package
    return packaged if packaged.is_dir() else _CHECKOUT / in_checkout


def workspace() -> Path:
    """The folder that holds ``data/`` (store, caches) and ``reports/``."""
    if os.environ.get("SMKIT_HOME"):
        return Path(os.environ["SMKIT_HOME"]).expanduser()
    return _CHECKOUT if _in_checkout() else Path.cwd()


def notebooks_dir() -> Path:
    return Path(os.environ.get("SMKIT_NOTEBOOKS") or _shipped("notebooks", "notebooks"))


def reference_dir() -> Path:
    """The editable reference tables (platform facts, goals)."""
    return _shipped("reference", "data/reference")


def default_store() -> Path:
    return Path(os.environ.get("SMKIT_STORE") or workspace() / "data" / "smkit.duckdb")


def reports_dir() -> Path:
    return workspace() / "reports"


def cache_dir() -> Path:
    return Path(os.environ.get("SMKIT_CACHE") or workspace() / "data" / "cache")


def checkout() -> Path | None:
    """The source checkout smkit runs from (for the commit in a report's footer), if any."""
    return _CHECKOUT if _in_checkout() else None
