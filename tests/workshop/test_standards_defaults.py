import pandas as pd
import pytest

from kit.core.errors import ParameterError
from kit.workshop.standards import SlaRule, Standards, assign_targets, default_standards


def test_seed_defaults_choose_the_most_specific_rule():
    frame = pd.DataFrame(
        {
            "channel": ["email", "email", "phone", "chat", "app"],
            "tier": ["urgent", "inquiry", "normal", "inquiry", "urgent"],
        }
    )
    out = assign_targets(frame, default_standards(), "first_response")
    assert out["target_minutes"].tolist() == [30, 1440, 120, 120, 30]
    assert (out["required_attainment"] == 0.95).all()


def test_rows_without_a_rule_get_nan_and_missing_metric_is_an_error():
    standards = Standards(sla=[SlaRule(metric="first_response", tier="urgent", target_minutes=10)])
    out = assign_targets(pd.DataFrame({"channel": ["phone"], "tier": ["normal"]}), standards, "first_response")
    assert pd.isna(out["target_minutes"].iloc[0])
    with pytest.raises(ParameterError, match="resolution"):
        assign_targets(pd.DataFrame({"channel": ["phone"], "tier": ["normal"]}), standards, "resolution")
