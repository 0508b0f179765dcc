import pytest

from kit.core.errors import ParameterError
from kit.run.params import validate_params

GOOD = dict(store_id="001", period_start="2026-01-01", period_end="2026-12-31", data_dir=".", lang="zh")


def test_valid_parameters_keep_store_id_as_text():
    p = validate_params(**GOOD)
    assert p.store_id == "001" and p.lang == "zh" and p.unmask is False


@pytest.mark.parametrize(
    "change, column, words",
    [
        ({"store_id": 1}, "store_id", "'001'"),
        ({"lang": "fr"}, "lang", "lang"),
        ({"period_end": "2025-01-01"}, "period_end", "before"),
        ({"period_start": "2026-13-01"}, "period_start", "YYYY-MM-DD"),
        ({"stor_id": "001"}, "stor_id", "unknown parameter"),
    ],
)
def test_bad_parameters_name_the_parameter(change, column, words):
    values = {**GOOD, **change}
    with pytest.raises(ParameterError) as info:
        validate_params(**values)
    assert words in info.value.message("en")
    if column != "period_end":
        assert info.value.where.column == column
    assert info.value.message("zh")


def test_each_notebook_scope_validates_with_its_model():
    from kit.core.errors import ParameterError
    from kit.run.params import ChainParams, WorkshopParams, notebook_scope, params_model, validate_params

    assert [notebook_scope(s) for s in ("00_chain_overview", "01_customer_types", "03_complaint_audit")] == [
        "chain",
        "workshop",
        "store",
    ]
    assert params_model("02_service_standards") is WorkshopParams
    chain = validate_params(ChainParams, period_start="2026-01-01", period_end="2026-03-31", data_dir=".")
    assert chain.lang == "zh"
    with pytest.raises(ParameterError, match="store_id"):  # a chain notebook has no store
        validate_params(ChainParams, store_id="001", period_start="2026-01-01", period_end="2026-03-31", data_dir=".")
    with pytest.raises(ParameterError, match="period_end is before period_start"):
        validate_params(ChainParams, period_start="2026-03-31", period_end="2026-01-01", data_dir=".")
    with pytest.raises(ParameterError, match="in quotes"):
        validate_params(WorkshopParams, store_id=7, data_dir=".")
