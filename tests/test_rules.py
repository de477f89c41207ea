"""Earned against owned mentions, and first replies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smkit import rules as mentions


def _rows():
    t = pd.Timestamp("2026-10-01 09:00", tz="Asia/Shanghai")
    h = pd.Timedelta(hours=1)
    return pd.DataFrame(
        {
            "mention_id": ["m1", "m2", "m3", "r1", "r2", "r3", "x1", "rx"],
            "brand": ["A", "A", "A", "A", "A", "A", "B", "B"],
            "published_at": [t, t, t, t + 2 * h, t + 5 * h, t - h, t, t + h],
            "is_reply_by_brand": [False, False, None, True, True, True, False, True],
            "reply_to": [None, None, None, "m1", "m1", "m3", None, "m2"],  # B's reply to A's mention is not A answering
        }
    )


def test_earned_leaves_out_the_brands_own_replies_and_keeps_unflagged_rows():
    m = _rows()
    assert mentions.earned(m)["mention_id"].tolist() == ["m1", "m2", "m3", "x1"]
    assert len(mentions.earned(m.drop(columns="is_reply_by_brand"))) == len(m)  # no flag: nothing is a reply


def test_first_reply_hours_pairs_each_mention_with_the_brands_first_reply():
    hours = mentions.first_reply_hours(_rows(), "A")
    assert hours["m1"] == pytest.approx(2.0)  # the first of two replies
    assert np.isnan(hours["m2"])  # only another brand replied
    assert np.isnan(hours["m3"])  # a reply stamped before its mention is not an answer
    assert list(hours.index) == ["m1", "m2", "m3"]
    assert mentions.first_reply_hours(_rows().drop(columns="reply_to"), "A").isna().all()
    assert mentions.first_reply_hours(_rows()[_rows()["brand"] == "B"].iloc[:1], "B").isna().all()  # no reply at all
