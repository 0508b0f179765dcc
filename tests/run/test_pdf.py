"""kit.run.pdf: finding a browser (never downloading one)."""

import os
import stat

from kit.run.pdf import find_chromium


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


def test_pdf_is_current_only_when_written_after_its_html(tmp_path):
    from kit.run.pdf import pdf_is_current

    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    html.write_text("<p>x</p>")
    assert not pdf_is_current(html, pdf)  # no PDF yet
    pdf.write_bytes(b"%PDF-1.4 x")
    os.utime(html, ns=(1_000_000_000_000, 1_000_000_000_000))
    os.utime(pdf, ns=(2_000_000_000_000, 2_000_000_000_000))
    assert pdf_is_current(html, pdf)
    os.utime(html, ns=(3_000_000_000_000, 3_000_000_000_000))  # the report was made again
    assert not pdf_is_current(html, pdf)
    pdf.write_bytes(b"")
    os.utime(pdf, ns=(4_000_000_000_000, 4_000_000_000_000))
    assert not pdf_is_current(html, pdf)  # an empty file is no PDF
