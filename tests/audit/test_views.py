import pandas as pd

from kit.audit import measures as audit
from kit.audit.attainment import attainment_breakdowns
from kit.audit.charts import attainment_trend_chart
from kit.audit.findings import findings_view
from kit.audit.views import breakdown_view, pareto_view


def test_indicator_verdicts_never_show_raw_booleans():
    from kit.workshop.indicators import indicator_rows_table

    rows = pd.DataFrame(
        {
            "indicator": ["fcr", "resolution_satisfaction", "reopen_rate"],
            "value": [80.0, 90.0, 100.0],
            "target": [70.0, 95.0, 100.0],
            "n": [10, 20, 3],
            "unit": ["percent"] * 3,
            "direction": [">="] * 3,
            "verdict": ["met", "not_met", "too_few"],
            "reason": ["", "", "too_few"],
            "reason_column": [""] * 3,
        }
    )
    zh = indicator_rows_table(rows, "zh")
    assert zh["判断"].tolist() == ["✓ 达标", "✗ 未达标", "样本太少，不作判断（n = 3，至少需要 20）"]
    assert "True" not in zh.to_string() and "False" not in zh.to_string()
    assert zh["指标"].iloc[0] == "一次解决率 FCR"


def test_pareto_view_translates_chinese_category_names_and_marks_vital_few():
    p = audit.category_pareto(pd.DataFrame({"category": ["服务态度"] * 8 + ["其他"] * 2}), codes="category")
    en = pareto_view(p, "en")
    assert en["category"].tolist() == ["staff attitude", "other"]
    assert en["vital few"].tolist() == ["✓", ""]


def test_breakdown_view_labels_groups_and_trend():
    s = pd.DataFrame(
        {
            "created_at": pd.to_datetime(["2026-01-05"] * 2 + ["2026-04-05"] * 2),
            "tier": ["urgent"] * 4,
            "channel": ["email"] * 4,
            "status": ["met", "breached", "met", "met"],
            "required_attainment": 0.95,
        }
    )
    b = attainment_breakdowns({"first_response": s})
    en = breakdown_view(b, "en", dimension="channel")
    assert en["channel"].tolist() == ["e-mail"] and en["attainment"].tolist() == ["75.0%"]
    assert set(en.columns) >= {"short of target (tickets)", "trend", "last 3 months"}
    month = breakdown_view(b, "zh", dimension="month")
    assert month["月份"].tolist() == ["2026-01", "2026-04"] and "趋势" not in month.columns


def test_findings_view_and_trend_chart():
    f = pd.DataFrame({"rank": [1], "text": ["x"], "impact": [3.0], "remedy": ["remedy-four-steps"]})
    assert findings_view(f, "zh").iloc[0].tolist() == ["1", "x", "投诉处理四步法"]
    m = pd.DataFrame({"month": ["2026-01", "2026-02"], "attainment": [0.8, 0.9]})
    fig = attainment_trend_chart(m, m.assign(attainment=[0.5, 0.6]), m.iloc[1:], lang="zh", store="001")
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels[:3] == ["首次响应（本店）", "解决时限（本店）", "首次响应（全连锁）"]
