"""Stakeholder HTML from an executed notebook, and the reports index.

The HTML is one self-contained file in the run's language (``zh`` or ``en``):
no input cells, no stderr or warnings, no bare object reprs (``<Figure size
...>``, ``Text(0.5, 1.0, ...)``); those stay in ``notebook.ipynb``. Markdown
cells tagged ``lang-zh`` or ``lang-en`` are kept only in a report of that
language (untagged cells are always kept). The page opens with the
playbook's title and its content (the brief first); the parameters, the
data's fingerprint, the smkit version, commit and run time close it in a
folded appendix, 本报告的生成方式 / "How this report was made", together
with any cell tagged ``appendix``. The page loads nothing from the network:
no script at all, no MathJax, no stylesheet but its own.
"""

from __future__ import annotations

import html
import json
import os
import re
import threading
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat

from smkit import i18n
from smkit.run.catalog import Manifest, Playbook
from smkit.run.messages import HEADLINES, INDEX, REPORT, playbook_name
from smkit.run.parameter_help import help_text

# Chinese pages use a CJK font first; English pages a Latin one (a CJK font draws quotes and dots full width)
FONTS_ZH = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif'
FONTS_EN = '"Helvetica Neue", Arial, "Liberation Sans", "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
STYLE = """
<style>
:root { --jp-content-font-family: FONTS_ZH; --jp-ui-font-family: FONTS_ZH; }
:root:lang(en) { --jp-content-font-family: FONTS_EN; --jp-ui-font-family: FONTS_EN; }
body { font-family: FONTS_ZH; }
body:lang(en) { font-family: FONTS_EN; }
main { max-width: 1100px; margin: 0 auto; }
.smkit-meta { max-width: 1100px; margin: 1.5em auto; padding: 0 1em; }
.smkit-meta table, .smkit-appendix table { border-collapse: collapse; font-size: 0.9em; }
.smkit-meta td, .smkit-meta th, .smkit-appendix td, .smkit-appendix th { border: 1px solid #ddd; padding: 3px 10px; text-align: left; vertical-align: top; }
.smkit-status-failed { background: #fbe3e4; border: 1px solid #c4474d; padding: 0.6em 1em; margin: 1em 0; }
.smkit-appendix { margin: 2.5em 0 1em; padding: 0.8em 1em; border-top: 1px solid #ddd; color: #444; font-size: 0.92em; }
.smkit-appendix > summary { font-size: 1.15em; font-weight: 600; cursor: pointer; }
.smkit-appendix h3 { font-size: 1em; margin: 1.2em 0 0.4em; }
.smkit-index td.smkit-headline { max-width: 34em; }
.smkit-index td.smkit-nowrap { white-space: nowrap; }
.smkit-secondary { color: #888; font-size: 0.85em; }
.smkit-level { display: inline-block; width: 0.75em; height: 0.75em; border-radius: 50%; margin-right: 0.35em; vertical-align: baseline; }
</style>
""".replace("FONTS_ZH", FONTS_ZH).replace("FONTS_EN", FONTS_EN)
_REPR = re.compile(r"^\s*(<[\w.]+[^>]*>|Text\(.*\)|\[<.*>\]|<Axes.*|Figure\(.*\))\s*$", re.S)
_LANG_TAG = re.compile(r"^lang-(\w+)$")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
APPENDIX_TAG = "appendix"

# nbconvert's JupyterLab template without what it fetches from the network
# (require.js, MathJax, Mermaid, the widget manager): a report runs no script.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def _for_language(cell: nbformat.NotebookNode, lang: str) -> bool:
    """False for a cell tagged for another language (``lang-en`` in a ``zh`` report)."""
    langs = {m[1] for tag in cell.get("metadata", {}).get("tags", []) if (m := _LANG_TAG.match(str(tag)))}
    return not langs or lang in langs


