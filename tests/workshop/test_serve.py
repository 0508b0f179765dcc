"""``kit workshop``: what it prepares, how it starts Voila, and its messages (the browser tests are separate)."""

import json
from datetime import date

import pytest

from kit.cli import main as kit_main
from kit.workshop.app import APP_SETTINGS_FILE, AppSettings
from kit.workshop.serve import lab_settings_dir, prepare_app_folder, voila_argv
from kit.workshop.workspace import create_workspace


@pytest.fixture
def ws(tmp_path):
    return create_workspace(tmp_path / "workspaces", "client", today=date(2026, 1, 1))


def test_prepared_folder(ws, tmp_path, small_chain_dir):
    page = prepare_app_folder(tmp_path / "app", ws.path, "zh", data_dir=small_chain_dir)
    notebook = json.loads(page.read_text(encoding="utf-8"))
    assert notebook["metadata"]["title"] == "客户服务质量工作坊"  # the browser tab's title
    assert "parameters" in notebook["cells"][0]["metadata"]["tags"]
    settings = AppSettings.from_json((tmp_path / "app" / APP_SETTINGS_FILE).read_text(encoding="utf-8"))
    assert settings.workspace == ws.path.resolve() and settings.lang == "zh"
    assert settings.handouts_url == "voila/files/handouts/"
    served = sorted(p.name for p in (tmp_path / "app" / "handouts").iterdir())
    kept = sorted(p.name for p in (ws.path / "handouts").iterdir())  # kept in the workspace for printing later
    assert (
        served
        == kept
        == sorted(
            [
                "action_plan.zh.html",
                "kano_questionnaire.zh.html",
                "servqual_questionnaire.zh.html",
                "standards_card.zh.html",
            ]
        )
    )
    kano = (ws.path / "handouts" / "kano_questionnaire.zh.html").read_text(encoding="utf-8")
    assert "礼品包装" in kano  # the survey's features, not only the ones the workspace links


def test_voila_command_line_culls_idle_kernels_and_sets_the_language(tmp_path):
    argv = voila_argv(tmp_path / "workshop.ipynb", port=9000, lang="en", cull_after=120)
    assert argv[0] == str(tmp_path / "workshop.ipynb")
    assert "--port=9000" in argv and "--Voila.ip=127.0.0.1" in argv and "--Voila.open_browser=False" in argv
    assert "--MappingKernelManager.cull_idle_timeout=120" in argv
    assert "--MappingKernelManager.cull_interval=60" in argv
    assert "--MappingKernelManager.cull_connected=False" in argv  # an open page keeps its kernel
    assert "--VoilaExporter.language_code=en" in argv
    assert "--VoilaConfiguration.strip_sources=True" in argv  # no code on the page
    allow = next(a for a in argv if "file_allowlist" in a)
    assert allow.endswith("handouts/[A-Za-z0-9_.-]+[.]html")  # only the hand-outs are served as files


def test_missing_workspace_is_one_message(tmp_path, capsys):
    assert kit_main(["workshop", str(tmp_path / "nope"), "--lang", "en", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "the workspace folder does not exist" in err and "Traceback" not in err


def test_bad_period_is_one_message(ws, capsys):
    assert kit_main(["workshop", str(ws.path), "--lang", "zh", "--period", "2026-13-01..x", "--no-browser"]) == 2
    assert "YYYY-MM-DD..YYYY-MM-DD" in capsys.readouterr().err


def test_help_lists_the_command(capsys):
    with pytest.raises(SystemExit):
        kit_main(["workshop", "--help"])
    out = capsys.readouterr().out
    assert "--data" in out and "--cull-after" in out and "--port" in out


@pytest.mark.parametrize("lang, locale", [("zh", "zh_CN"), ("en", "en")])
def test_lab_settings_set_the_display_language(lang, locale):
    overrides = json.loads((lab_settings_dir(lang) / "overrides.json").read_text(encoding="utf-8"))
    assert overrides == {"@jupyterlab/translation-extension:plugin": {"locale": locale}}


def test_the_chinese_language_pack_is_installed():
    from jupyterlab_server.translation_utils import get_language_packs

    packs, _message = get_language_packs("en")
    assert "zh_CN" in packs
