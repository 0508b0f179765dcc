"""Tests of the contractual-retention and method-note helpers of kit.loyalty.report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kit.core.errors import ParameterError
from kit.core.i18n import has_text
from kit.intake.sample import generate_chain
from kit.loyalty.contractual import SbgModel, membership_survival, sbg_fit_counts
from kit.loyalty.report import MembershipRetention, describe_membership, membership_retention, method_note
from kit.loyalty.survey import CI_METHODS


@pytest.fixture(scope="module")
def memberships() -> pd.DataFrame:
    return generate_chain(stores=5, months=12, seed=11)["memberships"]


def test_membership_retention_of_a_programme_store(memberships):
    res = membership_retention(memberships, "003", as_of="2026-12-31", horizon=10)
    assert isinstance(res, MembershipRetention)
    mine = memberships[memberships["store_id"] == "003"]
    assert res.members == len(mine)
    assert res.years_observed == 6  # programme since 2020, report period ending 2026-12-31
    # the model is the joint sBG fit of the store's cohorts
    direct = sbg_fit_counts(membership_survival(mine, as_of="2026-12-31"))
    assert res.model.alpha == pytest.approx(direct.alpha) and res.model.beta == pytest.approx(direct.beta)
    table = res.table
    assert table["period"].tolist() == list(range(11))
    assert table["fitted_survival"].iloc[0] == pytest.approx(100.0)
    assert table["observed_survival"].iloc[:7].notna().all() and table["observed_survival"].iloc[7:].isna().all()
    assert table["fitted_survival"].tolist() == pytest.approx(list(100 * res.model.survival(10)))
    assert np.abs(table["observed_survival"] - table["fitted_survival"]).max() < 5  # the model fits its own data
    assert 0 < res.next_year_retention < 1


def test_next_year_retention_by_hand():
    # 2024: 3 joined, 1 still in after 2 years; 2025: 1 joined, still in after 1 year (as_of 2026-12-31)
    m = pd.DataFrame(
        {
            "store_id": ["001"] * 4,
            "joined_on": ["2024-02-01", "2024-05-01", "2024-07-01", "2025-03-01"],
            "ended_on": ["2025-02-01", "", "2026-07-01", ""],
        }
    )
    res = membership_retention(m, "001", as_of="2026-12-31", horizon=3)
    a, b = res.model.alpha, res.model.beta
    r3 = (b + 2) / (a + b + 2)  # the 2024 member faces her 3rd renewal
    r2 = (b + 1) / (a + b + 1)  # the 2025 member her 2nd
    assert res.next_year_retention == pytest.approx((1 * r3 + 1 * r2) / 2)


def test_no_membership_data_gives_none(memberships):
    assert membership_retention(None, "003") is None
    assert membership_retention(memberships, "001") is None  # store 001 has no programme
    assert membership_retention(memberships.iloc[:0], "003") is None
    young = pd.DataFrame({"store_id": ["001"], "joined_on": ["2026-03-01"], "ended_on": [""]})
    assert membership_retention(young, "001", as_of="2026-12-31") is None  # no anniversary yet
    nobody_left = pd.DataFrame({"store_id": ["001"] * 2, "joined_on": ["2024-03-01"] * 2, "ended_on": ["", ""]})
    assert membership_retention(nobody_left, "001", as_of="2026-12-31") is None
    assert describe_membership(None, "zh") is None
    with pytest.raises(ParameterError):
        membership_retention(memberships, "003", horizon=0)


def test_membership_retention_accepts_a_load_result(tmp_path):
    from kit.intake.load import load_chain
    from kit.intake.sample import write_chain

    write_chain(tmp_path, stores=3, months=2, seed=4)
    chain = load_chain(tmp_path)
    res = membership_retention(chain.memberships, "003", as_of="2026-02-28")
    assert res is not None and res.years_observed == 5  # 2020 joiners: anniversaries through 2025-12-31


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_describe_membership_says_lifetime_and_next_year(memberships, lang):
    res = membership_retention(memberships, "005", as_of="2026-12-31", horizon=10)
    text = describe_membership(res, lang)
    lifetime = f"{res.model.expected_lifetime(10):.1f}"
    assert lifetime in text
    assert f"{res.next_year_retention:.0%}" in text
    assert f"{res.model.retention(1)[0]:.0%}" in text
    assert ("会员" in text) == (lang == "zh")


def test_expected_lifetime_in_the_sentence_is_capped_at_the_horizon():
    model = SbgModel(0.704, 1.182)  # alpha < 1: infinite mean lifetime
    assert model.expected_lifetime() == float("inf")
    assert model.expected_lifetime(10) < 10


# ------------------------------------------------------------------------------ method notes
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_method_has_a_note(lang):
    for kind in ("nps", "csat", "ces"):
        for method in CI_METHODS[kind]:
            note = method_note(kind, lang, method=method)
            assert note and ("95" in note)
    assert "Rocks 2016" in method_note("nps", lang)
    assert "Wilson" in method_note("csat", lang, method="wilson")
    assert "Fader & Hardie 2007" in method_note("sbg", lang)
    assert "BG/NBD" in method_note("clv", lang)
    assert "Shapley" in method_note("drivers", lang)
    assert "Johnson" in method_note("drivers", lang, method="relative_weights")
    assert "90" in method_note("nps", lang, conf=0.90)


def test_method_note_texts_and_errors():
    assert method_note("nps", "en") == "NPS interval: adjusted Wald (Rocks 2016, 3 pseudo-respondents added), 95 %."
    assert "association, not cause" in method_note("drivers", "en")
    assert "不是因果" in method_note("drivers", "zh")
    with pytest.raises(ParameterError):
        method_note("kano", "en")
    with pytest.raises(ParameterError):
        method_note("nps", "en", method="wilson")
    with pytest.raises(ParameterError):
        method_note("nps", "en", conf=95)
    for method in CI_METHODS["nps"]:
        assert has_text(f"survey.ci_method.{method}")