def _clean(nb: nbformat.NotebookNode, lang: str = i18n.DEFAULT_LANGUAGE) -> nbformat.NotebookNode:
    """Drop the parameters cells, the cells of the other language and every output a reader should not see."""
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        # papermill's error banners link into the notebook; the report has its own banner
        if {"parameters", "injected-parameters", "remove-cell", "papermill-error-cell-tag"} & set(tags) or not _for_language(cell, lang):
            continue
        if cell.cell_type == "code":
            kept = []
            for out in cell.get("outputs", []):
                if out.output_type == "stream" and out.name == "stderr":
                    continue
                if out.output_type == "error":  # the banner says what failed; the traceback is in notebook.ipynb
                    continue
                if out.output_type in ("execute_result", "display_data"):
                    data = out.get("data", {})
                    if set(data) <= {"text/plain"} and _REPR.match(data.get("text/plain", "")):
                        continue
                kept.append(out)
            cell.outputs = kept
        cells.append(cell)
    nb.cells = cells
    return nb


def _exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"smkit_report.html.j2": _TEMPLATE})],
        template_file="smkit_report.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )


def _main_content(page: str) -> str:
    """What nbconvert puts between ``<main>`` and ``</main>``."""
    m = re.search(r"<main>(.*)</main>", page, re.S)
    return m[1] if m else ""


def _has_title(nb: nbformat.NotebookNode) -> bool:
    first = next((c for c in nb.cells if c.cell_type == "markdown" or c.get("outputs")), None)
    return first is not None and first.cell_type == "markdown" and first.source.lstrip().startswith("# ")


def _parameters_table(params: dict[str, Any], book: Playbook, lang: str) -> str:
    rows = []
    for p in book.parameters:
        given = p.name in params
        value = params[p.name] if given else p.default
        if given:
            shown = html.escape(str(value))
        elif value in ("", None):
            shown = html.escape(REPORT("empty_default", lang))
        else:
            shown = f"{html.escape(str(value))} <span class='smkit-secondary'>{html.escape(REPORT('default', lang))}</span>"
        rows.append(f"<tr><td><code class='smkit-param'>{html.escape(p.name)}</code></td><td>{shown}</td><td>{html.escape(help_text(p.help, lang))}</td></tr>")
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(REPORT(k, lang))}</th>" for k in ("col_parameter", "col_value", "col_meaning"))
    return f"<table class='smkit-parameters'><tr>{head}</tr>{''.join(rows)}</table>"


