import numpy as np
import pandas as pd
import pytest

from kit.audit import measures as audit
from kit.audit.attainment import attainment_breakdowns, attainment_table, monthly_attainment
from kit.workshop.standards import default_standards

T = pd.Timestamp


def _status(rows):
    """rows: (store, tier, channel, category, month day 'YYYY-MM-DD', status, required)."""
    f = pd.DataFrame(
        rows, columns=["store_id", "tier", "channel", "category", "created_at", "status", "required_attainment"]
    )
    f["created_at"] = pd.to_datetime(f["created_at"], format="ISO8601")
    return f


def _months(store, spec, required=0.9, tier="normal", channel="phone", category="a"):
    """spec: {month: (met, breached, at_risk)} -> rows."""
    rows = []
    for month, (met, breached, at_risk) in spec.items():
        for status, k in (("met", met), ("breached", breached), ("at_risk", at_risk)):
            rows += [(store, tier, channel, category, f"{month}-10", status, required)] * k
    return rows


def test_attainment_by_store_with_gap_and_shortfall():
    f = _status(_months("001", {"2026-01": (8, 2, 1)}) + _months("002", {"2026-01": (5, 0, 0)}))
    out = attainment_table(f, ["store_id"]).set_index("store_id")
    assert out.loc["001", ["met", "breached", "at_risk", "decided"]].tolist() == [8, 2, 1, 10]
    assert out.loc["001", "attainment"] == pytest.approx(0.8)
    assert out.loc["001", "gap"] == pytest.approx(-10)
    assert out.loc["001", "shortfall"] == pytest.approx(1.0)  # 0.9 x 10 - 8
    assert out.loc["002", "attainment"] == 1.0 and out.loc["002", "shortfall"] == 0


def test_open_tickets_are_never_met_and_at_risk_left_out():
    log = pd.DataFrame(
        {
            "store_id": ["001"] * 3,
            "channel": ["phone"] * 3,
            "tier": ["urgent"] * 3,
            "category": ["a"] * 3,
            "created_at": pd.to_datetime(["2026-03-01 10:00", "2026-03-01 09:00", "2026-03-01 11:50"]),
            "first_response_at": pd.to_datetime(["2026-03-01 10:30", None, None]),
        }
    )
    status = audit.first_response_status(log, default_standards(), as_of=T("2026-03-01 12:00"))
    row = attainment_table(status).iloc[0]
    assert (row["met"], row["breached"], row["at_risk"]) == (1, 1, 1)
    assert row["attainment"] == 0.5


def test_shortfall_sums_each_tickets_requirement():
    f = _status(
        [("001", "urgent", "phone", "a", "2026-01-05", "breached", 0.95)] * 2
        + [("001", "normal", "phone", "a", "2026-01-05", "met", 0.80)] * 2
    )
    row = attainment_table(f).iloc[0]
    assert row["required"] == 0.95  # the strictest rule
    assert row["shortfall"] == pytest.approx(0.95 * 2 + 0.80 * 2 - 2)


def test_trend_improving_declining_stable_and_slope():
    spec_up = {
        "2026-01": (50, 50, 0),
        "2026-02": (50, 50, 0),
        "2026-03": (50, 50, 0),
        "2026-04": (90, 10, 0),
        "2026-05": (90, 10, 0),
        "2026-06": (90, 10, 0),
    }
    spec_down = {m: (b, a, r) for m, (a, b, r) in spec_up.items()}
    spec_flat = dict.fromkeys(spec_up, (70, 30, 0))
    f = _status(_months("up", spec_up) + _months("down", spec_down) + _months("flat", spec_flat))
    out = attainment_table(f, ["store_id"], window=3).set_index("store_id")
    assert out.loc["up", "trend"] == "improving" and out.loc["up", "change"] == pytest.approx(40)
    assert out.loc["up", ["recent", "previous"]].tolist() == pytest.approx([0.9, 0.5])
    assert out.loc["down", "trend"] == "declining"
    assert out.loc["flat", "trend"] == "stable" and out.loc["flat", "slope"] == pytest.approx(0)
    # y = 50, 50, 50, 90, 90, 90 on x = 1..6: Sxy = 40 x (0.5 + 1.5 + 2.5), Sxx = 17.5
    assert out.loc["up", "slope"] == pytest.approx(40 * 4.5 / 17.5)
    assert out.loc["up", "recent_from"] == "2026-04" and out.loc["up", "previous_from"] == "2026-01"


def test_small_change_is_not_a_trend_and_short_history_has_no_slope():
    f = _status(_months("s", {"2026-01": (8, 2, 0), "2026-02": (9, 1, 0)}))
    row = attainment_table(f, window=1).iloc[0]
    assert row["trend"] == "stable"  # +10 points on 10 tickets each: not significant
    assert np.isnan(row["slope"])  # fewer than three months


def test_monthly_and_breakdowns_by_every_dimension():
    rows = _months("001", {"2026-01": (3, 1, 0), "2026-02": (2, 2, 0)}, tier="urgent", channel="email", category="x")
    rows += _months("002", {"2026-02": (4, 0, 0)}, tier="normal", channel="phone", category="y")
    f = _status(rows)
    monthly = monthly_attainment(f, ["store_id"])
    assert monthly[["store_id", "month", "attainment"]].values.tolist() == [
        ["001", "2026-01", 0.75],
        ["001", "2026-02", 0.5],
        ["002", "2026-02", 1.0],
    ]
    b = attainment_breakdowns({"first_response": f, "resolution": f})
    assert set(b["dimension"]) == {"store_id", "tier", "channel", "category", "month"}
    assert len(b) == 2 * (2 + 2 + 2 + 2 + 2)
    fr = b[b["metric"] == "first_response"].set_index(["dimension", "group"])
    assert fr.loc[("channel", "email"), "attainment"] == pytest.approx(5 / 8)
    assert fr.loc[("month", "2026-02"), "attainment"] == pytest.approx(6 / 8)
    assert np.isnan(fr.loc[("month", "2026-02"), "slope"])
    # one store's table equals the chain's row for that store
    one = attainment_table(f[f["store_id"] == "001"]).iloc[0]
    assert one["attainment"] == fr.loc[("store_id", "001"), "attainment"]
