"""Channel formats, signatures and sending, one message at a time.

WeCom group robot, DingTalk and Feishu custom robots (with their signatures),
a plain JSON webhook and SMTP mail. :func:`deliver` retries what is worth
retrying (network errors, timeouts, HTTP 5xx and 429) and returns a reason
safe to print: every error text is written here, never an exception's repr,
and scrubbed of the channel's URL and secrets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import re
import smtplib
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path

from smkit import i18n
from smkit.run.alert_message import Message, plain_text
from smkit.run.response_plan import Channel, ResponsePlan

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
_FEISHU_TEMPLATES = {4: "red", 3: "orange", 2: "yellow", 1: "blue"}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's ``sign``: URL-encoded base64 of HmacSHA256(key=secret, msg="{timestamp}\\n{secret}")."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's ``sign``: base64 of HmacSHA256(key="{timestamp}\\n{secret}", msg=empty)."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_signature(secret: str, timestamp_s: int, body: bytes) -> str:
    """The plain webhook's ``X-Smkit-Signature``: hex HmacSHA256(key=secret, msg="{timestamp}\\n" + body)."""
    return hmac.new(secret.encode(), f"{timestamp_s}\n".encode() + body, hashlib.sha256).hexdigest()


def wecom_payload(message: Message) -> dict:
    content = message.markdown("warning" if message.severity >= 3 else "comment")
    while len(content.encode()) > 4000:  # WeCom's limit is 4096 bytes
        content = content[:-50]
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(message: Message) -> dict:
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.markdown(i18n.LEVEL_COLOURS[message.severity])}}


def feishu_payload(message: Message, fmt: str = "interactive") -> dict:
    if fmt == "text":
        return {"msg_type": "text", "content": {"text": message.plain()}}
    if fmt == "post":
        locale = "zh_cn" if message.lang == "zh" else "en_us"
        rows = [[{"tag": "text", "text": line}] for line in message.lines]
        return {"msg_type": "post", "content": {"post": {locale: {"title": message.title, "content": rows}}}}
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {"template": _FEISHU_TEMPLATES[message.severity], "title": {"tag": "plain_text", "content": message.title}},
            "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": "\n".join(message.lines)}}],
        },
    }


def webhook_payload(message: Message) -> dict:
    return {**message.facts, "title": message.title, "text": message.plain()}


# ---------------------------------------------------------------- sending


class _Transient(Exception):
    """Worth another attempt (network, timeout, 5xx, 429)."""


class _Permanent(Exception):
    """Not worth another attempt (4xx, a robot's refusal, a missing variable)."""


