"""kit.loyalty.recovery: groups, matched reference dates, repurchase windows, intervals and tests."""

import numpy as np
import pandas as pd
import pytest

from kit.core.errors import DataError, ParameterError
from kit.loyalty.recovery import (
    GROUPS,
    claim_check,
    compare_groups,
    describe_recovery,
    newcombe_interval,
    recovery_customers,
    recovery_summary,
    wilson_interval,
)


def _ts(*values):
    return pd.to_datetime(list(values))


@pytest.fixture
def small():
    complaints = pd.DataFrame(
        {
            "store_id": ["001"] * 4,
            "customer_id": ["fast", "slow", "open", "fast"],
            "created_at": _ts("2026-01-10 10:00", "2026-01-12 09:00", "2026-01-20 08:00", "2026-02-01 10:00"),
            "resolved_at": _ts("2026-01-11 09:59", "2026-01-14 09:00", None, "2026-02-01 12:00"),
        }
    )
    tx = pd.DataFrame(
        {
            "store_id": ["001"] * 9,
            "customer_id": ["fast", "fast", "slow", "slow", "open", "quiet", "quiet", "other", "gone"],
            "date": _ts(
                "2026-01-10",
                "2026-03-01",
                "2026-01-12",
                "2026-05-01",
                "2026-01-20",
                "2026-01-15",
                "2026-02-10",
                "2026-06-01",
                "2026-01-11",
            ),
        }
    )
    return complaints, tx


def test_groups_and_outcomes_by_hand(small):
    complaints, tx = small
    people = recovery_customers(
        complaints, tx, start="2026-01-01", end="2026-01-31", as_of="2026-06-30", window_days=90
    )
    got = people.set_index("customer_id")
    # first complaint of the period only: "fast" resolved in 23h59 -> golden; the February one is ignored
    assert got.loc["fast", "group"] == "golden"
    assert got.loc["slow", "group"] == "late"  # 48 h
    assert got.loc["open", "group"] == "unresolved"
    assert set(got.index[got["group"] == "never"]) == {"quiet", "gone"}  # "other" bought only after the period
    # fast: next purchase 2026-03-01 is 50 days after 2026-01-10
    assert got.loc["fast", "days_to_next"] == 50 and bool(got.loc["fast", "repurchased"])
    # slow: next purchase 109 days later -> not within 90
    assert not bool(got.loc["slow", "repurchased"])
    # the purchase on the complaint day itself does not count
    assert not bool(got.loc["open", "repurchased"]) and pd.isna(got.loc["open", "next_purchase"])
    # a never-complained customer's reference is one of his own purchase days in the period
    assert got.loc["quiet", "reference"] in set(_ts("2026-01-15"))  # nearest purchase to a complaint day
    assert got.loc["gone", "reference"] == pd.Timestamp("2026-01-11")
    assert bool(got.loc["quiet", "repurchased"]) and not bool(got.loc["gone", "repurchased"])


def test_censoring_and_retention(small):
    complaints, tx = small
    people = recovery_customers(
        complaints, tx, start="2026-01-01", end="2026-01-31", as_of="2026-03-31", window_days=90, inactive_days=60
    )
    got = people.set_index("customer_id")
    # window of 90 days after 2026-01-10 ends 2026-04-10 > as_of: not observed
    assert not got["observed"].any()
    assert got["repurchased"].isna().all() and got["retained"].isna().all()
    people = recovery_customers(
        complaints, tx, start="2026-01-01", end="2026-01-31", as_of="2026-05-10", window_days=90, inactive_days=60
    )
    got = people.set_index("customer_id")
    # slow bought on 2026-05-01, within 60 days of as_of -> retained; fast last bought 2026-03-01 -> churned
    assert bool(got.loc["slow", "retained"]) and not bool(got.loc["fast", "retained"])


def test_by_store_keeps_purchases_apart():
    complaints = pd.DataFrame(
        {
            "store_id": ["001"],
            "customer_id": ["a"],
            "created_at": _ts("2026-01-05 10:00"),
            "resolved_at": _ts("2026-01-05 11:00"),
        }
    )
    tx = pd.DataFrame({"store_id": ["001", "002"], "customer_id": ["a", "a"], "date": _ts("2026-01-05", "2026-01-20")})
    per_store = recovery_customers(
        complaints, tx, start="2026-01-01", end="2026-01-31", as_of="2026-12-31", by=["store_id"]
    )
    row = per_store[per_store["store_id"] == "001"].iloc[0]
    assert row["group"] == "golden" and not bool(row["repurchased"])
    # store 002 never had a complaint from "a" in it, but "a" complained somewhere: with by=() he is a complainer
    chain = recovery_customers(complaints, tx, start="2026-01-01", end="2026-01-31", as_of="2026-12-31")
    assert chain["group"].tolist() == ["golden"] and bool(chain["repurchased"].iloc[0])
    assert "never" in set(per_store["group"])  # in store 002 he counts as never complained


