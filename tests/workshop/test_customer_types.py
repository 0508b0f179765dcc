"""Customer types (seed taxonomy, validation, KANO tags) and RFM segmentation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from kit.core.errors import DataError, ParameterError
from kit.workshop.customer_types import (
    CustomerType,
    CustomerTypes,
    KeyNeed,
    add_customer_type,
    attach_kano,
    default_customer_types,
    must_be_needs,
    remove_customer_type,
)
from kit.workshop.rfm import SEGMENTS, rfm_scores, rfm_segment, rfm_summary, segment_to_customer_type


def test_seed_taxonomy():
    types = default_customer_types()
    by_id = {t.id: t for t in types.types}
    external = [t.id for t in types.types if t.relation == "external" and t.directness == "direct"]
    internal = [t.id for t in types.types if t.relation == "internal"]
    assert external == ["consumers", "business_customers", "government_bodies", "non_profits"]
    assert internal == ["same_department", "other_departments", "management", "new_staff"]
    assert {t.directness for t in types.types} == {"direct", "indirect", "potential"}
    assert by_id["potential_customers"].directness == "potential"
    assert all(t.source == "seed" and t.name_zh and t.name_en for t in types.types)
    assert by_id["government_bodies"].name("zh") == "政府机构"


def test_validation():
    base = dict(id="x", name_zh="甲", name_en="x", relation="external", directness="direct")
    with pytest.raises(ValidationError):
        CustomerType(**{**base, "relation": "outside"})
    with pytest.raises(ValidationError):
        CustomerType(**{**base, "share": 1.5})
    with pytest.raises(ValidationError):
        CustomerType(**{**base, "priority": 3})
    with pytest.raises(ValidationError):
        CustomerType(**{**base, "id": "Has Space"})
    with pytest.raises(ValidationError):
        KeyNeed(need_zh="快", kano="X")
    with pytest.raises(ValidationError, match="unique"):
        CustomerTypes(types=[CustomerType(**base), CustomerType(**base)])
    with pytest.raises(ValidationError, match="more than 1"):
        CustomerTypes(types=[CustomerType(**base, share=0.7), CustomerType(**{**base, "id": "y"}, share=0.4)])
    # shares on different bases are not added up
    CustomerTypes(
        types=[CustomerType(**base, share=0.7), CustomerType(**{**base, "id": "y"}, share=0.4, share_basis="revenue")]
    )


def test_attach_kano_and_must_be():
    types = attach_kano(default_customer_types(), pd.Series({"fast_response": "M", "proactive_follow_up": "A"}))
    consumers = types.get("consumers")
    assert consumers.key_needs[0].kano == "M"
    assert consumers.key_needs[1].kano is None  # clear_compensation_policy not in the result
    assert must_be_needs(types) == {"fast_response"}
    with pytest.raises(ParameterError):
        types.get("nobody")


def test_add_and_remove():
    types = default_customer_types()
    new = segment_to_customer_type("champions")
    more = add_customer_type(types, new)
    assert more.types[-1].id == "rfm_champions" and len(more.types) == len(types.types) + 1
    with pytest.raises(ParameterError):
        add_customer_type(more, new)
    replaced = add_customer_type(more, new.model_copy(update={"priority": "low"}), replace=True)
    assert replaced.get("rfm_champions").priority == "low" and len(replaced.types) == len(more.types)
    fewer = remove_customer_type(types, "consumers")
    assert "consumers" not in [t.id for t in fewer.types]


def test_table_labels():
    tab = default_customer_types().table("zh")
    assert list(tab.columns[:3]) == ["名称", "关系", "直接性"]
    assert tab.iloc[0]["关系"] == "外部客户"


# --------------------------------------------------------------------------------------------
# RFM
# --------------------------------------------------------------------------------------------
def _tx():
    # ten customers c0..c9: c_k buys k+1 times, amount 10*(k+1) each, last purchase k days before the end.
    rows = []
    for k in range(10):
        for j in range(k + 1):
            rows.append(
                {
                    "customer_id": f"c{k}",
                    "date": (pd.Timestamp("2026-03-31") - pd.Timedelta(days=k + 10 * j)).strftime("%Y-%m-%d"),
                    "amount": 10.0 * (k + 1),
                    "store_id": "001" if k < 5 else "002",
                }
            )
    return pd.DataFrame(rows)


def test_rfm_quintiles_by_hand():
    s = rfm_scores(_tx(), as_of="2026-04-01").set_index("customer_id")
    assert s.loc["c0", "recency_days"] == 1 and s.loc["c9", "recency_days"] == 10
    assert s.loc["c3", "frequency"] == 4 and s.loc["c3", "monetary"] == 160.0
    # 10 customers, 5 bins: two per bin; c0 most recent -> R 5, least frequent -> F 1
    assert s["r_score"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert s["f_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert s.loc["c0", "rfm"] == "511" and s.loc["c0", "segment"] == "new"
    assert s.loc["c9", "segment"] == "cant_lose"


def test_rfm_ties_share_a_score_and_few_customers_stay_central():
    tx = pd.DataFrame({"customer_id": list("abcd"), "date": ["2026-01-01"] * 4, "amount": [5.0, 5.0, 5.0, 9.0]})
    s = rfm_scores(tx).set_index("customer_id")
    assert s["r_score"].nunique() == 1 and s["f_score"].nunique() == 1  # all tied
    assert s.loc["a", "m_score"] == s.loc["b", "m_score"] == s.loc["c", "m_score"] < s.loc["d", "m_score"]
    one = rfm_scores(tx.iloc[:1])
    assert one[["r_score", "f_score", "m_score"]].iloc[0].tolist() == [3, 3, 3]


def test_rfm_within_groups_and_default_as_of():
    s = rfm_scores(_tx(), group_col="store_id")
    assert list(s.columns[:2]) == ["store_id", "customer_id"]
    per_store = s.groupby("store_id")["r_score"].agg(["min", "max"])
    assert (per_store["min"] == 1).all() and (per_store["max"] == 5).all()
    default = rfm_scores(_tx())  # as_of = day after the last transaction
    assert default["recency_days"].min() == 1


def test_rfm_errors():
    with pytest.raises(DataError):
        rfm_scores(pd.DataFrame({"customer_id": ["a"], "date": ["2026-01-01"]}))
    with pytest.raises(DataError) as info:
        rfm_scores(pd.DataFrame({"customer_id": ["a"], "date": ["not a date"], "amount": [1.0]}))
    assert info.value.where.column == "date"
    with pytest.raises(ParameterError):
        rfm_scores(_tx(), bins=1)


def test_segment_rules_cover_every_score():
    r, f, m = np.meshgrid(np.arange(1, 6), np.arange(1, 6), np.arange(1, 6), indexing="ij")
    seg = rfm_segment(pd.Series(r.ravel()), pd.Series(f.ravel()), pd.Series(m.ravel()))
    assert seg.notna().all()
    assert set(seg.unique()) == set(SEGMENTS)
    lookup = dict(zip(zip(r.ravel(), f.ravel(), m.ravel()), seg))
    assert lookup[(5, 5, 5)] == "champions"
    assert lookup[(3, 4, 5)] == "loyal"
    assert lookup[(5, 1, 1)] == "new"
    assert lookup[(1, 5, 5)] == "cant_lose"
    assert lookup[(2, 4, 4)] == "at_risk"
    assert lookup[(2, 1, 2)] == "hibernating"
    assert lookup[(1, 1, 1)] == "lost"


def test_summary_and_adoption_as_customer_type():
    from kit.intake.sample import generate_chain

    tx = generate_chain(stores=2, months=6, seed=5)["transactions"]
    scores = rfm_scores(tx)
    assert scores["customer_id"].is_unique
    summary = rfm_summary(scores, "en")
    assert summary["customers"].sum() == len(scores)
    assert summary["revenue_share"].sum() == pytest.approx(1.0)
    assert summary.loc["champions", "name"] == "champions"
    ct = segment_to_customer_type("champions", summary)
    assert ct.share == pytest.approx(summary.loc["champions", "revenue_share"], abs=1e-4)
    assert ct.source == "rfm" and ct.relation == "external" and ct.key_needs
    assert segment_to_customer_type("lost", summary, share_basis="volume").share == pytest.approx(
        summary.loc["lost", "customer_share"], abs=1e-4
    )
    with pytest.raises(ParameterError):
        segment_to_customer_type("vip")
