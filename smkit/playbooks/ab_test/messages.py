"""Every sentence, label and heading the A/B playbook writes for a reader, in
Chinese and English (``T(key, lang, **values)``; checked for completeness by
``tests/test_i18n.py``). Figures arrive already formatted.

The English notes about metrics (``note_*``) are also the text of
:class:`.codes.Note`, which the analysis records, so they keep their wording."""

from __future__ import annotations

from smkit import i18n

# metric names of the experiments table's columns as a reader calls them (any other metric is shown as it is: data)
METRICS = i18n.Catalog(
    {
        "zh": {
            "clicks/impressions": "点击率",
            "watch_seconds": "观看时长",
            "converted": "转化率",
            "hides": "隐藏率",
            "clicks": "点击",
            "impressions": "曝光量",
        },
        "en": {
            "clicks/impressions": "click-through rate",
            "watch_seconds": "watch time",
            "converted": "conversion rate",
            "hides": "hide rate",
            "clicks": "clicks",
            "impressions": "impressions",
        },
    }
)

# the usual variant names (any other is data and shown as it is)
VARIANTS = i18n.Catalog({"zh": {"control": "对照组", "treatment": "实验组"}, "en": {"control": "control", "treatment": "treatment"}})

# the decision codes of ``Decision.decision`` (stable: summary.json keeps them)
DECISIONS = i18n.Catalog(
    {
        "zh": {"ship": "上线", "do not ship": "不上线", "keep running": "继续观察"},
        "en": {"ship": "Ship", "do not ship": "Do not ship", "keep running": "Keep running"},
    }
)

