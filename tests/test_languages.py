"""Every playbook's report in Chinese and in English, as its reader sees it (issue 18).

Every playbook runs once in each language on the small sample store with
two hostile post titles added (``smkit run --all --jobs 2 --lang zh|en``). In Chinese, at least 90% of the
prose blocks (headings, paragraphs, list items, table headers, captions) of
every report hold Chinese and no English category code appears; in English no
Chinese character appears outside the data (titles, texts, names from the
store, parameter values). No report loads anything from the network, and the
first screen after the title is the brief, not parameters. The planted Weibo
crisis (severity 3, Ⅱ级) exits 3 at ``--fail-at-level II`` and not at ``I``.
A post title that is a script shows as text wherever a report lists it.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import nbformat
import pandas as pd
import pytest
from conftest import NOW, write_csv

from smkit import i18n
from smkit.data.ingest import ingest
from smkit.run import catalog

# one worker holds the module (its session fixtures, see conftest, are the suite's longest runs)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("languages")]

PLAYBOOKS = (
    "data_overview",
    "market_analysis",
    "personas",
    "content_performance",
    "ab_test",
    "campaign_postmortem",
    "campaign_pacing",
    "reputation_monitor",
    "ops_review",
    "kol_selection",
    "community",
)
DAY = "2026-12-01"
LEVEL_AT = {"zh": "II", "en": "I"}  # the zh run must exit 3 on the planted Ⅱ级 crisis, the en run must not

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LETTERS = re.compile(r"[A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
# a code: lower-case words joined by underscores (image_text, p_value), not a file name (summary.json)
SNAKE = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-]|\.(?:csv|json|ipynb|joblib|duckdb|html|ics|xlsx|parquet|yml|yaml)\b)")
# codes that are not snake case, or that must never show whatever their spelling
CODES = (
    "image_text",
    "behind_scenes",
    "product_launch",
    "user_story",
    "customer_service",
    "civil_servant",
    "self_employed",
    "home_decor",
    "wechat_channels",
    "p_value",
    "p_holm",
    "negative_share",
    "net_sentiment",
    "share_of_voice",
    "rate_ratio",
    "ci_low",
    "ci_high",
    "cpa_low",
    "cpa_high",
    "differs_from_best",
    "followers_gained",
    "engagement_rate",
    "reply_hours",
    "watch_seconds",
    "clicks/impressions",
    "under-performs",
    "over-performs",
    "do not ship",
    "keep running",
    "no_effect",
    "sample_ratio",
    "seasonal_robust_z",
)
DATA_COLUMNS = {
    "posts": ("title", "text", "account", "creator", "post_id", "campaign_id"),
    "mentions": ("text", "author", "brand", "mention_id"),
    "campaigns": ("name", "campaign_id"),
    "account_daily": ("account",),
    "team": ("owner", "account", "post_id"),
    "experiments": ("experiment_id", "variant"),
    "creators": ("creator", "category", "top_region"),
    "community_activity": ("user_id",),
    "events": ("event_id", "name"),
    "point_redemptions": ("reward",),
    "feedback": ("feedback_id", "category", "text"),
}
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "th", "caption", "summary"}


class Page(HTMLParser):
    """A report as its reader sees it: the visible text, its prose blocks, and what it would load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, class)
        self.parts: list[str] = []  # every visible text, in order
        self.code_parts: list[str] = []  # the same, without the parameters table and <code> elements
        self.code_elements: list[str] = []  # the text of each <code> element outside the parameters table
        self.blocks: list[tuple[str, str]] = []
        self.open_blocks: list[tuple[str, list[str]]] = []
        self.loads: list[tuple[str, str, str]] = []  # (tag, attribute, value) of script and link elements
        self.styles: list[str] = []
        self.title = ""
        self.after_title = -1  # characters of visible text before the end of the first h1

    def _inside(self, tag: str, cls: str | None = None) -> bool:
        return any(t == tag and (cls is None or cls in c.split()) for t, c in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "link"):
            for key in ("src", "href"):
                if attrs.get(key):
                    self.loads.append((tag, key, attrs[key]))
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        self.stack.append((tag, attrs.get("class") or ""))
        if tag in BLOCKS:
            self.open_blocks.append((tag, []))

    def handle_endtag(self, tag):
        if not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            top, _ = self.stack.pop()
            if top in BLOCKS and self.open_blocks and self.open_blocks[-1][0] == top:
                name, texts = self.open_blocks.pop()
                self.blocks.append((name, " ".join("".join(texts).split())))
            if top == "h1" and self.after_title < 0:
                self.after_title = len(" ".join(self.parts))
            if top == tag:
                break
        self.parts.append(" ")

    def handle_data(self, data):
        if self._inside("style") or self._inside("script"):
            if self._inside("style"):
                self.styles.append(data)
            return
        if self._inside("title"):
            self.title += data
            return
        if not self._inside("body"):
            return
        self.parts.append(data)
        if self._inside("table", "smkit-parameters"):
            pass
        elif self._inside("code"):
            self.code_elements.append(data)
        else:
            self.code_parts.append(data)
        for _, texts in self.open_blocks:
            texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())

    @property
    def code_text(self) -> str:
        return " ".join(" ".join(self.code_parts).split())

    def first_screen(self, chars: int = 1500) -> str:
        start = max(self.after_title, 0)
        return " ".join(" ".join(self.parts)[start:].split())[:chars]


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


