"""The response plan (应急预案): who is told of an alert, on which channel, who
owns the response and by when, and the holding statement to start from.

A YAML file the team edits (``config/response_plan.example.yml``)::

    channels:
      ops_wecom: {type: wecom, url_env: SMKIT_WECOM_URL}
      pr_ding: {type: dingtalk, url_env: SMKIT_DING_URL, secret_env: SMKIT_DING_SECRET}
    routes:
      - level: Ⅲ                 # this level and anything more severe
        channels: [ops_wecom]
        owners: [platform]        # who runs the alert's platform in the team table
      - level: Ⅱ
        channels: [ops_wecom, pr_ding]
        owners: [platform, {role: PR lead}]
        respond_within_hours: 2

Levels follow the Chinese emergency convention (Ⅰ级 most severe), written
Ⅰ/I/1 ... Ⅳ/IV/4 (:func:`smkit.i18n.parse_level`); inside smkit a level is
its *severity* (4 = Ⅰ级), the number the monitor's ``alert_level`` carries.

Webhook URLs, signing secrets and SMTP passwords are never in the file: it
names the environment variables that hold them (``url_env``, ``secret_env``,
``user_env``, ``password_env``). The dataclasses here hold only those names,
so no repr, log line or error message can show a secret; values are read at
send time (:meth:`Channel.env`).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from smkit import i18n
from smkit.methods.response import DEFAULT_DEADLINE_HOURS, platform_owners

CHANNEL_TYPES = ("wecom", "dingtalk", "feishu", "email", "webhook")
FEISHU_FORMATS = ("text", "post", "interactive")
EMAIL_SECURITY = ("starttls", "ssl", "none")
STATEMENT_FIELDS = ("brand", "platform", "start", "end", "level", "keywords", "negative_share", "mentions", "deadline")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CHANNEL_KEYS = {
    "wecom": {"type", "url_env"},
    "dingtalk": {"type", "url_env", "secret_env"},
    "feishu": {"type", "url_env", "secret_env", "format"},
    "webhook": {"type", "url_env", "secret_env"},
    "email": {"type", "host", "port", "security", "user_env", "password_env", "from", "to", "attach_report"},
}
_TOP_KEYS = {"channels", "routes", "deadlines", "statements", "delivery", "report_base_url"}
_ROUTE_KEYS = {"level", "channels", "owners", "respond_within_hours"}
_DELIVERY_KEYS = {"retries", "backoff_seconds", "timeout_seconds", "max_reminders"}


class PlanError(ValueError):
    """A response plan that cannot be used; the message names the file, the key and the fault."""


@dataclass(frozen=True)
class Channel:
    """One destination. Holds the *names* of environment variables, never their values."""

    name: str
    type: str
    url_env: str | None = None
    secret_env: str | None = None
    format: str = "interactive"  # feishu: text, post or interactive (a card coloured by level)
    host: str | None = None  # email
    port: int = 465
    security: str = "ssl"
    user_env: str | None = None
    password_env: str | None = None
    sender: str | None = None
    to: tuple[str, ...] = ()
    attach_report: bool = True

    def env(self, key: str, environ: Mapping[str, str] | None = None) -> str | None:
        """The value of the variable named by ``key`` (``url_env``, ``secret_env`` ...); None when unset or empty."""
        name = getattr(self, key)
        value = (os.environ if environ is None else environ).get(name) if name else None
        return value or None

    def missing_env(self, environ: Mapping[str, str] | None = None) -> list[str]:
        """The required variables that are not set (names only)."""
        needed = ["url_env"] if self.type != "email" else []
        needed += [k for k in ("secret_env", "user_env", "password_env") if getattr(self, k)]
        return [getattr(self, k) for k in needed if self.env(k, environ) is None]


@dataclass(frozen=True)
class Owner:
    """Who a route makes responsible: ``platform`` (who runs the alert's platform
    in the team table), a ``role`` (everyone with it) or a ``person`` (by name)."""

    kind: str
    value: str = ""


@dataclass(frozen=True)
class Route:
    severity: int  # this level and every more severe one
    channels: tuple[str, ...]
    owners: tuple[Owner, ...] = (Owner("platform"),)
    hours: float | None = None  # None: the plan's deadline for the alert's level


@dataclass(frozen=True)
class Responsible:
    name: str
    role: str | None = None
    platform: str | None = None


@dataclass(frozen=True)
class ResponsePlan:
    path: str
    channels: Mapping[str, Channel]
    routes: tuple[Route, ...]
    deadlines: Mapping[int, float] = field(default_factory=lambda: dict(DEFAULT_DEADLINE_HOURS))
    statements: Mapping[int, str] = field(default_factory=dict)
    retries: int = 2
    backoff_seconds: float = 1.0
    timeout_seconds: float = 10.0
    max_reminders: int = 3
    report_base_url: str | None = None

    def routes_for(self, severity: int) -> tuple[Route, ...]:
        """The routes an alert of ``severity`` takes, most severe route first."""
        return tuple(sorted((r for r in self.routes if r.severity <= severity), key=lambda r: -r.severity))

    def channels_for(self, severity: int) -> tuple[Channel, ...]:
        names: list[str] = []
        for route in self.routes_for(severity):
            names += [c for c in route.channels if c not in names]
        return tuple(self.channels[n] for n in names)

    def deadline_hours(self, severity: int) -> float:
        """The most severe applicable route's hours, else the plan's deadline for the level."""
        for route in self.routes_for(severity):
            if route.hours is not None:
                return route.hours
        return float(self.deadlines[severity])

    def statement(self, severity: int) -> str | None:
        """The holding statement of the level, else of the nearest milder level with one."""
        for level in range(severity, 0, -1):
            if level in self.statements:
                return self.statements[level]
        return None

    def responsible(self, severity: int, platforms: tuple[str, ...] | list[str], team, brand: str) -> list[Responsible]:
        """The people the applicable routes name, resolved from the ``team`` table:
        ``platform`` gives who runs each of the alert's platforms, a role everyone
        with it; a person not in the table is kept as written."""
        out: list[Responsible] = []

        def add(person: Responsible) -> None:
            if all(p.name != person.name for p in out):
                out.append(person)

        has_team = team is not None and len(team) and "owner" in team
        for route in self.routes_for(severity):
            for owner in route.owners:
                if owner.kind == "platform":
                    for platform in platforms or (None,):
                        for name, role in platform_owners(team, brand, platform):
                            add(Responsible(name, role, platform))
                elif owner.kind == "role":
                    rows = team[team["role"] == owner.value] if has_team and "role" in team else []
                    for name in (list(dict.fromkeys(rows["owner"].dropna().astype(str))) if len(rows) else []) or [owner.value]:
                        add(Responsible(name, owner.value if name != owner.value else None))
                else:
                    role = None
                    if has_team and "role" in team:
                        roles = team.loc[team["owner"] == owner.value, "role"].dropna()
                        role = str(roles.iloc[0]) if len(roles) else None
                    add(Responsible(owner.value, role))
        return out

    def missing_env(self, environ: Mapping[str, str] | None = None) -> dict[str, list[str]]:
        """Channel name -> the environment variables it needs that are not set."""
        return {name: miss for name, c in self.channels.items() if (miss := c.missing_env(environ))}


# ---------------------------------------------------------------- loading


def load_plan(path: str | Path) -> ResponsePlan:
    """Read and validate a response plan; a :class:`PlanError` names the file, the key and the fault."""
    path = Path(path)
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"{where}: no such response plan") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise PlanError(f"{where}: not valid YAML{at}: {getattr(exc, 'problem', None) or 'unreadable'}") from None
    return parse_plan(raw, where)


def parse_plan(raw: Any, where: str = "response plan") -> ResponsePlan:
    """Validate the parsed YAML of a plan (``where`` names it in messages)."""

    def fail(key: str, message: str) -> PlanError:
        return PlanError(f"{where}: {key}: {message}")

    if not isinstance(raw, dict):
        raise PlanError(f"{where}: expected a mapping with channels: and routes:")
    _unknown(raw, _TOP_KEYS, None, fail)
    channels = _channels(raw.get("channels"), fail)
    routes = _routes(raw.get("routes"), channels, fail)
    deadlines = dict(DEFAULT_DEADLINE_HOURS)
    for level, hours in _mapping(raw.get("deadlines"), "deadlines", fail).items():
        deadlines[_level(level, f"deadlines.{level}", fail)] = _hours(hours, f"deadlines.{level}", fail)
    statements = {}
    for level, template in _mapping(raw.get("statements"), "statements", fail).items():
        key = f"statements.{level}"
        if not isinstance(template, str) or not template.strip():
            raise fail(key, "expected the text of a holding statement")
        _check_template(template, key, fail)
        statements[_level(level, key, fail)] = template.strip()
    delivery = _mapping(raw.get("delivery"), "delivery", fail)
    _unknown(delivery, _DELIVERY_KEYS, "delivery", fail)
    base = raw.get("report_base_url")
    if base is not None and (not isinstance(base, str) or not re.match(r"https?://", base)):
        raise fail("report_base_url", "expected an http(s) address under which the reports folder is served")
    return ResponsePlan(
        path=where,
        channels=channels,
        routes=routes,
        deadlines=deadlines,
        statements=statements,
        retries=_count(delivery.get("retries", 2), "delivery.retries", fail, most=10),
        backoff_seconds=_seconds(delivery.get("backoff_seconds", 1.0), "delivery.backoff_seconds", fail),
        timeout_seconds=_seconds(delivery.get("timeout_seconds", 10.0), "delivery.timeout_seconds", fail, least=0.01),
        max_reminders=_count(delivery.get("max_reminders", 3), "delivery.max_reminders", fail, most=100),
        report_base_url=base,
    )


_SECRET_KEYS = {"url": "url_env", "webhook": "url_env", "secret": "secret_env", "token": "secret_env", "password": "password_env"}


def _unknown(section: dict, valid: set[str], where: str | None, fail) -> None:
    """Refuse keys the plan does not know (naming the valid ones) and, above
    all, a URL or secret written into the file (never echoing it)."""
    for key in section:
        at = f"{where}.{key}" if where else str(key)
        if key in _SECRET_KEYS:
            raise fail(at, f"never write a {key} in the plan: put it in an environment variable and name that variable with {_SECRET_KEYS[key]}")
        if key not in valid:
            raise fail(at, f"unknown key; valid keys here: {', '.join(sorted(valid))}")


def _mapping(value: Any, key: str, fail) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(key, "expected a mapping")
    return value


def _level(value: Any, key: str, fail) -> int:
    try:
        return i18n.parse_level(value)
    except ValueError as exc:
        raise fail(key, str(exc)) from None


def _hours(value: Any, key: str, fail) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise fail(key, f"expected a number of hours above 0, got {value!r}")
    return float(value)


def _seconds(value: Any, key: str, fail, least: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < least or value > 600:
        raise fail(key, f"expected seconds from {least:g} to 600, got {value!r}")
    return float(value)


def _count(value: Any, key: str, fail, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        raise fail(key, f"expected a whole number from 0 to {most}, got {value!r}")
    return value


def _env_name(spec: dict, key: str, where: str, fail, required: bool = False) -> str | None:
    value = spec.get(key)
    if value is None:
        if required:
            raise fail(f"{where}.{key}", "missing: name the environment variable that holds it (for example SMKIT_WECOM_URL)")
        return None
    if not isinstance(value, str) or not _ENV_NAME.fullmatch(value):
        # never echo the value: someone may have pasted the URL or the secret itself
        raise fail(f"{where}.{key}", "expected the name of an environment variable (letters, digits and _), not its value")
    return value


def _channels(raw: Any, fail) -> dict[str, Channel]:
    if not isinstance(raw, dict) or not raw:
        raise fail("channels", "expected a mapping of channel names to {type: ..., url_env: ...}")
    out = {}
    for name, spec in raw.items():
        where = f"channels.{name}"
        if not isinstance(spec, dict):
            raise fail(where, "expected a mapping such as {type: wecom, url_env: SMKIT_WECOM_URL}")
        kind = spec.get("type")
        if kind is None:
            raise fail(f"{where}.type", f"missing; one of {', '.join(CHANNEL_TYPES)}")
        if kind not in CHANNEL_TYPES:
            raise fail(f"{where}.type", f"{kind!r} is not a channel type; valid: {', '.join(CHANNEL_TYPES)}")
        _unknown(spec, _CHANNEL_KEYS[kind], where, fail)
        if kind == "email":
            out[str(name)] = _email(str(name), spec, where, fail)
            continue
        fmt = spec.get("format", "interactive")
        if kind == "feishu" and fmt not in FEISHU_FORMATS:
            raise fail(f"{where}.format", f"{fmt!r} is not a Feishu message type; valid: {', '.join(FEISHU_FORMATS)}")
        out[str(name)] = Channel(
            name=str(name),
            type=kind,
            url_env=_env_name(spec, "url_env", where, fail, required=True),
            secret_env=_env_name(spec, "secret_env", where, fail),
            format=fmt,
        )
    return out


def _email(name: str, spec: dict, where: str, fail) -> Channel:
    host = spec.get("host")
    if not isinstance(host, str) or not host.strip():
        raise fail(f"{where}.host", "missing: the SMTP server's host name")
    security = spec.get("security", "ssl")
    if security not in EMAIL_SECURITY:
        raise fail(f"{where}.security", f"{security!r}; valid: {', '.join(EMAIL_SECURITY)}")
    port = spec.get("port", {"ssl": 465, "starttls": 587, "none": 25}[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise fail(f"{where}.port", f"expected a port number, got {port!r}")
    sender = spec.get("from")
    to = spec.get("to")
    to = [to] if isinstance(to, str) else to
    if not isinstance(sender, str) or "@" not in sender:
        raise fail(f"{where}.from", "expected the sender's address")
    if not isinstance(to, list) or not to or not all(isinstance(a, str) and "@" in a for a in to):
        raise fail(f"{where}.to", "expected one address or a list of addresses")
    user_env, password_env = _env_name(spec, "user_env", where, fail), _env_name(spec, "password_env", where, fail)
    if bool(user_env) != bool(password_env):
        raise fail(where, "user_env and password_env go together (or neither, for a server without login)")
    attach = spec.get("attach_report", True)
    if not isinstance(attach, bool):
        raise fail(f"{where}.attach_report", "expected true or false")
    return Channel(
        name=name,
        type="email",
        host=host.strip(),
        port=port,
        security=security,
        user_env=user_env,
        password_env=password_env,
        sender=sender,
        to=tuple(to),
        attach_report=attach,
    )


def _owners(raw: Any, where: str, fail) -> tuple[Owner, ...]:
    if raw is None:
        return (Owner("platform"),)
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for i, item in enumerate(items):
        key = f"{where}.owners[{i}]"
        if item == "platform":
            out.append(Owner("platform"))
        elif isinstance(item, str) and item.strip():
            out.append(Owner("person", item.strip()))
        elif isinstance(item, dict) and len(item) == 1 and next(iter(item)) in ("role", "person"):
            kind, value = next(iter(item.items()))
            if not isinstance(value, str) or not value.strip():
                raise fail(key, f"expected a {kind} name")
            out.append(Owner(kind, value.strip()))
        else:
            raise fail(key, "expected platform (who runs the alert's platform in the team table), {role: NAME} or a person's name")
    if not out:
        raise fail(f"{where}.owners", "empty: leave the key out to make the platform's owner responsible")
    return tuple(out)


def _routes(raw: Any, channels: dict[str, Channel], fail) -> tuple[Route, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail("routes", "expected a list of routes, each with a level and its channels")
    out, seen = [], {}
    for i, spec in enumerate(raw):
        where = f"routes[{i}]"
        if not isinstance(spec, dict):
            raise fail(where, "expected a mapping with level: and channels:")
        _unknown(spec, _ROUTE_KEYS, where, fail)
        if "level" not in spec:
            raise fail(f"{where}.level", "missing: write Ⅰ/I/1 (most severe) ... Ⅳ/IV/4; the route applies to its level and every more severe one")
        severity = _level(spec["level"], f"{where}.level", fail)
        if severity in seen:
            raise fail(f"{where}.level", f"level {i18n.LEVEL_NUMERALS[severity]} already has a route (routes[{seen[severity]}])")
        seen[severity] = i
        names = spec.get("channels")
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not names:
            raise fail(f"{where}.channels", "expected a list of channel names")
        for n in names:
            if n not in channels:
                raise fail(f"{where}.channels", f"unknown channel {n!r}; defined: {', '.join(channels)}")
        hours = spec.get("respond_within_hours")
        out.append(
            Route(
                severity=severity,
                channels=tuple(str(n) for n in names),
                owners=_owners(spec.get("owners"), where, fail),
                hours=None if hours is None else _hours(hours, f"{where}.respond_within_hours", fail),
            )
        )
    return tuple(out)


def _check_template(template: str, key: str, fail) -> None:
    import string

    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        raise fail(key, f"bad placeholder ({exc}); write {{brand}}, {{platform}} ...; a literal brace is {{{{ or }}}}") from None
    unknown = sorted(f for f in fields if f not in STATEMENT_FIELDS)
    if unknown:
        raise fail(key, f"unknown placeholder {{{unknown[0]}}}; valid: " + ", ".join("{" + f + "}" for f in STATEMENT_FIELDS))
