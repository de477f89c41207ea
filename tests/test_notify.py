"""The response plan and notifications: formats on a loopback receiver, signatures
as DingTalk and Feishu compute them, SMTP, once-only delivery, escalation,
reminders, failures, and no URL or secret in anything smkit returns or writes."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import hashlib
import hmac
import json
import logging
import socketserver
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
import yaml

from smkit.run import notify
from smkit.run.response_plan import PlanError, load_plan, parse_plan

ISSUE_PLAN = """
channels:
  ops_wecom: {type: wecom, url_env: SMKIT_WECOM_URL}
  pr_ding: {type: dingtalk, url_env: SMKIT_DING_URL, secret_env: SMKIT_DING_SECRET}
  lead_feishu: {type: feishu, url_env: SMKIT_FEISHU_URL}
routes:
  - level: Ⅲ              # this level and anything more severe
    channels: [ops_wecom]
    respond_within_hours: 12
  - level: Ⅱ
    channels: [ops_wecom, pr_ding, lead_feishu]
    respond_within_hours: 2
"""
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DING_SECRET = "SECd1n9-very-secret-value-0123456789"
FEISHU_SECRET = "feishu-secret-abcdef987654"
SMTP_PASSWORD = "smtp-pa55word-zzz"
TEAM = pd.DataFrame(
    [
        {"platform": "weibo", "account": "Lumina", "post_id": None, "owner": "王芳", "role": "content planner"},
        {"platform": "douyin", "account": "Lumina", "post_id": None, "owner": "李雷", "role": "content planner"},
        {"platform": "douyin", "account": "Lumina", "post_id": "p1", "owner": "赵强", "role": "live operator"},
        {"platform": None, "account": "Lumina", "post_id": None, "owner": "陈静", "role": "PR lead"},
        {"platform": "weibo", "account": "Vexa", "post_id": None, "owner": "Other", "role": "content planner"},
    ]
)


# ---------------------------------------------------------------- a loopback receiver and an SMTP responder


class Receiver:
    """An HTTP server on 127.0.0.1 recording every POST; ``answer(request)``
    returns (status, json body, delay seconds). Stops itself after 60 s."""

    def __init__(self, answer=None):
        self.requests: list[dict] = []
        self.answer = answer or (lambda req: (200, {"errcode": 0, "errmsg": "ok", "code": 0}, 0))
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parsed = urllib.parse.urlsplit(self.path)
                req = {"path": parsed.path, "query": urllib.parse.parse_qs(parsed.query), "headers": dict(self.headers), "raw": body, "json": json.loads(body)}
                outer.requests.append(req)
                status, reply, delay = outer.answer(req)
                time.sleep(delay)
                data = json.dumps(reply).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.timer = threading.Timer(60, self.stop)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def to(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]

    def __enter__(self):
        self.thread.start()
        self.timer.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __exit__(self, *exc):
        self.timer.cancel()
        self.stop()


class SMTPServer(socketserver.ThreadingTCPServer):
    """A minimal SMTP responder on 127.0.0.1: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        self.messages: list[bytes] = []
        self.logins: list[str] = []
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.timer = threading.Timer(60, self.shutdown)

    def __enter__(self):
        self.thread.start()
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()
        self.shutdown()
        self.server_close()


class _SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        out = self.wfile
        out.write(b"220 localhost ESMTP test\r\n")
        data, lines = False, []
        while line := self.rfile.readline(1 << 20):
            if data:
                if line.rstrip(b"\r\n") == b".":
                    self.server.messages.append(b"".join(lines))
                    data, lines = False, []
                    out.write(b"250 queued\r\n")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            word = line.split(b" ", 1)[0].strip().upper()
            if word == b"EHLO":
                out.write(b"250-localhost\r\n250 AUTH PLAIN\r\n")
            elif word == b"AUTH":
                self.server.logins.append(base64.b64decode(line.split()[2]).decode())
                out.write(b"235 ok\r\n")
            elif word == b"DATA":
                data = True
                out.write(b"354 go ahead\r\n")
            elif word == b"QUIT":
                out.write(b"221 bye\r\n")
                return
            else:
                out.write(b"250 ok\r\n")


# ---------------------------------------------------------------- helpers


def _alert(level: int = 3, start: str = "2026-10-06", platforms=("weibo",), answered: bool = False, **extra) -> dict:
    return {
        "start": start,
        "end": "2026-10-09",
        "level": level,
        "metric": "volume and negative_share",
        "magnitude": 2.8,
        "usual_daily_mentions": 61.0,
        "negative_share": 0.7017,
        "baseline_negative_share": 0.1614,
        "mentions": 647,
        "platforms": list(platforms),
        "keywords": ["烧焦", "过热", "灯座"],
        "negative_mentions": 454,
        "unanswered_negative": 275,
        "top_negative": [{"platform": "weibo", "author": "user260535", "followers": 186616, "text": "露米娜必须给个说法，灯座烧焦了 <@all> [link](http://x)"}],
        "response": {"first_response_at": "2026-10-06T14:45:13+08:00" if answered else None},
        **extra,
    }