def _moment(iso: str, lang: str) -> str:
    """A run's start as the reader writes it (2026年12月1日 09:00 / 1 Dec 2026 09:00), with its UTC offset."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    offset = moment.strftime("%z")
    zone = (f"（UTC{offset[:3]}:{offset[3:]}）" if lang == "zh" else f" (UTC{offset[:3]}:{offset[3:]})") if offset else ""
    return f"{i18n.date(moment, lang)} {moment:%H:%M}{zone}"


def _appendix(book: Playbook, manifest: Manifest, lang: str, extra: str) -> str:
    """The folded appendix: parameters, the run record and the cells tagged ``appendix``."""
    t = REPORT
    status = t("status_ok" if manifest.status == "ok" else "status_failed", lang)
    facts = [
        (t("status", lang), status),
        (t("ran_at", lang), t("ran_at_value", lang, start=_moment(manifest.start, lang), seconds=f"{manifest.duration_seconds:.1f}")),
        (t("version", lang), manifest.smkit_version),
        (t("commit", lang), manifest.commit),
        (t("store", lang), Path(manifest.store).name),
        (t("fingerprint", lang), t("unavailable", lang) if manifest.fingerprint == "unavailable" else manifest.fingerprint),
    ]
    record = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in facts)
    intro = t("appendix_intro", lang, notebook=f"{book.name}.ipynb")
    return (
        f"<details class='smkit-appendix'><summary>{html.escape(t('appendix', lang))}</summary>"
        f"<p>{html.escape(intro)}</p>{_parameters_table(manifest.parameters, book, lang)}"
        f"<h3>{html.escape(t('run_facts', lang))}</h3><table>{record}</table><p>{html.escape(t('fingerprint_note', lang))}</p>"
        f"{extra}</details>"
    )


def write_report(notebook: Path, target: Path, book: Playbook, manifest: Manifest) -> None:
    lang = manifest.lang if manifest.lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    nb = _clean(nbformat.read(notebook, as_version=4), lang)
    appendix_cells = [c for c in nb.cells if APPENDIX_TAG in c.get("metadata", {}).get("tags", [])]
    nb.cells = [c for c in nb.cells if c not in appendix_cells]
    name = playbook_name(book.name, lang)
    ran = bool(nb.cells)  # a run that never started (a busy store) has no notebook to point to
    if not _has_title(nb):
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {name}"))
    exporter = _exporter()
    exporter.language_code = lang
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": f"{name} · smkit"}})
    extra = ""
    if appendix_cells:
        more = nbformat.v4.new_notebook(cells=appendix_cells, metadata=nb.metadata)
        extra = _main_content(exporter.from_notebook_node(more)[0])
    banner = ""
    if manifest.status != "ok":
        error = html.escape(REPORT("failed_error", lang, error=manifest.error or "")) if manifest.error else ""
        where = html.escape(REPORT("failed_where", lang)) if ran else ""
        banner = f"<div class='smkit-status-failed'><strong>{html.escape(REPORT('failed', lang))}</strong> {where}<br>{error}</div>"
    body = body.replace('<html lang="zh">', '<html lang="zh-CN">', 1)
    head, sep, rest = body.partition("</head>")
    body = _CSS_COMMENT.sub("", head) + sep + rest  # JupyterLab's stylesheets carry comments (and URLs) a report does not need
    body = body.replace("</head>", STYLE + "</head>", 1)
    body = re.sub(r"(<main>)", lambda m: m[1] + banner, body, count=1)
    body = body.replace("</main>", _appendix(book, manifest, lang, extra) + "</main>", 1)
    write_atomic(target, sanitize_html(body))


# ---------------------------------------------------------------- the index page


def _get(data: Any, *keys: Any) -> Any:
    """``data[k1][k2]...`` or None when any step is missing."""
    for key in keys:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and -len(data) <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value else None


def _headline_data_overview(s: dict, lang: str) -> str:
    posts, views = _number(s.get("posts_in_window")), _number(s.get("views_in_window"))
    if posts is None:
        return ""
    start, end = _get(s, "window", "start"), _get(s, "window", "end")
    values = {"posts": i18n.count(posts, lang), "views": i18n.count(views, lang)}
    try:
        short = str(start)[:4] == str(end)[:4]  # 10月4日至2026年10月31日: the year once
        return HEADLINES("data_overview", lang, start=i18n.date(str(start), lang, short=short), end=i18n.date(str(end), lang), **values)
    except (TypeError, ValueError):
        return HEADLINES("data_overview_no_window", lang, **values)


def _headline_market(s: dict, lang: str) -> str:
    parts = []
    brand, share = s.get("brand"), _number(_get(s, "share_of_voice", s.get("brand")))
    if brand and share is not None:
        parts.append(HEADLINES("market_share", lang, brand=brand, share=i18n.percent(share)))
    primary = _get(s, "recommended", "primary")
    if isinstance(primary, str) and primary:
        parts.append(HEADLINES("market_primary", lang, platform=i18n.platform(primary, lang)))
    return HEADLINES("separator", lang).join(parts)


def _headline_personas(s: dict, lang: str) -> str:
    personas = [p for p in s.get("personas") or [] if isinstance(p, dict)]
    if s.get("has_structure") is False or not personas:
        return HEADLINES("personas_none", lang) if "has_structure" in s else ""
    largest = max(personas, key=lambda p: _number(p.get("share")) or 0)
    name = (largest.get("name_zh") if lang == "zh" else None) or largest.get("name") or ""
    k = s.get("k") if isinstance(s.get("k"), int) else len(personas)
    return HEADLINES("personas", lang, k=k, name=name, share=i18n.percent(_number(largest.get("share"))))


def _headline_content(s: dict, lang: str) -> str:
    parts = []
    # a format that surely beats the platform's usual one (interval above 1); "other" is no format to plan with
    effects = [e for e in s.get("type_effects") or [] if isinstance(e, dict) and (_number(e.get("ci_low")) or 0) > 1 and e.get("content_type") != "other"]
    if effects:
        best = max(effects, key=lambda e: _number(e.get("rate_ratio")) or 0)
        parts.append(
            HEADLINES(
                "content_best",
                lang,
                platform=i18n.platform(str(best.get("platform")), lang),
                content_type=i18n.content_type(str(best.get("content_type")), lang),
                ratio=f"{_number(best.get('rate_ratio')):.2f}",
            )
        )
    rows = _number(s.get("calendar_rows"))
    if rows:
        parts.append(HEADLINES("content_plan", lang, rows=i18n.count(rows, lang)))
    return HEADLINES("separator", lang).join(parts)


_DECISIONS = {"ship": "ab_ship", "do not ship": "ab_do_not_ship", "keep running": "ab_keep_running"}


def _headline_ab(s: dict, lang: str) -> str:
    parts = []
    for variant, d in (s.get("decision") or {}).items():
        decision = d.get("decision") if isinstance(d, dict) else d
        if not isinstance(decision, str):
            continue
        word = HEADLINES(_DECISIONS[decision], lang) if decision in _DECISIONS else decision
        parts.append(HEADLINES("ab_decision", lang, variant=variant, decision=word))
    head = HEADLINES("separator", lang).join(parts)
    return f"{s['experiment_id']} · {head}" if head and isinstance(s.get("experiment_id"), str) else head


def _kpis_on_target(kpis: Any, target_key: str) -> tuple[int, int]:
    rows = [r for r in (kpis or {}).values() if isinstance(r, dict) and _number(r.get(target_key)) is not None] if isinstance(kpis, dict) else []
    met = sum((_number(r.get("attainment")) or 0) >= 1 for r in rows)
    return met, len(rows)


def _headline_campaign(s: dict, lang: str) -> str:
    parts = []
    met, total = _kpis_on_target(s.get("kpis"), "target")
    if total:
        parts.append(HEADLINES("kpis_on_target", lang, met=met, total=total))
    for metric in ("views", "engagements"):
        lift = _number(_get(s, "lift", metric, "relative"))
        if lift is not None:
            parts.append(HEADLINES("campaign_lift", lang, metric=HEADLINES(f"metric_{metric}", lang), lift=i18n.percent(lift, signed=True)))
            break
    head = HEADLINES("separator", lang).join(parts)
    return f"{s['campaign_id']} · {head}" if head and isinstance(s.get("campaign_id"), str) else head


def _headline_ops(s: dict, lang: str) -> str:
    met, total = _kpis_on_target(s.get("kpis"), "goal")
    return HEADLINES("kpis_on_target", lang, met=met, total=total) if total else ""


def _headline_monitor(s: dict, lang: str) -> str:
    level = s.get("alert_level")
    if not isinstance(level, int) or isinstance(level, bool):
        return ""
    if level not in i18n.LEVEL_COLOURS:
        return HEADLINES("monitor_none", lang)
    return HEADLINES("monitor_level", lang, level=i18n.level_name(level, lang))


def _headline_kol(s: dict, lang: str) -> str:
    budget, engagements = _number(s.get("budget")), _number(s.get("expected_engagements"))
    if budget is None or engagements is None:
        return ""
    return HEADLINES(
        "kol_shortlist",
        lang,
        budget=i18n.money(budget, lang),
        n=int(s.get("n_shortlisted") or 0),
        engagements=i18n.count(round(engagements), lang),
        suspicious=int(s.get("n_suspicious") or 0),
    )


def _headline_community(s: dict, lang: str) -> str:
    active, at_risk = _number(s.get("active_members")), _number(s.get("at_risk"))
    if active is None or at_risk is None:
        return ""
    return HEADLINES("community", lang, active=i18n.count(active, lang), at_risk=i18n.count(at_risk, lang))


def _headline_pacing(s: dict, lang: str) -> str:
    elapsed, total = _number(s.get("days_elapsed")), _number(s.get("days_total"))
    metrics = s.get("metrics") if isinstance(s.get("metrics"), dict) else {}
    targets = sum(1 for r in metrics.values() if isinstance(r, dict) and _number(r.get("target")) is not None)
    if elapsed is None or total is None:
        return ""
    at_risk = len(s.get("pacing_alerts") or []) if isinstance(s.get("pacing_alerts"), list) else 0
    head = HEADLINES("pacing", lang, elapsed=int(elapsed), total=int(total), at_risk=at_risk, targets=targets)
    return f"{s['campaign_id']} · {head}" if isinstance(s.get("campaign_id"), str) else head


HEADLINE: dict[str, Callable[[dict, str], str]] = {
    "data_overview": _headline_data_overview,
    "market_analysis": _headline_market,
    "personas": _headline_personas,
    "content_performance": _headline_content,
    "ab_test": _headline_ab,
    "campaign_postmortem": _headline_campaign,
    "campaign_pacing": _headline_pacing,
    "reputation_monitor": _headline_monitor,
    "ops_review": _headline_ops,
    "kol_selection": _headline_kol,
    "community": _headline_community,
}


def headline(playbook: str, summary: dict, lang: str) -> str:
    """One line for the index: the figure a reader of this playbook looks for
    first, read from its ``summary.json``; empty when the summary lacks it."""
    make = HEADLINE.get(playbook)
    if make is None or not isinstance(summary, dict):
        return ""
    try:
        return make(summary, lang)
    except Exception:  # an older or partial summary: the index still lists the run
        return ""


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _day(folder: str, lang: str) -> str:
    """A date folder's name as the reader writes the date (2026年12月1日 / 1 Dec 2026)."""
    try:
        return i18n.date(folder, lang)
    except ValueError:
        return folder


