"""Tests of kit.loyalty.clv, validated against the published CDNOW results of Fader, Hardie & Lee (2005)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import beta as beta_fn
from scipy.special import gamma as gamma_fn

from kit.core.errors import DataError, ParameterError
from kit.loyalty.clv import (
    BgNbd,
    GammaGamma,
    _bgnbd_ll,
    fit_bgnbd,
    fit_gamma_gamma,
    frequency_recency_summary,
    margin_multiple_clv,
    model_clv,
)

CDNOW = Path(__file__).resolve().parents[1] / "fixtures" / "cdnow" / "cdnow_customers_summary_with_transactions.csv"
PUBLISHED_BGNBD = BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426)
PUBLISHED_GG = GammaGamma(p=6.25, q=3.74, gamma=15.44)


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return pd.read_csv(CDNOW)


@pytest.fixture(scope="module")
def bgnbd(cdnow) -> BgNbd:
    return fit_bgnbd(cdnow, frequency_col="x", recency_col="t_x", T_col="T")


# ------------------------------------------------------------------------ (a) margin multiple
def test_margin_multiple_known_answer():
    # Gupta & Lehmann (2003): r = .8, i = .1 -> multiple = .8 / .3 = 2.667 periods of margin
    assert margin_multiple_clv(1.0, 0.8, 0.1) == pytest.approx(0.8 / 0.3)
    assert margin_multiple_clv(150.0, 0.8, 0.1) == pytest.approx(400.0)
    # it is the infinite sum of m r^t / (1 + i)^t, t >= 1
    t = np.arange(1, 2000)
    assert margin_multiple_clv(150.0, 0.8, 0.1) == pytest.approx(np.sum(150 * 0.8**t / 1.1**t))
    assert margin_multiple_clv(10.0, 0.0, 0.1) == 0.0
    out = margin_multiple_clv(np.array([100.0, 200.0]), np.array([0.5, 0.9]), 0.0)
    assert out == pytest.approx([100.0, 1800.0])


@pytest.mark.parametrize("retention, discount", [(1.0, 0.1), (-0.1, 0.1), (0.8, -0.05), (float("nan"), 0.1)])
def test_margin_multiple_rejects_impossible_rates(retention, discount):
    with pytest.raises(ParameterError):
        margin_multiple_clv(100.0, retention, discount)


# ------------------------------------------------------------------------------- (b) BG/NBD
def test_bgnbd_reproduces_published_cdnow_estimates(bgnbd, cdnow):
    # Fader, Hardie & Lee (2005), Marketing Science 24(2): r = .243, alpha = 4.414, a = .793, b = 2.426, LL = -9582.4
    assert len(cdnow) == 2357 and bgnbd.n_customers == 2357
    assert bgnbd.converged
    assert bgnbd.r == pytest.approx(0.243, abs=5e-4)
    assert bgnbd.alpha == pytest.approx(4.414, abs=5e-3)
    assert bgnbd.a == pytest.approx(0.793, abs=1e-3)
    assert bgnbd.b == pytest.approx(2.426, abs=5e-3)
    assert bgnbd.log_likelihood == pytest.approx(-9582.4, abs=0.05)


def test_fits_stop_at_the_likelihood_maximum(bgnbd, cdnow):
    """The analytic gradient is right, it is ~0 at the solution, and the solution does not depend on the start."""
    from kit.loyalty.clv import _bgnbd_grad, _gg_grad

    x, tx, T = (cdnow[c].to_numpy(float) for c in ("x", "t_x", "T"))
    theta = np.array([bgnbd.r, bgnbd.alpha, bgnbd.a, bgnbd.b])
    grad = _bgnbd_grad(theta, x, tx, T)
    for k in range(4):  # against central differences of the log-likelihood
        step = np.zeros(4)
        step[k] = 1e-6 * theta[k]
        numeric = (_bgnbd_ll(theta + step, x, tx, T).sum() - _bgnbd_ll(theta - step, x, tx, T).sum()) / (2 * step[k])
        assert grad[k] == pytest.approx(numeric, rel=1e-4, abs=1e-3)
    assert np.all(np.abs(grad * theta) < 1e-3)  # d LL / d log(parameter) at the maximum
    # published (FHL 2005): r = .243, alpha = 4.414, a = .793, b = 2.426 -- exactly, to the paper's decimals
    assert [round(v, 3) for v in theta] == [0.243, 4.414, 0.793, 2.426]
    other = fit_bgnbd(cdnow, frequency_col="x", recency_col="t_x", T_col="T", start=(2.0, 10.0, 2.0, 5.0))
    assert np.allclose([other.r, other.alpha, other.a, other.b], theta, atol=1e-4)  # to 4 decimals
    gg = fit_gamma_gamma(cdnow, frequency_col="x", monetary_col="zbar")
    rep = cdnow["x"] > 0
    g = _gg_grad(
        np.array([gg.p, gg.q, gg.gamma]), cdnow.loc[rep, "x"].to_numpy(float), cdnow.loc[rep, "zbar"].to_numpy(float)
    )
    assert np.all(np.abs(g) < 1e-4)
    assert [round(v, 2) for v in (gg.p, gg.q, gg.gamma)] == [6.25, 3.74, 15.45]


def test_bgnbd_published_individual_forecast(bgnbd):
    # FHL (2005) / Fader-Hardie-Lee Excel note 004: a customer with x = 2, t_x = 30.43, T = 38.86
    # (CDNOW customer 0001) is expected to make 1.226 purchases in the next 39 weeks.
    assert float(PUBLISHED_BGNBD.expected_purchases(39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=5e-4)
    assert float(bgnbd.expected_purchases(39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=2e-3)


def test_bgnbd_likelihood_matches_the_paper_formula():
    # eq. 6 written directly (no logs): L = B(a, b+x)/B(a, b) * G(r+x) a^r / (G(r) (a+T)^(r+x))
    #                                      + [x>0] B(a+1, b+x-1)/B(a, b) * G(r+x) a^r / (G(r) (a+t_x)^(r+x))
    r, al, a, b = 0.5, 3.0, 0.8, 2.5
    rows = [(0, 0.0, 10.0), (1, 4.0, 10.0), (3, 7.5, 12.0)]
    for x, tx, T in rows:
        common = gamma_fn(r + x) * al**r / gamma_fn(r)
        lik = beta_fn(a, b + x) / beta_fn(a, b) * common / (al + T) ** (r + x)
        if x > 0:
            lik += beta_fn(a + 1, b + x - 1) / beta_fn(a, b) * common / (al + tx) ** (r + x)
        got = _bgnbd_ll(np.array([r, al, a, b]), np.array([x], float), np.array([tx]), np.array([T]))[0]
        assert got == pytest.approx(math.log(lik), rel=1e-12)


def test_p_alive_by_hand():
    # r = 1, alpha = 1, a = 1, b = 2, x = 1, t_x = 1, T = 2:
    # odds = a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x) = 1/2 * (3/2)^2 = 1.125 -> P(alive) = 1/2.125
    m = BgNbd(r=1.0, alpha=1.0, a=1.0, b=2.0)
    assert float(m.p_alive(1, 1.0, 2.0)) == pytest.approx(1 / 2.125)
    assert float(m.p_alive(0, 0.0, 50.0)) == 1.0  # no repeat purchase: alive under BG/NBD
    assert float(m.p_alive(1, 2.0, 2.0)) == pytest.approx(1 / (1 + 0.5))  # bought at the very end
    older = PUBLISHED_BGNBD.p_alive([2, 2, 2], [30.43, 30.43, 30.43], [38.86, 50.0, 80.0])
    assert np.all(np.diff(older) < 0)  # the longer the silence, the less likely alive


def test_new_customer_expectation_is_the_conditional_one_at_zero():
    m = PUBLISHED_BGNBD
    for t in (1.0, 10.0, 39.0, 78.0):
        assert float(m.expected_purchases_new(t)) == pytest.approx(float(m.expected_purchases(t, 0, 0.0, 0.0)))
    assert float(m.expected_purchases_new(0.0)) == 0.0


def test_predict_adds_columns(bgnbd, cdnow):
    out = bgnbd.predict(cdnow.head(3), 39, frequency_col="x", recency_col="t_x", T_col="T")
    assert list(out.columns[-2:]) == ["p_alive", "expected_purchases"]
    assert out["p_alive"].between(0, 1).all()


# --------------------------------------------------------------------------- (c) Gamma-Gamma
def test_gamma_gamma_reproduces_published_cdnow_estimates(cdnow):
    # Fader, Hardie & Lee (2005b), JMR 42(4): p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeat buyers
    gg = fit_gamma_gamma(cdnow, frequency_col="x", monetary_col="zbar")
    assert gg.n_customers == 946 and gg.converged
    assert gg.p == pytest.approx(6.25, abs=0.01)
    assert gg.q == pytest.approx(3.74, abs=0.01)
    assert gg.gamma == pytest.approx(15.44, abs=0.015)


def test_gamma_gamma_expected_spend_by_hand():
    # population mean p*gamma/(q-1) = 6.25 * 15.44 / 2.74 = 35.219
    assert PUBLISHED_GG.mean_spend == pytest.approx(35.2190, abs=1e-4)
    # customer 0001: x = 2, zbar = 22.35 -> 6.25 * (15.44 + 44.70) / (12.5 + 2.74) = 375.875 / 15.24 = 24.6637
    assert float(PUBLISHED_GG.expected_spend(2, 22.35)) == pytest.approx(24.6637, abs=1e-4)
    assert float(PUBLISHED_GG.expected_spend(0, np.nan)) == pytest.approx(35.2190, abs=1e-4)
    # more purchases -> closer to the customer's own mean
    many = float(PUBLISHED_GG.expected_spend(200, 22.35))
    assert 22.35 < many < 23.0


def test_gamma_gamma_rejects_bad_spend():
    s = pd.DataFrame({"frequency": [1, 2], "monetary": [10.0, 0.0]})
    with pytest.raises(DataError):
        fit_gamma_gamma(s)
    with pytest.raises(DataError):
        fit_gamma_gamma(pd.DataFrame({"frequency": [0, 0], "monetary": [np.nan, np.nan]}))


def test_bgnbd_rejects_inconsistent_summary():
    with pytest.raises(DataError):
        fit_bgnbd(pd.DataFrame({"frequency": [1], "recency": [5.0], "T": [4.0]}))
    with pytest.raises(DataError):
        fit_bgnbd(pd.DataFrame({"frequency": [-1], "recency": [0.0], "T": [4.0]}))
    with pytest.raises(DataError):
        fit_bgnbd(pd.DataFrame({"frequency": [], "recency": [], "T": []}))
    with pytest.raises(DataError):
        fit_bgnbd(pd.DataFrame({"x": [1]}))


# ------------------------------------------------------------------------ (d) RFM summary
# The first raw transactions of CDNOW_sample.txt (customers 1-6): id, yyyymmdd, CDs, dollars.
RAW = """1 19970101 2 29.33
1 19970118 2 29.73
1 19970802 1 14.96
1 19971212 2 26.48
2 19970101 3 63.34
2 19970113 1 11.77
3 19970101 1 6.79
4 19970101 1 13.97
5 19970101 2 23.94
6 19970101 1 35.99
6 19970111 1 32.99
6 19970315 4 77.96
6 19970416 3 59.30
6 19970424 2 134.98
6 19970623 1 91.92
6 19970722 3 47.08
6 19970726 2 71.96
6 19971025 3 78.47
6 19971206 3 83.47
6 19980118 4 84.46
6 19980215 4 123.96
6 19980221 2 32.98
6 19980226 2 23.06
6 19980510 1 72.99
6 19980620 3 55.47"""


def test_rfm_summary_rebuilds_the_cdnow_summary(cdnow):
    rows = [line.split() for line in RAW.splitlines()]
    tx = pd.DataFrame(
        {
            "customer_id": [int(r[0]) for r in rows],
            "date": [f"{r[1][:4]}-{r[1][4:6]}-{r[1][6:]}" for r in rows],
            "amount": [float(r[3]) for r in rows],
        }
    )
    # calibration = 39 weeks ending 1997-09-30; later purchases are ignored
    s = frequency_recency_summary(tx, observation_end="1997-09-30", time_unit="W").set_index("customer_id")
    ref = cdnow.set_index("ID").loc[1:6]
    assert s["frequency"].tolist() == ref["x"].tolist()
    assert s["recency"].round(2).tolist() == ref["t_x"].tolist()
    assert s["T"].round(2).tolist() == ref["T"].tolist()
    # zbar is printed to 2 decimals (customer 1: (29.73 + 14.96) / 2 = 22.345 -> 22.35)
    assert s["monetary"].fillna(0).to_numpy() == pytest.approx(ref["zbar"].to_numpy(), abs=0.0051)


def test_rfm_summary_hand_example_days_groups_and_same_day():
    tx = pd.DataFrame(
        {
            "store_id": ["001", "001", "001", "001", "002", "001"],
            "customer_id": ["a", "a", "a", "a", "a", "b"],
            "date": ["2026-01-01", "2026-01-05", "2026-01-05", "2026-01-11", "2026-01-02", "2026-02-01"],
            "amount": [10.0, 4.0, 6.0, 30.0, 99.0, 5.0],
        }
    )
    # chain-wide, days, end 2026-01-31: customer a buys on 01-01, 01-02, 01-05 (two receipts = one day), 01-11
    # -> frequency 3, recency 10, T 30, monetary = mean(99, 10, 30) = 46.33 ; b (02-01) is after the end
    s = frequency_recency_summary(tx, observation_end="2026-01-31", time_unit="D")
    assert s["customer_id"].tolist() == ["a"]
    row = s.iloc[0]
    assert (row["frequency"], row["recency"], row["T"]) == (3, 10.0, 30.0)
    assert row["monetary"] == pytest.approx(139 / 3)
    per_store = frequency_recency_summary(tx, observation_end="2026-01-31", time_unit="D", by=("store_id",)).set_index(
        ["store_id", "customer_id"]
    )
    assert per_store.loc[("001", "a"), "frequency"] == 2 and per_store.loc[("001", "a"), "monetary"] == 20.0
    assert per_store.loc[("002", "a"), "frequency"] == 0 and np.isnan(per_store.loc[("002", "a"), "monetary"])
    default_end = frequency_recency_summary(tx)  # end = latest purchase (2026-02-01)
    assert default_end.set_index("customer_id").loc["b", "T"] == 0.0


def test_rfm_summary_bad_input():
    tx = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2026-01-01", "01/02/2026x"], "amount": [1.0, 2.0]})
    with pytest.raises(DataError) as info:
        frequency_recency_summary(tx)
    assert info.value.where.column == "date"
    with pytest.raises(DataError):
        frequency_recency_summary(pd.DataFrame({"customer_id": ["a"], "date": ["2026-01-01"], "amount": ["x"]}))
    with pytest.raises(ParameterError):
        frequency_recency_summary(tx.iloc[:1], time_unit="M")
    with pytest.raises(ParameterError):
        frequency_recency_summary(tx.iloc[:1], observation_end="not a date")


# ------------------------------------------------------------------------- combined value
def test_model_clv_by_hand(cdnow):
    one = cdnow.head(1)  # x = 2, t_x = 30.43, T = 38.86, zbar = 22.35
    out = model_clv(
        one,
        PUBLISHED_BGNBD,
        PUBLISHED_GG,
        horizon=39,
        margin=0.3,
        frequency_col="x",
        recency_col="t_x",
        monetary_col="zbar",
    )
    purchases = float(PUBLISHED_BGNBD.expected_purchases(39, 2, 30.43, 38.86))
    assert out["clv"].iloc[0] == pytest.approx(0.3 * purchases * 24.6637, rel=1e-5)
    disc = model_clv(
        one,
        PUBLISHED_BGNBD,
        PUBLISHED_GG,
        horizon=39,
        margin=0.3,
        discount_rate=0.01,
        periods=3,
        frequency_col="x",
        recency_col="t_x",
        monetary_col="zbar",
    )
    assert disc["expected_purchases"].iloc[0] == pytest.approx(purchases)
    assert 0.3 * purchases * 24.6637 / 1.01**3 < disc["clv"].iloc[0] < out["clv"].iloc[0]
    with pytest.raises(ParameterError):
        model_clv(
            one, PUBLISHED_BGNBD, PUBLISHED_GG, horizon=0, frequency_col="x", recency_col="t_x", monetary_col="zbar"
        )


def test_sample_chain_end_to_end():
    from kit.intake.sample import generate_chain

    tx = generate_chain(stores=2, months=6, seed=3)["transactions"]
    s = frequency_recency_summary(tx, observation_end="2026-06-30")
    m = fit_bgnbd(s)
    g = fit_gamma_gamma(s)
    assert m.converged and g.converged
    out = model_clv(s, m, g, horizon=26)
    assert np.isfinite(out["clv"]).all() and (out["clv"] >= 0).all()
