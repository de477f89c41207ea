"""The one parser for each kind of playbook parameter.

Parameters arrive as strings (from papermill, the command line or a schedule).
Lists and mappings accept the separators Chinese users type as well as ASCII
ones: ``露米娜，Lumi`` and ``露米娜,Lumi`` are the same two names, and so are
``a;b`` and ``a；b`` (the enumeration comma 、 is left alone: it joins values
such as ``科技、家居`` inside one item).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LIST_SEPARATORS = re.compile(r"[,，;；]")
_PAIR = re.compile(r"[:：]")
T = TypeVar("T")


class LocalizedError(ValueError):
    """A bad value, with its message in Chinese as well (``zh``) for a command line run in zh."""

    def __init__(self, message: str, zh: str | None = None):
        super().__init__(message)
        self.zh = zh

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" and self.zh else str(self)


def parse_date(value: str | dt.date | None, name: str = "date") -> dt.date | None:
    """A date written YYYY-MM-DD; empty means none."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not _DATE.match(text):
        raise LocalizedError(f"{name} must be a date written YYYY-MM-DD, got {value!r}", zh=f"{name} 应为 YYYY-MM-DD 格式的日期，收到 {value!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LocalizedError(f"{name} is not a calendar date: {value!r}", zh=f"{name} 不是有效的日期：{value!r}") from None


def parse_path(value: str | Path | None, name: str = "path", *, must_exist: bool = False) -> Path | None:
    """A path; empty means none."""
    if value is None or str(value).strip() == "":
        return None
    path = Path(str(value).strip()).expanduser()
    if must_exist and not path.exists():
        raise ValueError(f"{name}: {path} does not exist")
    return path


def parse_list(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Items separated by ``,`` ``，`` ``;`` or ``；``, stripped, empty ones
    dropped; a sequence is taken item by item."""
    if value is None:
        return ()
    items = LIST_SEPARATORS.split(value) if isinstance(value, str) else [str(v) for v in value]
    return tuple(item.strip() for item in items if item and item.strip())


def parse_mapping(
    value: str | None,
    name: str,
    *,
    valid: Sequence[str] | None = None,
    convert: Callable[[str], T] = float,  # type: ignore[assignment]
    example: str = "key:1",
) -> dict[str, T]:
    """``"a:0.3, b：0.2"`` as ``{"a": 0.3, "b": 0.2}``, in the order given.

    Errors name the parameter and the item; ``valid`` restricts the keys;
    ``convert`` turns each value (a ``ValueError`` from it, or a number that is
    not finite, is reported as not fitting).
    """
    out: dict[str, T] = {}
    for item in parse_list(value):
        parts = _PAIR.split(item)
        key, raw = ":".join(parts[:-1]).strip(), parts[-1].strip()
        if len(parts) < 2 or not key:
            raise ValueError(f"{name}: {item!r} is not key:value, as in {example!r}")
        try:
            converted = convert(raw)
        except ValueError:
            raise ValueError(f"{name}: {item!r}: {raw!r} is not a valid value, as in {example!r}") from None
        if isinstance(converted, float) and not math.isfinite(converted):
            raise ValueError(f"{name}: {item!r}: {raw!r} is not a finite number")
        if valid is not None and key not in valid:
            raise ValueError(f"{name}: unknown key {key!r}; valid keys are {', '.join(valid)}")
        out[key] = converted
    return out


@dataclass(frozen=True)
class Config:
    """What every playbook run shares, validated: the store and the analysis window
    (``options`` holds anything a notebook passes to ``setup`` beyond them)."""

    store: Path
    start: dt.date
    end: dt.date
    options: dict[str, Any]
