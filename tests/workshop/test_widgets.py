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
    for row in list(form.need_rows):
        row["remove"].click()
    data = form.add_need()
    data["feature"].value = "fast_response"  # picked from the list: name filled in from the catalogue
    data["need_zh"].value = "准确的数据"
    data["kano"].value = "M"
    form.add_need("根因分析")
    form.save_button.click()
    assert "已保存" in form.status.value
    ct = load_customer_types(ws).get("management")
    assert (ct.name_zh, ct.share, ct.priority) == ("门店管理层", 0.3, "low")
    assert ct.key_needs[0].need_en == "fast response"
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
    form.fields["smart_greeting_7s_review_date"].value = "2026-09-30"
    form.fields["smart_greeting_7s_required"].value = "85"
    form.save_button.click()
    assert "saved to" in form.status.value, form.status.value
    std = load_standards(ws)
    assert (std.sla[0].target_minutes, std.sla[0].clock, std.sla[0].required_attainment) == (45, "business", 0.9)
    assert (std.sla[-1].channel, std.sla[-1].tier, std.sla[-1].target_minutes) == ("phone", "urgent", 15)
    assert len(std.sla) == len(form.sla_rows) - 1 and row["channel"].value == "phone"
    assert std.follow_up.window_hours == 24 and std.authority[0].up_to == 300
    g = next(s for s in std.smart if s.id == "greeting_7s")
    assert (g.target, g.review_date, g.required_attainment) == (5, date(2026, 9, 30), 0.85)
    assert form.fields["smart_greeting_7s_review_date"].value == "2026-09-30"  # shown as typed, YYYY-MM-DD


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


def test_feature_picked_from_the_survey_list_fills_in_its_category(ws):
    form = CustomerTypesForm(ws, "en", features=["fast_response", "gift_wrapping"], kano={"gift_wrapping": "A"})
    form.select("consumers")
    row = form.add_need()
    offered = [value for _, value in row["feature"].options]
    assert offered[:3] == ["", "fast_response", "gift_wrapping"]  # "—" first, then the survey's features
    assert "progress_updates" in offered  # already linked in the workspace, still offered
    row["feature"].value = "gift_wrapping"
    assert (row["need_zh"].value, row["need_en"].value, row["kano"].value) == ("礼品包装", "gift wrapping", "A")
    assert [label for label, _ in row["kano"].options][1] == "attractive (A)"
    assert form.save()
    need = load_customer_types(ws).get("consumers").key_needs[-1]
    assert (need.feature, need.kano) == ("gift_wrapping", "A")


def test_share_typed_as_a_percentage(ws):
    form = CustomerTypesForm(ws, "zh")
    form.select("consumers")
    form.fields["share"].value = "30%"
    assert form.save()
    assert load_customer_types(ws).get("consumers").share == 0.3


@pytest.mark.parametrize(
    "lang, value, expected",
    [("en", 120, "must be at most 100 %"), ("zh", 120, "不能超过 100%"), ("en", 0, "must be more than 0 %")],
)
def test_required_percent_out_of_range_is_named_in_percent(ws, lang, value, expected):
    before = ws.standards_path.read_bytes()
    form = StandardsForm(ws, lang)
    form.sla_rows[1]["required"].value = value
    assert not form.save()
    field = "time rule row 2 · required %" if lang == "en" else "时限规则第 2 行 · 要求达标率 %"
    assert f"{field}: {expected}" in form.last_error, form.last_error
    assert "1.0" not in form.last_error and "≤ 1" not in form.last_error
    assert ws.standards_path.read_bytes() == before


def test_percent_target_and_required_above_100_and_bad_date(ws):
    form = StandardsForm(ws, "en")
    form.fields["smart_record_accuracy_target"].value = "120"  # unit percent
    form.fields["smart_greeting_7s_required"].value = "150"
    form.fields["smart_greeting_7s_review_date"].value = "30/09/2026"
    form.fields["authority_frontline"].value = "abc"  # a problem pydantic finds, reported with the form's own
    assert not form.save()
    assert "not saved: 4 thing(s) to fix" in form.last_error
    assert "Complaint records complete and accurate · target: must be at most 100 %" in form.last_error
    assert "Greet every customer with a smile within 7 seconds · required %: must be at most 100 %" in form.last_error
    assert "review date: write the date as YYYY-MM-DD" in form.last_error
    assert "front-line staff: must be a number" in form.last_error


def test_on_save_callbacks_update_the_page(ws):
    seen = []
    form = StandardsForm(ws, "en")
    form.on_save(seen.append)
    form.fields["authority_frontline"].value = "400"
    assert form.save()
    assert seen and seen[0].authority[0].up_to == 400
    assert "updated" in form.status.value and "run the cells below" not in form.status.value
    plain = CustomerTypesForm(ws, "en")  # no callback: the notebook user is told to re-run the cells
    assert plain.save() and "run the cells below" in plain.status.value


def test_a_failing_callback_is_reported_and_the_file_stays_saved(ws):
    form = CustomerTypesForm(ws, "en")
    form.on_save(lambda _types: 1 / 0)
    form.fields["name_en"].value = "shoppers"
    assert form.save()
    assert "could not be updated" in form.status.value and "ZeroDivisionError" in form.status.value
    assert load_customer_types(ws).types[0].name_en == "shoppers"
