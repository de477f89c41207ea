"""The words of an alert notification: one short message in the report's
language (``zh`` or ``en``) that every channel format is made from.

Level and colour, brand and platform, what rose and by how much, the top
negative mention, who owns the response and by when, the holding statement
and the report. Text from the data (authors, mentions, keywords, the brand)
is made inert for chat markdown: no links, mentions (``<@all>``) or markup.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from smkit import i18n
from smkit.run.response_plan import Responsible

_MARKUP = re.compile(r"[<>\[\]*_`#|~\\]")

_WORDS = {
    "zh": {
        "alert": "【舆情预警】",
        "escalation": "【预警升级】",
        "reminder": "【回应超时提醒】",
        "brand": "品牌",
        "platform": "平台",
        "all_platforms": "全平台",
        "started": "开始",
        "rose": "变化",
        "volume": "提及量为常态的 {ratio} 倍（常态每日 {usual} 条）",
        "volume_no_usual": "提及 {mentions} 条（此前无常态声量）",
        "negative": "负面占比 {share}（基线 {baseline}）",
        "top": "最受关注的负面",
        "followers": "{n}粉丝",
        "owner": "负责人",
        "nobody": "未指定（团队表中无此平台的负责人）",
        "deadline": "回应时限",
        "by": "{when} 前（{hours} 小时内）",
        "statement": "待发口径",
        "report": "报告",
        "escalated": "级别由 {old} 升至 {new}",
        "overdue": "已过回应时限，尚未见官方回应：请 {owners} 立即处理（第 {n} 次提醒）",
        "sep": "；",
        "list": "、",
        "role": "{name}（{role}）",
    },
    "en": {
        "alert": "[Alert] ",
        "escalation": "[Escalated] ",
        "reminder": "[Reminder: response overdue] ",
        "brand": "Brand",
        "platform": "Platform",
        "all_platforms": "all platforms",
        "started": "Started",
        "rose": "What rose",
        "volume": "mentions {ratio}x a usual day ({usual} a day)",
        "volume_no_usual": "{mentions} mentions (no usual volume before)",
        "negative": "negative share {share} (baseline {baseline})",
        "top": "Top negative mention",
        "followers": "{n} followers",
        "owner": "Owner",
        "nobody": "not assigned (no owner of this platform in the team table)",
        "deadline": "Respond by",
        "by": "{when} (within {hours} h)",
        "statement": "Holding statement",
        "report": "Report",
        "escalated": "raised from {old} to {new}",
        "overdue": "The deadline passed with no official response: {owners}, please respond now (reminder {n})",
        "sep": "; ",
        "list": ", ",
        "role": "{name} ({role})",
    },
}


@dataclass(frozen=True)
class Message:
    """One alert as words, ready for any channel's format."""

    event: str
    severity: int
    title: str
    lines: tuple[str, ...]  # plain text, the title excluded
    facts: Mapping = field(default_factory=dict, repr=False)  # for the plain webhook's JSON
    lang: str = "zh"

    def plain(self) -> str:
        return "\n".join((self.title, *self.lines))

    def markdown(self, colour: str | None = None) -> str:
        """Bold title (in ``colour`` when given, a WeCom or DingTalk font colour) and one paragraph per line."""
        head = f"**{self.title}**" if colour is None else f'<font color="{colour}">**{self.title}**</font>'
        return "\n\n".join((head, *self.lines))


# ---------------------------------------------------------------- the message


