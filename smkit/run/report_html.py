"""Stakeholder HTML from an executed notebook, and the reports index.

The HTML is one self-contained file: no input cells, no stderr or warnings,
no bare object reprs (``<Figure size ...>``, ``Text(0.5, 1.0, ...)``); those
stay in ``notebook.ipynb``. It opens with a parameters table and a table of
contents and ends with a footer naming the smkit version, commit, run time
and the data's fingerprint.
"""

from __future__ import annotations

import html
import json
import os
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat

from smkit.run.catalog import Manifest, Playbook

STYLE = """
<style>
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif; }
.smkit-meta { max-width: 1100px; margin: 1.5em auto; padding: 0 1em; }
.smkit-meta table { border-collapse: collapse; font-size: 0.9em; }
.smkit-meta td, .smkit-meta th { border: 1px solid #ddd; padding: 3px 10px; text-align: left; }
.smkit-status-failed { background: #fbe3e4; border: 1px solid #c4474d; padding: 0.6em 1em; }
.smkit-toc ul { margin: 0.2em 0; }
footer.smkit-footer { max-width: 1100px; margin: 2em auto; padding: 1em; color: #666; font-size: 0.8em; border-top: 1px solid #ddd; }
</style>
"""
_REPR = re.compile(r"^\s*(<[\w.]+[^>]*>|Text\(.*\)|\[<.*>\]|<Axes.*|Figure\(.*\))\s*$", re.S)


def _clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop the parameters cells and every output a reader should not see."""
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        # papermill's error banners link into the notebook; the report has its own banner
        if {"parameters", "injected-parameters", "remove-cell", "papermill-error-cell-tag"} & set(tags):
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


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^\w\u4e00-\u9fff]+", "-", text.lower()).strip("-") or "section"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _toc(nb: nbformat.NotebookNode) -> tuple[str, dict[str, str]]:
    """A table of contents from the markdown headings (levels 2 and 3)."""
    items, anchors, taken = [], {}, set()
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^(#{2,3})\s+(.*)$", line)
            if m:
                title = m[2].strip()
                slug = _slug(title, taken)
                anchors[title] = slug
                items.append((len(m[1]), title, slug))
    if not items:
        return "", anchors
    parts = ["<nav class='smkit-toc'><strong>Contents</strong><ul>"]
    for level, title, slug in items:
        indent = " style='margin-left:1.5em'" if level == 3 else ""
        parts.append(f"<li{indent}><a href='#{slug}'>{html.escape(title)}</a></li>")
    parts.append("</ul></nav>")
    return "".join(parts), anchors


def _parameters_table(params: dict[str, Any], book: Playbook) -> str:
    rows = []
    for p in book.parameters:
        value = params.get(p.name, p.default)
        shown = value if value != "" else "(default)"
        rows.append(f"<tr><td><code>{html.escape(p.name)}</code></td><td>{html.escape(str(shown))}</td><td>{html.escape(p.help)}</td></tr>")
    return "<table><tr><th>parameter</th><th>value</th><th>meaning</th></tr>" + "".join(rows) + "</table>"


def write_report(notebook: Path, target: Path, book: Playbook, manifest: Manifest) -> None:
    from nbconvert import HTMLExporter

    nb = _clean(nbformat.read(notebook, as_version=4))
    toc, anchors = _toc(nb)
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.anchor_link_text = ""
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": f"{book.name} · smkit"}})
    for title, slug in anchors.items():  # stable, readable anchors for the table of contents
        body = body.replace(f'id="{_nbconvert_id(title)}"', f'id="{slug}"', 1)
    status = ""
    if manifest.status != "ok":
        status = f"<div class='smkit-status-failed'><strong>This run failed.</strong> {html.escape(manifest.error or '')}. The executed notebook.ipynb beside this report shows the failing cell.</div>"
    header = (
        f"{STYLE}<div class='smkit-meta'>{status}<p><strong>{html.escape(book.name)}</strong> · {html.escape(book.purpose)}</p>"
        f"{_parameters_table(manifest.parameters, book)}{toc}</div>"
    )
    footer = (
        f"<footer class='smkit-footer'>smkit {html.escape(manifest.smkit_version)} · commit {html.escape(manifest.commit)} · "
        f"run {html.escape(manifest.start)} ({manifest.duration_seconds:.1f} s) · data fingerprint {html.escape(manifest.fingerprint)} · "
        f"store {html.escape(Path(manifest.store).name)}</footer>"
    )
    body = re.sub(r"(<body[^>]*>)", lambda m: m[1] + header, body, count=1)
    body = body.replace("</body>", footer + "</body>", 1)
    write_atomic(target, sanitize_html(body))


def _nbconvert_id(title: str) -> str:
    """The id nbconvert gives a heading (spaces become hyphens)."""
    return html.escape(title.replace(" ", "-"), quote=True)


def build_index(reports: Path) -> Path:
    """Regenerate ``reports/index.html``: every run by date, newest first."""
    runs = []
    for manifest in reports.glob("*/*/manifest.json"):
        try:
            m = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        runs.append((manifest.parent.parent.name, manifest.parent.name, m))
    runs.sort(key=lambda r: (r[0], r[2].get("start", "")), reverse=True)
    rows = []
    for day, folder, m in runs:
        link = f"{day}/{folder}/report.html"
        colour = "#3A9E6F" if m.get("status") == "ok" else "#C4474D"
        rows.append(
            f"<tr><td>{html.escape(day)}</td><td>{html.escape(m.get('playbook', ''))}</td><td>{html.escape(folder)}</td>"
            f"<td style='color:{colour}'>{html.escape(m.get('status', ''))}</td><td>{m.get('duration_seconds', 0):.1f} s</td>"
            f"<td><a href='{html.escape(link)}'>report</a> · <a href='{html.escape(day)}/{html.escape(folder)}/notebook.ipynb'>notebook</a></td></tr>"
        )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>smkit reports</title>" + STYLE + "</head><body><div class='smkit-meta'>"
        "<h1>smkit reports</h1><table><tr><th>date</th><th>playbook</th><th>label</th><th>status</th><th>duration</th><th>open</th></tr>"
        + "".join(rows)
        + "</table></div></body></html>"
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
