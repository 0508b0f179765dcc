"""kit.workshop.goals: the team's targets (goals.yaml) for the registry's indicators."""

import pytest

from kit.core.errors import WorkspaceError
from kit.workshop.goals import QualityGoals, default_targets, goals_note, load_goals, save_goals
from kit.workshop.indicators import GOAL_IDS, INDICATORS


def test_every_goal_has_indicators_and_every_indicator_one_target_source():
    assert sorted({i.goal for i in INDICATORS.values()}) == list(GOAL_IDS)
    assert (
        INDICATORS["first_response_sla"].default == 95 and INDICATORS["first_response_sla"].target_from == "standards"
    )
    targets = default_targets()
    assert "first_response_sla" not in targets and "resolution_sla" not in targets  # from standards.yaml
    assert "complaints_per_1000" not in targets  # no published figure: the chain's own value
    assert targets["resolution_satisfaction"] == 95 and targets["fcr"] == 70


def test_goals_yaml_roundtrip_and_errors(tmp_path):
    goals, source = load_goals("")
    assert source == "defaults" and goals.targets == default_targets()
    goals, source = load_goals(tmp_path)
    assert source == "no_file"
    path = save_goals(tmp_path, {"nps": 45, "fcr": 80, "complaints_per_1000": 20})
    text = path.read_text(encoding="utf-8")
    assert "nps: 45" in text and text.startswith("#")
    goals, source = load_goals(tmp_path)
    assert source == "workspace" and goals.target("nps") == 45 and goals.target("csat") == 90
    assert goals.target("complaints_per_1000") == 20
    save_goals(tmp_path, QualityGoals(targets={"nps": 50}))
    assert len(list((tmp_path / ".history").glob("goals.*.yaml"))) == 1  # the previous version is kept
    path.write_text("version: 1\ntargets:\n  nps: 40\n  nsp: 3\n", encoding="utf-8")
    with pytest.raises(WorkspaceError) as err:
        load_goals(tmp_path)
    assert err.value.where.row == 2 or err.value.where.row == 3
    for lang in ("zh", "en"):
        assert goals_note("workspace", lang)


def test_files_of_earlier_versions_still_load(tmp_path):
    # goals.yaml as `kit workspace new` wrote it before the registry: the SLA and 24-hour targets at
    # their defaults are now read from standards.yaml, and the old code resolved_24h is understood
    (tmp_path / "goals.yaml").write_text(
        "version: 1\ntargets:\n  first_response_sla: 95.0\n  resolved_24h: 95.0\n  nps: 35\n", encoding="utf-8"
    )
    goals, _ = load_goals(tmp_path)
    assert goals.targets == {"nps": 35.0}


def test_a_target_that_belongs_in_the_standards_is_refused_with_the_file_to_use(tmp_path):
    (tmp_path / "goals.yaml").write_text("version: 1\ntargets:\n  first_response_sla: 90\n", encoding="utf-8")
    with pytest.raises(WorkspaceError) as err:
        load_goals(tmp_path)
    assert "standards.yaml" in err.value.message("en") and "standards.yaml" in err.value.message("zh")