def plain_text(value, limit: int = 80) -> str:
    """User text made inert in chat markdown (no links, mentions or markup) and short."""
    text = _MARKUP.sub("", " ".join(str(value or "").split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(moment: dt.datetime, lang: str) -> str:
    return f"{i18n.date(moment.date(), lang, short=True)} {moment:%H:%M}"


def _number(value) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _owners_text(owners: Sequence[Responsible], words: dict) -> str:
    if not owners:
        return words["nobody"]
    return words["list"].join(words["role"].format(name=o.name, role=o.role) if o.role else o.name for o in owners)


def build_message(
    brand: str,
    alert: Mapping,
    *,
    event: str,
    owners: Sequence[Responsible],
    deadline: dt.datetime,
    hours: float,
    report: str,
    statement: str | None = None,
    previous_level: int | None = None,
    reminder: int = 0,
    lang: str = "zh",
) -> Message:
    """The short message for one alert: level and colour, brand, platform, what
    rose and by how much, the top negative mention, who owns the response and
    by when, the holding statement and the report."""
    w = _WORDS[i18n.check_language(lang)]
    severity = min(max(int(alert["level"]), 1), 4)
    platforms = [str(p) for p in alert.get("platforms") or ()]
    where = w["list"].join(i18n.platform(p, lang) for p in platforms) or w["all_platforms"]
    rose = []
    metric = str(alert.get("metric", ""))
    ratio, usual = _number(alert.get("magnitude")), _number(alert.get("usual_daily_mentions"))
    if "volume" in metric:
        if usual:
            rose.append(w["volume"].format(ratio=f"{ratio:.1f}" if ratio is not None else "–", usual=i18n.count(usual, lang)))
        else:
            rose.append(w["volume_no_usual"].format(mentions=i18n.count(_number(alert.get("mentions")), lang)))
    if "negative" in metric or not rose:
        rose.append(
            w["negative"].format(
                share=i18n.percent(_number(alert.get("negative_share")), 0), baseline=i18n.percent(_number(alert.get("baseline_negative_share")), 0)
            )
        )
    title = w[event] + f"{i18n.level_name(severity, lang)} {plain_text(brand, 40)} {where}"
    lines = []
    if event == "escalation" and previous_level:
        lines.append(w["escalated"].format(old=i18n.level_name(previous_level, lang), new=i18n.level_name(severity, lang)))
    if event == "reminder":
        lines.append(w["overdue"].format(owners=w["list"].join(o.name for o in owners) or w["nobody"], n=reminder))
    sep, gap = (": ", " · ") if lang == "en" else ("：", "　")
    lines.append(f"{w['brand']}{sep}{plain_text(brand, 40)}{gap}{w['platform']}{sep}{where}")
    lines.append(f"{w['started']}{sep}{i18n.date(str(alert['start']), lang)}{gap}{w['rose']}{sep}{w['sep'].join(rose)}")
    top = (alert.get("top_negative") or [None])[0]
    if top:
        who = plain_text(top.get("author") or "–", 30)
        followers = _number(top.get("followers"))
        detail = w["followers"].format(n=i18n.count(followers, lang)) if followers is not None else ""
        place = i18n.platform(str(top.get("platform")), lang) if top.get("platform") else ""
        inner = (", " if lang == "en" else "，").join(x for x in (detail, place) if x)
        quote = f"“{plain_text(top.get('text'))}”" if lang == "zh" else f'"{plain_text(top.get("text"))}"'
        lines.append(f"{w['top']}{sep}{who}" + (f" ({inner})" if lang == "en" and inner else f"（{inner}）" if inner else "") + f" {quote}")
    hours_text = f"{hours:g}"
    lines.append(f"{w['owner']}{sep}{_owners_text(owners, w)}{gap}{w['deadline']}{sep}{w['by'].format(when=_when(deadline, lang), hours=hours_text)}")
    if statement:
        lines.append(f"{w['statement']}{sep}{statement}")
    lines.append(f"{w['report']}{sep}{report}")
    facts = {
        "event": event,
        "brand": brand,
        "level": severity,
        "level_name": i18n.level_name(severity, lang),
        "level_colour": i18n.LEVEL_COLOURS[severity],
        "platforms": platforms,
        "start": str(alert.get("start")),
        "end": str(alert.get("end")),
        "metric": metric,
        "magnitude": ratio,
        "negative_share": _number(alert.get("negative_share")),
        "baseline_negative_share": _number(alert.get("baseline_negative_share")),
        "owners": [o.name for o in owners],
        "deadline": deadline.isoformat(timespec="minutes"),
        "report": report,
    }
    return Message(event, severity, title, tuple(lines), facts, lang)


def fill_statement(template: str | None, brand: str, alert: Mapping, deadline: dt.datetime, lang: str) -> str | None:
    """A holding statement template filled with the alert's facts (the template as written if it cannot be filled)."""
    if not template:
        return None
    list_sep = _WORDS[lang]["list"]
    values = {
        "brand": brand,
        "platform": list_sep.join(i18n.platform(str(p), lang) for p in alert.get("platforms") or ()) or _WORDS[lang]["all_platforms"],
        "start": i18n.date(str(alert["start"]), lang),
        "end": i18n.date(str(alert["end"]), lang),
        "level": i18n.level_name(min(max(int(alert["level"]), 1), 4), lang),
        "keywords": list_sep.join(plain_text(k, 20) for k in list(alert.get("keywords") or ())[:3]),
        "negative_share": i18n.percent(_number(alert.get("negative_share")), 0),
        "mentions": i18n.count(_number(alert.get("mentions")), lang),
        "deadline": _when(deadline, lang),
    }
    try:
        return template.format_map(values)
    except (KeyError, ValueError, IndexError):
        return template
