"""The playbook runner: papermill execution into dated report folders.

``run`` executes ``notebooks/PLAYBOOK.ipynb`` into
``REPORTS/<date>/<label>/`` holding ``notebook.ipynb`` (the full record),
``report.html`` (for readers who do not read code, in the run's language),
``summary.json`` (the key figures the notebook saved) and ``manifest.json``. A run writes into a hidden
temporary folder and is moved into place only when complete, so an
interrupted run never looks like a finished report. The runner knows nothing
of any one analysis.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
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

from smkit import __version__, i18n, paths
from smkit.data.store import fingerprint, resolve_store
from smkit.params import parse_date, parse_path
from smkit.playbook import REPORT_DIR_ENV
from smkit.run.catalog import Manifest, ParameterError, Playbook, coerce_parameters, find_playbook
from smkit.run.messages import TERMINAL, playbook_name
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
    log in the run folder, while this process's own stderr (progress lines,
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

    The reservation is a lock held on a hidden ``.claim-<name>`` file by this
    process, so two runs that finish at the same moment (``--jobs``) never pick
    the same name, and a claim left by a killed run (``kill -9``) is free again:
    the kernel drops the lock with the process.
    """
    n = 1
    while True:
        name = label if n == 1 else f"{label}-{n}"
        claim = day_dir / f".claim-{name}"
        fd = None if (day_dir / name).exists() and not overwrite else _lock_claim(claim)
        # look again once the claim is held: another run may have moved its folder
        # into place and let go of this claim between the first look and the lock
        if fd is not None and (day_dir / name).exists() and not overwrite:
            claim.unlink(missing_ok=True)
            os.close(fd)
            fd = None
        if fd is not None:
            try:
                yield day_dir / name
            finally:
                claim.unlink(missing_ok=True)
                os.close(fd)
            return
        n += 1