def test_matched_reference_dates_follow_complaint_days():
    rng = np.random.default_rng(3)
    days = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365, 4000), unit="D")
    tx = pd.DataFrame({"customer_id": [f"n{i % 400}" for i in range(4000)], "date": days})
    complaints = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(50)],
            "created_at": pd.Timestamp("2026-06-01 10:00") + pd.to_timedelta(rng.integers(0, 30, 50), unit="D"),
            "resolved_at": pd.NaT,
        }
    )
    people = recovery_customers(complaints, tx, start="2026-01-01", end="2026-12-31", as_of="2027-06-30")
    never = people[people["group"] == "never"]
    assert len(never) == 400
    # every matched reference lies near June (nearest own purchase to a June complaint day)
    months = never["reference"].dt.month
    assert months.between(5, 7).mean() > 0.9
    # deterministic with the seed
    again = recovery_customers(complaints, tx, start="2026-01-01", end="2026-12-31", as_of="2027-06-30")
    pd.testing.assert_frame_equal(people, again)


def test_repurchase_matches_a_brute_force_count(small_chain_dir):
    from kit.intake.load import load_chain

    chain = load_chain(small_chain_dir)
    comp, tx = chain.complaints.data, chain.transactions.data
    people = recovery_customers(comp, tx, start="2026-01-01", end="2026-02-28", by=["store_id"], window_days=30)
    sample = people.sample(60, random_state=1)
    for _, row in sample.iterrows():  # slow reference implementation, a few rows only
        mine = tx[(tx["store_id"] == row["store_id"]) & (tx["customer_id"] == row["customer_id"])]["date"]
        later = mine[(mine > row["reference"]) & (mine <= row["reference"] + pd.Timedelta(days=30))]
        if bool(row["observed"]):
            assert bool(row["repurchased"]) == (len(later) > 0)


@pytest.fixture(scope="module")
def six_month_chain(tmp_path_factory):
    from kit.intake.load import load_chain
    from kit.intake.sample import write_chain

    folder = tmp_path_factory.mktemp("chain6")
    write_chain(folder, stores=3, months=6, seed=11)
    return load_chain(folder)


def test_sample_chain_shows_the_recovery_effect(six_month_chain):
    """In the synthetic chain, customers whose complaint went badly (> 72 h) often leave (see kit.intake.sample)."""
    chain = six_month_chain
    people = recovery_customers(
        chain.complaints.data,
        chain.transactions.data,
        start="2026-01-01",
        end="2026-03-31",
        window_days=60,
        golden_hours=72,
    )
    summary = recovery_summary(people).set_index("group")
    assert summary.loc["golden", "observed"] > 200
    assert summary.loc["golden", "repurchase_rate"] > summary.loc["late", "repurchase_rate"] + 10
    assert summary.loc["golden", "retention_rate"] > summary.loc["late", "retention_rate"] + 10
    # the intervals are honest about the small "late" group
    assert summary.loc["late", "repurchase_high"] - summary.loc["late", "repurchase_low"] > 30


def test_wilson_and_newcombe_published_values():
    low, high = wilson_interval([0, 1, 8], [10, 29, 10])
    # Newcombe (1998) table I: 0/10 -> 0–0.2775, 1/29 -> 0.0061–0.1718, 8/10 -> 0.4902–0.9433
    assert np.allclose(low, [0.0, 0.0061, 0.4902], atol=5e-5)
    assert np.allclose(high, [0.2775, 0.1718, 0.9433], atol=5e-5)
    lo, hi = newcombe_interval(56, 70, 48, 80)  # Newcombe (1998) example (a): 0.0524 to 0.3339
    assert round(float(lo), 4) == 0.0524 and round(float(hi), 4) == 0.3339
    lo, hi = newcombe_interval(9, 10, 3, 10)  # example (d): 0.1705 to 0.8090
    assert round(float(lo), 4) == 0.1705 and round(float(hi), 4) == 0.8090
    nan_low, _ = wilson_interval(0, 0)
    assert np.isnan(nan_low)


