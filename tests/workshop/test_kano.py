"""KANO evaluation: the Berger et al. table, known-answer tables, hand-made edge cases, the chart."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

from kit.core.errors import DataError, ParameterError
from kit.workshop.kano import (
    CATEGORIES,
    EVALUATION_TABLE,
    better_worse_points,
    classify,
    describe_feature,
    kano_analysis,
    kano_counts,
    kano_counts_long,
    kano_evaluate,
    kano_scatter,
    kano_table,
)

matplotlib.use("Agg")


# --------------------------------------------------------------------------------------------
# evaluation table
# --------------------------------------------------------------------------------------------
def test_evaluation_table_is_bergers():
    # Berger et al. (1993): rows functional (like, must-be, neutral, live with, dislike), columns dysfunctional.
    expected = ["QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"]
    assert ["".join(row) for row in EVALUATION_TABLE] == expected
    f, d = np.meshgrid(np.arange(1, 6), np.arange(1, 6), indexing="ij")
    got = classify(f.ravel(), d.ravel()).astype(str).to_numpy().reshape(5, 5)
    assert ["".join(row) for row in got] == expected


def test_classify_keeps_index_and_missing():
    f = pd.Series([1, 2, None, 5], index=[10, 11, 12, 13], dtype="Int64")
    d = pd.Series([5, 5, 5, None], index=[10, 11, 12, 13], dtype="Int64")
    out = classify(f, d)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.iloc[:2].tolist() == ["O", "M"]
    assert out.iloc[2:].isna().all()
    assert list(out.cat.categories) == list(CATEGORIES)


def test_classify_rejects_off_scale_answers():
    with pytest.raises(DataError) as info:
        classify([1, 6], [5, 5])
    assert info.value.where.column == "functional"
    with pytest.raises(DataError):
        classify(["x"], [5])


# --------------------------------------------------------------------------------------------
# published worked example with known answers
# --------------------------------------------------------------------------------------------
# Source: the worked table of the R package stp25kano (W. Peter), README "Kano Analyse", which
# implements Berger et al. 1993 (CS+/CS-), Matzler et al. 1996 (M>O>A>I with a 5-point window),
# Lee & Newcomb 1997 (category/total strength) and Fong 1996.  Counts of five features, n = 296,
# and the published results (percentages rounded to whole numbers, coefficients to 3 decimals,
# Fong thresholds to 1 decimal).
PUBLISHED_COUNTS = pd.DataFrame(
    {
        "M": [95, 101, 15, 65, 9],
        "O": [123, 54, 24, 87, 18],
        "A": [45, 54, 121, 93, 83],
        "I": [33, 81, 124, 51, 177],
        "R": [0, 3, 6, 0, 6],
        "Q": [0, 3, 6, 0, 3],
    },
    index=pd.Index(
        ["Service app", "Excellent service", "Hotline", "Loan machine", "Ready-to-use return"], name="feature"
    ),
)
PUBLISHED = pd.DataFrame(
    {
        "max_category": ["O", "M", "I", "A", "I"],
        "rule_category": ["O", "M", "A", "O", "I"],
        "total_strength": [89, 71, 54, 83, 37],
        "category_strength": [9, 7, 1, 2, 32],
        "cs_plus": [0.568, 0.372, 0.511, 0.608, 0.352],
        "cs_minus": [-0.736, -0.534, -0.137, -0.514, -0.094],
        "fong_diff": [28, 20, 3, 6, 94],
        "fong_threshold": [19.4, 18.5, 19.8, 18.5, 19.9],
        "fong_sig": [True, True, False, False, True],
    },
    index=PUBLISHED_COUNTS.index,
)


def test_published_example_categories_and_strengths():
    tab = kano_evaluate(PUBLISHED_COUNTS, margin=5.0).table
    assert (tab["n"] == 296).all()
    assert tab["category_max"].tolist() == PUBLISHED["max_category"].tolist()
    assert tab["category"].tolist() == PUBLISHED["rule_category"].tolist()
    assert tab["total_strength"].round(0).astype(int).tolist() == PUBLISHED["total_strength"].tolist()
    assert tab["category_strength"].round(0).astype(int).tolist() == PUBLISHED["category_strength"].tolist()


def test_published_example_coefficients():
    tab = kano_evaluate(PUBLISHED_COUNTS).table
    assert tab["better"].round(3).tolist() == PUBLISHED["cs_plus"].tolist()
    assert tab["worse"].round(3).tolist() == PUBLISHED["cs_minus"].tolist()


def test_published_example_fong():
    tab = kano_evaluate(PUBLISHED_COUNTS).table
    assert tab["fong_difference"].tolist() == PUBLISHED["fong_diff"].tolist()
    assert tab["fong_threshold"].round(1).tolist() == PUBLISHED["fong_threshold"].tolist()
    assert tab["fong_significant"].tolist() == PUBLISHED["fong_sig"].tolist()


def test_fong_formula_by_hand():
    # a = 30, b = 20, n = 60: 1.65 * sqrt(50 * 70 / 120) = 8.911...
    counts = pd.DataFrame({"M": [30], "O": [20], "I": [10]}, index=["f"])
    row = kano_evaluate(counts).table.loc["f"]
    assert row["fong_threshold"] == pytest.approx(1.65 * math.sqrt(50 * 70 / 120))
    assert bool(row["fong_significant"])  # 10 >= 8.91
    row = kano_evaluate(counts, z=2.58).table.loc["f"]
    assert not bool(row["fong_significant"])  # 10 < 13.93


# --------------------------------------------------------------------------------------------
# hand-made cases
# --------------------------------------------------------------------------------------------
def test_all_questionable():
    row = kano_evaluate(pd.DataFrame({"Q": [12]}, index=["f"])).table.loc["f"]
    assert row["category"] == "Q" and row["category_max"] == "Q"
    assert math.isnan(row["better"]) and math.isnan(row["worse"])
    assert row["total_strength"] == 0
    assert row["category_strength"] == 100


def test_reverse_heavy_keeps_reverse_even_with_a_near_neighbour():
    counts = pd.DataFrame({"R": [40], "I": [38], "A": [2]}, index=["f"])
    row = kano_evaluate(counts, margin=5).table.loc["f"]
    assert row["category"] == "R"
    assert not bool(row["rule_applied"])
    assert row["better"] == pytest.approx(2 / 40)
    assert row["worse"] == 0.0 and math.copysign(1, row["worse"]) == 1.0


def test_exact_tie_resolved_by_rule_even_with_zero_margin():
    counts = pd.DataFrame({"A": [10], "O": [10], "M": [10], "I": [10]}, index=["f"])
    row = kano_evaluate(counts, margin=0).table.loc["f"]
    assert row["category_max"] == "M" and row["category"] == "M"
    assert row["category_strength"] == 0
    assert not bool(row["fong_significant"])


def test_near_tie_margin_is_inclusive_and_configurable():
    # A 30 %, I 33 % of 100: 3 points apart.
    counts = pd.DataFrame({"A": [30], "I": [33], "O": [20], "M": [17]}, index=["f"])
    assert kano_evaluate(counts, margin=3).table.loc["f", "category"] == "A"
    assert kano_evaluate(counts, margin=2.9).table.loc["f", "category"] == "I"
    assert kano_evaluate(counts, margin=0).table.loc["f", "category"] == "I"
    # within 15 points O is also a candidate and outranks A
    assert kano_evaluate(counts, margin=15).table.loc["f", "category"] == "O"


def test_feature_without_answers():
    tab = kano_evaluate(pd.DataFrame({"A": [0, 3]}, index=["empty", "f"])).table
    assert pd.isna(tab.loc["empty", "category"]) and tab.loc["empty", "n"] == 0
    assert pd.isna(tab.loc["empty", "fong_significant"])
    assert tab.loc["f", "category"] == "A"


def test_bad_parameters():
    with pytest.raises(ParameterError):
        kano_evaluate(PUBLISHED_COUNTS, margin=-1)
    with pytest.raises(ParameterError):
        kano_evaluate(PUBLISHED_COUNTS, z=0)
    with pytest.raises(DataError):
        kano_evaluate(pd.DataFrame({"X": [1]}))
    with pytest.raises(DataError):
        kano_evaluate(pd.DataFrame({"A": [-1]}))


# --------------------------------------------------------------------------------------------
# counting from answers
# --------------------------------------------------------------------------------------------
def _wide():
    return pd.DataFrame(
        {
            "kano_a_func": pd.array([2, 2, 1, 1, None, 3], dtype="Int64"),
            "kano_a_dysf": pd.array([5, 5, 5, 3, 5, 3], dtype="Int64"),
            "kano_b_func": pd.array([1, 5, 1, 3, 3, 2], dtype="Int64"),
            "kano_b_dysf": pd.array([1, 1, 3, 3, None, 4], dtype="Int64"),
            "other": list("abcdef"),
        }
    )


def test_wide_counts():
    counts = kano_counts(_wide())
    assert counts.index.tolist() == ["a", "b"]
    assert counts.loc["a"].to_dict() == {"A": 1, "O": 1, "M": 2, "I": 1, "R": 0, "Q": 0}
    assert counts.loc["b"].to_dict() == {"A": 1, "O": 0, "M": 0, "I": 2, "R": 1, "Q": 1}


def test_long_counts_equal_wide_counts():
    wide = _wide()
    long = pd.concat(
        [
            pd.DataFrame({"feature": f, "functional": wide[f"kano_{f}_func"], "dysfunctional": wide[f"kano_{f}_dysf"]})
            for f in ("a", "b")
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(kano_counts_long(long), kano_counts(wide))


def test_counts_errors():
    with pytest.raises(DataError):
        kano_counts(pd.DataFrame({"x": [1]}))
    with pytest.raises(DataError) as info:
        kano_counts(_wide().assign(kano_a_dysf=[5, 5, 9, 5, 5, 5]))
    assert info.value.where.column == "kano_a_dysf"
    with pytest.raises(DataError):
        kano_counts(_wide(), ["zzz"])


def test_sample_survey_recovers_the_generating_categories():
    from kit.intake.sample import KANO_FEATURES, generate_chain

    surveys = generate_chain(stores=2, months=6, seed=11)["surveys"]
    result = kano_analysis(surveys)
    assert result.categories.to_dict() == KANO_FEATURES
    assert sorted(result.must_be()) == ["clear_compensation_policy", "fast_response"]


# --------------------------------------------------------------------------------------------
# outputs for people
# --------------------------------------------------------------------------------------------
def test_better_worse_points_and_chart():
    result = kano_evaluate(PUBLISHED_COUNTS)
    pts = better_worse_points(result, lang="en")
    assert (pts["x"] >= 0).all() and pts["y"].between(0, 1).all()
    assert pts.loc["Hotline", "x"] == pytest.approx(0.137, abs=1e-3)
    fig = kano_scatter(kano_evaluate(pd.DataFrame({"M": [10], "A": [2]}, index=["fast_response"])), "zh")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "快速响应" in texts and "必备型（M）" in texts
    assert ax.get_xlim() == (0.0, 1.0)
    fig.canvas.draw()  # renders Chinese without a missing-glyph warning (warnings are errors here)
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_table_and_description():
    result = kano_evaluate(PUBLISHED_COUNTS)
    tab = kano_table(result, "zh")
    assert "类别（M>O>A>I 规则）" in tab.columns
    assert tab.iloc[2, tab.columns.get_loc("类别（M>O>A>I 规则）")] == "魅力型（A）"
    text = describe_feature(result, "Loan machine", "en")
    assert "one-dimensional" in text and "M>O>A>I" in text and "Fong" in text
    with pytest.raises(ParameterError):
        describe_feature(result, "nope", "en")


def test_label_offsets_separate_nearby_features_and_leave_lone_ones():
    import numpy as np

    from kit.workshop.kano import label_offsets

    x = np.array([0.30, 0.32, 0.32, 0.80, 0.10])
    y = np.array([0.60, 0.62, 0.58, 0.20, 0.90])
    out = label_offsets(x, y, near=0.03, step=10.0)
    # 0-1 and 0-2 are close, 1-2 only through 0: one cluster of three, stacked by Better (y)
    assert out.tolist() == [0.0, 10.0, -10.0, 0.0, 0.0]
    assert label_offsets(np.array([]), np.array([])).tolist() == []