T = i18n.Catalog(
    {
        "zh": {
            # ---------------------------------------------------------------- notes on metrics
            "note_no_column": "没有 {column} 列",
            "note_ratio_needs_squares": "汇总数据缺少 {column}_sq、{denominator}_sq 和 {column}_{denominator}_prod 列",
            "note_sums_need_squares": "合计超过了样本数，且没有 {column}_sq 列",
            "note_skipped": "{name}：未分析（{why}）",
            "note_guardrail_skipped": "护栏指标{name}：未分析（{why}）",
            "note_analysed_instead": "改为分析数据中已有的指标列：{metrics}",
            "note_lower_missing": "越低越好的指标{name}：数据中没有",
            # ---------------------------------------------------------------- why a comparison has no test
            "issue_few_units": "{who}在{metric}上只有{n}个样本，无法比较",
            "issue_zero_denominator": "{denominator}在某一组为零，{metric}无法计算",
            "issue_no_variance_same": "{metric}：两组每个样本的值都相同，没有差异可比较",
            "issue_no_variance_none": "{metric}：两组都没有任何样本转化，没有差异可比较",
            "issue_no_variance_all": "{metric}：两组所有样本都转化了，没有差异可比较",
            "issue_one_sided_none": "{metric}无法估计：{side}没有任何样本转化，这一组没有波动（GrowthBook 也不估计这种情况），因此不据此做决定",
            "issue_one_sided_all": "{metric}无法估计：{side}所有样本都转化了，这一组没有波动（GrowthBook 也不估计这种情况），因此不据此做决定",
            "issue_one_sided_same": "{metric}无法估计：有一组每个样本的值都相同，这一组没有波动（GrowthBook 也不估计这种情况），因此不据此做决定",
            "issue_nonpositive_control": "{metric}：对照组均值为{mean}，不是正数，无法计算相对提升",
            # ---------------------------------------------------------------- reasons (one sentence, plain words)
            "reason_sample_ratio": "两组的人数比例与计划不符，分组可能出了问题，任何结果都不可信",
            "reason_no_goal": "没有可以据此做决定的目标指标",
            "reason_guardrail": "护栏指标{metric}变差了{lift}",
            "reason_early_excludes_zero": "{metric}变化{lift}；虽然只收集到计划样本的{share}，这个差别已经足够明确",
            "reason_early_includes_zero": "只收集到计划样本的{share}，{metric}的变化范围（{low}到{high}）仍然包含零",
            "reason_better": "{metric}提升了{lift}（在{low}到{high}之间），且没有损害任何护栏指标",
            "reason_worse": "{metric}变差了{lift}（在{low}到{high}之间），差别是实实在在的",
            "reason_no_effect": "{metric}只变化了{lift}（在{low}到{high}之间），看不出真实差别",
            # ---------------------------------------------------------------- brief
            "brief_what": "实验 **{experiment}** 比较了{groups}。",
            "brief_group": "{variant}（{n}个样本）",
            "brief_and": "和",
            "brief_decision": "结论：{variant}**{decision}**——{reason}。",
            "brief_split_ok": "两组人数比例与计划一致，结果可以采信。",
            "brief_split_bad": "两组人数比例与计划不符：先修复分组，再看结果。",
            "brief_early": "目前只收集到计划样本的{share}（{n}／{planned}）。",
            "brief_next": "如果要检测{mde}的变化，下一次实验每组需要{n}个样本{days}。",
            "brief_days": "，按现有流量约{days}天",
            # ---------------------------------------------------------------- sections
            "status": "实验 **{experiment}**：{split}",
            "status_ok": "两组人数比例与计划一致。",
            "status_bad": "两组人数比例与计划**不符**：先修复分组，再看下面的任何结果。",
            "status_early": "提前查看：计划{planned}个样本，目前{n}个，所以决定依据的是随时可看的区间。",
            "results_finding": "{items}。",
            "results_item": "{metric}（{variant}）{lift}（在{low}到{high}之间）",
            "results_item_note": "{metric}（{variant}）：{note}",
            "results_none": "没有可以比较的指标。",
            "method_summary": "方法说明",
            "method_decision": (
                "**判断依据。** 分组比例检验（卡方）p 值 {srm}（低于 0.001 视为分组出错）。{items}"
                "p 值按 {correction} 方法在各组和各指标间校正；显著性水平 {alpha}。"
                "提前查看（样本未达到计划）时，决定依据随时可看的区间（always-valid，Waudby-Smith 等 2023），它无论查看多少次都保持正确。"
            ),
            "method_item": "{metric}（{variant}）：p 值 {p}，校正后 {p_adj}，随时可看的区间 {seq}，胜过对照组的概率 {prob}。",
            "design_plan": (
                "每组{n}个样本（{variants}组，共{total}个{days}），可以在基线{baseline}上以显著性水平{alpha}、把握度{power}检测到{mde}的变化（绝对值{absolute}）；{method}。"
            ),
            "design_days": "，按现有流量需{days}天",
            "design_reach": "按{experiment}目前每组{n}个样本，能检测到的最小变化是{relative}绝对值{absolute}。",
            "design_reach_relative": "相对{relative}、",
            "design_reach_none": "按{experiment}目前每组{n}个样本，在把握度{power}下检测不到基线为{baseline}的比率的任何提升。",
            "method_proportion": "Evan Miller 的样本量公式（双侧 z 检验，备择假设下不合并方差）",
            "method_mean": "两样本 z 近似（statsmodels NormalIndPower）",
            "method_bonferroni": "，显著性水平按 {k} 个比较拆分（Bonferroni）",
            "no_unit_times": "汇总数据没有分组时间，因此无法展示效果随时间的变化。",
            "no_trend_days": "{metric} · {variant}：还没有哪一天的数据足够做出估计。",
            # ---------------------------------------------------------------- tables
            "col_variant": "组",
            "col_decision": "决定",
            "col_why": "原因",
            "col_metric": "指标",
            "col_units": "样本数",
            "col_observed": "实际占比",
            "col_planned": "计划占比",
            "col_control": "对照组均值",
            "col_variant_mean": "实验组均值",
            "col_lift": "相对提升",
            "col_interval": "{level}区间",
            "col_seq": "随时可看的区间",
            "col_p": "p 值",
            "col_p_adj": "p 值（{correction} 校正）",
            "col_prob": "胜过对照组的概率（贝叶斯）",
            "col_loss": "上线后的预期损失",
            "col_cuped": "CUPED 减少的方差",
            "col_note": "说明",
            "guardrail": "（护栏）",
            # ---------------------------------------------------------------- figures
            "fig_lifts": "各指标的相对提升",
            "fig_lifts_x": "相对提升：{level}区间（深色）与随时可看的区间（灰色）",
            "fig_cumulative": "累计提升 · {metric} · {variant}",
            "fig_cumulative_y": "相对提升",
        },
        "en": {
            "note_no_column": "no {column} column",
            "note_ratio_needs_squares": "aggregated rows without {column}_sq, {denominator}_sq and {column}_{denominator}_prod",
            "note_sums_need_squares": "sums above the units and no {column}_sq column",
            "note_skipped": "{name}: skipped ({why})",
            "note_guardrail_skipped": "guardrail {name}: skipped ({why})",
            "note_analysed_instead": "analysed the metric columns the data has: {metrics}",
            "note_lower_missing": "lower-is-better {name}: not in the data",
            "issue_few_units": "{who} has {n} unit(s) for {metric}: no comparison is possible",
            "issue_zero_denominator": "{denominator} is zero in a variant: {metric} is undefined",
            "issue_no_variance_same": "{metric}: every unit has the same value in both variants, so there is no variance to test against",
            "issue_no_variance_none": "{metric}: no unit converted in both variants, so there is no variance to test against",
            "issue_no_variance_all": "{metric}: every unit converted in both variants, so there is no variance to test against",
            "issue_one_sided_none": (
                "{metric} cannot be estimated because no unit converted in {side}: no variance on that side "
                "(GrowthBook declines such a case too), so no decision comes from it"
            ),
            "issue_one_sided_all": (
                "{metric} cannot be estimated because every unit converted in {side}: no variance on that side "
                "(GrowthBook declines such a case too), so no decision comes from it"
            ),
            "issue_one_sided_same": (
                "{metric} cannot be estimated because every unit of one side has the same value: no variance on that side "
                "(GrowthBook declines such a case too), so no decision comes from it"
            ),
            "issue_nonpositive_control": "{metric}: the control mean is {mean}, not positive, so a relative lift is undefined",
            "reason_sample_ratio": "the traffic split does not match the plan, so the assignment is broken and no result can be trusted",
            "reason_no_goal": "there is no goal metric to decide on",
            "reason_guardrail": "guardrail {metric} worsened by {lift}",
            "reason_early_excludes_zero": "{metric} {lift}, clear enough already though only {share} of the planned sample is in",
            "reason_early_includes_zero": "only {share} of the planned sample is in and the range for {metric} ({low} to {high}) still includes zero",
            "reason_better": "{metric} rose {lift} (between {low} and {high}) and no guardrail was harmed",
            "reason_worse": "{metric} fell {lift} (between {low} and {high}), a real difference",
            "reason_no_effect": "{metric} changed only {lift} (between {low} and {high}), no real difference",
            "brief_what": "Experiment **{experiment}** compared {groups}.",
            "brief_group": "{variant} ({n} units)",
            "brief_and": " and ",
            "brief_decision": "Decision for {variant}: **{decision}**, because {reason}.",
            "brief_split_ok": "The groups' sizes match the planned split, so the result can be trusted.",
            "brief_split_bad": "The groups' sizes do not match the planned split: fix the assignment before reading any result.",
            "brief_early": "Only {share} of the planned sample is in so far ({n} of {planned}).",
            "brief_next": "To detect a change of {mde}, the next test needs {n} units per variant{days}.",
            "brief_days": ", about {days} days at the current traffic",
            "status": "Experiment **{experiment}**: {split}",
            "status_ok": "the split is as planned.",
            "status_bad": "the split does **not** match the plan: fix the assignment before reading anything below.",
            "status_early": "Read early: {n} of {planned} planned units are in, so the decision uses the always-valid interval.",
            "results_finding": "{items}.",
            "results_item": "{metric} ({variant}) {lift} (between {low} and {high})",
            "results_item_note": "{metric} ({variant}): {note}",
            "results_none": "No metric could be compared.",
            "method_summary": "How this is measured",
            "method_decision": (
                "**What decided.** Sample ratio check (chi-square) p {srm} (below 0.001 the assignment is broken). {items}"
                "p-values are adjusted across variants and metrics ({correction}); significance level {alpha}. "
                "Read early (before the planned sample is in), the decision uses the always-valid interval "
                "(Waudby-Smith et al. 2023), which stays correct however often the test is looked at."
            ),
            "method_item": "{metric} ({variant}): p {p}, adjusted {p_adj}, always-valid interval {seq}, chance to beat control {prob}. ",
            "design_plan": (
                "{n} units per variant ({variants} variants, {total} in all{days}) to detect {mde} ({absolute} absolute) "
                "on a baseline of {baseline} with alpha {alpha} and power {power}; {method}."
            ),
            "design_days": ", {days} days at the given traffic",
            "design_reach": "With {n} units per variant, as in {experiment}, the smallest detectable effect is {relative}{absolute} absolute.",
            "design_reach_relative": "{relative} relative, ",
            "design_reach_none": "With {n} units per variant, as in {experiment}, no increase of a {baseline} rate is detectable at power {power}.",
            "method_proportion": "Evan Miller's sample size formula (two-sided z, unpooled variance under the alternative)",
            "method_mean": "two-sample z approximation (statsmodels NormalIndPower)",
            "method_bonferroni": ", alpha split over {k} comparisons (Bonferroni)",
            "no_unit_times": "Aggregated rows carry no assignment time, so there is no effect over time.",
            "no_trend_days": "{metric} · {variant}: no day has enough data for an estimate yet.",
            "col_variant": "variant",
            "col_decision": "decision",
            "col_why": "why",
            "col_metric": "metric",
            "col_units": "units",
            "col_observed": "observed share",
            "col_planned": "planned share",
            "col_control": "control",
            "col_variant_mean": "variant mean",
            "col_lift": "relative lift",
            "col_interval": "{level} interval",
            "col_seq": "always-valid interval",
            "col_p": "p-value",
            "col_p_adj": "p ({correction})",
            "col_prob": "chance to beat control (Bayesian)",
            "col_loss": "expected loss if shipped",
            "col_cuped": "CUPED variance removed",
            "col_note": "note",
            "guardrail": " (guardrail)",
            "fig_lifts": "Relative lift against control",
            "fig_lifts_x": "relative lift, {level} interval (dark) and always-valid interval (grey)",
            "fig_cumulative": "Cumulative lift · {metric} · {variant}",
            "fig_cumulative_y": "relative lift",
        },
    }
)
