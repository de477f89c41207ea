"""The playbook runner: papermill execution into dated report folders.

``run`` executes ``notebooks/PLAYBOOK.ipynb`` into
``REPORTS/<date>/<label>/`` holding ``notebook.ipynb`` (the full record),
``report.html`` (for readers who do not read code), ``summary.json`` (the key
figures the notebook saved) and ``manifest.json``. A run writes into a hidden
temporary folder and is moved into place only when complete, so an
interrupted run never looks like a finished report. The runner knows nothing
of any one analysis.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
import uuid
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from smkit import __version__, paths
from smkit.data.store import fingerprint, resolve_store
from smkit.params import parse_date, parse_path
from smkit.playbook import REPORT_DIR_ENV
from smkit.run.catalog import Manifest, ParameterError, Playbook, coerce_parameters, find_playbook
from smkit.sample import ensure_default_store

KERNEL = "python3"


def git_commit() -> str:
    checkout = paths.checkout()
    if checkout is None:
        return "unknown"
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=checkout, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=checkout, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if out.returncode != 0:
        return "unknown"
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


@contextlib.contextmanager
def _kernel_stderr_to(path: Path):
    """Send the kernel process's stderr (start-up chatter, C-level warnings) to a
    log in the run folder, while this process's own stderr (progress bars,
    errors) still reaches the terminal."""
    sys.stderr.flush()
    saved = os.dup(2)
    with path.open("w") as log:
        os.dup2(log.fileno(), 2)
        original, sys.stderr = sys.stderr, os.fdopen(os.dup(saved), "w", buffering=1)
        try:
            yield
        finally:
            sys.stderr.flush()
            sys.stderr.close()
            sys.stderr = original
            os.dup2(saved, 2)
            os.close(saved)


@contextlib.contextmanager
def _claimed_folder(day_dir: Path, label: str, overwrite: bool):
    """Reserve the run's final folder name: ``label``, else ``label-2``, ``-3`` ...

    The reservation is a hidden file created exclusively, so two runs that
    finish at the same moment (``--jobs``) never pick the same name.
    """
    n = 1
    while True:
        name = label if n == 1 else f"{label}-{n}"
        claim = day_dir / f".claim-{name}"
        taken = (day_dir / name).exists() and not overwrite
        if not taken:
            try:
                fd = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                pass
            else:
                os.close(fd)
                try:
                    yield day_dir / name
                finally:
                    claim.unlink(missing_ok=True)
                return
        n += 1


def run(
    playbook: str,
    parameters: dict[str, Any] | None = None,
    *,
    date: str | None = None,
    label: str | None = None,
    reports: str | Path | None = None,
    store: str | None = None,
    overwrite: bool = False,
    quiet: bool = False,
) -> Manifest:
    """Execute one playbook into its dated report folder and return its manifest.

    Parameter errors raise :class:`ParameterError` before any kernel starts;
    a notebook that fails still leaves its folder, with the failing cell in
    ``notebook.ipynb`` and ``status: failed`` in the manifest.
    """
    import papermill as pm

    from smkit.run.report_html import build_index

    book = find_playbook(playbook)
    given = dict(parameters or {})
    if store is not None:
        given["store"] = store
    params = coerce_parameters(book, given)
    day = parse_date(date, "--date") or dt.date.today()
    reports_dir = Path(reports) if reports else paths.reports_dir()
    label = label or book.name
    if not re.fullmatch(r"\w[\w.-]*", label):
        raise ParameterError(f"label {label!r} must start with a letter or digit and hold only letters, digits, '.', '_' and '-'")
    store_given = parse_path(params.get("store"), "store")
    store_path = resolve_store(store_given) if store_given else ensure_default_store()
    day_dir = reports_dir / f"{day:%Y-%m-%d}"
    day_dir.mkdir(parents=True, exist_ok=True)
    tmp = day_dir / f".tmp-{label}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()

    started = dt.datetime.now().astimezone()
    t0 = time.perf_counter()
    status, error = "ok", None
    previous = os.environ.get(REPORT_DIR_ENV)
    os.environ[REPORT_DIR_ENV] = str(tmp.resolve())
    try:
        with _kernel_stderr_to(tmp / "kernel.log"):
            pm.execute_notebook(
                str(book.path),
                str(tmp / "notebook.ipynb"),
                parameters=params,
                kernel_name=KERNEL,
                progress_bar=not quiet,
                log_output=False,
                cwd=str(book.path.parent),
            )
    except pm.PapermillExecutionError as exc:
        status, error = "failed", f"{exc.ename}: {exc.evalue} (cell {exc.cell_index})"
    except Exception as exc:  # kernel died, notebook unreadable ...
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        (tmp / "error.txt").write_text(traceback.format_exc(), encoding="utf-8")
    finally:
        if previous is None:
            os.environ.pop(REPORT_DIR_ENV, None)
        else:
            os.environ[REPORT_DIR_ENV] = previous
    with _claimed_folder(day_dir, label, overwrite) as final:
        manifest = _finish(tmp, final, book, params, status, error, started, t0, store_path)
    build_index(reports_dir)
    return manifest


def _finish(
    tmp: Path, final: Path, book: Playbook, params: dict[str, Any], status: str, error: str | None, started: dt.datetime, t0: float, store_path: Path
) -> Manifest:
    """Write the manifest and HTML into the temporary folder and move it into place."""
    from smkit.run.report_html import write_report

    manifest = Manifest(
        playbook=book.name,
        label=final.name,
        parameters=params,
        status=status,
        error=error,
        start=started.isoformat(timespec="seconds"),
        duration_seconds=round(time.perf_counter() - t0, 2),
        smkit_version=__version__,
        commit=git_commit(),
        store=str(store_path),
        fingerprint=fingerprint(store_path),
        folder=str(final),
    )
    if (tmp / "notebook.ipynb").exists():
        write_report(tmp / "notebook.ipynb", tmp / "report.html", book, manifest)
    (tmp / "manifest.json").write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")
    if final.exists():  # --overwrite
        shutil.rmtree(final)
    tmp.replace(final)
    return manifest


def _run_entry(entry: dict[str, Any], options: dict[str, Any]) -> Manifest | dict[str, Any]:
    try:
        return run(entry["playbook"], entry.get("parameters") or {}, label=entry.get("label"), **options)
    except Exception as exc:  # a broken entry must not stop the others
        return {
            "playbook": entry.get("playbook"),
            "label": entry.get("label") or entry.get("playbook"),
            "status": "failed",
            "error": f"{type(exc).__name__}: {exc}",
            "duration_seconds": 0.0,
            "folder": "",
        }


def run_many(entries: Sequence[dict[str, Any]], *, jobs: int = 1, **options: Any) -> list[dict[str, Any]]:
    """Run schedule entries one after another, or ``jobs`` at once in separate
    processes; a failed run never stops the others."""
    if jobs <= 1:
        results = [_run_entry(e, options) for e in entries]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_run_entry, entries, [options] * len(entries)))
    return [asdict(r) if isinstance(r, Manifest) else r for r in results]


def load_schedule(path: str | Path) -> list[dict[str, Any]]:
    """Read a schedule file: a ``runs:`` list of ``playbook``, optional ``label`` and ``parameters``."""
    import yaml

    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterError(f"{path}: cannot read the schedule ({exc})") from None
    runs = doc.get("runs") if isinstance(doc, dict) else None
    if not isinstance(runs, list) or not runs:
        raise ParameterError(f"{path}: a schedule needs a non-empty 'runs:' list")
    for i, entry in enumerate(runs, 1):
        if not isinstance(entry, dict) or "playbook" not in entry:
            raise ParameterError(f"{path}: run {i} needs a 'playbook'")
        unknown = set(entry) - {"playbook", "label", "parameters"}
        if unknown:
            raise ParameterError(f"{path}: run {i} has unknown keys {sorted(unknown)}; allowed: playbook, label, parameters")
        if not isinstance(entry.get("parameters") or {}, dict):
            raise ParameterError(f"{path}: run {i}: 'parameters' must be a mapping")
    return runs


def level_reached(results: Sequence[dict[str, Any]], threshold: int, key: str = "alert_level") -> list[tuple[str, int]]:
    """Runs whose ``summary.json`` has ``key`` at or above ``threshold``, as
    (label, value): how a scheduler acts on a level any playbook reports."""
    reached = []
    for r in results:
        path = Path(r.get("folder") or "") / "summary.json"
        if r.get("status") == "ok" and path.is_file():
            value = json.loads(path.read_text(encoding="utf-8")).get(key)
            if isinstance(value, (int, float)) and value >= threshold:
                reached.append((str(r["label"]), int(value)))
    return reached


def results_table(results: Sequence[dict[str, Any]]) -> str:
    """A plain-text table of runs for the terminal and cron mail."""
    rows = [("playbook", "label", "status", "seconds", "folder / error")]
    for r in results:
        rows.append((str(r["playbook"]), str(r["label"]), r["status"], f"{r['duration_seconds']:.1f}", r["error"] if r["status"] != "ok" else r["folder"]))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  " + row[4] for row in rows)