def _env(rx: Receiver, *, ding_secret: bool = True, feishu_secret: bool = False) -> dict:
    env = {
        "SMKIT_WECOM_URL": rx.url("/wecom?key=wecom-key-123456789"),
        "SMKIT_DING_URL": rx.url("/ding?access_token=ding-token-123456789"),
        "SMKIT_FEISHU_URL": rx.url("/feishu/hook/feishu-hook-uuid-123456789"),
    }
    if ding_secret:
        env["SMKIT_DING_SECRET"] = DING_SECRET
    if feishu_secret:
        env["SMKIT_FEISHU_SECRET"] = FEISHU_SECRET
    return env


def _plan(text: str = ISSUE_PLAN, **delivery):
    raw = yaml.safe_load(text)
    raw["delivery"] = {"retries": 2, "backoff_seconds": 0.01, "timeout_seconds": 2, **delivery}
    return parse_plan(raw, "plan.yml")


def _run(plan, alerts, env, tmp_path, now=NOW, lang="zh"):
    return notify.notify_run(
        {"brand": "Lumina"},
        alerts,
        tmp_path / "2026-12-01" / "reputation_monitor" / "report.html",
        plan,
        TEAM,
        lang=lang,
        now=now,
        environ=env,
        sleep=lambda s: None,
    )


# ---------------------------------------------------------------- the plan


def test_the_issue_example_plan_loads_and_routes_by_level(tmp_path):
    path = tmp_path / "response_plan.yml"
    path.write_text(ISSUE_PLAN, encoding="utf-8")
    plan = load_plan(path)
    assert set(plan.channels) == {"ops_wecom", "pr_ding", "lead_feishu"}
    assert plan.channels["pr_ding"].secret_env == "SMKIT_DING_SECRET"
    # Ⅲ级 is severity 2, Ⅱ级 severity 3: a route covers its level and every more severe one
    assert [c.name for c in plan.channels_for(1)] == []
    assert [c.name for c in plan.channels_for(2)] == ["ops_wecom"]
    assert [c.name for c in plan.channels_for(3)] == ["ops_wecom", "pr_ding", "lead_feishu"]
    assert [c.name for c in plan.channels_for(4)] == ["ops_wecom", "pr_ding", "lead_feishu"]
    assert [plan.deadline_hours(s) for s in (2, 3, 4)] == [12.0, 2.0, 2.0]


def test_default_deadlines_are_one_two_twelve_and_twenty_four_hours():
    plan = parse_plan({"channels": {"w": {"type": "wecom", "url_env": "W"}}, "routes": [{"level": "IV", "channels": ["w"]}]})
    assert [plan.deadline_hours(s) for s in (4, 3, 2, 1)] == [1.0, 2.0, 12.0, 24.0]
    changed = parse_plan({"channels": {"w": {"type": "wecom", "url_env": "W"}}, "routes": [{"level": 4, "channels": ["w"]}], "deadlines": {"Ⅰ": 0.5}})
    assert changed.deadline_hours(4) == 0.5 and changed.deadline_hours(3) == 2.0


def test_the_example_plan_in_config_loads():
    plan = load_plan(Path(__file__).parent.parent / "config" / "response_plan.example.yml")
    assert {c.type for c in plan.channels.values()} == {"wecom", "dingtalk", "feishu"}
    assert plan.statement(3) and "{deadline}" in plan.statement(3)
    assert [r.severity for r in plan.routes] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "change, key, words",
    [
        (lambda p: p["channels"]["ops_wecom"].update(type="slack"), "channels.ops_wecom.type", "not a channel type"),
        (lambda p: p["routes"][0].update(channels=["nope"]), "routes[0].channels", "unknown channel 'nope'"),
        (lambda p: p["routes"][0].update(level="V"), "routes[0].level", "unknown warning level"),
        (lambda p: p["routes"][1].update(level="3"), "routes[1].level", "already has a route"),
        (lambda p: p["routes"][1].update(respond_within_hours=-1), "routes[1].respond_within_hours", "above 0"),
        (lambda p: p["routes"][0].update(severity=2), "routes[0].severity", "unknown key"),
        (lambda p: p.update(statements={"Ⅱ": "{brand} {who}"}), "statements.Ⅱ", "unknown placeholder {who}"),
        (lambda p: p["channels"]["pr_ding"].pop("url_env"), "channels.pr_ding.url_env", "missing"),
        (lambda p: p.pop("routes"), "routes", "expected a list"),
    ],
)
def test_a_bad_plan_names_the_file_the_key_and_the_fault(tmp_path, change, key, words):
    raw = yaml.safe_load(ISSUE_PLAN)
    change(raw)
    path = tmp_path / "plan.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_plan(path)
    assert str(err.value).startswith(f"{path}: {key}: ") and words in str(err.value)


