"""kit.pdf: finding a browser (never downloading one)."""

import os
import stat

from kit.pdf import find_chromium


def test_env_variable_wins(tmp_path, monkeypatch):
    exe = tmp_path / "my-chrome"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("KIT_CHROMIUM", str(exe))
    assert find_chromium() == str(exe)


def test_nothing_found_is_none(monkeypatch, tmp_path):
    monkeypatch.setenv("KIT_CHROMIUM", str(tmp_path / "missing"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() is None
    assert os.environ["KIT_CHROMIUM"].endswith("missing")
