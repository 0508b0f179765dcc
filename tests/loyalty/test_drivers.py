"""kit.loyalty.drivers: Shapley (LMG) and Johnson's relative weights against known answers."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from kit.core.errors import DataError, ParameterError
from kit.loyalty.drivers import (
    DriverResult,
    complaint_driver_frame,
    describe_drivers,
    key_drivers,
    servqual_driver_frame,
    shapley_r2,
)


def _r2(X, y):
    """R² of an OLS fit with intercept, by least squares (independent of the correlation route)."""
    if X.shape[1] == 0:
        return 0.0
    A = np.column_stack([np.ones(len(y)), X])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ coef
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


def test_uncorrelated_predictors_get_their_squared_correlation():
    # exactly orthogonal, centred predictors: two columns of a Hadamard-like design
    a = np.tile([1.0, -1.0, 1.0, -1.0], 50)
    b = np.tile([1.0, 1.0, -1.0, -1.0], 50)
    rng = np.random.default_rng(0)
    y = 0.8 * a + 0.3 * b + rng.normal(0, 1, 200)
    frame = pd.DataFrame({"a": a, "b": b, "nps": y})
    r = [np.corrcoef(a, y)[0, 1], np.corrcoef(b, y)[0, 1]]
    for method in ("shapley", "relative_weights"):
        res = key_drivers(frame, predictors=["a", "b"], method=method, n_boot=0).table.set_index("predictor")
        assert res.loc["a", "importance"] == pytest.approx(r[0] ** 2, abs=1e-12)
        assert res.loc["b", "importance"] == pytest.approx(r[1] ** 2, abs=1e-12)
    assert np.allclose(shapley_r2(np.eye(3), np.array([0.5, -0.2, 0.1])), [0.25, 0.04, 0.01])


def test_three_predictors_against_the_lmg_formula_by_hand():
    rng = np.random.default_rng(42)
    n = 300
    z = rng.normal(size=(n, 3))
    X = np.column_stack([z[:, 0], 0.6 * z[:, 0] + 0.8 * z[:, 1], 0.3 * z[:, 1] + 0.95 * z[:, 2]])
    y = 1.0 * X[:, 0] + 0.5 * X[:, 1] - 0.4 * X[:, 2] + rng.normal(0, 1.5, n)
    R = {(): 0.0}
    for k in (1, 2, 3):
        for s in combinations(range(3), k):
            R[s] = _r2(X[:, list(s)], y)
    # LMG for p = 3: weights 1/3 for the empty and the full "others", 1/6 for each single other
    expected = []
    for j in range(3):
        k, l = [i for i in range(3) if i != j]
        add = lambda s, j=j: R[tuple(sorted(s + (j,)))] - R[s]  # noqa: E731
        expected.append(add(()) / 3 + add((k,)) / 6 + add((l,)) / 6 + add((k, l)) / 3)
    frame = pd.DataFrame({"x0": X[:, 0], "x1": X[:, 1], "x2": X[:, 2], "y": y})
    res = key_drivers(frame, target="y", n_boot=0)
    got = res.table.set_index("predictor").loc[["x0", "x1", "x2"], "importance"].to_numpy()
    assert np.allclose(got, expected, atol=1e-10)
    assert res.r2 == pytest.approx(R[(0, 1, 2)], abs=1e-10)
    assert got.sum() == pytest.approx(res.r2)
    assert res.table["predictor"].iloc[0] == "x0" and res.table["rank"].tolist() == [1, 2, 3]


def test_relative_weights_add_up_and_track_shapley():
    rng = np.random.default_rng(7)
    z = rng.normal(size=(500, 4))
    X = z @ np.array([[1, 0.5, 0.2, 0], [0, 1, 0.4, 0.1], [0, 0, 1, 0.3], [0, 0, 0, 1]])
    y = X @ np.array([0.6, 0.3, 0.0, 0.2]) + rng.normal(size=500)
    frame = pd.DataFrame(X, columns=list("abcd")).assign(nps=y)
    sh = key_drivers(frame, n_boot=0).table.set_index("predictor")["importance"]
    rw = key_drivers(frame, method="relative_weights", n_boot=0)
    assert rw.table["importance"].sum() == pytest.approx(rw.r2)
    assert np.allclose(rw.table.set_index("predictor")["importance"].reindex(sh.index), sh, atol=0.02)


def test_symmetry_for_a_duplicated_predictor():
    rng = np.random.default_rng(1)
    a = rng.normal(size=200)
    frame = pd.DataFrame({"a": a, "a_copy": a, "nps": a + rng.normal(size=200)})
    table = key_drivers(frame, n_boot=0).table.set_index("predictor")
    assert table.loc["a", "importance"] == pytest.approx(table.loc["a_copy", "importance"])
    assert table["share"].sum() == pytest.approx(100)


def test_bootstrap_intervals_and_flags():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 3))
    frame = pd.DataFrame(X, columns=["p", "q", "r"]).assign(nps=X[:, 0] + rng.normal(size=60))
    res = key_drivers(frame, n_boot=300, seed=5)
    t = res.table
    assert (t["share_low"] <= t["share"] + 1e-9).all() and (t["share"] <= t["share_high"] + 1e-9).all()
    again = key_drivers(frame, n_boot=300, seed=5)
    pd.testing.assert_frame_equal(t, again.table)
    assert res.f_pvalue < 0.001 and not res.small_sample  # 60 >= max(30, 10 per predictor)
    tiny = key_drivers(frame.head(8), n_boot=0)
    assert tiny.small_sample
    assert any("8" in line for line in tiny.caveats("en"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_caveats_and_description(lang):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(400, 2))
    frame = pd.DataFrame(X, columns=["tangibles", "empathy"]).assign(nps=X[:, 1] + rng.normal(size=400))
    res = key_drivers(frame, n_boot=50)
    text = describe_drivers(res, lang, "servqual.dimension", link="[p](x)")
    assert ("同理心" if lang == "zh" else "empathy") in text
    assert ("因果" if lang == "zh" else "not cause") in text
    noise = key_drivers(frame.assign(nps=rng.normal(size=400)), n_boot=0)
    assert ("没有明确" if lang == "zh" else "clearly linked") in describe_drivers(noise, lang)
    empty = DriverResult(pd.DataFrame(), 0.0, 0, float("nan"), "shapley", "nps")
    assert describe_drivers(empty, lang)


def test_servqual_frame_gap_and_perception():
    row = {f"servqual_e{k:02d}": 6 for k in range(1, 23)} | {f"servqual_p{k:02d}": 4 for k in range(1, 23)}
    row["servqual_p01"] = 7  # tangibles item 1: gap +1; tangibles mean gap (1 - 2 - 2 - 2) / 4
    blank = dict.fromkeys(row, np.nan)
    frame = pd.DataFrame([row | {"nps": 9}, blank | {"nps": 3}])
    gaps = servqual_driver_frame(frame)
    assert len(gaps) == 1 and gaps["tangibles"].iloc[0] == pytest.approx(-1.25) and gaps["empathy"].iloc[0] == -2
    perc = servqual_driver_frame(frame, use="perception")
    assert perc["tangibles"].iloc[0] == pytest.approx(4.75) and perc["nps"].iloc[0] == 9
    with pytest.raises(ParameterError):
        servqual_driver_frame(frame, use="mean")


def test_complaint_frame_links_window_and_store():
    surveys = pd.DataFrame(
        {
            "store_id": ["001", "001", "002"],
            "customer_id": ["a", "b", "a"],
            "date": pd.to_datetime(["2026-03-01", "2026-03-01", "2026-03-01"]),
            "nps": [2, 9, 5],
        }
    )
    complaints = pd.DataFrame(
        {
            "store_id": ["001", "001", "001", "001"],
            "customer_id": ["a", "a", "b", "b"],
            "created_at": pd.to_datetime(
                ["2026-02-20 10:00", "2026-02-21 11:00", "2025-01-01 09:00", "2026-03-05 09:00"]
            ),
            "category_en": ["delivery", "delivery", "delivery", "stock_out"],
        }
    )
    out = complaint_driver_frame(surveys, complaints, min_complainers=1, lookback_days=180)
    assert out.columns.tolist() == ["nps", "delivery"]  # b's complaints are too old or after the survey
    assert out["delivery"].tolist() == [1, 0, 0]  # store 002's survey does not see store 001's complaint
    assert complaint_driver_frame(surveys, complaints, min_complainers=2).columns.tolist() == ["nps"]


def test_errors():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "nps": [1, 2, 3]})
    with pytest.raises(DataError):
        key_drivers(frame.head(2), predictors=["a"], n_boot=0)  # fewer rows than predictors + 2
    with pytest.raises(ParameterError):
        key_drivers(frame, method="anova")
    with pytest.raises(ParameterError):
        key_drivers(pd.DataFrame({f"x{i}": [1.0] * 20 for i in range(13)} | {"nps": range(20)}))
    with pytest.raises(DataError):
        key_drivers(frame.assign(a=["x", 2, 3]), predictors=["a"])
    with pytest.raises(DataError) as err:
        key_drivers(frame, target="missing")
    assert "missing" in err.value.message("zh")
