"""Pre-publish copy check: titles and copy against the advertising law and platform rules.

The rules are editable reference data (``copy_rules.csv`` in the reference
folder, :func:`smkit.paths.reference_dir`): a regular expression, the rule it
breaks (absolute terms in the sense of the PRC Advertising Law's Article 9(3),
guarantees, medical and financial claims, inducement to share or follow,
traffic sent off the platform), the platforms it applies to (empty: all), the
reason, a suggested rewording and the source.

Context is read, not only words:

- **Negation.** A term right after a negator (不是, 并非, 不算, 没有, 不敢说 ...,
  within three characters and no punctuation between) is not a claim:
  "我们不是第一" passes. "不是第一，是唯一" still flags 唯一, which is claimed.
- **Titles of works.** A term inside 《》 names a book, film or show
  (《最好的我们》) and is not the brand's claim.
- **Everyday words.** Patterns leave out ordinary uses: 第一次, 第一步,
  第一时间; 最好先 / 最好不要 (advice, not a superlative).

Quotation marks “” do not excuse a claim: "“全网最低价”" is still a claim.
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from smkit import paths

RULES_FILE = "copy_rules.csv"
NEGATORS = re.compile(r"(?:不是|并非|并不是|不算|算不上|没有|没|不敢说|谈不上|称不上|不|非)[^，。！？,.!?;；、\s]{0,3}$")
RULE_NAMES = {
    "absolute_term": "绝对化用语",
    "guarantee": "保证性承诺",
    "medical_claim": "医疗用语",
    "financial_claim": "收益承诺",
    "inducement": "诱导分享/关注",
    "offsite_traffic": "站外导流",
}


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    rule: str
    platforms: frozenset[str]
    reason: str
    suggestion: str
    source: str


@dataclass(frozen=True)
class Finding:
    """One problem in a text: the characters ``start``..``end`` (``term``)."""

    term: str
    start: int
    end: int
    rule: str
    reason: str
    suggestion: str

    def to_dict(self) -> dict:
        return asdict(self)


def load_rules(path: str | Path | None = None) -> tuple[Rule, ...]:
    """The rules from ``path`` (default: the reference table), validated: a bad
    pattern or an unknown rule name is an error naming its line."""
    path = Path(path) if path else paths.reference_dir() / RULES_FILE
    return _load(str(path))


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[Rule, ...]:
    rules = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["rule"] not in RULE_NAMES:
                raise ValueError(f"{path}, line {line}: unknown rule {row['rule']!r}; valid: {', '.join(RULE_NAMES)}")
            try:
                pattern = re.compile(row["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{path}, line {line}: pattern {row['pattern']!r} is not a valid regular expression ({exc})") from None
            platforms = frozenset(p.strip() for p in (row.get("platforms") or "").split(";") if p.strip())
            rules.append(Rule(pattern, row["rule"], platforms, row["reason"], row["suggestion"], row.get("source") or ""))
    return tuple(rules)


def _inside_title_marks(text: str, start: int) -> bool:
    """True when ``start`` lies between an unclosed 《 and its 》."""
    return text.rfind("《", 0, start) > text.rfind("》", 0, start)


def _negated(text: str, start: int) -> bool:
    return bool(NEGATORS.search(text[max(0, start - 6) : start]))


def check(text: str | None, platform: str | None = None, rules: tuple[Rule, ...] | None = None) -> list[Finding]:
    """The findings in ``text`` for ``platform`` (``None``: every platform's
    rules), in order of position; overlapping matches keep the longest."""
    if not text:
        return []
    rules = rules if rules is not None else load_rules()
    found: list[Finding] = []
    for rule in rules:
        if platform and rule.platforms and platform not in rule.platforms:
            continue
        for match in rule.pattern.finditer(text):
            if not match.group(0).strip() or _inside_title_marks(text, match.start()) or _negated(text, match.start()):
                continue
            found.append(Finding(match.group(0), match.start(), match.end(), rule.rule, rule.reason, rule.suggestion))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue  # inside a longer finding already kept
        kept.append(finding)
    return kept


def check_many(texts: list[str], platform: str | None = None) -> list[list[Finding]]:
    rules = load_rules()
    return [check(t, platform, rules) for t in texts]


def describe(text: str, findings: list[Finding]) -> str:
    """Plain text for the terminal: the copy with each finding marked, then one
    line per finding (rule, reason, suggestion)."""
    if not findings:
        return f"OK  {text}"
    marked, last = [], 0
    for f in findings:
        marked.append(text[last : f.start] + "【" + text[f.start : f.end] + "】")
        last = f.end
    lines = ["".join(marked) + text[last:]]
    for f in findings:
        lines.append(f"  - {f.term} [{RULE_NAMES[f.rule]}] {f.reason}；建议：{f.suggestion}")
    return "\n".join(lines)
