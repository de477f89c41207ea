"""The playbooks on disk and the records of their runs.

A playbook is a notebook whose first markdown line says what it is for and
whose one ``parameters`` cell lists ``name: type = literal  # help`` lines.
This module reads them and checks given parameters against them before any
kernel starts; :class:`Manifest` is what a run leaves beside its report.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smkit import paths
from smkit.i18n import LANGUAGES
from smkit.params import LocalizedError, parse_date, parse_path

# Parameters that are paths: given relative, they are taken from where the user
# stands, not from the folder the kernel runs in.
PATH_PARAMETERS = ("store", "data", "goals", "facts")

_PARAM_LINE = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>[\w\[\], ]+?)\s*=\s*(?P<value>.+?)\s*(?:#\s*(?P<help>.*))?$")
_TYPES = {"str": str, "int": int, "float": float, "bool": bool}
_KIND_ZH = {"str": "文本", "int": "整数", "float": "数字", "bool": "布尔值（true 或 false）"}


class ParameterError(LocalizedError):
    """Parameters that do not fit the playbook; raised before any kernel starts.
    The command line prints the Chinese message (``zh``) when the run's language is zh."""


class NotInStore(ParameterError):
    """The store cannot serve the playbook (a table it cannot run without, or a
    name it cannot resolve); ``run --all`` skips such a playbook and runs the others."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    help: str


@dataclass(frozen=True)
class Playbook:
    name: str
    path: Path
    purpose: str
    parameters: tuple[Parameter, ...]


def read_playbook(path: Path) -> Playbook:
    """Read a playbook's purpose (its first heading's next line) and parameters cell."""
    # Plain JSON rather than nbformat: importing nbformat's validator takes a
    # second, and the checks before a kernel starts must be quick.
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ParameterError(f"{path}: not a readable notebook ({exc})") from None
    cells = [_Cell(c) for c in nb.get("cells", [])]
    params_cells = [c for c in cells if "parameters" in c.tags]
    if len(params_cells) != 1:
        raise ParameterError(f"{path}: a playbook needs exactly one cell tagged 'parameters', found {len(params_cells)}")
    params = []
    for line in params_cells[0].source.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _PARAM_LINE.match(line.strip())
        if not m or m["type"] not in _TYPES:
            raise ParameterError(f"{path}: parameter line not of the form 'name: str|int|float|bool = literal  # help': {line!r}")
        params.append(Parameter(m["name"], m["type"], ast.literal_eval(m["value"]), (m["help"] or "").strip()))
    purpose = ""
    for cell in cells:
        if cell.cell_type == "markdown":
            lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
            purpose = lines[0] if lines else ""
            break
    return Playbook(path.stem, path, purpose, tuple(params))


class _Cell:
    def __init__(self, raw: dict[str, Any]):
        source = raw.get("source", "")
        self.source = "".join(source) if isinstance(source, list) else str(source)
        self.cell_type = raw.get("cell_type", "")
        self.tags = raw.get("metadata", {}).get("tags", [])


def list_playbooks(folder: Path | None = None) -> list[Playbook]:
    folder = folder or paths.notebooks_dir()
    return [read_playbook(p) for p in sorted(folder.glob("*.ipynb"))]


def find_playbook(name: str, folder: Path | None = None) -> Playbook:
    folder = folder or paths.notebooks_dir()
    path = folder / f"{name}.ipynb"
    if not path.exists():
        names = ", ".join(p.stem for p in sorted(folder.glob("*.ipynb")))
        raise ParameterError(f"unknown playbook {name!r}; playbooks: {names}", zh=f"没有名为 {name!r} 的报告；可用的报告：{names}")
    return read_playbook(path)


def coerce_parameters(playbook: Playbook, given: dict[str, Any]) -> dict[str, Any]:
    """Check ``given`` (strings from the command line, or typed values from a
    schedule) against the playbook's parameters cell and convert them.

    Unknown names and values of the wrong type raise :class:`ParameterError`
    with the list of valid names and types.
    """
    spec = {p.name: p for p in playbook.parameters}
    valid = ", ".join(f"{p.name} ({p.type})" for p in playbook.parameters)
    out: dict[str, Any] = {}
    for name, value in given.items():
        if name not in spec:
            raise ParameterError(
                f"{playbook.name} has no parameter {name!r}; valid parameters: {valid}", zh=f"{playbook.name} 没有参数 {name!r}；可用的参数：{valid}"
            )
        out[name] = _convert(spec[name], value, playbook.name, valid)
    first, last = (parse_date(out.get(k) or _default(spec, k), k) for k in ("start", "end"))
    if first and last and first > last:
        raise ParameterError(f"{playbook.name}: start {first} is after end {last}", zh=f"{playbook.name}：开始日期 {first} 晚于结束日期 {last}")
    out.update(check_store(playbook, {**{p.name: p.default for p in playbook.parameters}, **out}))
    return out


def playbook_needs(name: str):
    """The :class:`smkit.requirements.Needs` a playbook declares in its
    ``needs.py``, read without importing the playbook (which takes seconds);
    ``None`` for a notebook without a package."""
    path = Path(__file__).resolve().parent.parent / "playbooks" / name / "needs.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"_smkit_needs_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.NEEDS


def check_store(playbook: Playbook, params: dict[str, Any]) -> dict[str, Any]:
    """Check a run against the store before any kernel starts: the playbook's
    core tables are there, and the parameters that name things in the store
    (brand, account, campaign, experiment, platform) name things it holds.
    Returns the names resolved from the store for parameters left empty (our
    own account when the store has exactly one). Raises :class:`ParameterError`
    with one line otherwise. A run on the default store that does not exist
    yet is not checked: the runner builds the sample store, which holds every table.
    """
    needs = playbook_needs(playbook.name)
    if needs is None or (needs.without_store and str(params.get(needs.without_store) or "").strip()):
        return {}
    from smkit.data.store import default_store_path
    from smkit.requirements import MissingData, check_names, present_tables

    given = parse_path(params.get("store"), "store")
    store = given or default_store_path()
    if not store.exists():
        return {}
    try:
        present = present_tables(store)
    except Exception:  # not a DuckDB file, locked ...
        raise ParameterError(f"{playbook.name}: store {store} is not a readable smkit store", zh=f"{playbook.name}：{store} 不是可读的 smkit 数据库") from None
    from smkit.run.messages import playbook_name

    lang = params.get("lang") if params.get("lang") in LANGUAGES else "en"
    name = playbook_name(playbook.name, lang) if lang == "zh" else playbook.name
    refusal = needs.refusal(present, name, lang)
    if refusal:
        raise NotInStore(f"{refusal}（{store}）" if lang == "zh" else f"{refusal} ({store})")
    try:
        return check_names(store, needs, params, present, name, lang)
    except MissingData as exc:
        raise NotInStore(str(exc)) from None


def _default(spec: dict[str, Parameter], name: str) -> Any:
    return spec[name].default if name in spec else None


def _convert(param: Parameter, value: Any, playbook: str, valid: str) -> Any:
    kind = param.type

    def fail(why: str = "") -> ParameterError:
        return ParameterError(
            f"{playbook}: parameter {param.name} must be {kind}, got {value!r}{why}; valid parameters: {valid}",
            zh=f"{playbook}：参数 {param.name} 应为{_KIND_ZH.get(kind, ' ' + kind)}，收到 {value!r}；可用的参数：{valid}",
        )

    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise fail()
    if kind in ("int", "float"):
        if isinstance(value, bool):
            raise fail()
        try:
            number = _TYPES[kind](value if not isinstance(value, str) else value.strip())
        except (TypeError, ValueError):
            raise fail() from None
        if kind == "int" and isinstance(value, float) and not value.is_integer():
            raise fail()
        return number
    text = str(value)
    if param.name == "lang" and text not in LANGUAGES:
        raise ParameterError(
            f"{playbook}: parameter lang must be {' or '.join(LANGUAGES)} (the report's language), got {value!r}",
            zh=f"{playbook}：参数 lang 是报告的语言，应为 {' 或 '.join(LANGUAGES)}，收到 {value!r}",
        )
    try:
        if param.name in ("start", "end") or param.name.endswith("_date"):
            parse_date(text, param.name)
        elif param.name in PATH_PARAMETERS and text.strip():
            path = parse_path(text, param.name, must_exist=False)
            absolute = path if path.is_absolute() else Path.cwd() / path
            if not absolute.exists():
                where = (f" (looked in {Path.cwd()})", f"（在 {Path.cwd()} 下查找）") if not path.is_absolute() else ("", "")
                raise LocalizedError(f"{param.name}: {path} does not exist{where[0]}", zh=f"{param.name}：{path} 不存在{where[1]}")
            return str(absolute)
    except ValueError as exc:
        raise ParameterError(f"{playbook}: {exc}", zh=f"{playbook}：{exc.zh}" if getattr(exc, "zh", None) else None) from None
    return text


@dataclass
class Manifest:
    playbook: str
    label: str
    parameters: dict[str, Any]
    status: str
    error: str | None
    start: str
    duration_seconds: float
    smkit_version: str
    commit: str
    store: str
    fingerprint: str
    folder: str
    lang: str = "zh"  # the language of report.html (the playbook's ``lang``, or ``--lang`` for a playbook without one)