@pytest.mark.parametrize(
    "key, value",
    [
        ("url", "https://oapi.dingtalk.com/robot/send?access_token=abc123secret"),
        ("url_env", "https://qyapi/x?key=abc123secret"),
        ("secret_env", "SEC abc123secret"),
    ],
)
def test_a_url_or_secret_written_in_the_plan_is_refused_without_echoing_it(key, value):
    raw = yaml.safe_load(ISSUE_PLAN)
    raw["channels"]["ops_wecom"][key] = value
    with pytest.raises(PlanError) as err:
        parse_plan(raw, "plan.yml")
    assert "abc123secret" not in str(err.value) and "channels.ops_wecom" in str(err.value)


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "plan.yml"
    path.write_text("channels:\n  a: [\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"plan.yml: not valid YAML \(line \d+"):
        load_plan(path)


def test_owners_come_from_the_team_table_per_platform_and_role():
    raw = yaml.safe_load(ISSUE_PLAN)
    raw["routes"][1]["owners"] = ["platform", {"role": "PR lead"}, "Alice"]
    plan = parse_plan(raw)
    weibo = plan.responsible(3, ["weibo"], TEAM, "Lumina")
    assert [(r.name, r.role) for r in weibo] == [("王芳", "content planner"), ("陈静", "PR lead"), ("Alice", None)]
    douyin = plan.responsible(2, ["douyin"], TEAM, "Lumina")  # Ⅲ route only: the platform's account-level owner, not the live operator
    assert [r.name for r in douyin] == ["李雷"]
    assert [r.name for r in plan.responsible(2, ["bilibili"], TEAM, "Lumina")] == ["陈静"]  # no bilibili row: the all-platform row


# ---------------------------------------------------------------- signatures


def test_dingtalk_signature_matches_a_published_value_and_the_documented_formula():
    # the value another DingTalk client (Rust crate dingding) tests against
    assert notify.dingtalk_sign("secret", 1700000000000) == "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"
    ts = 1764550000123
    expected = base64.b64encode(hmac.new(DING_SECRET.encode(), f"{ts}\n{DING_SECRET}".encode(), hashlib.sha256).digest()).decode()
    assert urllib.parse.unquote_plus(notify.dingtalk_sign(DING_SECRET, ts)) == expected


def test_feishu_signature_is_keyed_by_timestamp_and_secret_over_nothing():
    ts = 1764550000
    expected = base64.b64encode(hmac.new(f"{ts}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()).decode()
    assert notify.feishu_sign(FEISHU_SECRET, ts) == expected
    assert notify.feishu_sign(FEISHU_SECRET, ts) != notify.feishu_sign(FEISHU_SECRET, ts + 1)


# ---------------------------------------------------------------- delivery on a loopback receiver


def test_wecom_dingtalk_and_feishu_receive_their_own_formats(tmp_path):
    with Receiver() as rx:
        unsigned = _plan(ISSUE_PLAN.replace(", secret_env: SMKIT_DING_SECRET", ""))
        out = _run(unsigned, [_alert(level=3)], _env(rx, ding_secret=False), tmp_path)
    assert out.exit_code == 0 and not out.failed
    assert sorted((d.channel, d.event, d.attempts) for d in out.sent) == [("lead_feishu", "alert", 1), ("ops_wecom", "alert", 1), ("pr_ding", "alert", 1)]
    (wecom,), (ding,), (feishu,) = rx.to("/wecom"), rx.to("/ding"), rx.to("/feishu/hook/feishu-hook-uuid-123456789")
    assert wecom["json"]["msgtype"] == "markdown" and set(wecom["json"]) == {"msgtype", "markdown"}
    content = wecom["json"]["markdown"]["content"]
    for fact in ("Ⅱ级 重大（橙色）", "Lumina", "微博", "2.8 倍", "负面占比 70%", "user260535", "王芳（content planner）", "2 小时内", "report.html"):
        assert fact in content, fact
    assert "<@all>" not in content and "](http" not in content  # the mention's own markup is made inert
    assert ding["json"]["msgtype"] == "markdown" and ding["json"]["markdown"]["title"].startswith("【舆情预警】Ⅱ级")
    assert "王芳" in ding["json"]["markdown"]["text"]
    assert "timestamp" not in ding["query"] and "sign" not in ding["query"] and ding["query"]["access_token"] == ["ding-token-123456789"]
    card = feishu["json"]
    assert card["msg_type"] == "interactive" and card["card"]["header"]["template"] == "orange" and "sign" not in card
    assert "负面占比 70%" in card["card"]["elements"][0]["text"]["content"]


def test_dingtalk_and_feishu_signatures_verify_as_the_platforms_check_them(tmp_path):
    plan_text = ISSUE_PLAN.replace(
        "lead_feishu: {type: feishu, url_env: SMKIT_FEISHU_URL}",
        "lead_feishu: {type: feishu, url_env: SMKIT_FEISHU_URL, secret_env: SMKIT_FEISHU_SECRET, format: post}",
    )
    with Receiver() as rx:
        before = time.time()
        out = _run(_plan(plan_text), [_alert(level=4)], _env(rx, feishu_secret=True), tmp_path)
    assert not out.failed
    (ding,) = rx.to("/ding")
    ts = int(ding["query"]["timestamp"][0])
    assert abs(ts / 1000 - before) < 60  # milliseconds, now
    # DingTalk: HmacSHA256(secret, "timestamp\nsecret"), base64; parse_qs has already URL-decoded the sign
    assert ding["query"]["sign"][0] == base64.b64encode(hmac.new(DING_SECRET.encode(), f"{ts}\n{DING_SECRET}".encode(), hashlib.sha256).digest()).decode()
    (feishu,) = rx.to("/feishu/hook/feishu-hook-uuid-123456789")
    body = feishu["json"]
    fts = int(body["timestamp"])
    assert abs(fts - before) < 60  # seconds
    assert body["sign"] == base64.b64encode(hmac.new(f"{fts}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "post" and body["content"]["post"]["zh_cn"]["title"].startswith("【舆情预警】Ⅰ级 特别重大（红色）")


def test_feishu_text_and_english_messages(tmp_path):
    plan_text = ISSUE_PLAN.replace(
        "lead_feishu: {type: feishu, url_env: SMKIT_FEISHU_URL}", "lead_feishu: {type: feishu, url_env: SMKIT_FEISHU_URL, format: text}"
    )
    with Receiver() as rx:
        _run(_plan(plan_text), [_alert(level=3)], _env(rx), tmp_path, lang="en")
    (feishu,) = rx.to("/feishu/hook/feishu-hook-uuid-123456789")
    text = feishu["json"]["content"]["text"]
    assert feishu["json"]["msg_type"] == "text"
    for fact in (
        "[Alert] Level II (orange, major) Lumina Weibo",
        "mentions 2.8x a usual day",
        "negative share 70% (baseline 16%)",
        "Owner: 王芳 (content planner)",
        "within 2 h",
    ):
        assert fact in text, fact


def test_a_plain_webhook_gets_the_facts_as_json_with_a_signature_header(tmp_path):
    raw = {
        "channels": {"hook": {"type": "webhook", "url_env": "HOOK", "secret_env": "HOOK_SECRET"}},
        "routes": [{"level": "Ⅲ", "channels": ["hook"]}],
        "delivery": {"backoff_seconds": 0.01},
    }
    with Receiver() as rx:
        out = notify.notify_run(
            {"brand": "Lumina"},
            [_alert(level=3)],
            tmp_path / "d" / "l" / "report.html",
            parse_plan(raw),
            TEAM,
            now=NOW,
            environ={"HOOK": rx.url("/hook"), "HOOK_SECRET": "hook-secret-xyz"},
            sleep=lambda s: None,
        )
    assert not out.failed
    (req,) = rx.to("/hook")
    assert (
        req["json"]["level"] == 3
        and req["json"]["owners"] == ["王芳"]
        and req["json"]["platforms"] == ["weibo"]
        and req["json"]["deadline"] == "2026-12-01T11:00+08:00"
    )
    ts = req["headers"]["X-Smkit-Timestamp"]
    assert req["headers"]["X-Smkit-Signature"] == hmac.new(b"hook-secret-xyz", f"{ts}\n".encode() + req["raw"], hashlib.sha256).hexdigest()


def test_email_goes_through_smtp_with_the_report_attached_or_linked(tmp_path):
    report = tmp_path / "2026-12-01" / "reputation_monitor" / "report.html"
    report.parent.mkdir(parents=True)
    report.write_text("<html><body>the report</body></html>", encoding="utf-8")
    with SMTPServer() as smtp:
        raw = {
            "channels": {
                "mail": {
                    "type": "email",
                    "host": "127.0.0.1",
                    "port": smtp.server_address[1],
                    "security": "none",
                    "user_env": "U",
                    "password_env": "P",
                    "from": "smkit@example.com",
                    "to": ["pr@example.com"],
                },
                "link": {
                    "type": "email",
                    "host": "127.0.0.1",
                    "port": smtp.server_address[1],
                    "security": "none",
                    "from": "smkit@example.com",
                    "to": "ops@example.com",
                    "attach_report": False,
                },
            },
            "routes": [{"level": "Ⅲ", "channels": ["mail", "link"]}],
        }
        out = notify.notify_run({"brand": "Lumina"}, [_alert(level=3)], report, parse_plan(raw), TEAM, now=NOW, environ={"U": "smkit", "P": SMTP_PASSWORD})
    assert not out.failed and len(out.sent) == 2
    assert smtp.logins == [f"\0smkit\0{SMTP_PASSWORD}"]
    mails = [email.message_from_bytes(m, policy=email.policy.default) for m in smtp.messages]
    attached = next(m for m in mails if m["To"] == "pr@example.com")
    linked = next(m for m in mails if m["To"] == "ops@example.com")
    assert attached["Subject"].startswith("【舆情预警】Ⅱ级 重大（橙色） Lumina")
    (part,) = list(attached.iter_attachments())
    assert part.get_filename() == "report.html" and b"the report" in part.get_content().encode()
    assert not list(linked.iter_attachments()) and str(report) in linked.get_body().get_content()


# ---------------------------------------------------------------- once, escalation, reminders


def test_an_alert_is_sent_once_and_a_rerun_sends_nothing(tmp_path):
    with Receiver() as rx:
        env = _env(rx)
        first = _run(_plan(), [_alert(level=3)], env, tmp_path)
        second = _run(_plan(), [_alert(level=3)], env, tmp_path, now=NOW + dt.timedelta(minutes=30))
    assert len(first.sent) == 3 and second.sent == () and second.unchanged == 1
    assert len(rx.requests) == 3
    state = json.loads((tmp_path / ".notifications.json").read_text(encoding="utf-8"))
    entry = state["alerts"]["Lumina|2026-10-06"]
    assert entry["level"] == 3 and entry["owners"] == ["王芳"] and entry["deadline"] == "2026-12-01T11:00:00+08:00"
    assert not list(tmp_path.glob(".notifications.json.*.tmp"))  # the atomic write left no temporary file


def test_an_alert_below_every_route_is_not_sent(tmp_path):
    with Receiver() as rx:
        out = _run(_plan(), [_alert(level=1)], _env(rx), tmp_path)
    assert out.sent == () and out.below_routes == 1 and rx.requests == []


def test_a_rising_level_is_sent_again_as_an_escalation_to_the_new_routes(tmp_path):
    with Receiver() as rx:
        env = _env(rx)
        first = _run(_plan(), [_alert(level=2)], env, tmp_path)
        later = _run(_plan(), [_alert(level=3)], env, tmp_path, now=NOW + dt.timedelta(hours=1))
        again = _run(_plan(), [_alert(level=3)], env, tmp_path, now=NOW + dt.timedelta(hours=1, minutes=5))
    assert [d.channel for d in first.sent] == ["ops_wecom"]
    assert sorted(d.channel for d in later.sent) == ["lead_feishu", "ops_wecom", "pr_ding"] and {d.event for d in later.sent} == {"escalation"}
    assert again.sent == ()
    wecom = [r["json"]["markdown"]["content"] for r in rx.to("/wecom")]
    assert len(wecom) == 2 and "【预警升级】" in wecom[1] and "级别由 Ⅲ级 较大（黄色） 升至 Ⅱ级 重大（橙色）" in wecom[1]
    # the deadline tightens to the new level's: 2 hours from the escalation, not 12 from the first alert
    assert "12月1日 12:00 前（2 小时内）" in wecom[1]


def test_an_unanswered_alert_past_its_deadline_gets_a_bounded_number_of_reminders(tmp_path):
    plan = _plan(max_reminders=2)
    with Receiver() as rx:
        env = _env(rx)
        _run(plan, [_alert(level=3)], env, tmp_path)
        early = _run(plan, [_alert(level=3)], env, tmp_path, now=NOW + dt.timedelta(hours=1))
        late = _run(plan, [_alert(level=3)], env, tmp_path, now=NOW + dt.timedelta(hours=2, minutes=1))
        soon = _run(plan, [_alert(level=3)], env, tmp_path, now=NOW + dt.timedelta(hours=3))  # within the next deadline
        second = _run(plan, [_alert(level=3)], env, tmp_path, now=NOW + dt.timedelta(hours=4, minutes=2))
        third = _run(plan, [_alert(level=3)], env, tmp_path, now=NOW + dt.timedelta(hours=8))
    assert early.sent == () and soon.sent == () and third.sent == ()
    assert {d.event for d in late.sent} == {"reminder"} and len(late.sent) == 3 and len(second.sent) == 3
    reminder = rx.to("/wecom")[1]["json"]["markdown"]["content"]
    assert "【回应超时提醒】" in reminder and "请 王芳 立即处理（第 1 次提醒）" in reminder
    assert "第 2 次提醒" in rx.to("/wecom")[2]["json"]["markdown"]["content"]


def test_an_answered_alert_gets_no_reminder(tmp_path):
    with Receiver() as rx:
        env = _env(rx)
        _run(_plan(), [_alert(level=3)], env, tmp_path)
        out = _run(_plan(), [_alert(level=3, answered=True)], env, tmp_path, now=NOW + dt.timedelta(hours=5))
    assert out.sent == () and len(rx.requests) == 3
    assert json.loads((tmp_path / ".notifications.json").read_text(encoding="utf-8"))["alerts"]["Lumina|2026-10-06"]["answered_at"]


# ---------------------------------------------------------------- failures


def test_an_http_500_is_retried_then_reported_and_retried_on_the_next_run(tmp_path):
    failing = {"on": True}

    def answer(req):
        return (500, {"errcode": -1}, 0) if failing["on"] and req["path"] == "/ding" else (200, {"errcode": 0, "code": 0}, 0)

    with Receiver(answer) as rx:
        env = _env(rx)
        out = _run(_plan(), [_alert(level=3)], env, tmp_path)
        assert len(rx.to("/ding")) == 3  # the first attempt and 2 retries
        assert out.exit_code == notify.EXIT_NOTIFY_FAILED == 4
        (fail,) = out.failed
        assert (fail.channel, fail.attempts, fail.reason) == ("pr_ding", 3, "HTTP 500")
        assert sorted(d.channel for d in out.sent) == ["lead_feishu", "ops_wecom"]  # the others still went
        assert out.to_manifest()["failed"][0]["reason"] == "HTTP 500"
        assert out.lines()[0] == "smkit: notification to pr_ding (dingtalk) failed after 3 attempts: HTTP 500 [Lumina 2026-10-06, alert]"
        failing["on"] = False
        retry = _run(_plan(), [_alert(level=3)], env, tmp_path, now=NOW + dt.timedelta(minutes=10))
    assert [(d.channel, d.event) for d in retry.sent] == [("pr_ding", "alert")] and not retry.failed


def test_a_timeout_is_retried_a_bounded_number_of_times(tmp_path):
    with Receiver(lambda req: (200, {"errcode": 0}, 1.0)) as rx:
        t0 = time.perf_counter()
        out = _run(
            _plan(ISSUE_PLAN.replace("[ops_wecom, pr_ding, lead_feishu]", "[ops_wecom]"), retries=1, timeout_seconds=0.2), [_alert(level=3)], _env(rx), tmp_path
        )
        elapsed = time.perf_counter() - t0
    (fail,) = out.failed
    assert fail.attempts == 2 and fail.reason == "no answer within 0.2 s" and len(rx.requests) == 2
    assert elapsed < 2.0


def test_a_robot_refusal_is_not_retried_and_its_message_is_scrubbed(tmp_path):
    def answer(req):
        if req["path"] == "/ding":  # a robot that echoes the address it was called on
            return 200, {"errcode": 310000, "errmsg": f"sign not match, token ding-token-123456789 at {req['path']}?access_token=ding-token-123456789"}, 0
        return 200, {"errcode": 0, "code": 0}, 0

    with Receiver(answer) as rx:
        out = _run(_plan(), [_alert(level=3)], _env(rx), tmp_path)
    (fail,) = out.failed
    assert fail.attempts == 1 and len(rx.to("/ding")) == 1
    assert fail.reason.startswith("the robot refused the message (code 310000: sign not match") and "ding-token-123456789" not in fail.reason


def test_a_missing_variable_or_a_closed_port_is_reported_by_name(tmp_path):
    env = {"SMKIT_WECOM_URL": "http://127.0.0.1:9/wecom?key=closed-port-key-1234", "SMKIT_DING_URL": "http://127.0.0.1:9/ding"}
    out = _run(_plan(), [_alert(level=3)], env, tmp_path)
    reasons = {f.channel: (f.attempts, f.reason) for f in out.failed}
    assert reasons["pr_ding"] == (1, "environment variable SMKIT_DING_SECRET is not set")
    assert reasons["lead_feishu"] == (1, "environment variable SMKIT_FEISHU_URL is not set")
    assert reasons["ops_wecom"][0] == 3 and reasons["ops_wecom"][1].startswith("could not connect")


def test_no_url_or_secret_in_anything_returned_logged_or_written(tmp_path, caplog, capsys):
    secrets = ["wecom-key-123456789", "ding-token-123456789", "feishu-hook-uuid-123456789", DING_SECRET, FEISHU_SECRET, "127.0.0.1:"]

    def answer(req):
        if req["path"] == "/wecom":
            return 500, {"errcode": 1, "errmsg": f"bad {req['path']}?key=wecom-key-123456789"}, 0
        if req["path"] == "/ding":
            return 200, {"errcode": 310000, "errmsg": f"sign not match {DING_SECRET} ding-token-123456789"}, 0
        return 200, {"code": 0}, 0

    plan_text = ISSUE_PLAN.replace(
        "lead_feishu: {type: feishu, url_env: SMKIT_FEISHU_URL}", "lead_feishu: {type: feishu, url_env: SMKIT_FEISHU_URL, secret_env: SMKIT_FEISHU_SECRET}"
    )
    plan = _plan(plan_text)
    caplog.set_level(logging.DEBUG)
    with Receiver(answer) as rx:
        env = _env(rx, feishu_secret=True)
        outcomes = [_run(plan, [_alert(level=3)], env, tmp_path), _run(plan, [_alert(level=4)], env, tmp_path, now=NOW + dt.timedelta(hours=1))]
    for out in outcomes:
        print("\n".join(out.lines()))
    texts = [repr(plan), repr(outcomes), json.dumps([o.to_manifest() for o in outcomes], ensure_ascii=False), caplog.text, capsys.readouterr().out]
    texts += [p.read_text(encoding="utf-8") for p in tmp_path.rglob("*") if p.is_file()]
    texts += [json.dumps(r["json"], ensure_ascii=False) for r in rx.requests]  # nor in the messages themselves
    assert sum(len(o.failed) for o in outcomes) >= 2 and any(o.sent for o in outcomes)
    for text in texts:
        for secret in secrets:
            assert secret not in text


# ---------------------------------------------------------------- the planted crisis


@pytest.mark.slow
def test_the_planted_weibo_crisis_is_notified_once_with_its_owner_and_deadline(sample_store, tmp_path):
    from smkit.data.store import load
    from smkit.params import Config
    from smkit.playbooks import reputation_monitor as monitor
    from smkit.playbooks.reputation_monitor import response

    cfg = Config(sample_store, dt.date(2026, 10, 4), dt.date(2026, 10, 31), {})
    s = monitor.settings(brand_aliases="露米娜")
    inputs = monitor.load(cfg, s)
    result = monitor.analyze(inputs, s)
    team = load("team", store=sample_store)
    posts = load("posts", store=sample_store, start="2026-10-01", end="2026-10-31")
    tracking = response.track_result(result, inputs, posts, team)
    alerts = response.alerts_with_response(result, tracking)
    (crisis,) = [a for a in alerts if a["start"] == "2026-10-06"]
    assert crisis["level"] == 3 and crisis["platforms"] == ["weibo"]  # Ⅱ级 at scale 0.2
    assert crisis["response"]["owners"] == ["王芳"] and crisis["response"]["response_hours"] > 0 and crisis["response"]["recovery_days"] is not None

    with Receiver() as rx:
        env = _env(rx)
        first = notify.notify_run(
            result.to_summary(), alerts, tmp_path / "2026-12-01" / "reputation_monitor" / "report.html", _plan(), team, now=NOW, environ=env
        )
        second = notify.notify_run(
            result.to_summary(),
            alerts,
            tmp_path / "2026-12-02" / "reputation_monitor" / "report.html",
            _plan(),
            team,
            now=NOW + dt.timedelta(days=1),
            environ=env,
        )
    crisis_sent = [d for d in first.sent if d.start == "2026-10-06"]
    assert sorted(d.channel for d in crisis_sent) == ["lead_feishu", "ops_wecom", "pr_ding"] and not first.failed
    assert second.sent == ()  # answered (the brand replied), so no reminder either
    content = next(r["json"]["markdown"]["content"] for r in rx.to("/wecom") if "2026年10月6日" in r["json"]["markdown"]["content"])
    assert "Ⅱ级 重大（橙色）" in content and "王芳（content planner）" in content and "12月1日 11:00 前（2 小时内）" in content


def test_notify_folder_reads_a_finished_runs_files_and_skips_other_playbooks(tmp_path):
    folder = tmp_path / "2026-12-01" / "reputation_monitor"
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps({"brand": "Lumina", "alert_level": 3}), encoding="utf-8")
    (folder / "alerts.json").write_text(json.dumps({"brand": "Lumina", "alerts": [_alert(level=3)]}, ensure_ascii=False), encoding="utf-8")
    other = tmp_path / "2026-12-01" / "data_overview"
    other.mkdir()
    with Receiver() as rx:
        out = notify.notify_folder(folder, _plan(), now=NOW, environ=_env(rx))
        none = notify.notify_folder(other, _plan(), now=NOW, environ=_env(rx))
    assert len(out.sent) == 3 and none.sent == () and len(rx.requests) == 3
    assert Path(out.state_path) == tmp_path / ".notifications.json"
    assert "负责人：未指定" in rx.to("/wecom")[0]["json"]["markdown"]["content"]  # no store, no team table: said, not guessed


def test_an_unreadable_state_file_is_kept_aside_and_started_afresh(tmp_path):
    state = tmp_path / ".notifications.json"
    state.write_text("{not json", encoding="utf-8")
    with Receiver() as rx:
        out = _run(_plan(), [_alert(level=3)], _env(rx), tmp_path)
    assert len(out.sent) == 3 and (tmp_path / ".notifications.json.unreadable").read_text(encoding="utf-8") == "{not json"
    assert "Lumina|2026-10-06" in json.loads(state.read_text(encoding="utf-8"))["alerts"]


@pytest.mark.slow
def test_smkit_run_notify_sends_the_planted_crisis_once_and_keeps_urls_out_of_the_manifest(sample_store, tmp_path):
    """The whole path through the command line: the monitor's notebook writes
    alerts.json with its response tracking, ``--notify`` sends it, the manifest
    records it by channel name only, and the next day's run sends nothing."""
    import os
    import subprocess
    import sys

    smkit = Path(sys.executable).parent / "smkit"
    plan = tmp_path / "response_plan.yml"
    plan.write_text(ISSUE_PLAN + "delivery: {retries: 1, backoff_seconds: 0.01, timeout_seconds: 5}\n", encoding="utf-8")
    reports = tmp_path / "reports"
    with Receiver() as rx:
        env = {**os.environ, **_env(rx)}
        secrets = [env[k] for k in ("SMKIT_WECOM_URL", "SMKIT_DING_URL", "SMKIT_DING_SECRET", "SMKIT_FEISHU_URL")]
        secrets += ["wecom-key-123456789", "ding-token-123456789", "feishu-hook-uuid-123456789", "127.0.0.1"]
        runs = []
        for day in ("2026-12-01", "2026-12-02"):
            args = [str(smkit), "run", "reputation_monitor", "--store", str(sample_store), "--reports", str(reports), "--date", day, "--quiet"]
            args += ["-p", "start", "2026-10-04", "-p", "end", "2026-10-31", "--notify", str(plan)]
            runs.append(subprocess.run(args, capture_output=True, text=True, env=env, timeout=600))
            if day == "2026-12-01":
                first_requests = len(rx.requests)
    for proc in runs:
        assert proc.returncode == 0, proc.stderr
    # once: the crisis (Ⅱ级, the monitor's level 3) to the three channels of its level, nothing the next day
    assert first_requests == 3 == len(rx.requests)
    assert {r["path"] for r in rx.requests} == {"/wecom", "/ding", "/feishu/hook/feishu-hook-uuid-123456789"}
    content = rx.to("/wecom")[0]["json"]["markdown"]["content"]
    assert "2026年10月6日" in content and "Ⅱ级 重大（橙色）" in content
    assert "王芳（content planner）" in content and "前（2 小时内）" in content  # the owner from the team table, a deadline two hours on
    first = reports / "2026-12-01" / "reputation_monitor"
    alerts = json.loads((first / "alerts.json").read_text(encoding="utf-8"))["alerts"]
    crisis = next(a for a in alerts if a["start"] == "2026-10-06")
    assert crisis["response"]["owners"] == ["王芳"] and crisis["response"]["status"] == "missed" and crisis["response"]["recovery_days"] == 6
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    sent = manifest["notifications"]["sent"]
    assert sorted(d["channel"] for d in sent) == ["lead_feishu", "ops_wecom", "pr_ding"] and not manifest["notifications"]["failed"]
    assert {(d["start"], d["level"], d["event"]) for d in sent} == {("2026-10-06", 3, "alert")}
    second = json.loads((reports / "2026-12-02" / "reputation_monitor" / "manifest.json").read_text(encoding="utf-8"))
    assert "notifications" not in second  # nothing was sent, so nothing recorded
    texts = [
        p.read_text(encoding="utf-8", errors="replace") for p in reports.rglob("*") if p.is_file() and p.suffix in (".json", ".html", ".log", ".txt", ".ipynb")
    ]
    texts += [proc.stdout + proc.stderr for proc in runs]
    for text in texts:
        for secret in secrets:
            assert secret not in text
