import pandas as pd
import pytest

from kit.core.errors import ParameterError
from kit.core.i18n import check_lang, code_for, columns, label_of, labels, t


def test_templates_and_labels_in_both_languages():
    assert t("chart.monthly.title", "en", store="007") == "Complaints per month — store 007"
    assert labels("tier", "zh") == {"urgent": "紧急投诉", "normal": "一般投诉", "inquiry": "咨询"}
    assert label_of("channel", "unknown-thing", "zh") == "unknown-thing"
    assert columns("zh", "store_id") == {"store_id": "门店编号"}


def test_every_label_has_both_languages():
    from kit.core.catalog import catalogue

    def walk(node, path):
        if isinstance(node, dict) and ("zh" in node or "en" in node):
            assert set(node) == {"zh", "en"}, path
            return
        for key, child in node.items():
            walk(child, f"{path}.{key}")

    walk(catalogue(), "")


def test_code_for_maps_chinese_and_english_labels():
    values = pd.Series(["电话", "e-mail", "phone", "传真"])
    assert code_for("channel", values).tolist() == ["phone", "email", "phone", "传真"]


def test_bad_lang():
    with pytest.raises(ParameterError):
        check_lang("fr")
