"""Every sentence, heading, label and chart text the personas report writes for a reader, in Chinese and English."""

from __future__ import annotations

from smkit import i18n

T = i18n.Catalog(
    {
        "zh": {
            # brief
            "brief_structure": "共 {users} 位用户可以清楚地分成 **{k} 类用户画像**，分组稳定，换一批抽样结果基本不变。",
            "brief_most": "共 {users} 位用户至少可以分成 **{k} 类用户画像**（本次尝试的上限），数据里可能还有更多分组。",
            "brief_weak": "共 {users} 位用户被分成 {k} 类画像，但**分组不够清晰或不够稳定**，请把它们当作参考，不要据此单独定向投放。",
            "brief_none": "共 {users} 位用户**没有明显的分群**：他们在各项属性上的差异不足以划出可靠的画像，建议按同一受众运营，不必按画像区分内容。",
            "brief_largest": "最大的一类是「{name}」，占 {share}（{size} 人）{traits}。",
            "brief_largest_traits": "，特点是 {traits}",
            "brief_others": "其余几类：{items}。",
            "brief_item": "「{name}」{share}",
            "brief_trait": "{label}（{share}）",
            "brief_action": "下一步：用 `{file}` 中每位用户的画像做定向投放，并为前 {top} 类画像分别定制内容。",
            "brief_action_weak": "下一步：先用更多行为数据（如消费、互动）重跑，再决定是否按画像定向。",
            "method_summary": "方法说明",
            "list_sep": "、",
            # selection (method note)
            "sel_weak": (
                "**分组较弱，请谨慎解读这 {k} 类画像。** 在 k = {k} 时，受众的聚集程度只比各列随机打乱后略高（gap statistic {gap}），"
                "或者画像在自助抽样重拟合之间不稳定（adjusted Rand index {ari}）；特征检验用的正是生成画像的同一份数据，显著本身并不说明画像真实存在。"
            ),
            "sel_none": ("**没有明显的画像。** 受众并不比各列随机打乱后更聚集（k = {k} 时 gap statistic {gap}），因此报告把它当作一个整体，而不是硬造画像。"),
            "sel_most": (
                "**{k} 类画像，已到尝试上限。** gap statistic 一直上升到 k = {k}（{gap}）：数据可能还有更多分组（调高 `k_max`），"
                "或者以分类变量为主的列把用户切成了每一种组合{silhouette}。自助抽样重拟合的稳定性：{ari}。"
            ),
            "sel_clear": (
                "**{k} 类画像。** k = {k} 是 gap statistic（{gap}）不被下一个 k 超过 {tolerance} 以上的最小 k{silhouette}；"
                "画像稳定：在自助抽样上重拟合的结果与原结果的 adjusted Rand index 为 {ari}。"
            ),
            "sel_silhouette": "，轮廓系数 {value}",
            "no_traits": "没有任何画像与整体受众有显著差异（共 {k} 类画像），因此没有可比较的特征。",
            "targeting": (
                "`{assignments}`（{users} 位用户：编号、画像、画像名称）和 `{model}` 保存在报告文件夹中。"
                "给新用户打分：`smkit.playbooks.personas.load_model(path).predict(frame)`。"
            ),
            # section findings
            "finding_cards": "{k} 类画像中最大的是「{name}」（{share}），最小的是「{smallest}」（{smallest_share}）。",
            "finding_cards_one": "全部用户归为一类「{name}」。",
            "finding_heatmap": "差异最大的特征：「{name}」中{trait}为整体的 {lift} 倍。",
            "finding_preparation": "{used} 列用于分群，{left} 列未使用（编号、常数或自由文本）。",
            "finding_selection": "按数据选出 {k} 类画像（尝试了 k = {low} 到 {high}）。",
            "finding_selection_fixed": "画像数量按参数固定为 {k}。",
            # cards
            "card_size": "{size} 人 · {share}",
            "card_numeric": "{label}：平均 {value}，整体 {overall}",
            "card_share": "{label}：{value}，整体 {overall}",
            "card_platforms": "常用平台：{items}",
            "card_hour": "最活跃时段：约 {hour}:00",
            "card_spend": "消费水平：{level}（{column}中位数为整体的 {ratio} 倍）",
            "level_high": "高",
            "level_low": "低",
            "level_medium": "中",
            "numeric_trait": "{column}偏{level}",
            "average_users": "普通用户",
            # tables
            "col_column": "列",
            "col_prepared": "处理方式",
            "col_missing": "缺失值",
            "prep_log": "取对数后标准化（长尾分布）",
            "prep_standard": "标准化",
            "prep_onehot": "独热编码，{n} 个类别",
            "prep_multi": "多值编码，最常见的 {n} 个值（以“;”分隔）",
            "prep_left_out": "未使用",
            "missing_median": "用中位数 {value} 填补",
            "missing_own": "单独一类",
            "missing_none": "不标记任何值",
            "why_constant": "常数列",
            "why_no_values": "没有数值",
            "why_distinct": "{n} 个不同的值：编号或自由文本",
            "col_k": "画像数 k",
            "col_gap": "间隙统计量",
            "col_silhouette": "轮廓系数",
            "col_bic": "BIC",
            "col_stability": "稳定性（ARI）",
            "col_chosen": "选中",
            "col_persona": "画像",
            "col_trait": "特征",
            "col_in_persona": "画像内",
            "col_overall": "整体",
            "col_lift": "倍数",
            "col_p_adjusted": "p 值（Holm 校正）",
            "caption_traits": "每类画像最突出的特征（最多 {n} 个），按倍数从高到低",
            # figures
            "fig_gap": "间隙统计量",
            "fig_silhouette": "轮廓系数",
            "fig_stability": "稳定性（ARI）",
            "fig_bic": "BIC",
            "fig_k": "画像数 k",
            "fig_projection": "用户分布（前两个主成分）",
            "fig_heatmap": "各画像特征相对整体受众的倍数",
            "fig_lift": "倍数（log2）",
        },
        "en": {
            "brief_structure": "The {users} users fall clearly into **{k} personas**, and the grouping is stable: another sample gives the same groups.",
            "brief_most": "The {users} users fall into at least **{k} personas** (the most tried); the data may hold more groups.",
            "brief_weak": (
                "The {users} users were split into {k} personas, but **the groups are weak or unstable**: treat them as a sketch, "
                "not as segments to target on their own."
            ),
            "brief_none": (
                "The {users} users **form no clear personas**: they do not differ enough to be grouped reliably, "
                "so run them as one audience rather than tailoring content per persona."
            ),
            "brief_largest": 'The largest persona is "{name}", {share} of users ({size}){traits}.',
            "brief_largest_traits": ", marked by {traits}",
            "brief_others": "The others: {items}.",
            "brief_item": '"{name}" {share}',
            "brief_trait": "{label} ({share})",
            "brief_action": "Next: target ads with each user's persona from `{file}`, and tailor content for the top {top} personas.",
            "brief_action_weak": "Next: rerun with more behaviour data (spending, interactions) before targeting by persona.",
            "method_summary": "How this is measured",
            "list_sep": ", ",
            "sel_weak": (
                "**Weak structure: read these {k} personas with caution.** At k = {k} the audience is barely more "
                "clustered than its columns shuffled at random (gap statistic {gap}) or the personas are not stable "
                "across bootstrap refits (adjusted Rand index {ari}); their traits are tested on the same data "
                "that made them, so significance alone does not make them real."
            ),
            "sel_none": (
                "**No clear personas.** The audience is not more clustered than the same columns shuffled at random "
                "(gap statistic {gap} at k = {k}), so the report treats it as one group instead of inventing personas."
            ),
            "sel_most": (
                "**{k} personas, the most tried.** The gap statistic kept rising up to k = {k} ({gap}): the data may hold more groups "
                "(raise `k_max`), or mostly categorical columns are splitting users into every combination{silhouette}. "
                "Stability across bootstrap refits: {ari}."
            ),
            "sel_clear": (
                "**{k} personas.** k = {k} is the smallest k whose gap statistic ({gap}) is not beaten by the next k by more than "
                "{tolerance}{silhouette}, and the personas are stable: refits on bootstrap resamples agree with an adjusted Rand index of {ari}."
            ),
            "sel_silhouette": ", silhouette {value}",
            "no_traits": "No persona differs significantly from the whole audience ({k} persona(s)), so there is no trait to compare.",
            "targeting": (
                "`{assignments}` ({users} users: id, persona, name) and `{model}` are in the report folder. "
                "Score new users with `smkit.playbooks.personas.load_model(path).predict(frame)`."
            ),
            "finding_cards": 'Of the {k} personas the largest is "{name}" ({share}), the smallest "{smallest}" ({smallest_share}).',
            "finding_cards_one": 'All users form one group, "{name}".',
            "finding_heatmap": 'The strongest trait: in "{name}", {trait} is {lift}x the whole audience\'s.',
            "finding_preparation": "{used} columns make the personas; {left} are left out (ids, constants or free text).",
            "finding_selection": "{k} personas chosen from the data (k = {low} to {high} tried).",
            "finding_selection_fixed": "The number of personas is fixed at {k} by the parameters.",
            "card_size": "{size} users · {share}",
            "card_numeric": "{label}: mean {value} vs {overall} overall",
            "card_share": "{label}: {value} vs {overall} overall",
            "card_platforms": "platforms: {items}",
            "card_hour": "most active around {hour}:00",
            "card_spend": "consumption: {level} ({column} median {ratio}x overall)",
            "level_high": "high",
            "level_low": "low",
            "level_medium": "medium",
            "numeric_trait": "{level} {column}",
            "average_users": "Average users",
            "col_column": "column",
            "col_prepared": "prepared as",
            "col_missing": "missing values",
            "prep_log": "log, then standardised (heavy-tailed)",
            "prep_standard": "standardised",
            "prep_onehot": "one-hot, {n} categories",
            "prep_multi": "multi-hot, {n} most common values (';'-separated)",
            "prep_left_out": "left out",
            "missing_median": "median {value}",
            "missing_own": "own category",
            "missing_none": "none set",
            "why_constant": "constant",
            "why_no_values": "no values",
            "why_distinct": "{n} distinct values: an identifier or free text",
            "col_k": "k",
            "col_gap": "gap statistic",
            "col_silhouette": "silhouette",
            "col_bic": "BIC",
            "col_stability": "stability (ARI)",
            "col_chosen": "chosen",
            "col_persona": "persona",
            "col_trait": "trait",
            "col_in_persona": "in persona",
            "col_overall": "overall",
            "col_lift": "lift",
            "col_p_adjusted": "p (Holm)",
            "caption_traits": "Each persona's defining traits (at most {n}), by lift",
            "fig_gap": "gap statistic",
            "fig_silhouette": "silhouette",
            "fig_stability": "stability (ARI)",
            "fig_bic": "BIC",
            "fig_k": "k",
            "fig_projection": "Users by persona (first two principal components)",
            "fig_heatmap": "Trait lift against the whole audience",
            "fig_lift": "log2 lift",
        },
    }
)