def _lock_claim(claim: Path) -> int | None:
    """An open descriptor holding the lock on ``claim``, or None when a live process holds it."""
    fd = os.open(claim, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # the holder may have removed the file between our open and our lock
        if os.fstat(fd).st_ino == os.stat(claim).st_ino:
            os.write(fd, str(os.getpid()).encode())
            return fd
    except (BlockingIOError, FileNotFoundError):
        pass
    os.close(fd)
    return None


def clean_stale(day_dir: Path) -> list[Path]:
    """Remove ``.tmp-*`` run folders whose run is gone (killed, machine restarted):
    a live run holds the lock on its folder's ``.lock`` file."""
    removed = []
    for making in day_dir.glob(".new-*"):  # made by a run killed before it renamed the folder (see _hold_folder)
        if time.time() - making.stat().st_mtime > 3600:
            shutil.rmtree(making, ignore_errors=True)
            removed.append(making)
    for tmp in day_dir.glob(".tmp-*"):
        lock = tmp / ".lock"
        try:
            fd = os.open(lock, os.O_RDWR)
        except FileNotFoundError:
            if time.time() - tmp.stat().st_mtime > 3600:  # an old folder without a lock file
                shutil.rmtree(tmp, ignore_errors=True)
                removed.append(tmp)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a run in progress
        finally:
            os.close(fd)
        shutil.rmtree(tmp, ignore_errors=True)
        removed.append(tmp)
    return removed


def _hold_folder(tmp: Path) -> int:
    """Make ``tmp`` with ``tmp/.lock`` locked for as long as this run lives (see :func:`clean_stale`).

    The folder is made and locked under a name :func:`clean_stale` does not read, then
    renamed: between creating a lock file and locking it, a parallel run's clean-up
    would find it unlocked and remove the folder of a run just starting."""
    making = tmp.with_name(".new" + tmp.name.removeprefix(".tmp"))
    making.mkdir()
    fd = os.open(making / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    making.rename(tmp)
    return fd


def check_label(label: str) -> str:
    """A report folder's label: a letter or digit, then letters, digits, ``.``, ``_`` and ``-``."""
    if not re.fullmatch(r"\w[\w.-]*", label):
        raise ParameterError(
            f"label {label!r} must start with a letter or digit and hold only letters, digits, '.', '_' and '-'",
            zh=f"标签 {label!r} 须以字母或数字开头，只能含字母、数字、'.'、'_' 和 '-'",
        )
    return label


def report_day(date: str | dt.date | None) -> dt.date:
    """The report date: ``--date`` (YYYY-MM-DD, from 2000 to 2999) or today."""
    day = parse_date(date, "--date") if date else dt.date.today()
    if not dt.date(2000, 1, 1) <= day <= dt.date(2999, 12, 31):
        raise ParameterError(f"--date {day.isoformat()} is outside 2000-01-01 .. 2999-12-31", zh=f"--date {day.isoformat()} 不在 2000-01-01 到 2999-12-31 之间")
    return day


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
    lang: str | None = None,
) -> Manifest:
    """Execute one playbook into its dated report folder and return its manifest.

    ``lang`` (``zh`` or ``en``) sets the playbook's ``lang`` parameter unless
    ``parameters`` set it; a playbook without one runs as it is, and ``lang``
    is then only the language of the run layer's own words (report banner and
    appendix, index, terminal). Unless ``quiet``, one line goes to stderr when
    the run starts and one when it ends (seconds, status).

    Parameter errors raise :class:`ParameterError` before any kernel starts;
    a notebook that fails still leaves its folder, with the failing cell in
    ``notebook.ipynb`` and ``status: failed`` in the manifest.
    """
    import papermill as pm

    from smkit.run.report_html import build_index

    book = find_playbook(playbook)
    given = dict(parameters or {})
    if lang is not None and lang not in i18n.LANGUAGES:
        raise ParameterError(f"--lang must be {' or '.join(i18n.LANGUAGES)}, got {lang!r}", zh=f"--lang 应为 {' 或 '.join(i18n.LANGUAGES)}，收到 {lang!r}")
    if lang is not None and has_language(book) and "lang" not in given:
        given["lang"] = lang
    if store is not None:
        given["store"] = store
    params = coerce_parameters(book, given)
    report_lang = report_language(book, params, lang)
    try:
        day = report_day(date)
    except ValueError as exc:
        raise ParameterError(str(exc), zh=getattr(exc, "zh", None)) from None
    reports_dir = Path(reports) if reports else paths.reports_dir()
    label = check_label(label or book.name)
    store_given = parse_path(params.get("store"), "store")
    store_path = resolve_store(store_given) if store_given else ensure_default_store()
    day_dir = reports_dir / day.isoformat()
    day_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(day_dir)
    tmp = day_dir / f".tmp-{label}-{uuid.uuid4().hex[:8]}"
    held = _hold_folder(tmp)
    name = f"{playbook_name(book.name, report_lang)} ({label})"
    if not quiet:
        _say(TERMINAL("started", report_lang, name=name))
    try:
        manifest = _execute(pm, book, params, tmp, day_dir, label, overwrite, store_path, report_lang)
    finally:
        os.close(held)
    build_index(reports_dir, report_lang)
    if not quiet:
        ok = manifest.status == "ok"
        status = TERMINAL("ok" if ok else "failed", report_lang) + ("" if ok else f": {manifest.error}")
        _say(TERMINAL("finished", report_lang, mark="✓" if ok else "✗", name=name, seconds=f"{manifest.duration_seconds:.1f}", status=status))
    return manifest


def has_language(book: Playbook) -> bool:
    """Whether the playbook takes a ``lang`` parameter."""
    return any(p.name == "lang" for p in book.parameters)


def report_language(book: Playbook, params: dict[str, Any], lang: str | None = None) -> str:
    """The language of a run's report: its ``lang`` parameter (given or the
    default), else ``lang``, else Chinese."""
    if has_language(book):
        value = params.get("lang", next(p.default for p in book.parameters if p.name == "lang"))
        if value in i18n.LANGUAGES:
            return value
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def _say(line: str) -> None:
    """One whole line on stderr in a single write, so lines of parallel runs never interleave."""
    try:
        os.write(2, (line + "\n").encode("utf-8", "replace"))
    except OSError:
        pass


def _wait_for_store(store_path: Path) -> str | None:
    """None once the store can be read; else why not (busy past ``$SMKIT_LOCK_TIMEOUT``, unreadable)."""
    from smkit.data.store import StoreError, connect

    try:
        connect(store_path, read_only=True).close()
    except StoreError as exc:
        return str(exc)
    return None


def _execute(pm, book: Playbook, params: dict[str, Any], tmp: Path, day_dir: Path, label: str, overwrite: bool, store_path: Path, lang: str) -> Manifest:

    started = dt.datetime.now().astimezone()
    t0 = time.perf_counter()
    status, error = "ok", None
    previous = os.environ.get(REPORT_DIR_ENV)
    os.environ[REPORT_DIR_ENV] = str(tmp.resolve())
    busy = _wait_for_store(store_path)  # a writer holding the store: wait, or fail with a manifest that says why
    try:
        if busy:
            raise StoreBusy(busy)
        with _kernel_stderr_to(tmp / "kernel.log"):
            pm.execute_notebook(
                str(book.path),
                str(tmp / "notebook.ipynb"),
                parameters=params,
                kernel_name=KERNEL,
                progress_bar=False,  # bars of parallel runs print over each other; run() prints one line per run instead
                log_output=False,
                cwd=str(book.path.parent),
            )
    except StoreBusy as exc:
        status, error = "failed", str(exc)
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
        return _finish(tmp, final, book, params, status, error, started, t0, store_path, lang)


class StoreBusy(Exception):
    """The store could not be read before the run started."""


def _finish(
    tmp: Path,
    final: Path,
    book: Playbook,
    params: dict[str, Any],
    status: str,
    error: str | None,
    started: dt.datetime,
    t0: float,
    store_path: Path,
    lang: str = i18n.DEFAULT_LANGUAGE,
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
        fingerprint=_safe_fingerprint(store_path),
        folder=str(final),
        lang=lang,
    )
    if (tmp / "notebook.ipynb").exists():
        write_report(tmp / "notebook.ipynb", tmp / "report.html", book, manifest)
    else:  # the run never started (a busy store): the report still says why
        import nbformat

        empty = tmp / ".empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(), empty)
        write_report(empty, tmp / "report.html", book, manifest)
        empty.unlink()
    (tmp / "manifest.json").write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")
    (tmp / ".lock").unlink(missing_ok=True)
    if final.exists():  # --overwrite
        shutil.rmtree(final)
    tmp.replace(final)
    return manifest


def _safe_fingerprint(store_path: Path) -> str:
    """The store's fingerprint, or ``unavailable`` when it cannot be read now (a run still gets its manifest)."""
    try:
        return fingerprint(store_path)
    except Exception:  # busy, deleted or damaged: the manifest records the run regardless
        return "unavailable"


def _run_entry(entry: dict[str, Any], options: dict[str, Any]) -> Manifest | dict[str, Any]:
    options = {**options, "lang": entry.get("lang") or options.get("lang")}  # a schedule entry's lang: wins over --lang
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
            "lang": options.get("lang") or i18n.DEFAULT_LANGUAGE,
        }


