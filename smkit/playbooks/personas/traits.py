"""What defines each persona: traits that differ from the whole audience
after Holm adjustment, the strongest of them, and names made from them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from smkit import i18n
from smkit.data.schema import PLATFORM_ZH
from smkit.methods import stats

from .preparation import Preparation

TOP_TRAITS = 4

ZH = {
    **PLATFORM_ZH, "female": "女性", "male": "男性", "beauty": "美妆", "fashion": "时尚", "travel": "旅行",
    "home_decor": "家居", "gaming": "游戏", "anime": "动漫", "tech": "科技", "diy": "DIY", "career": "职场", "productivity": "效率",
    "finance": "理财", "parenting": "育儿", "food": "美食", "health": "健康", "student": "学生", "designer": "设计师", "marketing": "营销",
    "engineer": "工程师", "manager": "经理", "consultant": "咨询", "teacher": "教师", "civil_servant": "公务员", "self_employed": "个体",
    "homemaker": "全职家庭", "age": "年龄", "spend_per_month": "月消费", "orders_per_month": "月订单", "likes_per_month": "月点赞",
    "posts_per_month": "月发帖", "active_hour": "活跃时段", "city_tier": "城市等级", "need_recognition": "认同需求",
    "need_venting": "宣泄需求", "need_entertainment": "娱乐需求", "platform": "平台", "gender": "性别", "region": "地区",
    "occupation": "职业", "interests": "兴趣", "high": "高", "low": "低",
}  # fmt: skip


@dataclass(frozen=True)
class Persona:
    index: int
    name: str
    name_zh: str
    size: int
    share: float
    top_traits: list[str]
    traits: pd.DataFrame  # every significant trait with its lift


def trait_table(frame: pd.DataFrame, labels: np.ndarray, prep: Preparation, alpha: float = 0.05) -> pd.DataFrame:
    """Every persona's traits against the whole audience: the lift (persona
    value over overall value) and a Holm-adjusted test of the difference
    (Welch t for numeric columns, two proportions for categories and tokens),
    computed from per-persona sums so a million users take seconds."""
    rows = []
    personas = np.unique(labels)
    n_all = len(labels)
    for col in prep.numeric:
        x = frame[col].astype(float)
        g = x.groupby(labels)
        count, total, squares = g.count(), g.sum(), (x**2).groupby(labels).sum()
        overall = x.mean()
        for persona in personas:
            a = stats.MeanStat(count[persona], total[persona], squares[persona])
            b = stats.MeanStat(count.sum() - count[persona], total.sum() - total[persona], squares.sum() - squares[persona])
            if a.n < 2 or b.n < 2:
                continue
            _, p = stats.welch_test(a, b)
            rows.append({
                "persona": persona, "trait": f"{'high' if a.mean > overall else 'low'} {col}", "key": col, "column": col, "value": col,
                "in_persona": a.mean, "overall": overall, "lift": a.mean / overall if overall else np.nan, "p_value": p,
            })  # fmt: skip
    indicators = prep.indicators(frame)
    if indicators.shape[1]:
        hits = indicators.groupby(labels).sum()
        sizes = pd.Series(labels).value_counts()
        totals = indicators.sum()
        for col, value in indicators.columns:
            k_all = totals[(col, value)]
            if k_all == 0:
                continue
            for persona in personas:
                k_in, n_in = hits.at[persona, (col, value)], sizes[persona]
                p = stats.two_proportion_pvalue(k_all - k_in, n_all - n_in, k_in, n_in)
                rows.append({
                    "persona": persona, "trait": value, "key": value, "column": col, "value": value, "in_persona": k_in / n_in,
                    "overall": k_all / n_all, "lift": (k_in / n_in) / (k_all / n_all), "p_value": p,
                })  # fmt: skip
    columns = ["persona", "trait", "key", "column", "value", "in_persona", "overall", "lift", "p_value"]
    table = pd.DataFrame(rows, columns=columns)
    table["p_value_adjusted"] = stats.adjust_pvalues(table["p_value"].fillna(1.0).to_numpy(), "holm")
    table["significant"] = table["p_value_adjusted"] < alpha
    return table


def top_traits(traits: pd.DataFrame, n: int = TOP_TRAITS) -> pd.DataFrame:
    """The defining traits: significant, over-represented categories and
    numeric columns far from average, strongest first."""
    chosen = traits[traits["significant"] & ((traits["column"] == traits["value"]) | (traits["lift"] > 1))].copy()
    chosen["strength"] = np.abs(np.log(chosen["lift"].clip(lower=1e-6)))
    return chosen.sort_values("strength", ascending=False).head(n)


def zh(word: str) -> str:
    return ZH.get(word, word)


def name(top: pd.DataFrame) -> tuple[str, str]:
    """An English and a Chinese name from the three strongest traits."""
    if top.empty:
        return "Average users", "普通用户"
    words_en, words_zh = [], []
    for _, t in top.head(3).iterrows():
        if t["column"] == t["value"]:  # numeric
            level = "high" if t["in_persona"] > t["overall"] else "low"
            words_en.append(f"{level} {t['column'].replace('_', ' ')}")
            words_zh.append(f"{zh(t['column'])}偏{zh(level)}")
        else:
            value = str(t["value"])
            words_en.append(i18n.platform(value, "en") if value in i18n.PLATFORMS["en"] else value.replace("_", " "))
            words_zh.append(i18n.platform(value, "zh") if value in i18n.PLATFORMS["zh"] else zh(value))
    en = " · ".join(words_en)
    return en[:1].upper() + en[1:], "·".join(words_zh)


def describe_personas(traits: pd.DataFrame, labels: np.ndarray) -> list[Persona]:
    """One :class:`Persona` per label: size, share, name and significant traits."""
    personas = []
    for persona in np.unique(labels):
        mine = traits[traits["persona"] == persona]
        top = top_traits(mine)
        en, zh_name = name(top)
        size = int((labels == persona).sum())
        personas.append(Persona(int(persona), en, zh_name, size, size / len(labels), top["trait"].tolist(), mine[mine["significant"]]))
    return personas
