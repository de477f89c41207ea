"""The playbooks on disk and the records of their runs.

A playbook is a notebook whose first markdown line says what it is for and
whose one ``parameters`` cell lists ``name: type = literal  # help`` lines.
This module reads them and checks given parameters against them before any
kernel starts; :class:`Manifest` is what a run leaves beside its report.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from smkit import paths
from smkit.params import parse_date, parse_path

_PARAM_LINE = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>[\w\[\], ]+?)\s*=\s*(?P<value>.+?)\s*(?:#\s*(?P<help>.*))?$")
_TYPES = {"str": str, "int": int, "float": float, "bool": bool}


class ParameterError(ValueError):
    """Parameters that do not fit the playbook; raised before any kernel starts."""


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
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"{path}: a playbook needs exactly one cell tagged 'parameters', found {len(cells)}")
    params = []
    for line in cells[0].source.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _PARAM_LINE.match(line.strip())
        if not m or m["type"] not in _TYPES:
            raise ParameterError(f"{path}: parameter line not of the form 'name: str|int|float|bool = literal  # help': {line!r}")
        params.append(Parameter(m["name"], m["type"], ast.literal_eval(m["value"]), (m["help"] or "").strip()))
    purpose = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
            purpose = lines[0] if lines else ""
            break
    return Playbook(path.stem, path, purpose, tuple(params))


def list_playbooks(folder: Path | None = None) -> list[Playbook]:
    folder = folder or paths.notebooks_dir()
    return [read_playbook(p) for p in sorted(folder.glob("*.ipynb"))]


def find_playbook(name: str, folder: Path | None = None) -> Playbook:
    folder = folder or paths.notebooks_dir()
    path = folder / f"{name}.ipynb"
    if not path.exists():
        names = ", ".join(p.stem for p in sorted(folder.glob("*.ipynb")))
        raise ParameterError(f"unknown playbook {name!r}; playbooks: {names}")
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
            raise ParameterError(f"{playbook.name} has no parameter {name!r}; valid parameters: {valid}")
        out[name] = _convert(spec[name], value, playbook.name, valid)
    first, last = (parse_date(out.get(k) or _default(spec, k), k) for k in ("start", "end"))
    if first and last and first > last:
        raise ParameterError(f"{playbook.name}: start {first} is after end {last}")
    return out


def _default(spec: dict[str, Parameter], name: str) -> Any:
    return spec[name].default if name in spec else None


def _convert(param: Parameter, value: Any, playbook: str, valid: str) -> Any:
    kind = param.type

    def fail(why: str = "") -> ParameterError:
        return ParameterError(f"{playbook}: parameter {param.name} must be {kind}, got {value!r}{why}; valid parameters: {valid}")

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
    try:
        if param.name in ("start", "end") or param.name.endswith("_date"):
            parse_date(text, param.name)
        elif param.name == "store":
            parse_path(text, "store", must_exist=True)
    except ValueError as exc:
        raise ParameterError(f"{playbook}: {exc}") from None
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