# ---------------------------------------------------------------- the runs


@pytest.fixture(scope="session")
def store(sample_store, tmp_path_factory) -> Path:
    """The sample store and two Douyin posts whose titles are scripts, one of them in the autumn campaign."""
    root = tmp_path_factory.mktemp("hostile")
    path = root / "s.duckdb"
    shutil.copy(sample_store, path)
    hostile = write_csv(
        root / "h.csv",
        [
            "作品名称,发布时间,播放量,点赞量,活动ID",
            "<script>alert('x')</script>,2026-10-30 12:00,99999999,1,",
            "<script>alert('campaign')</script>,2026-09-10 12:00,99999999,1,CMP-AUTUMN-DOUYIN",
        ],
    )
    ingest([hostile], "posts", store=path, platform="douyin", account="Lumina", now=NOW)
    return path


@pytest.fixture(scope="session")
def runs(store, tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """``smkit run --all --jobs 2`` once per language; the zh run with ``--fail-at-level II``, the en run with ``I``."""
    root = tmp_path_factory.mktemp("languages")
    out = {}
    for lang in ("zh", "en"):
        reports = root / lang
        command = ["run", "--all", "--jobs", "2", "--lang", lang, "--store", str(store), "--reports", str(reports), "--date", DAY]
        proc = subprocess.run(
            [sys.executable, "-m", "smkit.run.cli", *command, "--fail-at-level", LEVEL_AT[lang]], capture_output=True, text=True, timeout=3600
        )
        out[lang] = (reports, proc)
    return out


def folder(runs, lang: str, playbook: str) -> Path:
    return runs[lang][0] / DAY / playbook


def report(runs, lang: str, playbook: str) -> Path:
    path = folder(runs, lang, playbook) / "report.html"
    if not path.is_file():
        pytest.fail(f"{playbook} ({lang}) left no report.html; smkit said:\n{runs[lang][1].stdout[-3000:]}\n{runs[lang][1].stderr[-3000:]}")
    return path


@pytest.fixture(scope="session")
def data_strings(store) -> list[str]:
    """The store's data a report shows as it is (titles, texts, names, ids) and the parameters' values, longest first."""
    found: set[str] = set()
    with duckdb.connect(str(store), read_only=True) as con:
        for table, columns in DATA_COLUMNS.items():
            for column in columns:
                found.update(str(v) for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL').fetchall())
    for book in catalog.list_playbooks():
        for p in book.parameters:
            found.update(part.strip() for part in re.split(r"[,;:]", str(p.default)) if part.strip())
            found.add(str(p.default))
    found.add(Path(store).name)
    return sorted((s for s in found if len(s) >= 2), key=len, reverse=True)


def without_data(text: str, data: list[str]) -> str:
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return text


@functools.cache
def smkit_chinese_words() -> frozenset[str]:
    """Chinese smkit itself writes: every platform, content type and level name, and every
    phrase of five characters or more of every catalog; never data, even when a text holds it too."""
    import importlib
    import pkgutil

    import smkit

    words: set[str] = set()
    names = list(i18n.PLATFORMS["zh"].values()) + list(i18n.CONTENT_TYPES["zh"].values()) + [i18n.level_name(s) for s in (1, 2, 3, 4)]
    for name in names:
        words.update(CJK_RUN.findall(name))
    templates = list(i18n.MESSAGES["zh"].values())
    for info in pkgutil.walk_packages(smkit.__path__, "smkit."):
        if info.name.rpartition(".")[2] in ("messages", "i18n"):
            for value in vars(importlib.import_module(info.name)).values():
                if isinstance(value, i18n.Catalog):
                    templates += list(value.messages["zh"].values())
    for template in templates:  # phrases: a short word (曝光) may also be a word of the data
        words.update(w for w in CJK_RUN.findall(template) if len(w) >= 5)
    return frozenset(words)


# ---------------------------------------------------------------- the runs themselves


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_playbook_runs_in_both_languages(runs, lang):
    reports, proc = runs[lang]
    failed = {}
    for playbook in PLAYBOOKS:
        manifest = folder(runs, lang, playbook) / "manifest.json"
        m = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {"status": "missing", "error": proc.stderr[-500:]}
        if m.get("status") != "ok" or m.get("lang") != lang:
            failed[playbook] = (m.get("status"), m.get("lang"), m.get("error"))
    assert not failed, failed
    assert proc.stdout.splitlines()[-1].endswith(str(reports / "index.html"))  # the last line names the index
    assert "cell/s" not in proc.stderr and "Executing:" not in proc.stderr  # no progress bars
    started = [ln for ln in proc.stderr.splitlines() if ln.startswith("▶")]
    ended = [ln for ln in proc.stderr.splitlines() if ln.startswith(("✓", "✗"))]
    assert len(started) == len(ended) == len(PLAYBOOKS), proc.stderr[-2000:]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_titles_show_as_text_and_no_report_leaks_python_output(runs, lang, sample_store):
    for playbook in PLAYBOOKS:
        page = report(runs, lang, playbook).read_text(encoding="utf-8")
        assert "<script>alert(" not in page, playbook
        for noise in ("Warning", "Traceback", "<Figure size", "Text(0.5", "<Axes"):
            assert noise not in page, (playbook, noise)
    overview = report(runs, lang, "data_overview").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in overview or "&lt;script&gt;alert('x')&lt;/script&gt;" in overview
    summary = json.loads((folder(runs, lang, "data_overview") / "summary.json").read_text())
    assert summary["tables"]["posts"] == len(pd.read_csv(sample_store.parent / "sample" / "posts.csv")) + 2  # the sample and the two hostile posts
    assert "&lt;script&gt;alert(" in report(runs, lang, "campaign_postmortem").read_text(encoding="utf-8")  # the top campaign post, as text
    ab = json.loads((folder(runs, lang, "ab_test") / "summary.json").read_text())
    assert ab["experiment_id"] == "EXP-TITLE-02" and ab["decision"]["treatment"]["decision"] != "ship"
    assert {r["metric"] for r in ab["results"]} == {"clicks/impressions", "watch_seconds", "converted", "hides"}


def test_the_planted_crisis_exits_3_at_level_ii_and_not_at_level_i(runs):
    zh, en = runs["zh"][1], runs["en"][1]
    assert zh.returncode == 3, zh.stderr[-2000:]
    assert en.returncode != 3, en.stderr[-2000:]
    assert "reputation_monitor reports alert_level 3 (Ⅱ级" in zh.stderr and "reaches --fail-at-level Ⅱ级" in zh.stderr
    assert "does not reach --fail-at-level Ⅰ级" in en.stderr
    for lang, name in (("zh", "Ⅱ级 重大（橙色）"), ("en", "Level II (orange, major)")):
        summary = json.loads((folder(runs, lang, "reputation_monitor") / "summary.json").read_text(encoding="utf-8"))
        assert summary["alert_level"] == 3
        assert name in report(runs, lang, "reputation_monitor").read_text(encoding="utf-8")


@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_numbers_do_not_depend_on_the_language(runs, playbook):
    def numbers(value, path=""):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from numbers(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from numbers(v, f"{path}[{i}]")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield path, value

    zh, en = (dict(numbers(json.loads((folder(runs, lang, playbook) / "summary.json").read_text(encoding="utf-8")))) for lang in ("zh", "en"))
    assert zh.keys() == en.keys()
    differ = {k: (zh[k], en[k]) for k in zh if not math.isclose(zh[k], en[k], rel_tol=1e-9, abs_tol=1e-12)}
    assert not differ, differ


# ---------------------------------------------------------------- what a reader sees


@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_chinese_reports_are_written_in_chinese(runs, playbook, data_strings):
    page = read_page(report(runs, "zh", playbook))
    haystack = "\n".join(data_strings)
    prose, english = 0, []
    for tag, text in page.blocks:
        rest = without_data(text, data_strings).replace("…", " ")
        if not LETTERS.search(rest) or (not CJK.search(rest) and rest.strip(" .,:;()·-") in haystack):
            continue  # numbers, dates or data only: not prose
        prose += 1
        if not CJK.search(rest):
            english.append(f"<{tag}> {text[:90]}")
    assert prose and len(english) <= 0.1 * prose, f"{len(english)} of {prose} prose blocks without Chinese:\n" + "\n".join(english[:40])


def identifiers(run: Path) -> set[str]:
    """Names a reader may be pointed to as code (``min_factors``, ``alert_level``): every
    playbook parameter and every key of the run's summary.json and alerts.json."""
    names = {p.name for book in catalog.list_playbooks() for p in book.parameters}

    def keys(value):
        if isinstance(value, dict):
            for k, v in value.items():
                names.add(str(k))
                keys(v)
        elif isinstance(value, list):
            for v in value:
                keys(v)

    for name in ("summary.json", "alerts.json"):
        if (run / name).is_file():
            keys(json.loads((run / name).read_text(encoding="utf-8")))
    return names


@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_chinese_reports_show_no_code(runs, playbook):
    """No category code (image_text, customer_service, p_value ...) in a Chinese report; a
    parameter or summary.json key shown as code (``min_factors``) is a name to type, not a category."""
    page = read_page(report(runs, "zh", playbook))
    allowed = identifiers(folder(runs, "zh", playbook))
    text = " ".join([page.code_text] + [c for c in page.code_elements if c.strip() not in allowed])
    codes = sorted({c for c in CODES if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)} | set(SNAKE.findall(text)))
    assert not codes, codes


@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_english_reports_hold_no_chinese_outside_the_data(runs, playbook, data_strings):
    page = read_page(report(runs, "en", playbook))
    haystack = "\n".join(data_strings)
    own = smkit_chinese_words()
    found = []
    for where, text in (("title", page.title), ("body", page.text)):
        rest = without_data(text, data_strings)
        for m in CJK_RUN.finditer(rest):
            run = m[0]
            if run in haystack and run not in own:
                continue  # a truncated title or text
            found.append(f"{where}: …{rest[max(0, m.start() - 40) : m.end() + 40]}…")
    assert not found, "\n".join(found[:30])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_reports_load_nothing_from_the_network(runs, playbook, lang):
    page = read_page(report(runs, lang, playbook))
    remote = [load for load in page.loads if re.match(r"\s*(https?:)?//", load[2], re.I)]
    assert not remote, remote
    css = "\n".join(page.styles)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(https?:)?//", css, re.I)


def brief_text(notebook: Path) -> str:
    """The text the notebook's brief cell (the one calling ``brief(``) displayed."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(r"\bbrief\(", cell.source):
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                for mime in ("text/markdown", "text/html", "text/plain"):
                    if mime in data:
                        return html.unescape(re.sub(r"<[^>]+>", " ", data[mime]))
    return ""


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_the_first_screen_is_the_brief_not_parameters(runs, playbook, lang):
    page = read_page(report(runs, lang, playbook))
    screen = page.first_screen()
    assert page.after_title >= 0, "no title"
    brief = brief_text(folder(runs, lang, playbook) / "notebook.ipynb")
    assert _letters(brief), "no cell shows report.brief(...)"
    assert _letters(brief)[:40] in _letters(screen), f"the brief is not on the first screen:\n{screen[:600]}"
    book = catalog.find_playbook(playbook)
    appendix = {"zh": "本报告的生成方式", "en": "How this report was made"}[lang]
    leaks = [p.help for p in book.parameters if len(p.help) > 15 and p.help in screen] + [
        w for w in (appendix, "(default)", "fingerprint", "数据指纹") if w in screen
    ]
    assert not leaks, leaks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_index_names_each_run_in_the_language_and_links_its_report(runs, lang):
    reports, _ = runs[lang]
    page = (reports / "index.html").read_text(encoding="utf-8")
    from smkit.run.messages import playbook_name

    for playbook in PLAYBOOKS:
        link = f"<a href='{DAY}/{playbook}/report.html'>{playbook_name(playbook, lang)}</a>"
        assert link in page, playbook
    assert ("最高预警：Ⅱ级 重大（橙色）" if lang == "zh" else "highest warning: Level II (orange, major)") in page
