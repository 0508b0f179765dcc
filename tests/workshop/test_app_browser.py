"""``kit workshop`` and ``make lab`` in a real browser: headless Chromium driven by Playwright.

The app is started as the facilitator starts it (``python -m kit workshop WORKSPACE``) on a free
port in a subprocess; the fixture always stops it (SIGTERM: Voila shuts down its kernels) and
ends any kernel of this test run that is still there.  Kernels are told apart from other
processes by their connection files, which live in this test's own temporary folder (TMPDIR).
The tests skip when Chromium or Playwright is not installed (``.ci/run`` installs Chromium).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from kit.workshop.serve import lab_settings_dir
from kit.workshop.workspace import create_workspace, load_standards

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")
sync_api.expect.set_options(timeout=30_000)  # a shared machine under a full test run is slow to answer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, deadline: float = 90) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {process.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def _kernels(tmp: Path) -> list[int]:
    """Ids of the kernel processes whose connection file is under ``tmp`` (this test's kernels)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if "ipykernel_launcher" in cmdline and str(tmp) in cmdline:
                found.append(int(entry.name))
    return found


def _stop(process: subprocess.Popen, tmp: Path) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    end = time.monotonic() + 10
    while _kernels(tmp) and time.monotonic() < end:
        time.sleep(0.2)
    for pid in _kernels(tmp):  # never leave a kernel of this run behind
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, small_chain_dir):
    """The forms app in Chinese on a fresh workspace, kernels of closed pages culled after 10 s."""
    tmp = tmp_path_factory.mktemp("workshop-app")
    ws = create_workspace(tmp / "workspaces", "client", today=date(2026, 1, 1))
    port = _free_port()
    env = dict(os.environ, TMPDIR=str(tmp), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "kit", "workshop", str(ws.path), "--lang", "zh", "--port", str(port)]
    command += ["--data", str(small_chain_dir), "--no-browser", "--cull-after", "10"]
    log = (tmp / "server.log").open("w", encoding="utf-8")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base + "voila/files/handouts/kano_questionnaire.zh.html", process)
        yield {"url": base, "workspace": ws, "tmp": tmp, "process": process}
    finally:
        _stop(process, tmp)
        log.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.goto(server["url"])
    page.wait_for_selector(".kit-app", timeout=90_000)
    yield page
    context.close()


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def test_fill_save_check_the_file_and_the_recomputed_verdict(page, server):
    expect = sync_api.expect
    _tab(page, "服务标准")
    verdicts = page.locator(".kit-verdicts")
    expect(verdicts).to_contain_text("目标 95 %", timeout=30_000)
    # the urgent standard's number is its time rule's (the first row): set it there, as a percentage
    field = page.locator(".kit-rule-required input").first
    field.fill("99")
    field.press("Tab")
    review = page.locator(".kit-field-smart_urgent_30min_review_date input")
    expect(review).to_have_value("2026-07-02")  # YYYY-MM-DD whatever the browser's locale
    review.fill("2026-09-30")
    review.press("Tab")
    page.locator(".kit-standards-form .kit-save").click()
    status = page.locator(".kit-standards-form .kit-status")
    expect(status).to_contain_text("已保存", timeout=30_000)
    expect(status).to_contain_text("已经更新")
    expect(verdicts).to_contain_text("目标 99 %")  # recomputed on the same page, no cell re-run
    std = load_standards(server["workspace"])
    urgent = next(s for s in std.smart if s.id == "urgent_30min")
    assert (std.stated(urgent).required_attainment, urgent.review_date) == (0.99, date(2026, 9, 30))
    assert std.sla[0].tier == "urgent" and std.sla[0].required_attainment == 0.99
    text = server["workspace"].standards_path.read_text(encoding="utf-8")
    assert "required_attainment: 0.99" in text and "2026-09-30" in text
    _tab(page, "服务标准卡")
    frame = page.frame_locator(".kit-card iframe")
    expect(frame.locator("body")).to_contain_text("紧急投诉的首次响应 ≤ 30分钟（99% 的情况做到）")
    expect(frame.locator("body")).to_contain_text("99%")  # the card follows the save


