import warnings

import pandas as pd
import pytest

from kit.audit import charts as plots
from kit.audit import measures as audit
from kit.core.charts import setup_fonts
from kit.workshop.standards import default_standards


def _status():
    log = pd.DataFrame(
        {
            "store_id": ["001"] * 4,
            "channel": ["phone", "email", "chat", "phone"],
            "tier": ["urgent", "normal", "inquiry", "urgent"],
            "category": ["product_quality", "delivery", "other", "product_quality"],
            "created_at": pd.to_datetime(["2026-01-01 10:00"] * 4),
            "first_response_at": pd.to_datetime(["2026-01-01 10:20", "2026-01-01 20:00", "2026-01-01 11:00", None]),
        }
    )
    return log, audit.first_response_status(log, default_standards(), as_of=pd.Timestamp("2026-01-02"))


def test_cjk_font_is_registered():
    assert setup_fonts() == "Noto Sans SC"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_draws_without_glyph_warnings(lang):
    log, status = _status()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [
            plots.monthly_complaints_chart(audit.complaints_per_month(log), lang, store="001"),
            plots.pareto_chart(audit.category_pareto(log), lang, store="001", label_group="category"),
            plots.response_time_chart(status, lang, store="001"),
            plots.attainment_chart(
                audit.sla_attainment(status.assign(month="2026-01"), by=["month"]), lang, store="001"
            ),
        ]
        for fig in figs:
            fig.canvas.draw()
    titles = [f.axes[0].get_title() for f in figs]
    if lang == "zh":
        assert titles[0] == "每月投诉量 —— 门店 001"
        assert [t.get_text() for t in figs[1].axes[0].get_xticklabels()][0] == "产品质量"
    else:
        assert titles[1] == "Complaint categories (Pareto) — store 001"


def test_charts_accept_empty_tables():
    log, status = _status()
    empty = status.iloc[0:0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plots.response_time_chart(empty, "zh").canvas.draw()
        plots.monthly_complaints_chart(audit.complaints_per_month(log.iloc[0:0]), "en").canvas.draw()
