"""The ``smkit`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from smkit import __version__


def sample_effects() -> tuple[str, ...]:
    from smkit.sample import PLANTED_EFFECTS

    return PLANTED_EFFECTS


def _cmd_sample(args: argparse.Namespace) -> int:
    from smkit import sample

    paths = sample.write(args.out, seed=args.seed, scale=args.scale, end=args.end, without=args.without)
    for name, path in paths.items():
        print(f"{name:15s} {path}")
    return 0


def _cmd_init_store(args: argparse.Namespace) -> int:
    from smkit.data.store import default_store_path, table_counts
    from smkit.sample import build_sample_store

    path = Path(args.store) if args.store else default_store_path()
    if path.exists() and not args.force:
        print(f"store {path} exists; keeping it (use --force to rebuild it from the sample data)")
        return 0
    build_sample_store(path, seed=args.seed, scale=args.scale, quiet=args.quiet)
    counts = table_counts(path)
    print(f"sample store {path}: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
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
        )
    except (IngestError, ValueError) as exc:
        print(f"smkit ingest: {exc}", file=sys.stderr)
        print("smkit ingest: nothing was written; the store is unchanged", file=sys.stderr)
        return 2
    print(report.summary())
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    return 0


def _run_entries(entries: list[dict], args: argparse.Namespace) -> int:
    """Run the entries with the shared options and print the table. Exit 3
    when ``--fail-at-level`` is met (even if another run failed, so cron never
    misses an alert), else 1 if any run failed, else 0."""
    from smkit.run.runner import level_reached, results_table, run_many

    options = {"date": args.date, "reports": args.reports, "store": args.store, "quiet": args.quiet, "overwrite": args.overwrite}
    results = run_many(entries, jobs=args.jobs, **options)
    print(results_table(results))
    failed = [r for r in results if r["status"] != "ok"]
    if failed and args.quiet:
        for r in failed:
            print(f"smkit: {r['playbook']} failed: {r['error']}", file=sys.stderr)
    reached = []
    if args.fail_at_level is not None:
        for label, value in level_reached(results, 0):  # every run that reports a level, met or not
            met = value >= args.fail_at_level
            print(f"smkit: {label} reports alert_level {value} ({'at or above' if met else 'below'} {args.fail_at_level})", file=sys.stderr)
            reached += [label] if met else []
    if reached:
        return 3
    return 1 if failed else 0


def _alert_level(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 4:
        raise argparse.ArgumentTypeError(f"expected a risk level from 1 to 4 (I to IV), got {text!r}")
    return value


def _cmd_run(args: argparse.Namespace) -> int:
    from smkit.run import catalog

    if args.all == bool(args.playbook):
        print("smkit run: name one PLAYBOOK or pass --all", file=sys.stderr)
        return 2
    try:
        if args.all:
            if args.parameter or args.label:
                raise catalog.ParameterError("--all runs every playbook with its defaults; -p and --label need one PLAYBOOK")
            books = catalog.list_playbooks()
            for book in books:  # check every playbook before any kernel starts
                catalog.coerce_parameters(book, {"store": args.store} if args.store else {})
            entries = [{"playbook": book.name} for book in books]
        else:
            params = dict(args.parameter or [])
            book = catalog.find_playbook(args.playbook)
            catalog.coerce_parameters(book, {**params, **({"store": args.store} if args.store else {})})
            entries = [{"playbook": args.playbook, "label": args.label, "parameters": params}]
    except catalog.ParameterError as exc:
        print(f"smkit run: {exc}", file=sys.stderr)
        return 2
    return _run_entries(entries, args)


def _cmd_schedule(args: argparse.Namespace) -> int:
    from smkit.run import catalog, runner

    try:
        entries = runner.load_schedule(args.file)
    except catalog.ParameterError as exc:
        print(f"smkit schedule: {exc}", file=sys.stderr)
        return 2
    return _run_entries(entries, args)


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
    p.add_argument("--store", help="DuckDB store passed to every playbook (default: the default store)")
    p.add_argument("--jobs", type=int, default=1, help="runs at once (separate processes)")
    p.add_argument("--overwrite", action="store_true", help="replace a same-day run with the same label instead of adding -2, -3 ...")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument(
        "--fail-at-level",
        type=_alert_level,
        metavar="N",
        help="exit 3 when a run's summary.json has alert_level N (1 to 4) or higher, even if another run failed (exit 1); for cron to act on a risk level",
    )


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
        choices=sample_effects(),
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
    p.add_argument("--table", required=True, help="posts, account_daily, audience, mentions, campaigns, experiments, community_activity or team")
    p.add_argument("--platform", help="platform of exports that do not name it (douyin, 小红书, ...)")
    p.add_argument("--account", help="account of exports that do not name it")
    p.add_argument("--store", help="DuckDB file (default data/smkit.duckdb or $SMKIT_STORE)")
    p.add_argument("--tz", default="Asia/Shanghai", help="time zone of times without an offset")
    p.add_argument("--aliases", help="CSV of extra header aliases (alias,column,tables)")
    p.add_argument("--json", action="store_true", help="also print the ingest report as JSON")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("run", help="run a playbook (or --all) into reports/<date>/<label>/")
    p.add_argument("playbook", nargs="?", help="notebook name in notebooks/, without .ipynb")
    p.add_argument("--all", action="store_true", help="run every playbook with its defaults")
    p.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), help="set a parameter (repeatable)")
    p.add_argument("--label", help="report folder name (default the playbook's name)")
    _add_run_options(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("schedule", help="run the playbooks listed under 'runs:' in a YAML file")
    p.add_argument("file", help="schedule file (YAML)")
    _add_run_options(p)
    p.set_defaults(func=_cmd_schedule)

    p = sub.add_parser("list", help="list playbooks with their purpose and parameters")
    p.set_defaults(func=_cmd_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
