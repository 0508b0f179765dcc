"""Tests of kit.loyalty.survey: NPS, CSAT, CES, their intervals and comparisons (known answers by hand)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kit.core.errors import DataError, ParameterError
from kit.loyalty.survey import ces_table, compare, compare_to_rest, csat_table, nps_table

Z95 = 1.959963984540054


# ------------------------------------------------------------------------------------- NPS
def test_nps_boundary_scores_6_7_8_9():
    # 6 is a detractor, 7 and 8 passives, 9 a promoter (Reichheld 2003).
    row = nps_table(pd.DataFrame({"nps": [6, 7, 8, 9]})).iloc[0]
    assert (row["n"], row["promoters"], row["passives"], row["detractors"]) == (4, 1, 2, 1)
    assert row["nps"] == 0.0
    assert (row["pct_promoters"], row["pct_passives"], row["pct_detractors"]) == (25.0, 50.0, 25.0)


@pytest.mark.parametrize(
    "score, kind",
    [(0, "detractors"), (6, "detractors"), (7, "passives"), (8, "passives"), (9, "promoters"), (10, "promoters")],
)
def test_each_boundary_score_lands_in_its_class(score, kind):
    row = nps_table(pd.DataFrame({"nps": [score]})).iloc[0]
    assert row[kind] == 1
    assert row["promoters"] + row["passives"] + row["detractors"] == 1


def test_nps_se_and_adjusted_wald_by_hand():
    # 5 promoters, 3 passives, 2 detractors: p = .5, d = .2, NPS = 30.
    # var = p + d - (p - d)^2 = .7 - .09 = .61 ; SE = 100 * sqrt(.61 / 10) = 24.698
    # adjusted-Wald (Rocks 2016): n' = 13, p' = 5.75/13, d' = 2.75/13, centre = 3/13 = .230769
    # var' = (8.5/13) - (3/13)^2 = .600592 ; half = 1.96 * sqrt(var'/13) = .421276
    # interval = 100 * (.230769 -/+ .421276) = (-19.05, 65.20)
    df = pd.DataFrame({"nps": [10, 10, 9, 9, 9, 8, 7, 7, 3, 0]})
    row = nps_table(df).iloc[0]
    assert row["nps"] == pytest.approx(30.0)
    assert row["se"] == pytest.approx(100 * math.sqrt(0.61 / 10))
    assert row["se"] == pytest.approx(24.698, abs=1e-3)
    assert row["ci_low"] == pytest.approx(-19.0506, abs=1e-3)
    assert row["ci_high"] == pytest.approx(65.2045, abs=1e-3)
    assert row["small_sample"]


def test_all_promoters_interval_stays_within_100():
    # n' = 8, p' = 5.75/8, d' = .75/8, centre = .625, var' = .8125 - .390625 = .421875
    # half = 1.96 * sqrt(.421875/8) = .450085 -> (17.49, 107.51) clipped to 100.
    row = nps_table(pd.DataFrame({"nps": [10, 9, 10, 10, 9]})).iloc[0]
    assert row["nps"] == 100.0
    assert row["se"] == 0.0
    assert row["ci_low"] == pytest.approx(17.4915, abs=1e-3)
    assert row["ci_high"] == 100.0


def test_all_detractors_interval_stays_within_minus_100():
    row = nps_table(pd.DataFrame({"nps": [0, 1, 2, 3, 6]})).iloc[0]
    assert row["nps"] == -100.0
    assert row["ci_low"] == -100.0
    assert row["ci_high"] == pytest.approx(-17.4915, abs=1e-3)


def test_single_respondent():
    # n = 1, promoter: n' = 4, p' = 1.75/4, d' = .75/4 -> centre .25, var' = .625 - .0625
    row = nps_table(pd.DataFrame({"nps": [10]})).iloc[0]
    assert (row["n"], row["nps"], row["se"]) == (1, 100.0, 0.0)
    half = Z95 * math.sqrt((0.625 - 0.0625) / 4)
    assert row["ci_low"] == pytest.approx(100 * (0.25 - half))
    assert row["ci_high"] == pytest.approx(100 * (0.25 + half))
    assert -100 <= row["ci_low"] < row["ci_high"] <= 100
    assert row["small_sample"]


def test_empty_table_gives_nan_with_n_zero():
    row = nps_table(pd.DataFrame({"nps": pd.Series([], dtype="int64")})).iloc[0]
    assert row["n"] == 0
    assert np.isnan(row["nps"]) and np.isnan(row["se"]) and np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert row["small_sample"]


def test_empty_grouped_table_has_no_rows_and_all_columns():
    out = nps_table(
        pd.DataFrame({"store_id": pd.Series([], dtype="str"), "nps": pd.Series([], dtype="int64")}), by=("store_id",)
    )
    assert len(out) == 0
    assert list(out.columns)[:2] == ["store_id", "n"]


def test_group_with_only_missing_answers_has_n_zero():
    df = pd.DataFrame({"store_id": ["001", "001", "002"], "nps": pd.array([9, 3, None], dtype="Int64")})
    out = nps_table(df, by=("store_id",)).set_index("store_id")
    assert out.loc["001", "n"] == 2 and out.loc["001", "nps"] == 0.0
    assert out.loc["002", "n"] == 0 and np.isnan(out.loc["002", "nps"])


def test_grouped_matches_group_by_group_computation():
    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {
            "store_id": rng.choice(["001", "002", "003"], 400),
            "month": rng.choice(["2026-01", "2026-02"], 400),
            "nps": rng.integers(0, 11, 400),
        }
    )
    grouped = nps_table(df, by=("store_id", "month"))
    assert len(grouped) == 6
    for _, row in grouped.iterrows():  # test-side loop only, to cross-check the vectorised code
        part = df[(df.store_id == row["store_id"]) & (df.month == row["month"])]
        single = nps_table(part).iloc[0]
        assert row["nps"] == pytest.approx(single["nps"])
        assert row["ci_low"] == pytest.approx(single["ci_low"])


def test_store_ids_stay_text():
    out = nps_table(pd.DataFrame({"store_id": ["001", "010"], "nps": [10, 0]}), by=("store_id",))
    assert out["store_id"].tolist() == ["001", "010"]


@pytest.mark.parametrize("bad", [11, -1, 7.5])
def test_impossible_nps_is_rejected(bad):
    with pytest.raises(DataError) as info:
        nps_table(pd.DataFrame({"nps": [9, bad]}))
    assert info.value.where.column == "nps"
    assert "0–10" in info.value.message("en") and "量表" in info.value.message("zh")


def test_text_score_is_rejected_blank_is_missing():
    with pytest.raises(DataError):
        nps_table(pd.DataFrame({"nps": ["9", "ten"]}))
    row = nps_table(pd.DataFrame({"nps": ["9", "", None]})).iloc[0]
    assert row["n"] == 1 and row["nps"] == 100.0


def test_missing_column_and_bad_parameters():
    with pytest.raises(DataError):
        nps_table(pd.DataFrame({"score": [9]}))
    with pytest.raises(DataError):
        nps_table(pd.DataFrame({"nps": [9]}), by=("store_id",))
    with pytest.raises(ParameterError):
        nps_table(pd.DataFrame({"nps": [9]}), conf=95)
    with pytest.raises(ParameterError):
        nps_table(pd.DataFrame({"nps": [9]}), min_n=0)


def test_small_sample_threshold_is_30_by_default():
    assert nps_table(pd.DataFrame({"nps": [9] * 29})).iloc[0]["small_sample"]
    assert not nps_table(pd.DataFrame({"nps": [9] * 30})).iloc[0]["small_sample"]
    assert not nps_table(pd.DataFrame({"nps": [9] * 10}), min_n=10).iloc[0]["small_sample"]


# ----------------------------------------------------------------------- NPS interval methods
def _nps_answers(promoters, passives, detractors):
    return pd.DataFrame({"nps": [10] * promoters + [7] * passives + [2] * detractors})


def test_nps_wald_and_adjusted_wald_by_hand_50_20_30():
    # p = .5, d = .3, NPS = 20; var = p + d - (p - d)^2 = .8 - .04 = .76; SE = 100 * sqrt(.76 / 100)
    se = 100 * math.sqrt(0.76 / 100)
    wald = nps_table(_nps_answers(50, 20, 30), method="wald").iloc[0]
    assert wald["nps"] == pytest.approx(20.0) and wald["se"] == pytest.approx(se)
    assert wald["ci_low"] == pytest.approx(20 - Z95 * se) and wald["ci_high"] == pytest.approx(20 + Z95 * se)
    assert wald["ci_low"] == pytest.approx(2.9134, abs=1e-3) and wald["ci_high"] == pytest.approx(37.0866, abs=1e-3)
    assert wald["ci_method"] == "wald" and not wald["clipped"]
    # adjusted Wald (Rocks 2016): n' = 103, p' = 50.75/103, d' = 30.75/103
    p_, d_ = 50.75 / 103, 30.75 / 103
    half = Z95 * math.sqrt((p_ + d_ - (p_ - d_) ** 2) / 103)
    adj = nps_table(_nps_answers(50, 20, 30)).iloc[0]
    assert adj["ci_method"] == "adjusted_wald"
    assert adj["ci_low"] == pytest.approx(100 * (p_ - d_ - half))
    assert adj["ci_high"] == pytest.approx(100 * (p_ - d_ + half))
    assert adj["ci_low"] == pytest.approx(2.6531, abs=1e-3) and adj["ci_high"] == pytest.approx(36.1819, abs=1e-3)
    assert nps_table(_nps_answers(50, 20, 30), method="adjusted_wald").equals(nps_table(_nps_answers(50, 20, 30)))


def test_nps_wald_is_clipped_and_says_so():
    # 9 promoters, 1 detractor: NPS 80, var = 1 - .64 = .36, SE = 18.97; 80 + 1.96 * 18.97 = 117.2 -> 100
    row = nps_table(_nps_answers(9, 0, 1), method="wald").iloc[0]
    assert row["ci_high"] == 100.0 and row["clipped"]
    assert row["ci_low"] == pytest.approx(80 - Z95 * 100 * math.sqrt(0.036))
    # every respondent a promoter: Wald has no width at all (the reason for the adjustment)
    row = nps_table(_nps_answers(5, 0, 0), method="wald").iloc[0]
    assert row["ci_low"] == row["ci_high"] == 100.0 and not row["clipped"]
    adjusted = nps_table(_nps_answers(5, 0, 0)).iloc[0]
    assert adjusted["clipped"] and adjusted["ci_low"] < 100  # the adjusted interval keeps a width
    empty = nps_table(pd.DataFrame({"nps": pd.Series([], dtype="int64")}), method="wald").iloc[0]
    assert np.isnan(empty["ci_low"]) and not empty["clipped"]


def test_default_nps_interval_unchanged_and_method_column_grouped():
    df = pd.DataFrame({"store_id": ["001"] * 10 + ["002"] * 3, "nps": [10, 10, 9, 9, 9, 8, 7, 7, 3, 0, 9, 9, 2]})
    out = nps_table(df, by=("store_id",), method="wald").set_index("store_id")
    assert (out["ci_method"] == "wald").all()
    default = nps_table(df, by=("store_id",)).set_index("store_id")
    assert default.loc["001", "ci_low"] == pytest.approx(-19.0506, abs=1e-3)  # as before (Rocks 2016)
    assert list(default.columns[-3:]) == ["ci_method", "clipped", "small_sample"]


# ------------------------------------------------------------------------------------- CSAT
def test_csat_is_top_two_box_not_mean():
    # 2 of 5 answers are 4-5 -> 40 %; the mean (3.0) is reported separately.
    # Agresti-Coull: n' = 5 + z^2 = 8.8415, p' = (2 + z^2/2)/n' = .44345,
    # half = z * sqrt(p'(1-p')/n') = .32746 -> (11.60 %, 77.09 %)
    row = csat_table(pd.DataFrame({"csat": [5, 4, 3, 2, 1]})).iloc[0]
    assert row["csat"] == 40.0 and row["satisfied"] == 2
    assert row["mean"] == 3.0
    assert row["sd"] == pytest.approx(math.sqrt(2.5))
    assert row["ci_low"] == pytest.approx(11.5987, abs=1e-3)
    assert row["ci_high"] == pytest.approx(77.0910, abs=1e-3)


def test_csat_boundaries_and_bounds():
    row = csat_table(pd.DataFrame({"csat": [4, 4, 5]})).iloc[0]
    assert row["csat"] == 100.0 and row["ci_high"] == 100.0 and 0 < row["ci_low"] < 100
    row = csat_table(pd.DataFrame({"csat": [3]})).iloc[0]
    assert row["csat"] == 0.0 and row["ci_low"] == 0.0 and np.isnan(row["sd"])
    with pytest.raises(DataError):
        csat_table(pd.DataFrame({"csat": [0, 5]}))
    with pytest.raises(DataError):
        csat_table(pd.DataFrame({"csat": [6]}))
    row = csat_table(pd.DataFrame({"csat": pd.Series([], dtype="float64")})).iloc[0]
    assert row["n"] == 0 and np.isnan(row["csat"]) and np.isnan(row["mean"])


def test_csat_wilson_wald_and_default_by_hand():
    # 8 of 10 satisfied, z = 1.96
    z, n, p = Z95, 10, 0.8
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    answers = pd.DataFrame({"csat": [5] * 5 + [4] * 3 + [2] * 2})
    wilson = csat_table(answers, method="wilson").iloc[0]
    assert wilson["ci_low"] == pytest.approx(100 * (centre - half)) and wilson["ci_high"] == pytest.approx(
        100 * (centre + half)
    )
    assert wilson["ci_low"] == pytest.approx(49.0162, abs=1e-3) and wilson["ci_high"] == pytest.approx(
        94.3318, abs=1e-3
    )
    assert wilson["ci_method"] == "wilson" and not wilson["clipped"]
    wald = csat_table(answers, method="wald").iloc[0]
    assert wald["ci_low"] == pytest.approx(100 * (p - z * math.sqrt(p * (1 - p) / n)))  # 55.21
    assert wald["ci_high"] == 100.0 and wald["clipped"]  # 104.79 cut to 100
    default = csat_table(answers).iloc[0]
    n_adj = n + z**2
    p_adj = (8 + z**2 / 2) / n_adj
    assert default["ci_method"] == "agresti_coull"
    assert default["ci_low"] == pytest.approx(100 * (p_adj - z * math.sqrt(p_adj * (1 - p_adj) / n_adj)))
    # Wilson stays inside [0, 100] even for 0 of 3 or 3 of 3
    for scores in ([5, 4, 5], [1, 2, 3]):
        row = csat_table(pd.DataFrame({"csat": scores}), method="wilson").iloc[0]
        assert 0 <= row["ci_low"] < row["ci_high"] <= 100 and not row["clipped"]


def test_unknown_interval_methods_are_parameter_errors():
    with pytest.raises(ParameterError) as info:
        nps_table(pd.DataFrame({"nps": [9]}), method="wilson")
    assert "adjusted_wald" in info.value.message("en")
    with pytest.raises(ParameterError):
        csat_table(pd.DataFrame({"csat": [5]}), method="t")
    with pytest.raises(ParameterError):
        ces_table(pd.DataFrame({"ces": [5]}), method="bootstrap")


# ------------------------------------------------------------------------------------- CES
def test_ces_declared_scales_are_enforced():
    df = pd.DataFrame({"ces": [1, 2, 3]})
    row = ces_table(df, scale="ces1").iloc[0]
    # mean 2, sd 1, se = 1/sqrt(3); t(.975, 2) = 4.3027 -> 2 -/+ 2.4841, clipped to the 1-5 scale
    assert row["ces"] == 2.0 and row["sd"] == 1.0
    assert row["ci_low"] == 1.0
    assert row["ci_high"] == pytest.approx(2 + stats.t.ppf(0.975, 2) / math.sqrt(3))
    assert row["easy_share"] == pytest.approx(200 / 3)  # answers 1-2 = low effort on CES 1.0
    assert row["scale"] == "ces1"
    assert row["ci_method"] == "t" and row["clipped"]  # 2 - 2.48 < 1: cut at the bottom of the scale
    with pytest.raises(DataError):
        ces_table(pd.DataFrame({"ces": [2, 6]}), scale="ces1")  # 6 is impossible on 1-5
    with pytest.raises(DataError):
        ces_table(pd.DataFrame({"ces": [0, 7]}), scale="ces2")
    with pytest.raises(ParameterError):
        ces_table(df, scale="ces3")


def test_ces2_easy_share_and_no_mixing():
    row = ces_table(pd.DataFrame({"ces": [7, 6, 5, 4, 1]}), scale="ces2").iloc[0]
    assert row["easy_share"] == 60.0  # answers 5-7 agree "the company made it easy"
    mixed = pd.DataFrame({"ces": [5, 3], "ces_scale": ["ces2", "ces1"]})
    with pytest.raises(DataError) as info:
        ces_table(mixed, scale="ces2", scale_col="ces_scale")
    assert "ces1" in info.value.message("en")
    one = ces_table(mixed.iloc[:1], scale="ces2", scale_col="ces_scale").iloc[0]
    assert one["n"] == 1 and np.isnan(one["ci_low"])


# ------------------------------------------------------------------------------- comparisons
def test_compare_nps_z_test_by_hand():
    # current: 60 promoters, 40 detractors -> NPS 20, var = 1 - .04 = .96, SE = 9.798
    # baseline: 40 promoters, 60 detractors -> NPS -20, SE 9.798
    # z = 40 / sqrt(2 * 96) = 2.8868 ; two-sided p = .003892
    now = pd.DataFrame({"nps": [10] * 60 + [3] * 40})
    before = pd.DataFrame({"nps": [9] * 40 + [0] * 60})
    row = compare(now, before, metric="nps").iloc[0]
    assert row["difference"] == pytest.approx(40.0)
    assert row["se_difference"] == pytest.approx(math.sqrt(2 * 96))
    assert row["statistic"] == pytest.approx(2.886751, abs=1e-5)
    assert row["p_value"] == pytest.approx(0.0038924, abs=1e-6)
    assert row["significant"] and not row["small_sample"] and row["test"] == "nps_z"


def test_compare_csat_two_proportion_by_hand():
    # 45/50 vs 35/50 satisfied: pooled .8, SE = sqrt(.8*.2*(2/50)) = .08, z = .2/.08 = 2.5, p = .012419
    a = pd.DataFrame({"csat": [5] * 45 + [2] * 5})
    b = pd.DataFrame({"csat": [4] * 35 + [3] * 15})
    row = compare(a, b, metric="csat").iloc[0]
    assert row["difference"] == pytest.approx(20.0)
    assert row["statistic"] == pytest.approx(2.5)
    assert row["p_value"] == pytest.approx(0.0124193, abs=1e-6)


def test_compare_ces_is_welch_t():
    rng = np.random.default_rng(5)
    a = pd.DataFrame({"ces": rng.integers(3, 8, 40)})
    b = pd.DataFrame({"ces": rng.integers(1, 8, 25)})
    row = compare(a, b, metric="ces").iloc[0]
    ref = stats.ttest_ind(a["ces"], b["ces"], equal_var=False)
    assert row["statistic"] == pytest.approx(ref.statistic)
    assert row["p_value"] == pytest.approx(ref.pvalue)
    assert row["small_sample"]  # 25 < 30


def test_compare_by_group_with_missing_side_and_zero_se():
    now = pd.DataFrame({"store_id": ["001", "001", "002"], "nps": [10, 10, 9]})
    before = pd.DataFrame({"store_id": ["001", "003"], "nps": [10, 0]})
    out = compare(now, before, by=("store_id",)).set_index("store_id")
    assert sorted(out.index) == ["001", "002", "003"]
    assert out.loc["001", "difference"] == 0.0 and np.isnan(out.loc["001", "p_value"])  # SE = 0
    assert out.loc["002", "n_baseline"] == 0 and np.isnan(out.loc["002", "difference"])
    assert out.loc["003", "n_current"] == 0
    assert not out["significant"].any()


def test_compare_to_rest_equals_explicit_comparison():
    rng = np.random.default_rng(11)
    df = pd.DataFrame(
        {
            "store_id": rng.choice(["001", "002", "003"], 300),
            "month": rng.choice(["01", "02"], 300),
            "nps": rng.integers(0, 11, 300),
            "csat": rng.integers(1, 6, 300),
        }
    )
    for metric in ("nps", "csat"):
        out = compare_to_rest(df, metric=metric, by=("month",))
        assert len(out) == 6
        row = out[(out.store_id == "002") & (out.month == "02")].iloc[0]
        part = df[df.month == "02"]
        ref = compare(part[part.store_id == "002"], part[part.store_id != "002"], metric=metric).iloc[0]
        for col in ("value_current", "value_baseline", "statistic", "p_value"):
            assert row[col] == pytest.approx(ref[col])
    with pytest.raises(ParameterError):
        compare_to_rest(df, unit_col="store_id", by=("store_id",))
    with pytest.raises(ParameterError):
        compare_to_rest(df, metric="kano")


def test_sample_chain_runs_fast_and_sane():
    from kit.intake.sample import generate_chain

    surveys = generate_chain(stores=3, months=2, seed=1)["surveys"]
    surveys["month"] = surveys["date"].str[:7]
    table = nps_table(surveys, by=("store_id", "month"))
    assert len(table) == 6
    assert table["nps"].between(-100, 100).all()
    assert (table["ci_low"] <= table["ci_high"]).all()
    assert csat_table(surveys, by=("store_id",))["csat"].between(0, 100).all()
    assert len(ces_table(surveys, by=("store_id",), scale="ces2")) == 3