def test_summary_lists_every_group_and_flags_small_samples():
    people = pd.DataFrame(
        {
            "store_id": ["001"] * 5 + ["002"],
            "group": ["golden"] * 3 + ["late", "never", "golden"],
            "observed": [True, True, False, True, True, True],
            "repurchased": pd.array([True, False, pd.NA, True, True, False], dtype="boolean"),
            "retained": pd.array([True, True, pd.NA, False, True, True], dtype="boolean"),
        }
    )
    out = recovery_summary(people, by=["store_id"])
    assert len(out) == 8 and out.groupby("store_id")["group"].apply(list).tolist() == [list(GROUPS)] * 2
    golden = out[(out["store_id"] == "001") & (out["group"] == "golden")].iloc[0]
    assert (golden["customers"], golden["observed"], golden["censored"], golden["repurchased"]) == (3, 2, 1, 1)
    assert golden["repurchase_rate"] == 50.0 and golden["small_sample"]
    assert np.isnan(out[(out["store_id"] == "002") & (out["group"] == "late")]["repurchase_rate"].iloc[0])


def test_compare_and_claim():
    summary = pd.DataFrame(
        {
            "group": list(GROUPS),
            "observed": [70, 80, 0, 200],
            "repurchased": [56, 48, 0, 150],
            "retained": [60, 50, 0, 120],
        }
    )
    comp = compare_groups(summary).set_index("group")
    from scipy.stats import fisher_exact

    assert comp.loc["late", "p_value"] == pytest.approx(fisher_exact([[48, 32], [56, 14]]).pvalue)
    assert comp.loc["late", "difference"] == pytest.approx(-20.0)
    assert np.isnan(comp.loc["unresolved", "p_value"]) and not comp.loc["unresolved", "significant"]
    ret = compare_groups(summary, metric="retention").set_index("group")
    assert ret.loc["late", "rate"] == pytest.approx(62.5)
    claim = claim_check(summary).iloc[0]
    assert claim["verdict"] == "below"  # 80 % of 70 cannot be 95 %
    from scipy.stats import binomtest

    assert claim["p_value"] == pytest.approx(binomtest(56, 70, 0.95, alternative="less").pvalue)
    fine = claim_check(summary.assign(repurchased=[68, 48, 0, 150])).iloc[0]
    assert fine["verdict"] == "consistent"
    none = claim_check(summary.assign(observed=[0, 80, 0, 200])).iloc[0]
    assert none["verdict"] == "no_data"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_describe_in_both_languages(lang):
    summary = pd.DataFrame(
        {
            "group": list(GROUPS),
            "observed": [70, 80, 10, 200],
            "repurchased": [56, 30, 2, 150],
            "retained": [60, 50, 1, 120],
        }
    )
    summary = recovery_summary(
        pd.DataFrame(
            {
                "group": np.repeat(list(GROUPS), summary["observed"]),
                "observed": True,
                "repurchased": np.concatenate(
                    [np.arange(n) < k for n, k in zip(summary["observed"], summary["repurchased"])]
                ),
                "retained": True,
            }
        )
    )
    text = describe_recovery(summary, compare_groups(summary), claim_check(summary), lang, link="[x](y)")
    assert ("24 小时内解决" in text) if lang == "zh" else ("resolved within 24 h" in text)
    assert "Fisher" in text and text.endswith("[x](y)")


def test_bad_input():
    complaints = pd.DataFrame({"customer_id": ["a"], "created_at": ["yesterday"], "resolved_at": [None]})
    tx = pd.DataFrame({"customer_id": ["a"], "date": ["2026-01-01"]})
    with pytest.raises(DataError) as err:
        recovery_customers(complaints, tx)
    assert "created_at" in err.value.message("en") and "无法识别" in err.value.message("zh")
    with pytest.raises(ParameterError):
        recovery_customers(complaints.assign(created_at=["2026-01-01"]), tx, window_days=0)
    with pytest.raises(DataError):
        recovery_customers(complaints.drop(columns="resolved_at"), tx)
    with pytest.raises(ParameterError):
        compare_groups(
            pd.DataFrame({"group": ["golden"], "observed": [1], "repurchased": [1], "retained": [1]}), metric="x"
        )


def test_empty_period_gives_empty_groups():
    complaints = pd.DataFrame(
        {
            "customer_id": pd.Series([], dtype=str),
            "created_at": pd.Series([], dtype="datetime64[ns]"),
            "resolved_at": pd.Series([], dtype="datetime64[ns]"),
        }
    )
    tx = pd.DataFrame({"customer_id": ["a"], "date": _ts("2026-01-01")})
    people = recovery_customers(complaints, tx, start="2026-01-01", end="2026-01-31", as_of="2026-12-31")
    assert people["group"].tolist() == ["never"]
    summary = recovery_summary(people)
    assert summary["observed"].tolist() == [0, 0, 0, 1]