def build_index(reports: Path, lang: str | None = None) -> Path:
    """Regenerate ``reports/index.html``: every run by date, newest first, its
    name and headline figure in ``lang`` (default: the newest run's language)."""
    runs = []
    for manifest in reports.glob("*/*/manifest.json"):
        m = _read_json(manifest)
        if m:
            runs.append((manifest.parent.parent.name, manifest.parent.name, m))
    runs.sort(key=lambda r: (r[0], str(r[2].get("start", ""))), reverse=True)
    if lang not in i18n.LANGUAGES:
        lang = next((r[2].get("lang") for r in runs if r[2].get("lang") in i18n.LANGUAGES), i18n.DEFAULT_LANGUAGE)
    t = INDEX
    rows = []
    for day, folder, m in runs:
        book = str(m.get("playbook", ""))
        ok = m.get("status") == "ok"
        base = f"{html.escape(day)}/{html.escape(folder)}"
        name = html.escape(playbook_name(book, lang))
        extras = []
        if folder != book:
            extras.append(t("label", lang, label=folder))
        run_lang = m.get("lang")
        if run_lang in i18n.LANGUAGES and run_lang != lang:
            extras.append(t("in_english" if run_lang == "en" else "in_chinese", lang))
        extra = f" <span class='smkit-secondary'>{html.escape(' · '.join(extras))}</span>" if extras else ""
        summary = _read_json(Path(reports, day, folder, "summary.json")) if ok else {}
        line = html.escape(headline(book, summary, lang)) if ok else html.escape(str(m.get("error") or ""))[:300]
        level = summary.get("alert_level") if book == "reputation_monitor" else None
        if isinstance(level, int) and level in i18n.LEVEL_COLOURS:
            line = f"<span class='smkit-level' style='background:{i18n.LEVEL_COLOURS[level]}'></span>{line}"
        colour = "#3A9E6F" if ok else "#C4474D"
        seconds = m.get("duration_seconds") if isinstance(m.get("duration_seconds"), (int, float)) else 0
        rows.append(
            f"<tr><td class='smkit-nowrap'>{html.escape(_day(day, lang))}</td><td><a href='{base}/report.html'>{name}</a>{extra}</td>"
            f"<td class='smkit-headline'>{line}</td><td class='smkit-nowrap' style='color:{colour}'>{html.escape(t('ok' if ok else 'failed', lang))}</td>"
            f"<td class='smkit-nowrap'>{html.escape(t('seconds', lang, seconds=f'{seconds:.1f}'))}</td>"
            f"<td class='smkit-secondary'><a href='{base}/notebook.ipynb'>{html.escape(t('notebook', lang))}</a></td></tr>"
        )
    head = "".join(f"<th>{html.escape(t(k, lang))}</th>" for k in ("col_date", "col_report", "col_headline", "col_status", "col_duration", "col_notebook"))
    table = f"<table><tr>{head}</tr>{''.join(rows)}</table>" if rows else f"<p>{html.escape(t('none', lang))}</p>"
    page = (
        f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1.0'><title>{html.escape(t('title', lang))}</title>{STYLE}</head>"
        f"<body><div class='smkit-meta smkit-index'><h1>{html.escape(t('title', lang))}</h1><p>{html.escape(t('intro', lang))}</p>{table}</div></body></html>"
    )
    target = reports / "index.html"
    write_atomic(target, page)
    return target


