"""Content types as the platforms write them, mapped to the canonical types.

Exports name a post's form (体裁) in their own words and change them between
versions: Douyin writes ``视频``, ``图文`` and now ``1min-视频``; Xiaohongshu
``笔记`` and ``视频笔记``; Channels ``竖版视频`` and ``横版视频``; live
recordings come as ``直播回放``. The table below maps the spellings seen in
today's exports, and a few rules catch the rest of a family (anything that
names a 视频 is a video, a 图文/图集 an image post); a value neither knows is
stored as ``other`` and reported by the ingest, so a new spelling is added
here rather than silently lumped in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CONTENT_TYPES = ("image_text", "video", "live", "h5", "animation", "topic", "other")

# Exported spelling (compared lower-cased, without blanks) -> canonical type.
CONTENT_TYPE_ALIASES = {
    # image and text posts
    "图文": "image_text",
    "图片": "image_text",
    "图集": "image_text",
    "多图": "image_text",
    "单图": "image_text",
    "笔记": "image_text",
    "图文笔记": "image_text",
    "普通笔记": "image_text",
    "文章": "image_text",
    "长文": "image_text",
    "图文消息": "image_text",
    "原创文章": "image_text",
    "专栏": "image_text",
    "动态": "image_text",
    "image": "image_text",
    "images": "image_text",
    "image-text": "image_text",
    "photo": "image_text",
    "carousel": "image_text",
    "article": "image_text",
    "text": "image_text",
    "document": "image_text",
    # video
    "视频": "video",
    "短视频": "video",
    "长视频": "video",
    "中视频": "video",
    "视频笔记": "video",
    "竖版视频": "video",
    "横版视频": "video",
    "竖屏视频": "video",
    "横屏视频": "video",
    "直播切片": "video",
    "video": "video",
    "reel": "video",
    "reels": "video",
    "short": "video",
    "shorts": "video",
    # live
    "直播": "live",
    "直播回放": "live",
    "直播录屏": "live",
    "live": "live",
    "livestream": "live",
    # the rest
    "h5": "h5",
    "h5页面": "h5",
    "互动h5": "h5",
    "动画": "animation",
    "动图": "animation",
    "gif": "animation",
    "话题": "topic",
}

# Families of spellings: the first rule whose pattern occurs in the value wins.
# A length prefix (1min-视频, 15s视频) or an orientation (竖版) does not change the form.
CONTENT_TYPE_RULES = (
    (re.compile("直播"), "live"),
    (re.compile("视频|video"), "video"),
    (re.compile("图文|图集|图片|笔记"), "image_text"),
)


def _key(value: object) -> str:
    return re.sub(r"\s+", "", str(value)).lower()


def known_content_type(value: object) -> str | None:
    """The canonical type of an exported form, or None when neither the table nor a rule knows it."""
    text = str(value).strip()
    if text.lower() in CONTENT_TYPES:
        return text.lower()
    key = _key(text)
    if key in CONTENT_TYPE_ALIASES:
        return CONTENT_TYPE_ALIASES[key]
    for pattern, ctype in CONTENT_TYPE_RULES:
        if pattern.search(key):
            return ctype
    return None


def normalise_content_type(value: object) -> str:
    """Map an exported content form (图文, 视频, 1min-视频, 视频笔记 ...) to a canonical type; ``other`` when unknown."""
    return known_content_type(value) or "other"


def unknown_content_types(values: Iterable[object]) -> dict[str, int]:
    """The exported values (blanks left out) that map to no known type, with how often each occurs.

    Each distinct value is looked up once: an export repeats a few forms over many rows."""
    import pandas as pd  # here, so that the schema imports without it

    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    counts: dict[str, int] = {}
    for value, n in series.value_counts(sort=False).items():  # missing cells are not counted
        text = str(value).strip()
        if text and known_content_type(text) is None:
            counts[text] = counts.get(text, 0) + int(n)
    return counts


def content_type_notes(values: Iterable[object]) -> list[str]:
    """One sentence for the ingest report when some content types are unknown (none when all are known)."""
    counts = unknown_content_types(values)
    if not counts:
        return []
    listed = ", ".join(f"'{v}' ({n:,} row{'s' if n > 1 else ''})" for v, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return [f"content_type: unknown value(s) stored as other: {listed}; add them to smkit/data/content_types.py to map them"]