def _scrub(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret, URL and URL query value replaced by ``***``."""
    parts = set()
    for s in secrets:
        if not s:
            continue
        parts.add(s)
        parsed = urllib.parse.urlsplit(s)
        parts.update(v for values in urllib.parse.parse_qs(parsed.query).values() for v in values if len(v) >= 6)
        if parsed.path and len(parsed.path) > 12:
            parts.add(parsed.path)
    for p in sorted(parts, key=len, reverse=True):
        text = text.replace(p, "***")
    return re.sub(r"https?://\S+", "***", text)


def _post_json(url: str, payload: dict, timeout: float, headers: Mapping[str, str] | None = None, body: bytes | None = None) -> dict | None:
    if not re.match(r"https?://", url):
        raise _Permanent("the address is not an http(s) URL")
    data = body if body is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(1 << 16)
    except urllib.error.HTTPError as exc:
        raise (_Transient if exc.code >= 500 or exc.code == 429 else _Permanent)(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise _Transient(f"no answer within {timeout:g} s") from None
        detail = getattr(exc.reason, "strerror", None)
        raise _Transient("could not connect" + (f" ({detail})" if detail else "")) from None
    except TimeoutError:
        raise _Transient(f"no answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException):
        raise _Transient("the connection failed") from None
    except ValueError:
        raise _Permanent("the address is not a valid URL") from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _robot_refused(kind: str, reply: dict | None) -> str | None:
    if not isinstance(reply, dict):
        return None
    code = reply.get("errcode") if kind in ("wecom", "dingtalk") else reply.get("code", reply.get("StatusCode"))
    if code in (None, 0, "0"):
        return None
    text = reply.get("errmsg") or reply.get("msg") or reply.get("StatusMessage") or ""
    return f"the robot refused the message (code {code}: {plain_text(text, 100)})"


def _send_http(channel: Channel, message: Message, environ: Mapping[str, str], timeout: float, now_s: float) -> None:
    url = channel.env("url_env", environ)
    if url is None:
        raise _Permanent(f"environment variable {channel.url_env} is not set")
    secret = channel.env("secret_env", environ) if channel.secret_env else None
    if channel.secret_env and secret is None:
        raise _Permanent(f"environment variable {channel.secret_env} is not set")
    headers: dict[str, str] = {}
    body = None
    if channel.type == "wecom":
        payload = wecom_payload(message)
    elif channel.type == "dingtalk":
        payload = dingtalk_payload(message)
        if secret:
            ts = int(now_s * 1000)
            url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={dingtalk_sign(secret, ts)}"
    elif channel.type == "feishu":
        payload = feishu_payload(message, channel.format)
        if secret:
            ts = int(now_s)
            payload = {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **payload}
    else:
        payload = webhook_payload(message)
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        if secret:
            ts = int(now_s)
            headers = {"X-Smkit-Timestamp": str(ts), "X-Smkit-Signature": webhook_signature(secret, ts, body)}
    refused = _robot_refused(channel.type, _post_json(url, payload, timeout, headers, body))
    if refused:
        raise _Permanent(refused)


def _send_email(channel: Channel, message: Message, environ: Mapping[str, str], timeout: float, report_file: Path | None) -> None:
    user = channel.env("user_env", environ) if channel.user_env else None
    password = channel.env("password_env", environ) if channel.password_env else None
    if channel.user_env and (user is None or password is None):
        raise _Permanent(f"environment variable {channel.user_env if user is None else channel.password_env} is not set")
    mail = EmailMessage()
    mail["Subject"] = message.title
    mail["From"] = channel.sender
    mail["To"] = ", ".join(channel.to)
    mail.set_content(message.plain())
    if channel.attach_report and report_file is not None and report_file.is_file() and report_file.stat().st_size <= MAX_ATTACHMENT_BYTES:
        mail.add_attachment(report_file.read_bytes(), maintype="text", subtype="html", filename=report_file.name)
    try:
        factory = smtplib.SMTP_SSL if channel.security == "ssl" else smtplib.SMTP
        with factory(channel.host, channel.port, timeout=timeout) as smtp:
            if channel.security == "starttls":
                smtp.starttls()
            if user:
                smtp.login(user, password)
            smtp.send_message(mail)
    except smtplib.SMTPResponseException as exc:
        raise (_Permanent if exc.smtp_code >= 500 else _Transient)(f"the mail server answered {exc.smtp_code}") from None
    except smtplib.SMTPRecipientsRefused:
        raise _Permanent("the mail server refused every recipient") from None
    except TimeoutError:
        raise _Transient(f"no answer within {timeout:g} s") from None
    except (OSError, smtplib.SMTPException):
        raise _Transient("could not reach the mail server") from None


def deliver(channel: Channel, message: Message, plan: ResponsePlan, environ: Mapping[str, str], report_file: Path | None, sleep) -> tuple[int, str | None]:
    """Send with bounded retries; (attempts, None) or (attempts, a reason safe to print)."""
    secrets = [channel.env(k, environ) or "" for k in ("url_env", "secret_env", "user_env", "password_env") if getattr(channel, k)]
    attempts = 0
    while True:
        attempts += 1
        try:
            if channel.type == "email":
                _send_email(channel, message, environ, plan.timeout_seconds, report_file)
            else:
                _send_http(channel, message, environ, plan.timeout_seconds, time.time())
            return attempts, None
        except _Permanent as exc:
            return attempts, _scrub(str(exc), secrets)
        except _Transient as exc:
            if attempts > plan.retries:
                return attempts, _scrub(str(exc), secrets)
            sleep(plan.backoff_seconds * 2 ** (attempts - 1))
        except Exception as exc:  # noqa: BLE001 - never let a bug in one channel stop the others, never print its repr
            return attempts, _scrub(f"unexpected error ({type(exc).__name__})", secrets)
