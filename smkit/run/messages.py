"""What the run layer writes for a reader, in Chinese and English: the
report's failed-run banner and appendix, the reports index (each playbook's
name and one headline figure per run) and the terminal's progress lines and
closing table. Data (brands, campaign and experiment ids, variant names) is
never translated."""

from __future__ import annotations

from smkit.i18n import Catalog

# A playbook's name as a reader knows it; a playbook not listed here shows its file name.
NAMES = Catalog(
    {
        "zh": {
            "data_overview": "数据概览",
            "market_analysis": "市场分析与平台选择",
            "personas": "用户画像",
            "content_performance": "内容表现与发布计划",
            "ab_test": "A/B 内容测试",
            "campaign_postmortem": "营销活动复盘",
            "campaign_pacing": "营销活动进度跟踪",
            "reputation_monitor": "口碑与危机预警",
            "ops_review": "运营复盘",
            "kol_selection": "达人（KOL）筛选",
            "community": "社群运营",
        },
        "en": {
            "data_overview": "Data overview",
            "market_analysis": "Market analysis and platform selection",
            "personas": "User personas",
            "content_performance": "Content performance and publishing plan",
            "ab_test": "A/B content test",
            "campaign_postmortem": "Campaign post-mortem",
            "campaign_pacing": "Campaign pacing",
            "reputation_monitor": "Reputation and crisis monitor",
            "ops_review": "Operations review",
            "kol_selection": "KOL selection",
            "community": "Community",
        },
    }
)

# The report page: the failed-run banner and the appendix at its end.
REPORT = Catalog(
    {
        "zh": {
            "failed": "本次运行失败。",
            "failed_where": "出错的单元格见本报告同一文件夹中的 notebook.ipynb。",
            "failed_error": "错误信息：{error}",
            "unavailable": "无法读取",
            "appendix": "本报告的生成方式",
            "appendix_intro": "本报告由 smkit 运行笔记本 {notebook} 自动生成；下表列出本次运行使用的参数，未指定的参数取默认值。",
            "col_parameter": "参数",
            "col_value": "取值",
            "col_meaning": "含义",
            "default": "（默认）",
            "empty_default": "（默认：空）",
            "run_facts": "运行记录",
            "ran_at": "运行时间",
            "ran_at_value": "{start}，用时 {seconds} 秒",
            "version": "smkit 版本",
            "commit": "代码提交",
            "store": "数据库文件",
            "fingerprint": "数据指纹",
            "fingerprint_note": "数据不变，指纹就不变；两份报告的指纹相同，说明它们基于同一份数据。",
            "status": "运行状态",
            "status_ok": "成功",
            "status_failed": "失败",
            "method_notes": "方法说明",
        },
        "en": {
            "failed": "This run failed.",
            "failed_where": "The executed notebook.ipynb in this report's folder shows the failing cell.",
            "failed_error": "Error: {error}",
            "unavailable": "unavailable",
            "appendix": "How this report was made",
            "appendix_intro": "smkit made this report by running the notebook {notebook}; the table lists the parameters of this run (a parameter not given takes its default).",
            "col_parameter": "Parameter",
            "col_value": "Value",
            "col_meaning": "Meaning",
            "default": "(default)",
            "empty_default": "(default: empty)",
            "run_facts": "Run record",
            "ran_at": "Run at",
            "ran_at_value": "{start}, took {seconds} s",
            "version": "smkit version",
            "commit": "Commit",
            "store": "Store file",
            "fingerprint": "Data fingerprint",
            "fingerprint_note": "The fingerprint changes whenever the data does: two reports with the same fingerprint were made from the same data.",
            "status": "Status",
            "status_ok": "ok",
            "status_failed": "failed",
            "method_notes": "Method notes",
        },
    }
)

# reports/index.html
INDEX = Catalog(
    {
        "zh": {
            "title": "smkit 报告",
            "intro": "所有运行，最新的在前。点击报告名称打开报告；笔记本（notebook.ipynb）保存了完整的计算过程。",
            "col_date": "日期",
            "col_report": "报告",
            "col_headline": "要点",
            "col_status": "状态",
            "col_duration": "用时",
            "col_notebook": "笔记本",
            "seconds": "{seconds} 秒",
            "label": "标签 {label}",
            "notebook": "笔记本",
            "in_english": "英文版",
            "in_chinese": "中文版",
            "none": "暂无报告：运行 smkit run 后，报告会列在这里。",
            "ok": "成功",
            "failed": "失败",
        },
        "en": {
            "title": "smkit reports",
            "intro": "Every run, newest first. Click a report's name to open it; the notebook (notebook.ipynb) holds the full computation.",
            "col_date": "Date",
            "col_report": "Report",
            "col_headline": "Headline",
            "col_status": "Status",
            "col_duration": "Took",
            "col_notebook": "Notebook",
            "seconds": "{seconds} s",
            "label": "label {label}",
            "notebook": "notebook",
            "in_english": "in English",
            "in_chinese": "in Chinese",
            "none": "No reports yet: runs of smkit run are listed here.",
            "ok": "ok",
            "failed": "failed",
        },
    }
)

