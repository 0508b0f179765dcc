"""Tests of kit.loyalty.contractual: the sBG model against Fader & Hardie (2007), DERL by hand, cohorts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kit.core.errors import DataError, ParameterError
from kit.loyalty.contractual import (
    MEMBERSHIP_COLUMNS,
    SbgModel,
    membership_survival,
    pooled_survival,
    sbg_fit,
    sbg_fit_counts,
)

# Fader & Hardie (2007), "How to project customer retention", Table 1: customers still there
# at the start of years 1..13 of two cohorts of 1,000; the paper fits on years 1-7 (the first
# eight values) and projects the rest.
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
CALIBRATION = 8


def _survival_by_recursion(alpha: float, beta: float, horizon: int) -> list[float]:
    """S(t) = S(t - 1) * (beta + t - 1) / (alpha + beta + t - 1), S(0) = 1 -- written out by hand."""
    s = [1.0]
    for t in range(1, horizon + 1):
        s.append(s[-1] * (beta + t - 1) / (alpha + beta + t - 1))
    return s


# ----------------------------------------------------------------------- the published example
@pytest.mark.parametrize(
    "counts, alpha, beta",
    [(HIGH_END, 0.668, 3.806), (REGULAR, 0.704, 1.182)],
    ids=["high_end", "regular"],
)
def test_fit_reproduces_fader_hardie_2007(counts, alpha, beta):
    model = sbg_fit_counts(counts[:CALIBRATION])
    assert model.converged
    assert round(model.alpha, 3) == alpha
    assert round(model.beta, 3) == beta
    assert model.n_customers == 1000 and model.n_periods == 7 and model.n_cohorts == 1
    # the same fit from the survival curve (the estimates do not depend on the cohort size)
    curve = sbg_fit([c / 1000 for c in counts[:CALIBRATION]], cohort_size=1000)
    assert curve.alpha == pytest.approx(model.alpha, abs=1e-6)
    assert curve.beta == pytest.approx(model.beta, abs=1e-6)
    assert curve.log_likelihood == pytest.approx(model.log_likelihood, rel=1e-9)
    # fitted survival to 3 decimals = the model's survival at the published estimates
    expected = _survival_by_recursion(alpha, beta, 12)
    assert np.round(model.survival(12), 3).tolist() == pytest.approx(np.round(expected, 3).tolist(), abs=1e-3)


def test_published_log_likelihoods_and_first_year_values():
    high = sbg_fit_counts(HIGH_END[:CALIBRATION])
    regular = sbg_fit_counts(REGULAR[:CALIBRATION])
    # LL at the maximum (FH 2007: -1611.2 and -1680.3)
    assert round(high.log_likelihood, 1) == -1611.2
    assert round(regular.log_likelihood, 1) == -1680.3
    # the first-year retention r_1 = beta / (alpha + beta)
    assert high.retention(1)[0] == pytest.approx(high.beta / (high.alpha + high.beta))
    assert round(float(regular.survival(1)[1]), 3) == 0.627


@pytest.mark.parametrize("counts", [HIGH_END, REGULAR], ids=["high_end", "regular"])
def test_projection_tracks_the_holdout_years(counts):
    # FH (2007) show the sBG projection of years 8-12 close to the actual values; here within 2 points.
    model = sbg_fit_counts(counts[:CALIBRATION])
    projected = 100 * model.survival(12)[CALIBRATION:]
    actual = np.array(counts[CALIBRATION:]) / 10
    assert np.abs(projected - actual).max() < 2.0
    # and the observed calibration years within 2 points too
    fitted = 100 * model.survival(CALIBRATION - 1)
    assert np.abs(fitted - np.array(counts[:CALIBRATION]) / 10).max() < 2.0


def test_fit_does_not_depend_on_the_starting_values():
    a = sbg_fit_counts(REGULAR[:CALIBRATION], start=(0.1, 10.0))
    b = sbg_fit_counts(REGULAR[:CALIBRATION], start=(5.0, 0.2))
    assert a.alpha == pytest.approx(b.alpha, abs=1e-5) and a.beta == pytest.approx(b.beta, abs=1e-5)


def test_likelihood_by_hand_at_the_published_estimates():
    # LL = sum_t (n_{t-1} - n_t) ln P(T = t) + n_7 ln S(7), P and S by the recursion
    alpha, beta = 0.704, 1.182
    s = _survival_by_recursion(alpha, beta, 7)
    n = REGULAR[:CALIBRATION]
    ll = sum((n[t - 1] - n[t]) * math.log(s[t - 1] - s[t]) for t in range(1, 8)) + n[7] * math.log(s[7])
    fitted = sbg_fit_counts(n)
    assert fitted.log_likelihood >= ll  # the maximum is at least as high as any other point
    assert fitted.log_likelihood - ll < 0.01  # and the published rounding moves it very little
    m = SbgModel(alpha, beta)
    assert m.survival(7) == pytest.approx(s)
    assert m.churn_probability(7) == pytest.approx(np.array(s[:-1]) - np.array(s[1:]))  # P(T = t) = S(t-1) - S(t)


def test_several_cohorts_fit_jointly():
    # two cohorts of the same process: the joint fit equals the fit on their summed sufficient
    # statistics, and a younger cohort (fewer years) is handled by NaN after its last year
    counts = [[1000, 631, 468, 382, 326], [500, 320, 240, np.nan, np.nan]]
    joint = sbg_fit_counts(counts)
    assert joint.n_cohorts == 2 and joint.n_customers == 1500 and joint.n_periods == 4
    # same thing written as the long table of membership_survival
    long = pd.DataFrame(
        {
            "cohort": [2020] * 5 + [2021] * 3,
            "period": [0, 1, 2, 3, 4, 0, 1, 2],
            "alive": [1000, 631, 468, 382, 326, 500, 320, 240],
        }
    )
    again = sbg_fit_counts(long)
    assert again.alpha == pytest.approx(joint.alpha, abs=1e-6) and again.beta == pytest.approx(joint.beta, abs=1e-6)
    # hand-built LL at the joint estimate
    s = SbgModel(joint.alpha, joint.beta).survival(4)
    ll = sum(
        (c[t - 1] - c[t]) * math.log(s[t - 1] - s[t])
        for c, k in ((counts[0], 4), (counts[1], 2))
        for t in range(1, k + 1)
    )
    ll += 326 * math.log(s[4]) + 240 * math.log(s[2])
    assert joint.log_likelihood == pytest.approx(ll, rel=1e-9)


# ---------------------------------------------------------------------------- model quantities
def test_survival_non_increasing_and_retention_increasing_for_any_parameters():
    rng = np.random.default_rng(2024)
    for alpha, beta in np.exp(rng.uniform(np.log(0.02), np.log(50.0), size=(400, 2))):
        m = SbgModel(float(alpha), float(beta))
        s = m.survival(40)
        r = m.retention(40)
        assert s[0] == pytest.approx(1.0)
        assert (np.diff(s) <= 1e-15).all()
        assert (np.diff(r) > 0).all()
        assert ((r > 0) & (r < 1)).all()
        assert r == pytest.approx(s[1:] / s[:-1], rel=1e-9)
        assert m.churn_probability(40).sum() + s[-1] == pytest.approx(1.0)


def test_expected_and_median_lifetime():
    m = SbgModel(3.0, 2.0)
    assert m.expected_lifetime() == pytest.approx(2.0)  # (alpha + beta - 1) / (alpha - 1)
    assert m.expected_lifetime(horizon=2000) == pytest.approx(2.0, abs=1e-3)  # sum of S(t)
    assert SbgModel(0.704, 1.182).expected_lifetime() == math.inf  # alpha <= 1: the mean diverges
    capped = SbgModel(0.704, 1.182).expected_lifetime(horizon=3)
    assert capped == pytest.approx(sum(_survival_by_recursion(0.704, 1.182, 2)))
    assert SbgModel(0.704, 1.182).median_lifetime() == 2.0  # S(1) = .627 > .5 >= S(2) = .444
    assert math.isnan(SbgModel(0.01, 100.0).median_lifetime(max_periods=10))


def test_derl_against_a_truncated_sum_by_hand():
    # FH (2010): a customer who has renewed n - 1 = 2 times, d = 10 %:
    # DERL = sum_{t >= n} S(t) / S(n - 1) / (1 + d)^(t - n)
    alpha, beta, d, n = 0.704, 1.182, 0.10, 3
    s = _survival_by_recursion(alpha, beta, 3000)
    by_hand = sum(s[t] / s[n - 1] / (1 + d) ** (t - n) for t in range(n, 3001))
    assert SbgModel(alpha, beta).derl(d, n=n) == pytest.approx(by_hand, rel=1e-9)
    # a new customer at the end of her first period (n = 1), high-end parameters
    s = _survival_by_recursion(0.668, 3.806, 3000)
    by_hand = sum(s[t] / s[0] / (1 + d) ** (t - 1) for t in range(1, 3001))
    assert SbgModel(0.668, 3.806).derl(d) == pytest.approx(by_hand, rel=1e-9)
    # longer-tenured customers are worth more: DERL rises with n
    values = [SbgModel(alpha, beta).derl(d, n=k) for k in (1, 2, 5, 10)]
    assert values == sorted(values)


def test_bad_parameters_are_parameter_errors():
    m = SbgModel(1.0, 1.0)
    for call in (lambda: m.derl(0.0), lambda: m.derl(-1), lambda: m.derl(0.1, n=0), lambda: m.survival(-1)):
        with pytest.raises(ParameterError):
            call()
    with pytest.raises(ParameterError):
        m.expected_lifetime(horizon=0)
    with pytest.raises(ParameterError):
        sbg_fit([1.0, 0.5], cohort_size=0)


# --------------------------------------------------------------------------------- bad counts
@pytest.mark.parametrize(
    "counts",
    [
        [],
        [100],  # no period after the cohort size
        [0, 0],  # no cohort size
        [100, 120],  # more customers than before
        [100, -5],
        [[100, np.nan, 50]],  # a value after a gap
        ["a", "b"],
    ],
)
def test_unusable_counts_are_data_errors(counts):
    with pytest.raises(DataError):
        sbg_fit_counts(counts)


def test_degenerate_histories_say_why():
    with pytest.raises(DataError) as info:
        sbg_fit_counts([100, 100, 100])
    assert "nobody left" in info.value.message("en")
    with pytest.raises(DataError) as info:
        sbg_fit_counts([100, 0])
    assert "everybody left" in info.value.message("en")
    with pytest.raises(DataError):
        sbg_fit([0.9, 0.5])  # a survival curve starts at 1


def test_pooled_survival_of_one_cohort_is_the_share_still_there():
    table = pooled_survival(REGULAR[:4])
    assert table["survival"].tolist() == pytest.approx([1.0, 0.631, 0.468, 0.382])
    assert table["at_risk"].tolist() == [0.0, 1000.0, 631.0, 468.0]
    assert table["retention"].iloc[1:].tolist() == pytest.approx([0.631, 468 / 631, 382 / 468])


# ------------------------------------------------------------------------------- memberships
def _brute_force(members: pd.DataFrame, as_of: str) -> dict[tuple[int, int], int]:
    """Alive counts per (cohort, period), one member and one anniversary at a time (test-side loop only)."""
    end = pd.Timestamp(as_of)
    out: dict[tuple[int, int], int] = {}
    for _, row in members.iterrows():
        joined = pd.Timestamp(row["joined_on"])
        if joined > end:
            continue
        ended = pd.Timestamp(row["ended_on"]) if row["ended_on"] else None
        cohort = joined.year
        k = 0
        while pd.Timestamp(year=cohort + k + 1, month=12, day=31) <= end:
            k += 1
        out.setdefault((cohort, 0), 0)
        out[(cohort, 0)] += 1
        for t in range(1, k + 1):
            out.setdefault((cohort, t), 0)
            anniversary = joined + pd.DateOffset(years=t)
            if ended is None or ended > anniversary:
                out[(cohort, t)] += 1
    return out


def test_membership_survival_matches_a_member_by_member_count():
    rng = np.random.default_rng(8)
    n = 600
    joined = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 8 * 365, n), unit="D")
    years = rng.geometric(0.3, n)
    ended = joined + pd.to_timedelta(np.round(years * 365.25 - rng.integers(0, 2, n) * rng.integers(0, 200, n)), "D")
    members = pd.DataFrame(
        {
            "joined_on": joined.strftime("%Y-%m-%d"),
            "ended_on": np.where(ended <= pd.Timestamp("2026-06-30"), ended.strftime("%Y-%m-%d"), ""),
        }
    )
    as_of = "2026-06-30"
    table = membership_survival(members, as_of=as_of)
    assert list(table.columns) == MEMBERSHIP_COLUMNS
    expected = _brute_force(members, as_of)
    got = {(int(c), int(p)): int(a) for c, p, a in table[["cohort", "period", "alive"]].itertuples(index=False)}
    assert got == expected
    # 2026-06-30 is not a year end: the 2019 cohort is followed for 6 anniversaries (through 2025-12-31)
    assert table.loc[table["cohort"] == 2019, "period"].max() == 6
    assert not (table["cohort"] == 2027).any()


def test_membership_anniversary_rules_and_groups():
    members = pd.DataFrame(
        {
            "store_id": ["001", "001", "001", "002", "002"],
            "joined_on": ["2024-03-01", "2024-06-10", "2024-09-01", "2024-01-15", "2024-01-20"],
            # ends on the first anniversary (did not renew), still in, ends after renewing once
            "ended_on": ["2025-03-01", None, "2026-05-01", "2024-01-15", ""],
        }
    )
    table = membership_survival(members, as_of="2026-12-31", by=("store_id",))
    one = table[table["store_id"] == "001"]
    assert one["alive"].tolist() == [3, 2, 1]
    assert one["survival"].tolist() == pytest.approx([1.0, 2 / 3, 1 / 3])
    assert one["retention"].iloc[1:].tolist() == pytest.approx([2 / 3, 1 / 2])
    two = table[table["store_id"] == "002"]
    assert two["alive"].tolist() == [2, 1, 1]  # ended the day it began: left in the first year


def test_membership_inputs_from_load_table_and_empty():
    members = pd.DataFrame(
        {
            "joined_on": pd.to_datetime(["2024-03-01", "2025-02-01"]),
            "ended_on": pd.to_datetime(["2025-03-01", pd.NaT]),
        }
    )
    table = membership_survival(members, as_of="2026-12-31")
    assert table["alive"].tolist() == [1, 0, 0, 1, 1]
    empty = membership_survival(members.iloc[:0])
    assert len(empty) == 0 and list(empty.columns) == MEMBERSHIP_COLUMNS
    # default as_of: the latest date in the table, 2025-03-01, not a year end: no cohort has a
    # year whose every member has reached the first anniversary yet
    latest = membership_survival(members)
    assert latest["period"].max() == 0


def test_membership_errors():
    with pytest.raises(DataError) as info:
        membership_survival(pd.DataFrame({"joined_on": ["2024-01-01"]}))
    assert "ended_on" in info.value.message("en")
    with pytest.raises(DataError):
        membership_survival(pd.DataFrame({"joined_on": ["2024-01-01"], "ended_on": ["someday"]}))
    with pytest.raises(DataError):
        membership_survival(pd.DataFrame({"joined_on": [""], "ended_on": [""]}))
    with pytest.raises(DataError) as info:
        membership_survival(pd.DataFrame({"joined_on": ["2024-05-01"], "ended_on": ["2024-04-01"]}))
    assert "before" in info.value.message("en")
    with pytest.raises(ParameterError):
        membership_survival(pd.DataFrame({"joined_on": ["2024-05-01"], "ended_on": [""]}), as_of="soon")
