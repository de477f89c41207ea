"""Every sentence, label and heading the pacing report writes for a reader, in
Chinese and English (``T(key, lang, **values)``; checked for completeness by
``tests/test_i18n.py``). Figures arrive already formatted."""

from __future__ import annotations

from smkit import i18n

METRICS = i18n.Catalog(
    {
        "zh": {
            "views": "播放量",
            "engagements": "互动量",
            "interactions": "互动量",
            "followers_gained": "新增粉丝",
            "clicks": "点击",
            "conversions": "转化",
            "impressions": "曝光量",
            "reach": "触达人数",
        },
        "en": {
            "views": "views",
            "engagements": "engagements",
            "interactions": "interactions",
            "followers_gained": "followers gained",
            "clicks": "clicks",
            "conversions": "conversions",
            "impressions": "impressions",
            "reach": "reach",
        },
    }
)

CHANNELS = i18n.Catalog(
    {
        "zh": {"kol": "KOL合作", "paid": "付费推广", "owned": "自有账号"},
        "en": {"kol": "KOL", "paid": "paid posts", "owned": "owned posts"},
    }
)

T = i18n.Catalog(
    {
        "zh": {
            "brief_day": "活动“{name}”（{start}至{end}）今天是第 {elapsed} 天，共 {total} 天，统计到{day}。",
            "missing_efficiency": "*仓库中没有帖子数据：到目前为止的花费和各渠道、达人的单次转化成本需要导入帖子列表（`smkit ingest FILE --table posts`）。*",
            "brief_metric": "{metric}已达 {actual}，按目标节奏此时应到 {due}（{ahead}）；预计结束时 {projected}（95% 区间 {low}–{high}），目标 {target}，达成可能性 {chance}。",
            "brief_metric_no_target": "{metric}已达 {actual}，预计结束时 {projected}（95% 区间 {low}–{high}）；活动计划没有为它设目标。",
            "ahead": "领先 {gap}",
            "behind": "落后 {gap}",
            "brief_alert": "{metrics}达成可能性低于 {threshold}，需要现在调整。",
            "brief_no_alert": "所有目标的达成可能性都不低于 {threshold}。",
            "brief_no_alert_tracked": "能跟踪的目标达成可能性都不低于 {threshold}。",
            "brief_spend": "已花费 {spent}，预算 {budget}；按目前速度结束时约花 {projected}（{status}）。",
            "brief_spend_no_budget": "已花费 {spent}；按目前速度结束时约花 {projected}，活动计划没有预算。",
            "status_over": "超支",
            "status_under": "花得偏慢",
            "status_on": "节奏正常",
            "h_metric": "指标",
            "h_actual": "目前实际",
            "h_due": "目标节奏应到",
            "h_target": "目标",
            "h_projected": "预计结束值",
            "h_low": "区间下限",
            "h_high": "区间上限",
            "h_chance": "达成可能性",
            "h_group_channel": "渠道",
            "h_group_creator": "达人",
            "h_posts": "帖子数",
            "h_spend": "花费",
            "h_conversions": "转化",
            "h_cpa": "单次转化成本",
            "h_cpa_low": "成本下限",
            "h_cpa_high": "成本上限",
            "h_differs": "与最好者差异超出偶然",
            "yes": "是",
            "no": "否",
            "best": "最好",
            "h_spent": "已花费",
            "h_budget": "预算",
            "h_even": "匀速应花",
            "h_pace": "花费进度",
            "h_projected_spend": "预计总花费",
            "h_status": "判断",
            "no_efficiency": "活动帖子还没有花费和转化，无法按渠道或达人比较成本。",
            "move": "把{by_name}“{worst}”的预算（目前 {worst_spend}，单次转化 {worst_cpa}）转给“{best}”（单次转化 {best_cpa}）：两者转化率的差异超出偶然（Holm 校正后 p = {p}）。",
            "hold": "{by_name}“{best}”（单次转化 {best_cpa}）和“{worst}”（{worst_cpa}）的差距还在偶然范围内（Holm 校正后 p = {p}），先不挪预算，继续观察。",
            "by_channel": "渠道",
            "by_creator": "达人",
            "act_spend_over": "按目前速度会超出预算 {excess}：放慢投放，或先和负责人确认追加预算。",
            "act_spend_under": "按目前速度只会花掉预算的 {share}：若目标落后，可加大投放。",
            "act_target": "{metric}按目前势头可能达不到目标（可能性 {chance}）：加大最有效渠道的投放，或与负责人重新确认目标。",
            "no_actions": "各项都在节奏上，暂无需调整。",
            "chart_title": "{metric}：累计实际、目标节奏与预计",
            "legend_actual": "累计实际",
            "legend_trajectory": "目标节奏（按品牌平常的周内分布）",
            "legend_projected": "预计（按目前势头）",
            "legend_target": "目标",
            "note_no_daily": "{metric}：账号日数据里没有这一列，无法跟踪。",
            "note_no_values": "{metric}：账号日数据里没有品牌在活动平台上的这项数值，无法跟踪。",
            "note_other": "{metric}：无法预测（{reason}）。",
            "why_missing_campaign_days": "账号日数据缺了活动期间的 {days} 天，最早是{first}；缺的天数不能当作 0",
            "why_few_pre_days": "{start}之前只有 {days} 天数据，至少要 {needed} 天才能学出没有活动时的走势",
            "why_no_post_days": "{start}及之后没有数据",
            "why_missing_days": "账号日数据缺了 {days} 天",
            "why_starts_after": "活动{start}才开始，晚于报告日{day}",
            "method_summary": "方法说明",
            "method": (
                "进度按品牌在活动平台账号的每日数据（账号日数据）累计，包含活动期间账号的全部表现。"
                "目标节奏不是直线：按活动开始前 {pre_days} 天里品牌每个星期几的平均水平分配目标，周末多的品牌周末应多完成。"
                "预计结束值：用活动前的数据拟合复盘使用的同一个反事实模型（局部水平 + 周内季节项的结构时间序列），模拟 1000 条活动期的走势；"
                "每条走势按“目前实际 ÷ 该走势到今天的累计”放大，加上已完成的部分，就是一种可能的结局。区间是这些结局的 {level} 区间，"
                "达成可能性是其中达到目标的比例。竞品等对照序列只到今天，所以预计不用对照。"
                "花费进度按预算在活动天数上匀速花完计算；预计总花费比预算高出 {over} 以上为超支，低 {under} 以上为花得偏慢。"
                "渠道和达人按单次转化成本排序，区间为转化数的精确泊松区间；转化率与最好者比较用双比例检验，多个比较用 Holm 校正，"
                "只有差异超出偶然时才建议挪预算。"
            ),
            "alert_title": "活动进度预警：{campaign}",
            "alert_line": "{metric}：达成可能性 {chance}（目标 {target}，预计 {projected}）",
            "alert_footer": "第 {elapsed}/{total} 天，统计到{day}。报告：{report}",
        },
        "en": {
            "brief_day": "Campaign “{name}” ({start} to {end}) is on day {elapsed} of {total}, with figures to {day}.",
            "missing_efficiency": "*No posts in the store: spend so far and the channels and creators by cost per result needs a posts list export (`smkit ingest FILE --table posts`).*",
            "brief_metric": "{metric} stand at {actual}, against {due} due by now on the target's trajectory ({ahead}); projected end value {projected} (95% interval {low}–{high}) against a target of {target}, a {chance} chance of meeting it.",
            "brief_metric_no_target": "{metric} stand at {actual}, projected to end at {projected} (95% interval {low}–{high}); the plan sets no target for them.",
            "ahead": "{gap} ahead",
            "behind": "{gap} behind",
            "brief_alert": "{metrics} have less than a {threshold} chance of meeting their targets: act now.",
            "brief_no_alert": "Every target has at least a {threshold} chance of being met.",
            "brief_no_alert_tracked": "Every target that can be tracked has at least a {threshold} chance of being met.",
            "brief_spend": "Spent {spent} of a {budget} budget; at this rate the campaign ends at about {projected} ({status}).",
            "brief_spend_no_budget": "Spent {spent}; at this rate the campaign ends at about {projected}, and the plan has no budget.",
            "status_over": "over-spending",
            "status_under": "under-spending",
            "status_on": "on pace",
            "h_metric": "Metric",
            "h_actual": "Actual so far",
            "h_due": "Due by now",
            "h_target": "Target",
            "h_projected": "Projected end value",
            "h_low": "Interval low",
            "h_high": "Interval high",
            "h_chance": "Chance to meet",
            "h_group_channel": "Channel",
            "h_group_creator": "Creator",
            "h_posts": "Posts",
            "h_spend": "Spend",
            "h_conversions": "Conversions",
            "h_cpa": "Cost per conversion",
            "h_cpa_low": "Cost low",
            "h_cpa_high": "Cost high",
            "h_differs": "Differs from the best beyond chance",
            "yes": "yes",
            "no": "no",
            "best": "best",
            "h_spent": "Spent",
            "h_budget": "Budget",
            "h_even": "Even pace by now",
            "h_pace": "Pace",
            "h_projected_spend": "Projected spend",
            "h_status": "Verdict",
            "no_efficiency": "The campaign's posts have no spend and conversions yet, so channels and creators cannot be compared by cost.",
            "move": "Move budget from the {by_name} “{worst}” (spent {worst_spend} so far, {worst_cpa} per conversion) to “{best}” ({best_cpa} per conversion): their conversion rates differ beyond chance (Holm-adjusted p = {p}).",
            "hold": "The {by_name} “{best}” ({best_cpa} per conversion) and “{worst}” ({worst_cpa}) differ within chance (Holm-adjusted p = {p}): keep the budget where it is and watch.",
            "by_channel": "channel",
            "by_creator": "creator",
            "act_spend_over": "At this rate the campaign ends {excess} over budget: slow the spending, or agree a larger budget with its owner first.",
            "act_spend_under": "At this rate the campaign spends only {share} of its budget: if a target is behind, spend more.",
            "act_target": "At the current pace {metric} may miss the target ({chance} chance): put more into the most efficient channel, or agree a new target with the owner.",
            "no_actions": "Everything is on pace; nothing to change now.",
            "chart_title": "{metric}: cumulative actual, the target's trajectory and the projection",
            "legend_actual": "cumulative actual",
            "legend_trajectory": "target trajectory (the brand's usual week)",
            "legend_projected": "projection (at the current pace)",
            "legend_target": "target",
            "note_no_daily": "{metric}: the daily account figures have no such column, so it cannot be tracked.",
            "note_no_values": "{metric}: the daily account figures carry no values of it for the brand on the campaign's platforms, so it cannot be tracked.",
            "note_other": "{metric}: no projection ({reason}).",
            "why_missing_campaign_days": "the daily account figures miss {days} campaign day(s), the first on {first}; a missing day is not a zero",
            "why_few_pre_days": "only {days} days of data before {start}; at least {needed} are needed to learn the course without the campaign",
            "why_no_post_days": "no data on or after {start}",
            "why_missing_days": "the daily account figures miss {days} day(s)",
            "why_starts_after": "the campaign starts on {start}, after the report day {day}",
            "method_summary": "How this is measured",
            "method": (
                "Progress counts the brand's accounts on the campaign platforms day by day (the daily account figures): everything the accounts earned during the campaign. "
                "The target's trajectory is not a straight line: the target is spread over the campaign's days by the brand's average on each weekday in the {pre_days} days before the campaign, so a brand whose weekends are busier is due more at weekends. "
                "The projected end value comes from the counterfactual model the post-mortem uses (a structural time series with a local level and a weekly cycle), fitted on the days before the campaign, which simulates 1,000 paths over the campaign; "
                "each path scaled by the actual so far over that path's total so far, plus what is already in, is one possible ending. The interval is the {level} interval of those endings and the chance is the share that reach the target. "
                "The control series (competitors and other platforms) stop today, so the projection uses none. "
                "Spend pace assumes the budget is spent evenly over the campaign's days; a projected spend more than {over} above the budget is over-spending, more than {under} below it under-spending. "
                "Channels and creators are ranked by cost per conversion, its interval from the exact Poisson interval of the conversions; each conversion rate is compared with the best group's by a two-proportion test, Holm-adjusted across the comparisons, "
                "and budget is moved only when the difference is beyond chance."
            ),
            "alert_title": "Campaign pacing alert: {campaign}",
            "alert_line": "{metric}: {chance} chance of meeting the target ({target}; projected {projected})",
            "alert_footer": "Day {elapsed} of {total}, figures to {day}. Report: {report}",
        },
    }
)
