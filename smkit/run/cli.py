"""The ``smkit`` command line."""

from __future__ import annotations

import argparse
import atexit
import json
import os
import sys
from pathlib import Path

from smkit import __version__
from smkit.data.schema import TABLES


class SampleEffects:
    """``--without``'s choices, the sample's planted effects, looked up when argparse checks or
    lists them: the sample generator imports NumPy and pandas, which every other command would
    then load before it starts (``smkit ingest`` starts decoding a GBK export first)."""

    def _names(self) -> tuple[str, ...]:
        from smkit.sample import PLANTED_EFFECTS

        return PLANTED_EFFECTS

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self):
        return iter(self._names())


def _cmd_sample(args: argparse.Namespace) -> int:
    from smkit import sample

    paths = sample.write(args.out, seed=args.seed, scale=args.scale, end=args.end, without=args.without)
    for name, path in paths.items():
        print(f"{name:15s} {path}")
    return 0


def _cmd_init_store(args: argparse.Namespace) -> int:
    from smkit.data.readers import IngestError
    from smkit.data.store import StoreError, check_store_path, default_store_path, table_counts
    from smkit.sample import build_sample_store

    path = Path(args.store) if args.store else default_store_path()
    try:
        check_store_path(path)
    except StoreError as exc:
        print(f"smkit init-store: {exc}", file=sys.stderr)
        return 2
    if path.exists() and not args.force:
        print(f"store {path} exists; keeping it (use --force to rebuild it from the sample data)")
        return 0
    try:
        build_sample_store(path, seed=args.seed, scale=args.scale, quiet=args.quiet)
    except (IngestError, OSError) as exc:
        reason = "the disk is full (no space left on the device)" if getattr(exc, "errno", None) == 28 else str(exc)
        print(f"smkit init-store: cannot build the sample store: {reason}; the previous store and sample/ are unchanged", file=sys.stderr)
        return 2
    counts = table_counts(path)
    print(f"sample store {path}: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from smkit.data import transcode

    transcode.start_early(Path(args.files[0]))  # a GBK export decodes on the other cores while the libraries load
    try:
        from smkit.data.ingest import ingest
        from smkit.data.readers import IngestError

        try:
            report = ingest(
                args.files,
                args.table,
                store=args.store,
                platform=args.platform,
                account=args.account,
                tz=args.tz,
                alias_file=args.aliases,
                earliest=args.earliest_date,
            )
        except (IngestError, ValueError) as exc:
            print(f"smkit ingest: {exc}", file=sys.stderr)
            print("smkit ingest: nothing was written; the store is unchanged", file=sys.stderr)
            return 2
    finally:
        transcode.discard_early()
    print(report.summary())
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    return 0


def _cmd_export_lake(args: argparse.Namespace) -> int:
    from smkit.data import lake
    from smkit.data.store import StoreError, export_lake, resolve_store

    try:
        store = resolve_store(args.store)
        if store.is_dir():
            raise StoreError(f"--store {store} is already a lake; give the DuckDB file to export")
        dest = Path(args.dir)
        if dest.exists() and not dest.is_dir():
            raise StoreError(f"{dest} is a file; give a folder for the lake")
        if dest.is_dir() and any(dest.iterdir()) and not lake.is_lake(dest):
            raise StoreError(f"{dest} holds other files; give an empty folder or an existing lake")
        counts = export_lake(store, dest, tz=args.tz)
    except (StoreError, FileNotFoundError, OSError) as exc:
        print(f"smkit export-lake: {exc}", file=sys.stderr)
        return 2
    print(f"lake {dest}: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    return 0


def _run_entries(entries: list[dict], args: argparse.Namespace) -> int:
    """Run the entries with the shared options, print the table and the
    index's path. Exit 3 when ``--fail-at-level`` is met (even if another run
    failed, so cron never misses an alert), else 4 when a notification could
    not be delivered, else 1 if any run failed, else 0."""
    from smkit import i18n
    from smkit.params import LocalizedError
    from smkit.run.messages import TERMINAL
    from smkit.run.runner import effective_jobs, level_reached, report_day, results_table, run_many

    plan = None
    if getattr(args, "notify", None):
        from smkit.run.response_plan import PlanError, load_plan

        try:
            plan = load_plan(args.notify)
        except PlanError as exc:
            print(f"smkit: {exc}", file=sys.stderr)
            return 2
        for channel, names in plan.missing_env().items():
            print(f"smkit: channel {channel} needs the environment variable(s) {', '.join(names)}; it will be reported as failed", file=sys.stderr)

    try:
        report_day(args.date)
    except ValueError as exc:
        print(f"smkit: {exc.text(_run_language(args, entries)) if isinstance(exc, LocalizedError) else exc}", file=sys.stderr)
        return 2
    if args.store:
        from smkit.data.store import check_store_path

        try:
            check_store_path(args.store)
        except ValueError as exc:
            print(f"smkit: {exc}", file=sys.stderr)
            return 2
    if args.jobs < 1:
        print("smkit: " + ("--jobs 至少为 1" if _run_language(args, entries) == "zh" else "--jobs must be 1 or more"), file=sys.stderr)
        return 2
    if _choose_engine(args) != 0:
        return 2
    jobs = effective_jobs(args.jobs, len(entries))
    if jobs < args.jobs:
        print(f"smkit: running {jobs} at once (--jobs {args.jobs} capped at the runs, the cores and SMKIT_MAX_JOBS)", file=sys.stderr)
    options = {"date": args.date, "reports": args.reports, "store": args.store, "quiet": args.quiet, "overwrite": args.overwrite, "lang": args.lang}
    results = run_many(entries, jobs=jobs, **options)
    lang = _run_language(args, entries)
    print(results_table(results, lang))
    failed = [r for r in results if r["status"] != "ok"]
    if failed and args.quiet:
        for r in failed:
            print(f"smkit: {r['playbook']} failed: {r['error']}", file=sys.stderr)
    reached = []
    if args.fail_at_level is not None:
        threshold = f"{i18n.LEVEL_NUMERALS[args.fail_at_level]}级"
        for label, value in level_reached(results, 0):  # every run that reports a level, met or not
            met = value >= args.fail_at_level
            name = f"{i18n.LEVEL_NUMERALS[value]}级, {i18n.level_name(value, 'en')}" if value in i18n.LEVEL_NUMERALS else "no warning"
            print(f"smkit: {label} reports alert_level {value} ({name}): {'reaches' if met else 'does not reach'} --fail-at-level {threshold}", file=sys.stderr)
            reached += [label] if met else []
    undelivered = _notify(results, plan, args) if plan is not None else False
    from smkit import paths

    print(TERMINAL("index", lang, path=Path(args.reports or paths.reports_dir()) / "index.html"))
    if reached:
        return 3
    if undelivered:
        from smkit.run.notify import EXIT_NOTIFY_FAILED

        return EXIT_NOTIFY_FAILED
    return 1 if failed else 0


def _choose_engine(args: argparse.Namespace) -> int:
    """Check ``--engine`` (or ``$SMKIT_ENGINE``) against the store and hand it to the run's kernels."""
    from smkit.data.engine import ENV, EngineError, check_store_for, engine_name
    from smkit.data.store import default_store_path

    try:
        name = engine_name(getattr(args, "engine", None))
        check_store_for(name, args.store or default_store_path())
    except EngineError as exc:
        print(f"smkit: {exc}", file=sys.stderr)
        return 2
    os.environ[ENV] = name  # papermill's kernels inherit the environment
    return 0


def _notify(results: list[dict], plan, args: argparse.Namespace) -> bool:
    """Send each finished run's new alerts through the response plan, record
    what was sent in its manifest and print one line per delivery; True when a
    delivery failed after its retries."""
    import json

    from smkit.run.notify import notify_folder

    failed = False
    for r in results:
        if r.get("status") != "ok" or not r.get("folder"):
            continue
        outcome = notify_folder(r["folder"], plan, store=r.get("store") or None, lang=r.get("lang") or args.lang or "zh")
        for line in outcome.lines():
            print(f"smkit: {line}", file=sys.stderr)
        manifest = Path(r["folder"]) / "manifest.json"
        if manifest.is_file() and (outcome.sent or outcome.failed):
            record = json.loads(manifest.read_text(encoding="utf-8"))
            record["notifications"] = outcome.to_manifest()
            tmp = manifest.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
            tmp.replace(manifest)
        failed |= bool(outcome.failed)
    return failed


def _entries_language(entries: list[dict]) -> str:
    """The language of the terminal's table when ``--lang`` is not given: the entries' own, if they agree, else Chinese."""
    langs = {e.get("lang") or (e.get("parameters") or {}).get("lang") for e in entries}
    return langs.pop() if len(langs) == 1 and langs <= {"zh", "en"} else "zh"


def _alert_level(text: str) -> int:
    """The severity of a warning level written as a person writes it (Ⅱ, II, 2, Ⅱ级, level II)."""
    from smkit.i18n import parse_level

    try:
        return parse_level(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a warning level Ⅰ to Ⅳ (I to IV, or 1 to 4; Ⅰ is the most severe), got {text!r}") from None


def _cmd_run(args: argparse.Namespace) -> int:
    from smkit.run import catalog
    from smkit.run.messages import TERMINAL
    from smkit.run.runner import check_label

    if args.all == bool(args.playbook):
        print("smkit run: name one PLAYBOOK or pass --all", file=sys.stderr)
        return 2
    if _choose_engine(args) != 0:
        return 2
    try:
        if args.all:
            if args.parameter or args.label:
                raise catalog.ParameterError(
                    "--all runs every playbook with its defaults; -p and --label need one PLAYBOOK",
                    zh="--all 用默认参数运行所有报告；-p 和 --label 只能用于单个报告",
                )
            entries = []
            for book in catalog.list_playbooks():  # check every playbook before any kernel starts
                try:
                    catalog.coerce_parameters(book, {**_language(book, args), **({"store": args.store} if args.store else {})})
                except catalog.NotInStore as exc:  # a store with some tables runs the playbooks it can serve
                    print(TERMINAL("skipped", _cli_language(args), reason=exc), file=sys.stderr)
                    continue
                entries.append({"playbook": book.name})
            if not entries:
                raise catalog.ParameterError(TERMINAL("nothing_to_run", _cli_language(args)))
        else:
            params = dict(args.parameter or [])
            if args.lang and params.get("lang", args.lang) != args.lang:
                raise catalog.ParameterError(
                    f"--lang {args.lang} and -p lang {params['lang']} disagree; give the language once",
                    zh=f"--lang {args.lang} 与 -p lang {params['lang']} 不一致；语言只需给一次",
                )
            book = catalog.find_playbook(args.playbook)
            if args.label:
                check_label(args.label)
            catalog.coerce_parameters(book, {**_language(book, args), **params, **({"store": args.store} if args.store else {})})
            entries = [{"playbook": args.playbook, "label": args.label, "parameters": params}]
    except catalog.ParameterError as exc:
        print(f"smkit run: {exc.text(_cli_language(args))}", file=sys.stderr)
        return 2
    return _run_entries(entries, args)


def _cli_language(args: argparse.Namespace) -> str:
    """The language of the command line's own messages: --lang, else -p lang, else the default (zh)."""
    from smkit.i18n import DEFAULT_LANGUAGE, LANGUAGES

    given = args.lang or dict(getattr(args, "parameter", None) or []).get("lang")
    return given if given in LANGUAGES else DEFAULT_LANGUAGE


def _run_language(args: argparse.Namespace, entries: list[dict]) -> str:
    """A run's language: --lang, else -p lang of one playbook, else the entries' own (a schedule's), else zh."""
    return args.lang or (_cli_language(args) if getattr(args, "parameter", None) else _entries_language(entries))


def _language(book, args: argparse.Namespace) -> dict:
    """``{"lang": ...}`` for a playbook that takes a ``lang`` parameter when ``--lang`` is given."""
    from smkit.run.runner import has_language

    return {"lang": args.lang} if args.lang and has_language(book) else {}


def _cmd_schedule(args: argparse.Namespace) -> int:
    from smkit.run import catalog, runner

    if _choose_engine(args) != 0:
        return 2
    try:
        entries = runner.load_schedule(args.file)
        args.notify = args.notify or runner.schedule_notify(args.file)
    except catalog.ParameterError as exc:
        print(f"smkit schedule: {exc}", file=sys.stderr)
        return 2
    return _run_entries(entries, args)


def _cmd_check_copy(args: argparse.Namespace) -> int:
    """Exit 0 when every text is clean, 1 with findings, 2 on bad input."""
    import json

    from smkit.methods import copy_check

    if bool(args.file) == bool(args.text):
        print("smkit check-copy: give a FILE or --text TEXT", file=sys.stderr)
        return 2
    try:
        texts = [args.text] if args.text else _copy_lines(Path(args.file))
        checked = [(t, copy_check.check(t, args.platform)) for t in texts]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"smkit check-copy: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        findings = [dict(f.to_dict(), text=t) if len(texts) > 1 else f.to_dict() for t, found in checked for f in found]
        print(json.dumps(findings, ensure_ascii=False, indent=2))
    else:
        for text, found in checked:
            print(copy_check.describe(text, found))
    return 1 if any(found for _, found in checked) else 0


def _copy_lines(path: Path) -> list[str]:
    """The copy in ``path``: a CSV's ``title``/``标题`` and ``text``/``文案`` columns, else one text per line."""
    if path.suffix.lower() == ".csv":
        import csv

        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        columns = [c for c in ("title", "标题", "text", "文案", "copy") if rows and c in rows[0]]
        if not columns:
            raise ValueError(f"{path}: no title, 标题, text or 文案 column")
        return [row[c] for row in rows for c in columns if row.get(c)]
    return [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def _cmd_list(args: argparse.Namespace) -> int:
    from smkit.run import catalog

    for book in catalog.list_playbooks():
        print(f"{book.name}\n    {book.purpose}")
        for p in book.parameters:
            print(f"    {p.name}: {p.type} = {p.default!r}  # {p.help}")
    return 0


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", help="report date folder, YYYY-MM-DD (default today)")
    p.add_argument("--reports", help="reports folder (default reports/)")
    p.add_argument("--store", help="DuckDB store file or lake folder passed to every playbook (default: the default store)")
    p.add_argument("--jobs", type=int, default=1, help="runs at once (separate processes)")
    p.add_argument("--overwrite", action="store_true", help="replace a same-day run with the same label instead of adding -2, -3 ...")
    p.add_argument("--quiet", action="store_true", help="no line when each run starts and ends; only the closing table and the index's path")
    p.add_argument(
        "--fail-at-level",
        type=_alert_level,
        metavar="LEVEL",
        help=(
            "exit 3 when a run reports a warning at LEVEL or more severe, even if another run failed (exit 1); for cron to act on a risk level. "
            "Levels follow the Chinese emergency convention, Ⅰ级 the most severe: Ⅰ (I, 1) 特别重大 red, Ⅱ (II, 2) 重大 orange, "
            "Ⅲ (III, 3) 较大 yellow, Ⅳ (IV, 4) 一般 blue. --fail-at-level II exits 3 at Ⅱ级 or Ⅰ级 "
            "(summary.json's alert_level is the severity, growing with danger: 4 = Ⅰ级 ... 1 = Ⅳ级, 0 none)"
        ),
    )
    p.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        help="what executes the queries: duckdb (in process, the default) or spark (over a lake folder; local[*] unless "
        "SPARK_REMOTE or SMKIT_SPARK_MASTER is set); default $SMKIT_ENGINE or duckdb",
    )
    p.add_argument("--notify", metavar="PLAN", help="response plan (YAML): send new alerts to its channels; exit 4 when a delivery failed")
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        help="report language, zh (Chinese, the playbooks' default) or en (English): sets every playbook's lang parameter "
        "(a schedule entry's lang: wins), and the language of notifications, the index and this command's output",
    )


CRON_EXAMPLE = """examples:
  smkit run reputation_monitor --lang en
  smkit run --all --jobs 2
cron, every hour; mail when the monitor reaches Ⅱ级 (orange) or Ⅰ级 (red):
  0 * * * * cd /path/to/smkit && .venv/bin/smkit run reputation_monitor --overwrite --quiet --fail-at-level II; [ $? -eq 3 ] && mail -s "Lumina 预警 Ⅱ级+" ops@example.com < /dev/null
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smkit", description="Social media operations analytics: ingest exports, run playbooks.")
    parser.add_argument("--version", action="version", version=f"smkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sample", help="write the sample data set (every canonical table and truth.json)")
    p.add_argument("--out", required=True, help="folder to write the CSV files into")
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed, same bytes)")
    p.add_argument("--scale", type=float, default=1.0, help="volume multiplier; 1 is a mid-size brand")
    p.add_argument("--end", default="2026-10-31", help="last day of the 365-day sample")
    p.add_argument(
        "--without",
        nargs="+",
        default=[],
        metavar="EFFECT",
        choices=SampleEffects(),
        help="leave planted effects out, to see what a playbook reports when there is nothing to find",
    )
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("init-store", help="build a store from the sample data (the default store unless --store)")
    p.add_argument("--store", help="DuckDB file (default data/smkit.duckdb or $SMKIT_STORE)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--force", action="store_true", help="rebuild even if the store exists")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_cmd_init_store)

    p = sub.add_parser("ingest", help="load platform exports (CSV, XLSX, Parquet) into the store")
    p.add_argument("files", nargs="+", help="export files; all are loaded in one transaction")
    p.add_argument("--table", required=True, metavar="TABLE", help=f"one of: {', '.join(TABLES)}")
    p.add_argument("--platform", help="platform of exports that do not name it (douyin, 小红书, ...)")
    p.add_argument("--account", help="account of exports that do not name it")
    p.add_argument("--store", help="DuckDB file, or a lake folder (a new lake: end the path with /); default data/smkit.duckdb or $SMKIT_STORE")
    p.add_argument("--tz", default="Asia/Shanghai", help="time zone of times without an offset")
    p.add_argument("--aliases", help="CSV of extra header aliases (alias,column,tables)")
    p.add_argument(
        "--earliest-date",
        default="2000-01-01",
        metavar="YYYY-MM-DD",
        help="dates before this are quarantined as placeholders (default 2000-01-01); lower it to keep older data",
    )
    p.add_argument("--json", action="store_true", help="also print the ingest report as JSON")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("export-lake", help="write every table of a store as hive-partitioned Parquet (table=/month=) into a lake folder")
    p.add_argument("dir", help="lake folder (created; tables already in it are replaced)")
    p.add_argument("--store", help="DuckDB file (default data/smkit.duckdb or $SMKIT_STORE)")
    p.add_argument("--tz", default="Asia/Shanghai", help="time zone whose calendar months partition the tables")
    p.set_defaults(func=_cmd_export_lake)

    p = sub.add_parser(
        "run",
        help="run a playbook (or --all) into reports/<date>/<label>/",
        epilog=CRON_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("playbook", nargs="?", help="notebook name in notebooks/, without .ipynb")
    p.add_argument("--all", action="store_true", help="run every playbook with its defaults")
    p.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), help="set a parameter (repeatable)")
    p.add_argument("--label", help="report folder name (default the playbook's name)")
    _add_run_options(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "schedule",
        help="run the playbooks listed under 'runs:' in a YAML file",
        description="Run the playbooks listed under 'runs:' in a YAML file; each entry has a playbook and optionally a label, lang (zh or en) and parameters.",
        epilog=CRON_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", help="schedule file (YAML)")
    _add_run_options(p)
    p.set_defaults(func=_cmd_schedule)

    p = sub.add_parser("check-copy", help="check titles and copy against the advertising law and platform rules before publishing")
    p.add_argument("file", nargs="?", help="a text file (one piece of copy per line) or a CSV with a title/标题 or text/文案 column")
    p.add_argument("--text", help="check this text instead of a file")
    p.add_argument("--platform", help="apply this platform's rules too (douyin, xiaohongshu, wechat ...); default every platform's")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_check_copy)

    p = sub.add_parser("list", help="list playbooks with their purpose and parameters")
    p.set_defaults(func=_cmd_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


# Commands whose work is all written and closed when they return: the process ends without the
# interpreter's teardown, which frees every object pandas, Arrow and DuckDB made, one by one
# (0.2 s after a million-row ingest, a tenth of DuckDB's own read of the file).
ENDS_WITHOUT_TEARDOWN = ("ingest",)


def console() -> None:
    """The ``smkit`` command: the parsed command run, and its code as the process's exit code."""
    args = build_parser().parse_args()
    if args.command not in ENDS_WITHOUT_TEARDOWN:
        sys.exit(args.func(args))
    ending = {"code": 1}  # an exception that escapes the command ends with 1, as Python's own exit does

    def end_here() -> None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(ending["code"])

    # Registered before the command imports pandas, Arrow and DuckDB, so it runs after the exit
    # handlers they register (handlers registered earlier, at interpreter start, are skipped).
    atexit.register(end_here)
    try:
        ending["code"] = args.func(args)
    except KeyboardInterrupt:
        ending["code"] = 130  # as a shell reports a command stopped by Ctrl-C
        raise
    sys.exit(ending["code"])


if __name__ == "__main__":
    console()
