"""The growth funnel: newcomer → active member → core contributor, per month.

A member is a *newcomer* in the month of their first activity in the data
(the first month of data is left out: members who joined before it look new
there). They become *active* on the day they reach ``active_days`` active
days within 28 days, and a *core contributor* on the day their posts and
comments add up to ``core_contributions``. A month's shares count what its
newcomers reached by the end of the data, so the latest months are still
filling up; the days to each step are medians over those who took it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CONTRIBUTING = ("post", "comment")


def steps(activity: pd.DataFrame, active_days: int, core_contributions: int) -> pd.DataFrame:
    """Per member: the first day, the day they became active and the day they became core (``NaT`` if not yet)."""
    a = activity.assign(date=pd.to_datetime(activity["date"]))
    days = a[["user_id", "date"]].drop_duplicates().sort_values(["user_id", "date"])
    first = days.groupby("user_id")["date"].min()
    earlier = days.groupby("user_id")["date"].shift(active_days - 1)
    reached = days[(days["date"] - earlier) <= pd.Timedelta(days=27)] if active_days > 1 else days
    active_on = reached.groupby("user_id")["date"].min()
    count = a["count"].astype("Float64").fillna(1.0).astype(float)
    contrib = a.assign(n=count.where(a["action"].isin(CONTRIBUTING), 0.0)).groupby(["user_id", "date"])["n"].sum().reset_index()
    contrib["total"] = contrib.groupby("user_id")["n"].cumsum()
    core_on = contrib[contrib["total"] >= core_contributions].groupby("user_id")["date"].min()
    return pd.DataFrame({"first": first, "active_on": active_on.reindex(first.index), "core_on": core_on.reindex(first.index)})


def funnel(activity: pd.DataFrame, active_days: int, core_contributions: int) -> pd.DataFrame:
    """Per month of joining: newcomers, the share that became active and core, and the median days to each."""
    s = steps(activity, active_days, core_contributions)
    if s.empty:
        return pd.DataFrame(columns=["newcomers", "active_share", "days_to_active", "core_share", "days_to_core"])
    s["month"] = s["first"].dt.to_period("M")
    s = s[s["month"] > s["month"].min()]
    to_active = (s["active_on"] - s["first"]).dt.days
    to_core = (s["core_on"] - s["first"]).dt.days
    out = pd.DataFrame(
        {
            "newcomers": s.groupby("month").size(),
            "active_share": s["active_on"].notna().groupby(s["month"]).mean(),
            "days_to_active": to_active.groupby(s["month"]).median(),
            "core_share": s["core_on"].notna().groupby(s["month"]).mean(),
            "days_to_core": to_core.groupby(s["month"]).median(),
        }
    )
    out.index = out.index.to_timestamp()
    out.index.name = "month"
    return out.replace([np.inf, -np.inf], np.nan)
