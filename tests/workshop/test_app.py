"""The forms app page without a browser: a save recomputes what depends on it, on the same page."""

from datetime import date

import pandas as pd
import pytest

from kit.audit import measured_attainment, measured_attainment_table
from kit.core.i18n import t
from kit.workshop.app import APP_SETTINGS_FILE, AppSettings, WorkshopApp, app_settings, load_app_data
from kit.workshop.workspace import create_workspace, load_customer_types, load_standards


@pytest.fixture
def ws(tmp_path):
    return create_workspace(tmp_path, "client", today=date(2026, 1, 1))


@pytest.fixture
def app(ws, small_chain_dir):
    return WorkshopApp(
        AppSettings(workspace=ws.path, lang="en", data_dir=small_chain_dir, card_dirs=(ws.path / "handouts",)),
        measure=measured_attainment,
        measure_table=measured_attainment_table,
        today=date(2026, 2, 1),
    )


def test_the_page_has_the_four_parts(app):
    assert app.tab_titles == ["Customer types", "KANO", "Service standards", "Standards card"]
    assert app.kano is not None and "Better" in app.kano_view.value and app.kano_chart is not None
    assert "must-be (M)" in app.linked_needs.value
    assert "attainment today" in app.measured.value and "achievable" in app.verdicts.value
    assert "<iframe" in app.card.value and "Print the standards card" in app.card.value
    features = [v for _, v in app.types_form.need_rows[0]["feature"].options]
    survey = list(app.kano.table.index)
    assert features[1 : 1 + len(survey)] == survey  # the survey's features are offered first


def test_standards_save_recomputes_the_verdicts_and_the_card(app, ws):
    form = app.standards_form
    before = app.verdicts.value
    assert "today" in before and "target 99 %" not in before
    urgent = next(r for r in form.sla_rows if r["tier"].value == "urgent" and r["metric"].value == "first_response")
    urgent["required"].value = 99  # the urgent standard's number is its time rule's
    assert form.fields["smart_urgent_30min_required"].disabled  # set once, in the rule's row
    form.fields["authority_frontline"].value = "300"
    form.save_button.click()
    saved = load_standards(ws)
    assert saved.stated(saved.smart[5]).required_attainment == 0.99
    assert form.fields["smart_urgent_30min_required"].value == "99"  # the linked row shows the new number
    assert "target 99 %" in app.verdicts.value  # the note of 'achievable' follows the new requirement
    assert "300" in app.card.value and "500" not in app.card.value
    for folder in (ws.path, ws.path / "handouts"):  # the printable card follows too
        assert "300" in (folder / "standards_card.en.html").read_text(encoding="utf-8")
    assert "updated" in form.status.value


def test_invalid_save_changes_nothing_on_the_page(app, ws):
    before = (app.verdicts.value, app.card.value, ws.standards_path.read_bytes())
    app.standards_form.sla_rows[0]["required"].value = 120
    app.standards_form.save_button.click()
    assert "must be at most 100 %" in app.standards_form.status.value
    assert (app.verdicts.value, app.card.value, ws.standards_path.read_bytes()) == before


def test_customer_types_save_recomputes_the_kano_linked_needs(app, ws):
    form = app.types_form
    assert "gift wrapping" not in app.linked_needs.value
    form.select("business_customers")
    row = form.add_need()
    row["feature"].value = "gift_wrapping"  # picked from the survey's features: its category is filled in
    assert row["kano"].value == app.kano.table.loc["gift_wrapping", "category"]
    form.save_button.click()
    need = load_customer_types(ws).get("business_customers").key_needs[-1]
    assert need.feature == "gift_wrapping"
    assert "gift wrapping" in app.linked_needs.value and "business customers" in app.linked_needs.value
    assert "[I]" in app.types_table.value or f"[{need.kano}]" in app.types_table.value


def test_without_data_the_forms_still_work(ws):
    app = WorkshopApp(AppSettings(workspace=ws.path, lang="zh"))
    assert app.kano is None and app.kano_chart is None
    assert t("app.no_kano", "zh") in app.kano_view.value
    assert "?" in app.verdicts.value
    assert app.standards_form.save()


def test_settings_round_trip_and_the_settings_file(tmp_path, ws):
    settings = AppSettings(
        workspace=ws.path,
        lang="en",
        data_dir=tmp_path / "data",
        period=(date(2026, 1, 1), date(2026, 3, 31)),
        handouts_url="voila/files/handouts/",
        card_dirs=(tmp_path / "h",),
    )
    assert AppSettings.from_json(settings.to_json()) == settings
    (tmp_path / APP_SETTINGS_FILE).write_text(settings.to_json(), encoding="utf-8")
    assert app_settings(folder=tmp_path) == settings
    assert app_settings(lang="zh", folder=tmp_path).lang == "zh"  # a parameter given wins


def test_period_and_as_of(small_chain_dir):
    whole = load_app_data(small_chain_dir)
    january = load_app_data(small_chain_dir, (date(2026, 1, 1), date(2026, 1, 31)))
    assert len(january.complaints) < len(whole.complaints)
    assert january.as_of <= pd.Timestamp("2026-01-31 23:59:59") < whole.as_of


def test_a_broken_workspace_file_is_shown_as_its_message(ws):
    from kit.workshop.app import open_app

    ws.standards_path.write_text("sla:\n- metric: first_response\n  target_minutes: soon\n", encoding="utf-8")
    page = open_app(AppSettings(workspace=ws.path, lang="zh"))
    assert "standards.yaml" in page.value and "应该是数字" in page.value and "Traceback" not in page.value