def write_atomic(target: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``target`` and move it into
    place: a reader sees the old file or the new one, never an empty or torn one."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# The allow-list applied to every report, whatever a table or a chart title
# lets through: a report is a static page and runs no script at all.
_DROP_WITH_CONTENT = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "portal", "template"}
_DROP_TAG = {"base", "form", "input", "button", "textarea", "select", "option", "animate", "set", "animatetransform", "animatemotion"}
_URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "background", "poster", "data", "cite", "srcset", "lowsrc", "dynsrc", "ping"}
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|data|file):", re.I)
_SAFE_IMAGE = re.compile(r"^data:image/(?:png|jpeg|jpg|gif|webp|svg\+xml)[;,]", re.I)
_BAD_STYLE = re.compile(r"expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:", re.I)
_BLANKS = re.compile(r"[\x00-\x20\x7f]+")


class _Sanitiser(HTMLParser):
    """Copies a page through, token by token, leaving out what could run.
    Tags that need no change are copied byte for byte."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skipping: list[str] = []  # open elements dropped with their content

    def _allowed(self, tag: str, attrs: list[tuple[str, str | None]]) -> tuple[bool, list[tuple[str, str | None]]]:
        kept = []
        for key, value in attrs:
            key = key.lower()
            text = value or ""
            squeezed = _BLANKS.sub("", text)
            if key.startswith("on") or key in ("srcdoc", "formaction") or (key == "style" and _BAD_STYLE.search(text)):
                continue
            if key in _URL_ATTRIBUTES and _BAD_SCHEME.match(squeezed) and not (tag == "img" and key == "src" and _SAFE_IMAGE.match(squeezed)):
                continue
            kept.append((key, value))
        if tag == "img" and not _SAFE_IMAGE.match(_BLANKS.sub("", dict(kept).get("src") or "")):
            return False, kept  # a report embeds its figures; an image from elsewhere is a beacon or an attack
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            return False, kept
        if tag == "link" and "stylesheet" not in (dict(attrs).get("rel") or "").lower().split():
            return False, kept
        return True, kept

    def _tag(self, tag: str, attrs, close: bool) -> None:
        if self.skipping:
            if tag in _DROP_WITH_CONTENT and not close:
                self.skipping.append(tag)
            return
        if tag in _DROP_WITH_CONTENT:
            if not close:
                self.skipping.append(tag)
            return
        if tag in _DROP_TAG:
            return
        ok, kept = self._allowed(tag, attrs)
        if not ok:
            return
        if len(kept) == len(attrs):
            self.out.append(self.get_starttag_text() or "")
            return
        body = "".join(f" {k}" if v is None else f' {k}="{html.escape(v, quote=True)}"' for k, v in kept)
        self.out.append(f"<{tag}{body}{' /' if close else ''}>")

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs, close=False)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs, close=True)

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _DROP_WITH_CONTENT or tag in _DROP_TAG:
            return
        self.out.append(f"</{tag}>")

    def _text(self, text: str) -> None:
        if not self.skipping:
            self.out.append(text)

    def handle_data(self, data):
        self._text(data)

    def handle_entityref(self, name):
        self._text(f"&{name};")

    def handle_charref(self, name):
        self._text(f"&#{name};")

    def handle_comment(self, data):
        self._text(f"<!--{data}-->")

    def handle_decl(self, decl):
        self._text(f"<!{decl}>")

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass


def sanitize_html(page: str) -> str:
    """``page`` with everything that could run removed: script, frame, object,
    embed and form elements, every ``on*`` event-handler attribute,
    ``javascript:``/``vbscript:``/``data:`` URLs (figures embedded as
    ``data:image/...`` excepted), ``srcdoc``, CSS ``expression()``, refresh
    meta tags, and images that load from anywhere but the report itself.
    Everything else, escaped text included, is copied unchanged."""
    parser = _Sanitiser()
    parser.feed(page)
    parser.close()
    return "".join(parser.out)