def effective_jobs(jobs: int, runs: int) -> int:
    """``--jobs`` capped at the number of runs, the cores and ``$SMKIT_MAX_JOBS`` (default: the cores)."""
    cores = os.cpu_count() or 1
    try:
        ceiling = int(os.environ.get("SMKIT_MAX_JOBS", cores))
    except ValueError:
        ceiling = cores
    return max(1, min(jobs, runs, max(1, ceiling)))


# The numerical libraries' thread pools: each kernel gets its share of the cores.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _start_worker(parent: int, jobs: int) -> None:
    """A ``--jobs`` worker: it dies with the parent, and the kernels it starts
    share the cores with the other workers' instead of each starting a BLAS
    thread per core (with two kernels on two cores, the idle threads spin
    while they wait for a core: a persona fit took several times its CPU).
    A thread count the user has set is kept."""
    _die_with_parent(parent)
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, str(max(1, (os.cpu_count() or 1) // jobs)))


def _die_with_parent(parent: int) -> None:
    """In a ``--jobs`` worker: stop when the parent stops, even by ``kill -9``
    (Linux ``PR_SET_PDEATHSIG``); the notebook kernel, started by the worker,
    exits when the worker does (ipykernel watches its parent)."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def run_many(entries: Sequence[dict[str, Any]], *, jobs: int = 1, **options: Any) -> list[dict[str, Any]]:
    """Run schedule entries one after another, or ``jobs`` at once in separate
    processes; a failed run never stops the others."""
    jobs = effective_jobs(jobs, len(entries))
    if jobs > 1 and not options.get("store"):
        try:  # build the sample store once, here, not in every worker
            ensure_default_store()
        except Exception:  # noqa: S110 - each run then reports the problem in its own manifest
            pass
    if jobs <= 1:
        results = [_run_entry(e, options) for e in entries]
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(os.getpid(), jobs)) as pool:
            results = list(pool.map(_run_entry, entries, [options] * len(entries)))
    return [asdict(r) if isinstance(r, Manifest) else r for r in results]


def load_schedule(path: str | Path) -> list[dict[str, Any]]:
    """Read a schedule file: a ``runs:`` list of ``playbook``, optional ``label``,
    ``lang`` (``zh`` or ``en``: the playbook's ``lang`` parameter, over
    ``--lang``) and ``parameters`` (and an optional top-level ``notify:``, see
    :func:`schedule_notify`)."""
    doc = _read_schedule(path)
    runs = doc.get("runs") if isinstance(doc, dict) else None
    if not isinstance(runs, list) or not runs:
        raise ParameterError(f"{path}: a schedule needs a non-empty 'runs:' list")
    unknown = set(doc) - {"runs", "notify"}
    if unknown:
        raise ParameterError(f"{path}: unknown top-level keys {sorted(unknown)}; allowed: runs, notify")
    for i, entry in enumerate(runs, 1):
        if not isinstance(entry, dict) or "playbook" not in entry:
            raise ParameterError(f"{path}: run {i} needs a 'playbook'")
        unknown = set(entry) - {"playbook", "label", "lang", "parameters"}
        if unknown:
            raise ParameterError(f"{path}: run {i} has unknown keys {sorted(unknown)}; allowed: playbook, label, lang, parameters")
        if "lang" in entry and entry["lang"] not in i18n.LANGUAGES:
            raise ParameterError(f"{path}: run {i}: lang must be {' or '.join(i18n.LANGUAGES)} (the report's language), got {entry['lang']!r}")
        if not isinstance(entry.get("parameters") or {}, dict):
            raise ParameterError(f"{path}: run {i}: 'parameters' must be a mapping")
        for name, value in (entry.get("parameters") or {}).items():
            if not isinstance(value, (str, int, float, bool, dt.date)) or (isinstance(value, str) and len(value) > MAX_PARAMETER_CHARS):
                raise ParameterError(
                    f"{path}: run {i}: parameter {name} must be one value (text up to {MAX_PARAMETER_CHARS:,} characters, a number, true/false)"
                )
        for key in ("playbook", "label"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                raise ParameterError(f"{path}: run {i}: '{key}' must be text")
    return runs


def schedule_notify(path: str | Path) -> str | None:
    """The response plan a schedule names under ``notify:`` (relative to the schedule file), if any."""
    doc = _read_schedule(path)
    value = doc.get("notify") if isinstance(doc, dict) else None
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"{path}: 'notify' must be the path of a response plan file")
    plan = Path(value).expanduser()
    return str(plan if plan.is_absolute() else Path(path).parent / plan)


def _read_schedule(path: str | Path) -> Any:
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        if len(text) > MAX_SCHEDULE_BYTES:
            raise ParameterError(f"{path}: a schedule file is at most {MAX_SCHEDULE_BYTES // 1000:,} KB")
        doc = yaml.load(text, Loader=_limited_loader(path))  # noqa: S506 - a SafeLoader subclass
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ParameterError(f"{path}: cannot read the schedule ({str(exc).splitlines()[0]})") from None
    _check_expansion(path, doc)
    return doc


MAX_SCHEDULE_BYTES = 1_000_000
MAX_PARAMETER_CHARS = 10_000


def _yaml_limit(name: str, default: int) -> int:
    try:
        return max(0, int(os.environ.get(name, default)))
    except ValueError:
        return default


def _limited_loader(path: Path):
    """A SafeLoader that refuses more than ``$SMKIT_MAX_YAML_ALIASES`` (default 100) alias references."""
    import yaml

    limit = _yaml_limit("SMKIT_MAX_YAML_ALIASES", 100)

    class Loader(yaml.SafeLoader):
        aliases_seen = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                Loader.aliases_seen += 1
                if Loader.aliases_seen > limit:
                    raise ParameterError(f"{path}: the schedule uses more than {limit} YAML aliases (*name); raise the limit with SMKIT_MAX_YAML_ALIASES")
            return super().compose_node(parent, index)

    return Loader


def _check_expansion(path: Path, doc: Any) -> None:
    """Refuse a schedule whose aliases expand it past ``$SMKIT_MAX_YAML_NODES`` values (default 10,000): a YAML bomb."""
    limit = _yaml_limit("SMKIT_MAX_YAML_NODES", 10_000)
    count, stack = 0, [doc]
    while stack:
        node = stack.pop()
        count += 1
        if count > limit:
            raise ParameterError(f"{path}: the schedule expands to more than {limit:,} values (YAML aliases?); raise the limit with SMKIT_MAX_YAML_NODES")
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def level_reached(results: Sequence[dict[str, Any]], threshold: int, key: str = "alert_level") -> list[tuple[str, int]]:
    """Runs whose ``summary.json`` has a warning level at least as severe as
    ``threshold``, as (label, severity): how a scheduler acts on a level any
    playbook reports. Both are severities (:func:`smkit.i18n.parse_level`),
    which grow with danger: 4 is Ⅰ级, the most severe, 1 is Ⅳ级, 0 no warning;
    ``threshold`` 0 lists every run that reports a level."""
    reached = []
    for r in results:
        path = Path(r.get("folder") or "") / "summary.json"
        if r.get("status") == "ok" and path.is_file():
            value = json.loads(path.read_text(encoding="utf-8")).get(key)
            if isinstance(value, (int, float)) and value >= threshold:
                reached.append((str(r["label"]), int(value)))
    return reached


def results_table(results: Sequence[dict[str, Any]], lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """A plain-text table of runs for the terminal and cron mail, in ``lang``."""
    t = TERMINAL
    rows = [tuple(t(k, lang) for k in ("col_playbook", "col_label", "col_status", "col_seconds", "col_folder"))]
    for r in results:
        ok = r["status"] == "ok"
        rows.append(
            (str(r["playbook"]), str(r["label"]), t("ok" if ok else "failed", lang), f"{r['duration_seconds']:.1f}", str(r["folder"] if ok else r["error"]))
        )
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row[:4], widths)) + "  " + row[4] for row in rows)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
