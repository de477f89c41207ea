"""Every word the operations review writes for a reader, in Chinese and in
English (``tests/test_i18n.py`` checks that both tables have the same keys and
placeholders). Data (brands, owners, roles, level names given as a parameter)
is never translated; the default level names are smkit's own words and are."""

from __future__ import annotations

from smkit import i18n

from .names import ACTIONS, NAMES

__all__ = ["ACTIONS", "NAMES", "T"]

# ---------------------------------------------------------------- sentences, headers, labels

T = i18n.Catalog(
    {
        "zh": {
            "method": "方法说明",
            "hours": "{h} 小时",
            "points": "{v}个百分点",
            "significant": "{text}（显著）",
            "no_goal": "未设目标",
            "not_compared": "未比较（见说明）",
            "dash": "–",
            "list_sep": "、",
            "and": "和",
            # the brief
            "brief_kpis": "**{brand}**，{period}（{days}天）：有目标的 {judged} 项指标中 {met} 项达标{miss}。",
            "brief_kpis_none": "**{brand}**，{period}（{days}天）：没有设定目标的指标，无法判断是否达标。",
            "brief_miss": "，差距最大的是{kpi}：{actual}，目标 {goal}（完成 {attainment}）",
            "brief_forecast": "按目前走势，未来{days}天达成目标的可能性：{items}。",
            "brief_forecast_item": "{metric} {chance}",
            "brief_community": "社群本期活跃成员 {active} 人（{change}），近期新成员中 {retention} 在第5周仍活跃。",
            "brief_community_no_retention": "社群本期活跃成员 {active} 人（{change}）。",
            "brief_community_change": "比上期{change}",
            "brief_community_no_previous": "上期无活跃成员",
            "brief_no_community": "没有社群数据。",
            "brief_team": "团队 {owners} 位负责人中，{behind}未达个人目标{sla}。",
            "brief_team_behind": "{n} 人（{names}）",
            "brief_team_none_behind": "无人",
            "brief_sla": "；{alerts} 次舆情预警中 {met} 次在时限内首次回应",
            "brief_sla_late": "（超时：{late}）",
            "brief_sla_late_item": "{owners} {hours}，时限 {deadline} 小时",
            "brief_no_team": "没有团队名单，因此没有团队考核。",
            "brief_todo": "建议：{actions}。",
            "brief_todo_sla": "舆情预警按预案时限首次回应（{level}：{deadline} 小时内）",
            "brief_todo_keep": "保持当前做法，重点关注{metric}（按目前走势达成目标的可能性 {chance}）",
            "brief_todo_nothing": "保持当前做法",
            "todo_join": "；",
            # KPIs
            "kpi_none_table": "无法计算任何指标：数据中没有该品牌在本期的 account_daily 或 mentions 记录",
            "kpi_none_text": "本期无法计算任何指标。",
            "kpi_finding": "**有目标的 {judged} 项指标中 {met} 项达标**（{period}）。",
            "kpi_finding_none": "**没有设定目标的指标**（{period}）。",
            "kpi_worst": "差距最大：{kpi} {actual}，目标 {goal}（完成 {attainment}）。",
            "kpi_moved": "与上期相比变化明显（超出日常波动）的：{items}。",
            "kpi_moved_none": "与上期相比，没有指标的变化超出日常波动。",
            "kpi_no_goal": "未设目标的指标：{items}。",
            "kpi_moved_item": "{kpi}（{change}）",
            "kpi_uncompared": "未与{window}（{period}）比较：{tables}。",
            "kpi_uncompared_table": "{table}从{day}才开始",
            "window_previous": "上期",
            "window_year ago": "去年同期",
            "col_goal_area": "目标",
            "col_kpi": "指标",
            "col_actual": "实际",
            "col_goal": "本期目标",
            "col_attainment": "完成度",
            "col_vs_previous": "比上期",
            "col_vs_year": "比去年同期",
            "kpi_caption": "“显著”：变化超出日常波动（检验方法见方法说明）；✓ 为达标。",
            "kpi_method": (
                "每行是计划四个目标（品牌知名度、市场份额、用户满意度、品牌形象）以及互动、粉丝增长下的一项指标。"
                "按周或按月设定的目标，对总量类指标（播放/阅读量、提及量、互动量、新增粉丝）按本期天数折算；"
                "占比、情感、比率和回复时长按原值比较。完成度 = 实际 ÷ 目标（越低越好的指标为目标 ÷ 实际）。\n\n"
                "每项变化都做了检验：总量按每日数值做 Welch t 检验，占比用双比例检验，回复时长用 Mann-Whitney 检验。"
                "{holm}“显著”指调整后的 p 值低于 0.05。\n\n"
                "提及量只算用户提及（不含品牌自己的回复）；情感分优先采用监测工具给出的值，否则用 smkit 的离线打分；"
                "净情感值 =（正面 − 负面）÷（正面 + 负面）。回复率是品牌回复过的用户提及占比，首次回复时长只统计已回复的提及；"
                "本期结束后 7 天内的回复也计入本期的提及。两者要一起看：回复更少换来的更快中位时长，会体现为更低的回复率。"
            ),
            "kpi_holm": "p 值按 Holm 方法对本表全部 {n} 个检验（每项指标分别比上期和去年同期）统一调整，以免检验多项指标时偶然出现“显著”变化。",
            # forecasts
            "fc_none_table": "没有足够长的历史数据用于预测",
            "fc_none": "无法预测：{reasons}。",
            "fc_finding": "**未来{days}天达成目标的可能性：{items}**。",
            "fc_finding_nogoal": "**未来{days}天的预测如下；没有可对照的目标**。",
            "fc_line_last": "**{metric}**：预计{date}达到 {point}（{level}区间 {lo} 至 {hi}）",
            "fc_line_total": "**{metric}**：未来{days}天合计约 {point}（{level}区间 {lo} 至 {hi}）",
            "fc_line_chance": "，达成目标（{goal}）的可能性 {chance}",
            "fc_line_model": "；预测模型：{model}。",
            "fc_skipped_nodata": "{metric}：{brand} 没有相关数据",
            "fc_skipped_short": "{metric}：历史数据太短，无法回测和预测",
            "col_metric": "指标",
            "col_model": "预测模型",
            "col_forecast": "预测",
            "col_interval": "{level}区间",
            "col_fc_goal": "目标",
            "col_chance": "达成可能性",
            "fc_last_day": "{value}（最后一天）",
            "fc_total": "{value}（{days}天合计）",
            "fc_range": "{lo} 至 {hi}",
            "col_mase": "回测误差（MASE）",
            "col_baseline_mase": "同期值的回测误差（MASE）",
            "col_coverage": "回测中落在模型自身{level}区间内的天数",
            "col_calibration": "区间校准",
            "calibration_none": "未调整（按模型原区间）",
            "calibration_wider": "放宽 ×{scale}",
            "calibration_narrower": "收窄 ×{scale}",
            "fc_method_undefined": "{metric}：回测误差无法定义（历史数据逐周没有变化）。",
            "fc_method_better": "{metric}：{model}的回测误差比同期值（上周同日）低 {gain}。",
            "fc_method_baseline": "{metric}：没有模型在回测中胜过同期值（上周同日），因此采用同期值。",
            "fc_method": (
                "预测对象是品牌每日的粉丝数、互动量和用户提及量，从本期最后一天起算。候选模型（指数平滑和季节性ARIMA，"
                "均含周季节性，在对数尺度上拟合）用滚动起点回测打分：从更早的四个日期分别预测同样长的时段，再与实际对比。"
                "MASE 是平均绝对误差除以训练数据中同期值预测（每天取上周同一天的值）的误差；只有明显胜过同期值的模型才会被采用，"
                "否则用同期值本身。“回测中落在模型自身区间内的天数”是校准前模型自身区间覆盖的留出天数比例；"
                "图表和 forecast.csv 中的区间再按同一回测校准（在对数尺度上放宽或收窄，使约为所述比例的留出天数落在区间内）。"
                "时段合计、区间和达成目标的可能性都来自所选模型的 1,000 条模拟路径：预测值是路径合计的中位数（粉丝数取最后一天）；"
                "目标按预测天数折算，粉丝数目标为最后一天的粉丝数加上按预测天数折算的新增粉丝目标。"
                "每日预测值见本报告旁的 forecast.csv，每天是对数尺度预测的反变换（接近当天的中位数），所以逐日相加通常略小于时段合计。"
            ),
            "fig_fc_title": "未来{days}天预测",
            "fig_actual": "实际",
            "fig_interval": "{level}区间",
            "fig_forecast": "预测",
            # community
            "missing_table": "数据中没有{table}（数据是在该表出现之前建立的，或尚未导入）。",
            "missing_rows": "{table}没有数据。",
            "community_inactive": "{period}没有社群成员活跃。",
            "community_none": "没有社群活动数据。",
            "community_left_out": "社群部分留空，不用猜测的数字填充。",
            "community_finding": "**本期活跃成员 {active} 人（{change}）**：新成员 {new} 人，老成员 {returning} 人。",
            "community_change": "比上期{change}",
            "community_no_previous": "上期无活跃成员",
            "community_retention": "近期加入的成员中，{share} 在第5周（加入后第4周）仍然活跃。",
            "community_moved_up": "本期有 {n} 位老成员升了级。",
            "community_unknown": "没有积分规则的行为不计分：{actions}。",
            "col_level": "等级",
            "col_at_start": "期初",
            "col_at_end": "期末",
            "col_new_members": "其中新成员",
            "col_change": "变化",
            "col_member": "成员",
            "col_platform": "平台",
            "col_points_window": "本期积分",
            "col_points_all": "累计积分",
            "top_caption": "本期积分最多的 {n} 位成员及其行为次数",
            "top_none": "本期没有成员获得积分",
            "levels_caption": "各等级成员数：期初与期末",
            "community_method": (
                "数据来自社群活动表。成员在数据中首次活跃的那一周算“新成员”，之后算“老成员”。"
                "“同期群”指同一周加入的成员；留存是其中在之后每一周仍活跃的比例（尚未到来的周留空）。"
                "积分按参数中的规则累计自数据第一天起的全部行为；等级是积分达到的最高门槛。"
                "这里只是摘要：活动效果、积分兑换与过期、按滚动窗口计算的等级、成长路径、流失预警和用户反馈见“社群运营”手册。"
            ),
            "fig_weekly_title": "每周活跃成员（按周起始日）",
            "fig_returning": "老成员",
            "fig_new": "新成员",
            "fig_retention_title": "留存：每周新成员在之后各周仍活跃的比例",
            "fig_weeks_since": "加入后第几周",
            "fig_cohort": "加入周（人数）",
            "fig_levels_title": "各等级成员数",
            "fig_at": "{date}",
            # team
            "team_no_owner": "team 表中没有 {brand} 账号的负责人。",
            "team_none": "没有团队名单。",
            "team_ingest": "导入团队表（账号、负责人、角色）即可得到每位负责人的考核：`smkit ingest team.csv --table team`。",
            "team_finding": "**篇均互动与平台均值之比从 {low}（{low_owner}）到 {high}（{high_owner}）**。",
            "team_real": "明显偏离平台均值的：{owners}。",
            "team_real_none": "各人与平台均值的差异都在正常波动范围内。",
            "team_per_platform_below": "按平台看，明显低于平台均值的：{items}。",
            "team_per_platform_above": "按平台看，明显高于平台均值的：{items}。",
            "team_platform_item": "{owner}在{platform}（{index}）",
            "team_behind": "未达个人目标：{items}。",
            "team_behind_item": "{owner}（{goals}）",
            "own_goal_item": "{metric} {share}",
            "col_role": "角色",
            "col_platforms": "平台",
            "col_posts": "发帖数",
            "col_per_post": "篇均互动",
            "col_norm": "平台均值",
            "col_index": "互动指数",
            "col_vs_norm": "与平台均值相比",
            "col_reply": "首次回复时长中位数",
            "col_own_goals": "个人目标完成度",
            "col_crisis": "舆情响应",
            "vs_higher": "明显更高",
            "vs_lower": "明显更低",
            "vs_same": "无明显差异",
            "vs_untested": "帖子太少，未比较",
            "reply_none": "无回复",
            "reply_not_platform": "负责单篇内容，不负责平台",
            "sla_none_cell": "无预警",
            "sla_cell": "{met} 次按时，{missed} 次超时",
            "sla_cell_pending": "，{pending} 次未回应",
            "team_caption": "每位负责人：产出、篇均互动与平台均值、回复时长、个人目标和舆情响应",
            "team_platforms_caption": "按负责人和平台拆分，避免某个平台的弱势被个人平均值掩盖",
            "col_owner": "负责人",
            "team_method": (
                "数据来自 team 表，它把品牌账号（或单篇内容）对应到负责人（其他账号的行不计）；单篇内容的负责人优先于账号的负责人。"
                "产出是本期发布的帖子数。篇均互动（点赞 + 评论 + 分享 + 收藏）与“平台均值”相比：即本期同平台所有账号帖子的平均互动；"
                "互动指数是两者之比。“与平台均值相比”用单样本 t 检验判断每篇帖子互动与平台均值之比是否偏离 1（至少 5 篇，p < 0.05 为明显）。"
                "回复时长是品牌在该负责人所负责平台上对已回复用户提及的首次回复时长中位数。个人目标来自目标文件中带负责人的行。"
                "舆情响应是本期声誉监测的预警（以相同方法、默认设置检测）是否在所属等级的回应时限内得到首次官方回应："
                "预警计入其平台在 team 表中的负责人；首次官方回应是品牌对预警期间用户提及的回复，或品牌在该平台的发帖（可用参数设置只算回复）。"
            ),
            # the crisis response
            "sla_none": "{period}没有声誉监测预警，因此没有到期的响应时限。",
            "sla_finding": "**本期 {alerts} 次舆情预警：{met} 次在预案时限内首次回应，{missed} 次超时{pending}**。",
            "sla_finding_pending": "，{pending} 次尚未回应",
            "sla_alert": "{date}的预警（{level}，{owners}）：{when}，时限 {deadline} 小时，{status}。",
            "sla_alert_owners_none": "team 表中无负责人",
            "sla_alert_after": "{hours} 小时后首次官方回应",
            "sla_alert_never": "没有官方回应",
            "sla_none_table": "本期没有预警",
            "col_alerts": "预警数",
            "col_met": "按时",
            "col_missed": "超时",
            "col_pending": "未回应",
            "col_share_met": "按时比例",
            "col_median_response": "首次回应时长中位数（小时）",
        },
        "en": {
            "method": "How this is measured",
            "hours": "{h} h",
            "points": "{v} pts",
            "significant": "{text} (significant)",
            "no_goal": "no goal set",
            "not_compared": "not compared (see note)",
            "dash": "–",
            "list_sep": ", ",
            "and": " and ",
            "brief_kpis": "**{brand}**, {period} ({days} days): {met} of {judged} KPIs with a goal are on target{miss}.",
            "brief_kpis_none": "**{brand}**, {period} ({days} days): no KPI has a goal, so none can be judged on target.",
            "brief_miss": "; the biggest miss is {kpi} at {actual} against a goal of {goal} ({attainment} of it)",
            "brief_forecast": "On the current trend, the chance of meeting the goal over the next {days} days: {items}.",
            "brief_forecast_item": "{metric} {chance}",
            "brief_community": "{active} community members were active ({change}); {retention} of recent newcomers were still active in their fifth week.",
            "brief_community_no_retention": "{active} community members were active ({change}).",
            "brief_community_change": "{change} on the period before",
            "brief_community_no_previous": "none in the period before",
            "brief_no_community": "There is no community data.",
            "brief_team": "Of the team's {owners} owners, {behind} behind their own goals{sla}.",
            "brief_team_behind": "{n} ({names}) are",
            "brief_team_none_behind": "none is",
            "brief_sla": "; {met} of {alerts} reputation alerts got a first response within the deadline",
            "brief_sla_late": " (late: {late})",
            "brief_sla_late_item": "{owners} {hours} against {deadline} h",
            "brief_no_team": "No team is recorded, so there is no team scorecard.",
            "brief_todo": "What to do: {actions}.",
            "brief_todo_sla": "answer reputation alerts within the response plan's deadline ({level}: within {deadline} h)",
            "brief_todo_keep": "keep the current course and watch {metric} (a {chance} chance of meeting its goal on the current trend)",
            "brief_todo_nothing": "keep the current course",
            "todo_join": "; ",
            "kpi_none_table": "no KPI could be computed: the store has no account_daily or mentions rows for the brand in the window",
            "kpi_none_text": "No KPI could be computed for this window.",
            "kpi_finding": "**{met} of {judged} KPIs with a goal are on target** ({period}).",
            "kpi_finding_none": "**No KPI has a goal** ({period}).",
            "kpi_worst": "Furthest behind: {kpi} at {actual} against {goal} ({attainment}).",
            "kpi_moved": "Changed beyond day-to-day noise since the previous period: {items}.",
            "kpi_moved_none": "Nothing changed beyond day-to-day noise since the previous period.",
            "kpi_no_goal": "No goal is set for {items}.",
            "kpi_moved_item": "{kpi} ({change})",
            "kpi_uncompared": "No comparison with the {window} ({period}): {tables}.",
            "kpi_uncompared_table": "the {table} begin on {day}",
            "window_previous": "previous period",
            "window_year ago": "same weeks a year earlier",
            "col_goal_area": "goal",
            "col_kpi": "KPI",
            "col_actual": "actual",
            "col_goal": "goal for the window",
            "col_attainment": "attainment",
            "col_vs_previous": "vs previous period",
            "col_vs_year": "vs a year earlier",
            "kpi_caption": "Significant: a change beyond day-to-day noise (the test is in the method note); ✓ on target.",
            "kpi_method": (
                "One row per KPI of the plan's four goals (brand awareness, market share, user satisfaction, brand image), "
                "plus engagement and follower growth. A goal set for a week or a month is pro-rated to the review's length for totals "
                "(views, mentions, engagements, followers gained); shares, sentiment, rates and reply time are compared as they are. "
                "Attainment is actual over goal (goal over actual where lower is better).\n\n"
                "Each change is tested: totals on their daily values (Welch's t-test), shares with a two-proportion test, reply times with Mann-Whitney. "
                "{holm}Significant means an adjusted p-value below 0.05.\n\n"
                "Mentions are earned mentions (the brand's own replies left out); sentiment is the listening tool's where it gave one, "
                "else smkit's offline scorer, and net sentiment is (positive − negative) / (positive + negative). The reply rate is the share "
                "of earned mentions the brand answered, and the median first reply counts only the answered ones; replies made up to 7 days "
                "after the period count for mentions inside it. Read the two together: a faster median bought by answering fewer mentions "
                "shows as a lower reply rate."
            ),
            "kpi_holm": "The p-values are adjusted by Holm's method across the scorecard's {n} tests (every KPI against both periods), so that testing many KPIs does not turn up changes by chance. ",
            "fc_none_table": "no metric has enough history to forecast",
            "fc_none": "No forecast: {reasons}.",
            "fc_finding": "**The chance of meeting the goal over the next {days} days: {items}.**",
            "fc_finding_nogoal": "**The forecasts for the next {days} days; no goal to compare them with.**",
            "fc_line_last": "**{metric}**: {point} on {date} ({level} interval {lo} to {hi})",
            "fc_line_total": "**{metric}**: about {point} over the next {days} days ({level} interval {lo} to {hi})",
            "fc_line_chance": "; the goal ({goal}) is met with a chance of {chance}",
            "fc_line_model": "; model: {model}.",
            "fc_skipped_nodata": "{metric}: no data for {brand}",
            "fc_skipped_short": "{metric}: the history is too short to backtest and forecast",
            "col_metric": "metric",
            "col_model": "model chosen",
            "col_forecast": "forecast",
            "col_interval": "{level} interval",
            "col_fc_goal": "goal",
            "col_chance": "chance of meeting it",
            "fc_last_day": "{value} on the last day",
            "fc_total": "{value} over {days} days",
            "fc_range": "{lo} to {hi}",
            "col_mase": "backtest MASE",
            "col_baseline_mase": "seasonal naive MASE",
            "col_coverage": "backtest days inside the model's own {level} interval",
            "col_calibration": "interval calibration",
            "calibration_none": "none (held as the model gave it)",
            "calibration_wider": "widened ×{scale}",
            "calibration_narrower": "narrowed ×{scale}",
            "fc_method_undefined": "{metric}: the backtest error is undefined (the history did not change from week to week).",
            "fc_method_better": "{metric}: the error of {model} is {gain} below the seasonal-naive forecast's in the backtest.",
            "fc_method_baseline": "{metric}: no model beat the seasonal-naive forecast (same weekday last week) in the backtest, so it is used.",
            "fc_method": (
                "The brand's daily followers, engagements and earned mentions, forecast from the last day of the review. Each candidate model "
                "(exponential smoothing and seasonal ARIMA, both with a weekly season, fitted on the log scale) is scored by a rolling-origin backtest: "
                "four times, it forecasts the same horizon from an earlier day and is compared with what happened. MASE is the mean absolute error over "
                "that of the seasonal-naive forecast (each day as the same weekday a week earlier) in the training data; a model is used only when it beats "
                "the seasonal-naive forecast clearly, else the seasonal-naive forecast itself. Backtest days inside the model's own interval is the share of "
                "held-out days inside the interval the model itself gave, before calibration; the intervals shown and in forecast.csv are then calibrated on "
                "the same backtest (widened or narrowed on the log scale so that about the stated share of held-out days would fall inside). "
                "The horizon's forecast, its interval and the chance of meeting a goal all come from 1,000 simulated paths of the chosen model: the forecast "
                "is the median of the paths' totals (their last day for followers); goals are pro-rated to the horizon, and the followers goal is the last "
                "day's count plus the followers-gained goal for the horizon. Daily points are in forecast.csv beside this report; each is that day's "
                "back-transformed log-scale forecast (close to the day's median), so they usually add up to a little less than the horizon's forecast."
            ),
            "fig_fc_title": "Forecasts for the next {days} days",
            "fig_actual": "actual",
            "fig_interval": "{level} interval",
            "fig_forecast": "forecast",
            "missing_table": "The store has no {table} (it was made before the table existed, or nothing has been ingested into it).",
            "missing_rows": "The {table} has no rows.",
            "community_inactive": "No community member was active in {period}.",
            "community_none": "No community activity.",
            "community_left_out": "The community section is left out rather than filled with guesses.",
            "community_finding": "**{active} members were active ({change})**: {new} new and {returning} returning.",
            "community_change": "{change} on the period before",
            "community_no_previous": "none in the period before",
            "community_retention": "Of the members who joined in recent weeks, {share} were still active in their fifth week (week 4 after joining).",
            "community_moved_up": "{n} existing members moved up a level in the window.",
            "community_unknown": "Actions without a points rule earn no points: {actions}.",
            "col_level": "level",
            "col_at_start": "at start",
            "col_at_end": "at end",
            "col_new_members": "of which new",
            "col_change": "change",
            "col_member": "member",
            "col_platform": "platform",
            "col_points_window": "points in window",
            "col_points_all": "points in all",
            "top_caption": "The {n} members who earned the most points in the window, with their actions",
            "top_none": "no member earned points in the window",
            "levels_caption": "Members per level at the start and the end of the window",
            "community_method": (
                "From community_activity. A member is new in the week of their first activity in the data and returning after it. "
                "A cohort is the members who joined in one week; retention is the share of them active in each later week (empty where the "
                "week has not happened yet). Points add up every action since the first day of data by the rules in the parameters; the level "
                "is the highest whose threshold the points reach. This is a summary: event effects, redemption and expiry, levels over a "
                "rolling window, the growth funnel, members at risk and feedback are in the community playbook."
            ),
            "fig_weekly_title": "Active members per week (week starting)",
            "fig_returning": "returning",
            "fig_new": "new",
            "fig_retention_title": "Cohort retention: share of each week's new members active later",
            "fig_weeks_since": "weeks since joining",
            "fig_cohort": "cohort (members)",
            "fig_levels_title": "Members per level",
            "fig_at": "at {date}",
            "team_no_owner": "The team table names no owner of {brand}'s accounts.",
            "team_none": "No team is recorded.",
            "team_ingest": "Ingest a team sheet (account, owner, role) with `smkit ingest team.csv --table team` to get a scorecard per owner.",
            "team_finding": "**Engagement per post against the platform norm ranges from {low} ({low_owner}) to {high} ({high_owner}).**",
            "team_real": "Clearly different from the norm: {owners}.",
            "team_real_none": "None of these differences from the norm is beyond normal variation.",
            "team_per_platform_below": "Per platform, clearly below the norm: {items}.",
            "team_per_platform_above": "Per platform, clearly above the norm: {items}.",
            "team_platform_item": "{owner} on {platform} ({index})",
            "team_behind": "Behind their own goals: {items}.",
            "team_behind_item": "{owner} ({goals})",
            "own_goal_item": "{metric} {share}",
            "col_role": "role",
            "col_platforms": "platforms",
            "col_posts": "posts",
            "col_per_post": "engagement per post",
            "col_norm": "platform norm",
            "col_index": "index",
            "col_vs_norm": "against the norm",
            "col_reply": "median first reply (answered)",
            "col_own_goals": "own goals",
            "col_crisis": "crisis response",
            "vs_higher": "clearly higher",
            "vs_lower": "clearly lower",
            "vs_same": "no clear difference",
            "vs_untested": "too few posts to compare",
            "reply_none": "no replies there",
            "reply_not_platform": "owns posts, not a platform",
            "sla_none_cell": "no alert",
            "sla_cell": "{met} met, {missed} missed",
            "sla_cell_pending": ", {pending} pending",
            "team_caption": "Per owner: output, engagement per post against the platform norm, reply time, own goals and crisis response",
            "team_platforms_caption": "Per owner and platform, so that a weak platform does not hide in an owner's average",
            "col_owner": "owner",
            "team_method": (
                "From the team table, which maps the brand's accounts (or single posts) to owners (rows for other accounts are left out); a post's own "
                "owner wins over its account's. Output is the posts published in the window. Engagement per post (likes + comments + shares + saves) is set "
                "against the platform norm: the mean of every account's posts on the same platforms in the window; the index is their ratio, and against the "
                "norm says whether a one-sample t-test finds the ratio of each post's engagement to the norm different from 1 (five posts at least, p below 0.05). "
                "Reply time is the brand's median time to first reply to the answered mentions on the platforms the owner runs. Own goals come from rows of "
                "the goals file with an owner. Crisis response is the reputation monitor's alerts in the window (detected the same way, with its default "
                "settings) answered within the deadline for their level (respond_within_hours): an alert counts for the owners of its platforms in the team "
                "table; the first official response is a brand reply to a mention made during the alert, or a brand post on its platform (response_kinds)."
            ),
            "sla_none": "No alert of the reputation monitor touched {period}, so no response deadline was due.",
            "sla_finding": "**Reputation alerts that touched the window: {alerts}; {met} answered within the response plan's deadline, {missed} missed it{pending}.**",
            "sla_finding_pending": ", {pending} still open",
            "sla_alert": "The alert of {date} ({level}, {owners}): {when} against {deadline} hours, {status}.",
            "sla_alert_owners_none": "no owner in the team table",
            "sla_alert_after": "first official response after {hours} hours",
            "sla_alert_never": "no official response",
            "sla_none_table": "no alert touched the window",
            "col_alerts": "alerts",
            "col_met": "met",
            "col_missed": "missed",
            "col_pending": "pending",
            "col_share_met": "share met",
            "col_median_response": "median response (hours)",
        },
    }
)
