"""The workshop forms: set values, press Save programmatically, read the YAML back."""

from datetime import date

import pytest

from kit.core.errors import ParameterError
from kit.run.params import validate_params
from kit.workshop.session import WorkshopParams
from kit.workshop.widgets import CustomerTypesForm, StandardsForm, needs_to_text, text_to_needs
from kit.workshop.workspace import create_workspace, load_customer_types, load_standards


@pytest.fixture
def ws(tmp_path):
    return create_workspace(tmp_path, "demo", today=date(2026, 1, 1))


def test_customer_type_edit_and_save(ws):
    form = CustomerTypesForm(ws, "zh")
    form.select("management")
    form.fields["name_zh"].value = "门店管理层"
    form.fields["share"].value = "0.3"
    form.fields["priority"].value = "low"
    form.fields["key_needs"].value = "准确的数据 | accurate data | fast_response | M\n根因分析"
    form.save_button.click()
    assert "已保存" in form.status.value
    ct = load_customer_types(ws).get("management")
    assert (ct.name_zh, ct.share, ct.priority) == ("门店管理层", 0.3, "low")
    assert [(n.need_zh, n.feature, n.kano) for n in ct.key_needs] == [
        ("准确的数据", "fast_response", "M"),
        ("根因分析", None, None),
    ]
    assert "门店管理层" in ws.customer_types_path.read_text(encoding="utf-8")  # Chinese kept readable


def test_add_and_remove(ws):
    form = CustomerTypesForm(ws, "en")
    n = len(form.rows)
    form.add_button.click()
    form.fields["id"].value = "members"
    form.fields["name_en"].value = "members"
    form.select("non_profits")
    form.remove_button.click()
    assert form.save()
    ids = [c.id for c in load_customer_types(ws).types]
    assert "members" in ids and "non_profits" not in ids and len(ids) == n


def test_invalid_share_shows_message_and_keeps_file(ws):
    before = ws.customer_types_path.read_bytes()
    form = CustomerTypesForm(ws, "en")
    form.fields["share"].value = "lots"
    form.save_button.click()
    assert "not saved" in form.status.value and "share" in form.status.value
    assert ws.customer_types_path.read_bytes() == before
    form.fields["share"].value = "1.5"
    assert not form.save() and "share" in form.last_error
    form.fields["id"].value = "Bad Id"
    assert not form.save()
    assert ws.customer_types_path.read_bytes() == before


def test_needs_lines_round_trip():
    needs = [
        {"need_zh": "快", "need_en": "fast", "feature": "fast_response", "kano": "M"},
        {"need_zh": "准", "need_en": "", "feature": None, "kano": None},
    ]
    assert text_to_needs(needs_to_text(needs)) == needs


def test_standards_form_saves(ws):
    form = StandardsForm(ws, "en")
    form.sla_rows[0]["target_minutes"].value = 45
    form.sla_rows[0]["clock"].value = "business"
    form.sla_rows[0]["required"].value = 90
    row = form.add_rule(channel="phone", tier="urgent", target_minutes=15)
    form.sla_rows[-2]["remove"].value = True  # drop the last seed rule
    form.fields["follow_up_hours"].value = 24
    form.fields["authority_frontline"].value = "300"
    form.fields["smart_greeting_7s_target"].value = "5"
    form.fields["smart_greeting_7s_review_date"].value = date(2026, 9, 30)
    form.save_button.click()
    assert "saved to" in form.status.value, form.status.value
    std = load_standards(ws)
    assert (std.sla[0].target_minutes, std.sla[0].clock, std.sla[0].required_attainment) == (45, "business", 0.9)
    assert (std.sla[-1].channel, std.sla[-1].tier, std.sla[-1].target_minutes) == ("phone", "urgent", 15)
    assert len(std.sla) == len(form.sla_rows) - 1 and row["channel"].value == "phone"
    assert std.follow_up.window_hours == 24 and std.authority[0].up_to == 300
    g = next(s for s in std.smart if s.id == "greeting_7s")
    assert (g.target, g.review_date) == (5, date(2026, 9, 30))


@pytest.mark.parametrize(
    "field, value, word",
    [
        ("authority_frontline", "5000", "authority"),
        ("authority_supervisor", "abc", "compensation"),
        ("smart_greeting_7s_target", "seven", "Greet"),
    ],
)
def test_standards_invalid_leaves_file(ws, field, value, word):
    before = ws.standards_path.read_bytes()
    form = StandardsForm(ws, "en")
    form.fields[field].value = value
    form.save_button.click()
    assert "not saved" in form.status.value and word in form.last_error
    assert ws.standards_path.read_bytes() == before


def test_standards_invalid_authority_names_the_role(ws):
    before = ws.standards_path.read_bytes()
    form = StandardsForm(ws, "zh")
    form.fields["authority_frontline"].value = "abc"
    assert not form.save()
    assert "补偿审批权限 · 一线员工" in form.last_error
    assert "应该是数字" in form.last_error  # pydantic's English wording only in brackets
    assert ws.standards_path.read_bytes() == before


def test_standards_invalid_rule_in_chinese(ws):
    before = ws.standards_path.read_bytes()
    form = StandardsForm(ws, "zh")
    form.sla_rows[1]["target_minutes"].value = 0
    assert not form.save()
    assert "未保存" in form.status.value and "时限规则第 2 行" in form.last_error
    assert ws.standards_path.read_bytes() == before


def test_workshop_params():
    p = validate_params(
        WorkshopParams,
        workspace="",
        data_dir="d",
        lang="en",
        period_start="2026-01-01",
        period_end="2026-03-31",
        store_id="",
        interactive=False,
    )
    assert p.store_id == "" and p.period_end == date(2026, 3, 31)
    with pytest.raises(ParameterError, match="store_id"):
        validate_params(WorkshopParams, data_dir="d", store_id=1)
    with pytest.raises(ParameterError, match="unknown parameter"):
        validate_params(WorkshopParams, data_dir="d", unmask=True)
