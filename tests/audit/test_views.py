import pandas as pd

from kit.audit import measures as audit
from kit.audit.attainment import attainment_breakdowns
from kit.audit.charts import attainment_trend_chart
from kit.audit.views import breakdown_view, findings_view, overview_view, pareto_view, verdicts


def test_verdicts_never_show_raw_booleans():
    meets = pd.array([True, False, None], dtype="boolean")
    assert verdicts(pd.Series(meets)).tolist() == ["met", "short", "no_target"]
    overview = pd.DataFrame(
        {
            "measure": ["fcr", "resolution_satisfaction", "authority_violations"],
            "value": [0.8, 0.9, 0.0],
            "target": [float("nan"), 0.95, 0.0],
            "n": [10, 20, 3],
            "meets": meets[[2, 1, 0]],
        }
    )
    zh = overview_view(overview, "zh")
    assert zh["是否达标"].tolist() == ["—（无目标）", "✗ 未达标", "✓ 达标"]
    assert "True" not in zh.to_string() and "False" not in zh.to_string()
    assert zh["指标"].iloc[0] == "一次解决率（FCR）"


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
    f = pd.DataFrame({"rank": [1], "text": ["x"], "impact": [2.4], "remedy": ["four-steps"]})
    assert findings_view(f, "zh").iloc[0].tolist() == [1, "x", "2", "投诉处理四步法"]
    m = pd.DataFrame({"month": ["2026-01", "2026-02"], "attainment": [0.8, 0.9]})
    fig = attainment_trend_chart(m, m.assign(attainment=[0.5, 0.6]), m.iloc[1:], lang="zh", store="001")
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels[:3] == ["首次响应（本店）", "解决时限（本店）", "首次响应（全连锁）"]