def test_a_wrong_value_is_named_on_the_page_and_nothing_is_saved(page, server):
    expect = sync_api.expect
    before = server["workspace"].standards_path.read_bytes()
    _tab(page, "服务标准")
    field = page.locator(".kit-rule-required input").first
    field.fill("120")
    field.press("Tab")
    page.locator(".kit-standards-form .kit-save").click()
    status = page.locator(".kit-standards-form .kit-status")
    expect(status).to_contain_text("未保存", timeout=30_000)
    expect(status).to_contain_text("时限规则第 1 行 · 要求达标率 %: 不能超过 100%")
    assert "1.0" not in status.inner_text()
    assert server["workspace"].standards_path.read_bytes() == before


def test_page_language_title_and_handout_links(page, server):
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert page.title() == "客户服务质量工作坊"
    assert "import " not in page.inner_text("body")  # no code on the page
    _tab(page, "服务标准卡")
    link = page.locator("a.kit-handout-servqual_questionnaire")
    sync_api.expect(link).to_be_visible()
    response = page.request.get(server["url"] + link.get_attribute("href"))
    assert response.status == 200 and "SERVQUAL 服务质量问卷" in response.text()
    assert page.request.get(server["url"] + "voila/files/kit_workshop.json").status == 403  # nothing else served


def test_customer_types_need_picked_from_the_survey_list(page, server):
    expect = sync_api.expect
    rows = page.locator(".kit-need-row")
    expect(rows.first).to_be_visible()
    before = rows.count()
    page.locator(".kit-add-need").click()
    expect(rows).to_have_count(before + 1)  # the new row is drawn by the kernel's answer
    row = rows.last
    row.locator(".kit-need-feature select").select_option(label="礼品包装")
    expect(row.locator(".kit-need-need_zh input")).to_have_value("礼品包装")
    page.locator(".kit-customer-types-form .kit-save").click()
    expect(page.locator(".kit-customer-types-form .kit-status")).to_contain_text("已保存", timeout=30_000)
    expect(page.locator(".kit-linked")).to_contain_text("礼品包装")  # the KANO-linked needs, redrawn
    types = (server["workspace"].customer_types_path).read_text(encoding="utf-8")
    assert "feature: gift_wrapping" in types


def test_kernels_of_closed_pages_are_culled(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server["url"])
    page.wait_for_selector(".kit-app", timeout=90_000)
    assert _kernels(server["tmp"])  # the open page has its kernel
    context.close()  # every page of the test run is closed now
    end = time.monotonic() + 60
    while _kernels(server["tmp"]) and time.monotonic() < end:
        time.sleep(0.5)
    assert not _kernels(server["tmp"]), "a closed page's kernel is still running"
    assert server["process"].poll() is None  # the app itself keeps running


@pytest.fixture
def lab(tmp_path):
    """JupyterLab as ``make lab`` starts it for a Chinese workshop (its own empty user settings)."""
    port, token = _free_port(), "kit-test"
    env = dict(
        os.environ,
        TMPDIR=str(tmp_path),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
    )
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter), "lab", "--no-browser", "--allow-root", f"--port={port}", "--ServerApp.ip=127.0.0.1"]
    command += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}"]
    command += [f"--LabApp.app_settings_dir={lab_settings_dir('zh')}"]
    log = (tmp_path / "lab.log").open("w", encoding="utf-8")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(f"{base}api/status?token={token}", process)
        yield base, token
    finally:
        _stop(process, tmp_path)
        log.close()


def test_jupyterlab_menus_in_chinese(browser, lab):
    base, token = lab
    context = browser.new_context(locale="en-US")  # the browser's own language does not decide
    page = context.new_page()
    page.goto(f"{base}lab?token={token}")
    menubar = page.locator(".lm-MenuBar-content")
    sync_api.expect(menubar).to_contain_text("文件", timeout=90_000)
    sync_api.expect(menubar).to_contain_text("编辑")
    assert "File" not in menubar.inner_text()
    context.close()