# One headline figure per playbook, read from the run's summary.json.
HEADLINES = Catalog(
    {
        "zh": {
            "data_overview": "{start}至{end}：{posts} 条帖子，{views} 次播放",
            "data_overview_no_window": "{posts} 条帖子，{views} 次播放",
            "market_share": "{brand}声量份额 {share}",
            "market_primary": "首选平台：{platform}",
            "personas": "{k} 类用户画像，最大一类“{name}”占 {share}",
            "personas_none": "受众中没有稳定的分群",
            "content_best": "互动最突出：{platform}{content_type}（{ratio} 倍）",
            "content_plan": "发布计划 {rows} 条",
            "ab_decision": "{variant}：{decision}",
            "ab_ship": "上线",
            "ab_do_not_ship": "不上线",
            "ab_keep_running": "继续测试",
            "kpis_on_target": "KPI 达标 {met}/{total} 项",
            "campaign_lift": "{metric}增量 {lift}",
            "metric_views": "播放",
            "metric_engagements": "互动",
            "monitor_level": "最高预警：{level}",
            "monitor_none": "无预警",
            "kol_shortlist": "预算 {budget}：{n} 位达人，预计 {engagements} 次互动；{suspicious} 位可疑",
            "community": "活跃成员 {active} 人，{at_risk} 人有流失风险",
            "pacing": "第 {elapsed}/{total} 天，{at_risk}/{targets} 项目标可能达不到",
            "separator": "；",
        },
        "en": {
            "data_overview": "{start} to {end}: {posts} posts, {views} views",
            "data_overview_no_window": "{posts} posts, {views} views",
            "market_share": "{brand} share of voice {share}",
            "market_primary": "first platform: {platform}",
            "personas": "{k} personas, the largest, “{name}”, {share}",
            "personas_none": "no stable segments in the audience",
            "content_best": "strongest format: {content_type} on {platform} (×{ratio})",
            "content_plan": "publishing plan of {rows} posts",
            "ab_decision": "{variant}: {decision}",
            "ab_ship": "ship",
            "ab_do_not_ship": "do not ship",
            "ab_keep_running": "keep running",
            "kpis_on_target": "{met} of {total} KPIs on target",
            "campaign_lift": "{metric} lift {lift}",
            "metric_views": "views",
            "metric_engagements": "engagements",
            "monitor_level": "highest warning: {level}",
            "monitor_none": "no warning",
            "kol_shortlist": "budget {budget}: {n} creators, about {engagements} engagements; {suspicious} suspicious",
            "community": "{active} active members, {at_risk} at risk of leaving",
            "pacing": "day {elapsed} of {total}, {at_risk} of {targets} targets at risk",
            "separator": "; ",
        },
    }
)

# The terminal: one line when a run starts and when it ends, the closing table, the index's path.
TERMINAL = Catalog(
    {
        "zh": {
            "started": "▶ 开始  {name}",
            "finished": "{mark} 完成  {name}  {seconds} 秒  {status}",
            "col_playbook": "报告",
            "col_label": "标签",
            "col_status": "状态",
            "col_seconds": "秒",
            "col_folder": "文件夹 / 错误",
            "ok": "成功",
            "failed": "失败",
            "index": "报告索引：{path}",
            "skipped": "跳过：{reason}",
            "nothing_to_run": "这个数据库上没有可运行的报告（原因见上面各行）",
        },
        "en": {
            "started": "▶ started   {name}",
            "finished": "{mark} finished  {name}  {seconds} s  {status}",
            "col_playbook": "playbook",
            "col_label": "label",
            "col_status": "status",
            "col_seconds": "seconds",
            "col_folder": "folder / error",
            "ok": "ok",
            "failed": "failed",
            "index": "reports index: {path}",
            "skipped": "skipped: {reason}",
            "nothing_to_run": "no playbook can run on this store (the lines above say why)",
        },
    }
)


def playbook_name(name: str, lang: str) -> str:
    """A playbook's name in ``lang``; a playbook without one keeps its file name."""
    return NAMES(name, lang) if NAMES.has(name) else name


# A campaign_pacing run's alert to the response plan's channels (smkit.run.pacing_notify).
PACING = Catalog(
    {
        "zh": {
            "title": "活动进度预警：{campaign}",
            "line": "{metric}：达成目标的可能性 {chance}（目标 {target}，预计 {projected}）",
            "footer": "第 {elapsed}/{total} 天，统计到 {day}。报告：{report}",
            "metric_views": "播放量",
            "metric_engagements": "互动量",
            "metric_interactions": "互动量",
            "metric_followers_gained": "新增粉丝",
            "metric_clicks": "点击",
            "metric_conversions": "转化",
        },
        "en": {
            "title": "Campaign pacing alert: {campaign}",
            "line": "{metric}: {chance} chance of meeting the target ({target}; projected {projected})",
            "footer": "Day {elapsed} of {total}, figures to {day}. Report: {report}",
            "metric_views": "views",
            "metric_engagements": "engagements",
            "metric_interactions": "interactions",
            "metric_followers_gained": "followers gained",
            "metric_clicks": "clicks",
            "metric_conversions": "conversions",
        },
    }
)
